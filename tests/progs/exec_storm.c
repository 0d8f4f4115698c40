/* A child re-execs itself 40 times while its parent showers it with signals
 * (SIGWINCH: ignored by default; SIGUSR1: handled before each exec, fatal by
 * default after it unless the new image installs the handler again in time). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static volatile sig_atomic_t usr1;

static void on_usr1(int sig)
{
	(void)sig;
	usr1++;
}

int main(int argc, char **argv)
{
	if (argc == 2) { /* a link of the chain */
		int left = atoi(argv[1]);
		char n[16];
		char *args[] = { argv[0], n, NULL };

		signal(SIGUSR1, on_usr1);
		if (left == 0) {
			printf("chain done\n");
			return 0;
		}
		snprintf(n, sizeof(n), "%d", left - 1);
		execve("/proc/self/exe", args, environ);
		return 3;
	}
	sigset_t block;

	/* SIGUSR1 blocked before the fork, so the child has it blocked from its first instruction
	 * and across every exec of the chain: the chain must not die of it. */
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	pid_t pid = fork();
	if (pid == 0) {
		char *args[] = { argv[0], "40", NULL };

		execve("/proc/self/exe", args, environ);
		_exit(4);
	}
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	int st;
	while (waitpid(pid, &st, WNOHANG) == 0) {
		kill(pid, SIGWINCH);
		kill(pid, SIGUSR1);
	}
	printf("child %s %d\n", WIFEXITED(st) ? "exited" : "killed by", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	return 0;
}
