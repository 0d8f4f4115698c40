/*
 * The calls whose checks must hold against races, N times each (bench/run
 * --table races): chmod and utimensat of a file in the working directory,
 * connect of a datagram socket to a socket file there, and open+close.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[2]) : 10000;
	const char *what = argc > 1 ? argv[1] : "chmod";
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = open("racebench.file", O_CREAT | O_WRONLY, 0644), s = -1, c = -1;

	if (fd < 0)
		return 2;
	close(fd);
	if (strcmp(what, "connect") == 0) {
		strcpy(a.sun_path, "racebench.sock");
		unlink(a.sun_path);
		s = socket(AF_UNIX, SOCK_DGRAM, 0);
		c = socket(AF_UNIX, SOCK_DGRAM, 0);
		if (s < 0 || c < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0)
			return 2;
	}
	for (long i = 0; i < n; i++) {
		int rc = 0;

		if (strcmp(what, "chmod") == 0)
			rc = chmod("racebench.file", i & 1 ? 0644 : 0600);
		else if (strcmp(what, "utimensat") == 0)
			rc = utimensat(AT_FDCWD, "racebench.file", NULL, 0);
		else if (strcmp(what, "connect") == 0)
			rc = connect(c, (struct sockaddr *)&a, sizeof(a));
		else if ((fd = open("racebench.file", O_RDONLY)) >= 0)
			close(fd);
		else
			rc = -1;
		if (rc < 0) {
			perror(what);
			return 1;
		}
	}
	return 0;
}
