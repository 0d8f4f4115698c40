/*
 * Hold more open files than the run's files limit in threads made without
 * CLONE_FILES: each has a descriptor table of its own, which is not the
 * leader's. 8 threads x 200 descriptors; a run with files=1000 must end
 * before "ESCAPED". argv[2] "shared": the same threads with one table (the
 * control, which must not be ended: 8 x 100).
 */
#include "hostile.h"
#include <sched.h>
#include <stdbool.h>
#include <sys/mman.h>

enum { THREADS = 8 };

static long files;
static int ready, total;

static int worker(void *arg)
{
	(void)arg;
	for (long i = 0; i < files && dup(0) >= 0; i++)
		__atomic_add_fetch(&total, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&ready, 1, __ATOMIC_SEQ_CST);
	for (;;)
		pause();
	return 0;
}

int main(int argc, char **argv)
{
	int flags = CLONE_VM | CLONE_FS | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM;
	bool shared = argc > 2 && strcmp(argv[2], "shared") == 0;

	(void)outside(argc, argv, "");
	files = shared ? 100 : 200;
	if (shared)
		flags |= CLONE_FILES;
	for (int i = 0; i < THREADS; i++) {
		size_t sz = 1 << 16;
		char *stk = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (stk == MAP_FAILED || clone(worker, stk + sz, flags, NULL) < 0)
			cannot("clone");
	}
	while (__atomic_load_n(&ready, __ATOMIC_SEQ_CST) < THREADS)
		usleep(1000);
	usleep(1000 * 1000); /* held: a run-wide count sees them now, even on a loaded machine */
	printf("%d threads (%s tables) hold %d files\n", THREADS, shared ? "one shared" : "their own", total);
	fflush(stdout);
	if (total < THREADS * files)
		cannot("the threads could not open their share");
	if (shared)
		contained("one shared table under the limit: not ended");
	escaped("the run was not ended by its files limit");
}
