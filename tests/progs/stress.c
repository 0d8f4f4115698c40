/* Many threads forking and exec'ing at once: children often stop before their parent's fork event is seen. */
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void *worker(void *arg)
{
	long id = (long)arg, ok = 0;

	for (int i = 0; i < 15; i++) {
		char *argv[] = { "true", NULL };
		pid_t pid;
		int st;

		if (i % 3 == 0) {
			pid = fork();
			if (pid == 0) {
				execve("/bin/true", argv, environ);
				_exit(99);
			}
		} else if (posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ) != 0) {
			continue;
		}
		if (waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			ok++;
	}
	return (void *)(ok + id * 0);
}

int main(void)
{
	pthread_t t[12];
	long total = 0;

	for (long i = 0; i < 12; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < 12; i++) {
		void *r;
		pthread_join(t[i], &r);
		total += (long)r;
	}
	printf("%ld of %d children ran and exited 0\n", total, 12 * 15);
	return total == 12 * 15 ? 0 : 1;
}
