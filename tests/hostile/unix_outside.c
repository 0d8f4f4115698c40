/* Connect to a unix socket listening outside the allowed paths (the docker.sock case). */
#include "hostile.h"
#include <sys/socket.h>
#include <sys/un.h>

int main(int argc, char **argv)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	if (s < 0)
		cannot("socket");
	const char *path = outside(argc, argv, "sock");

	if (strlen(path) >= sizeof(a.sun_path))
		cannot("the socket path is too long");
	memcpy(a.sun_path, path, strlen(path) + 1);
	verdict(connect(s, (struct sockaddr *)&a, sizeof(a)), "connect to an outside unix socket");
}
