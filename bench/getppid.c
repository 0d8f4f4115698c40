/* N getppid() calls (default 200000): the cost of a system call picovisor does not trap, or of one it traces. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long sum = 0, n = argc > 1 ? atol(argv[1]) : 200000;

	for (long i = 0; i < n; i++)
		sum += syscall(SYS_getppid);
	/* The sum is printed nowhere: in a pid namespace (runsc) the parent may be 0. */
	return sum < 0;
}
