/*
 * Hold more memory or open files than a run-wide limit in processes whose
 * leader thread has left (SYS_exit) while another thread lives on: the
 * leader's /proc entries then read as empty, whatever the process holds.
 * argv[2]: "memory" (8 processes x 32 MiB) or "files" (8 x 200 descriptors).
 * A run with a limit below the total (memory=128M, files=1000) must end
 * before "ESCAPED".
 */
#include "hostile.h"
#include <pthread.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

enum { CHILDREN = 8, MIB = 32, FILES = 200 };

static int report[2], release[2];
static int memory;

static void *hog(void *arg)
{
	long n = 0;
	char hold;

	(void)arg;
	if (memory) {
		volatile char *p = mmap(NULL, (size_t)MIB << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED) {
			for (size_t i = 0; i < (size_t)MIB << 20; i += 4096)
				p[i] = 1; /* resident, private: the process's own memory */
			n = MIB;
		}
	} else {
		while (n < FILES && dup(0) >= 0)
			n++;
	}
	usleep(50 * 1000); /* the leader has left by now */
	if (write(report[1], &n, sizeof(n)) != sizeof(n))
		_exit(3);
	if (read(release[0], &hold, 1) < 0) /* held until the parent is done */
		_exit(3);
	_exit(0);
}

int main(int argc, char **argv)
{
	long total = 0;

	(void)outside(argc, argv, "");
	memory = argc > 2 && strcmp(argv[2], "memory") == 0;
	if (pipe(report) < 0 || pipe(release) < 0)
		cannot("pipe");
	for (int i = 0; i < CHILDREN; i++) {
		pid_t pid = fork();

		if (pid < 0)
			cannot("fork");
		if (pid == 0) {
			pthread_t th;

			close(release[1]);
			if (pthread_create(&th, NULL, hog, NULL) != 0)
				_exit(3);
			syscall(SYS_exit, 0); /* the leader alone leaves */
		}
	}
	close(report[1]);
	for (int i = 0; i < CHILDREN; i++) {
		long n;

		if (read(report[0], &n, sizeof(n)) != sizeof(n))
			cannot("reading a child's count");
		total += n;
	}
	printf("%ld %s held by %d leaderless processes\n", total, memory ? "MiB" : "files", CHILDREN);
	fflush(stdout);
	usleep(1000 * 1000); /* held: a run-wide count sees them now, even on a loaded machine */
	close(release[1]);
	while (wait(NULL) > 0)
		;
	if (total < (memory ? CHILDREN * MIB : CHILDREN * FILES))
		cannot("the children could not take their share");
	escaped("the run was not ended by its limit");
}
