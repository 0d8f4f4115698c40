/* Connect to the outside unix socket through a symlink made in the working directory. */
#include "hostile.h"
#include <sys/socket.h>
#include <sys/un.h>

int main(int argc, char **argv)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = "sock-link" };
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	if (s < 0 || symlink(outside(argc, argv, "sock"), "sock-link") < 0)
		cannot("socket or symlink");
	verdict(connect(s, (struct sockaddr *)&a, sizeof(a)), "connect through a symlink to an outside socket");
}
