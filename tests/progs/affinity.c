/*
 * CPU affinity as the program sees it, after enough system calls for
 * picovisor to co-schedule the run (when each call is traced): the mask it
 * inherited, then the one it sets itself, which must also be where it runs.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static void busy(void)
{
	for (int i = 0; i < 30000; i++)
		syscall(SYS_getppid);
}

int main(void)
{
	cpu_set_t set;
	int last = -1;

	busy();
	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return 1;
	printf("inherited: %d CPUs\n", CPU_COUNT(&set));
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set))
			last = c;
	CPU_ZERO(&set);
	CPU_SET(last, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0)
		return 2;
	busy();
	CPU_ZERO(&set);
	sched_getaffinity(0, sizeof(set), &set);
	printf("own: %d CPU, the one it chose: %s, runs there: %s\n", CPU_COUNT(&set), CPU_ISSET(last, &set) ? "yes" : "no",
	       sched_getcpu() == last ? "yes" : "no");
	/* A too-small buffer fails the same way. */
	printf("short buffer: %ld\n", syscall(SYS_sched_getaffinity, 0, 1, &set) < 0 ? -1L : 0L);
	return 0;
}
