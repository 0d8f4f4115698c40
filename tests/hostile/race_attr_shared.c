/* A child process flips chmod's path in memory shared with it (MAP_SHARED) between the twin and the victim. */
#include "race.h"
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	char *path = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t child;
	int status;

	race_setup(argc, argv);
	if (path == MAP_FAILED)
		cannot("mmap MAP_SHARED");
	strcpy(path, "attr_victim");
	child = fork();
	if (child < 0)
		cannot("fork");
	if (child == 0) {
		for (;;) {
			strcpy(path, race_victim);
			for (volatile int i = 0; i < 2000; i++)
				;
			strcpy(path, "attr_victim");
			for (volatile int i = 0; i < 2000; i++)
				;
		}
	}
	while (race_running()) {
		race_count(chmod(path, RACE_MODE));
	}
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	race_verdict("chmod of a path a child flips through shared memory");
}
