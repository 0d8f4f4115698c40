/* A pidfd of a process outside the run, and a signal through it (argv[2]: its pid). */
#include "hostile.h"
#include <signal.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
	int fd;

	if (argc < 3)
		cannot("usage");
	fd = (int)syscall(SYS_pidfd_open, atoi(argv[2]), 0);
	if (fd < 0)
		refused("pidfd_open of an outside process", errno);
	verdict(syscall(SYS_pidfd_send_signal, fd, SIGCONT, NULL, 0), "a signal through a pidfd of an outside process");
}
