/*
 * A chain of processes, each the child of the one before: forkchain N makes N
 * processes in all, the last exits 0 and each parent exits with its child's
 * status. diff must take a chain this deep (no recursion over the tree).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long left = argc > 1 ? strtol(argv[1], NULL, 10) : 1000;

	while (--left > 0) {
		int status;
		pid_t child = fork();

		if (child < 0) {
			perror("fork");
			return 2;
		}
		if (child > 0) {
			if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status))
				_exit(3);
			_exit(WEXITSTATUS(status));
		}
	}
	return 0;
}
