/*
 * The Linux side of bench/run's nt table: the same work as bench/ntbench.c
 * with the Linux calls, each a real system call (clock_gettime through
 * syscall(2), not the vDSO), so that picovisor traces each one.
 *   linuxbench time N | write N FILE | read FILE
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char chunk[65536];
	struct timespec ts;

	if (argc >= 3 && strcmp(argv[1], "time") == 0) {
		for (long i = atol(argv[2]); i > 0; i--)
			syscall(SYS_clock_gettime, CLOCK_REALTIME, &ts);
	} else if (argc >= 4 && strcmp(argv[1], "write") == 0) {
		int fd = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		for (long i = atol(argv[2]); i > 0; i--)
			if (write(fd, "0123456789abcdef", 16) != 16)
				return 1;
		close(fd);
	} else if (argc >= 3 && strcmp(argv[1], "read") == 0) {
		int fd = open(argv[2], O_RDONLY);
		while (read(fd, chunk, sizeof(chunk)) > 0)
			;
		close(fd);
	} else {
		return 2;
	}
	return 0;
}
