/* Connect to an abstract unix socket of a process outside the run (argv[2]: its name). */
#include "hostile.h"
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

int main(int argc, char **argv)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	size_t n;

	if (argc < 3 || s < 0)
		cannot("usage or socket");
	n = strlen(argv[2]);
	memcpy(a.sun_path + 1, argv[2], n);
	verdict(connect(s, (struct sockaddr *)&a, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n)),
		"connect to an outside abstract socket");
}
