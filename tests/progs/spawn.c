/* vfork+exec, posix_spawn and fork+exec of /bin/echo, with their statuses. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(void)
{
	char *args[] = { "echo", "from", "child", NULL };
	int st;
	pid_t pid = vfork();

	if (pid == 0) {
		execve("/bin/echo", args, environ);
		_exit(99);
	}
	waitpid(pid, &st, 0);
	printf("vfork child status %d\n", WEXITSTATUS(st));
	fflush(stdout);
	if (posix_spawnp(&pid, "echo", NULL, NULL, args, environ) == 0) {
		waitpid(pid, &st, 0);
		printf("posix_spawn child status %d\n", WEXITSTATUS(st));
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char *a2[] = { "sh", "-c", "exit 7", NULL };
		execvp("sh", a2);
		_exit(98);
	}
	waitpid(pid, &st, 0);
	printf("fork+exec child status %d\n", WEXITSTATUS(st));
	pid = fork();
	if (pid == 0) {
		char *a3[] = { "nonexistent-program-xyz", NULL };
		execvp(a3[0], a3);
		perror("execvp");
		_exit(97);
	}
	waitpid(pid, &st, 0);
	printf("failed exec child status %d\n", WEXITSTATUS(st));
	return 0;
}
