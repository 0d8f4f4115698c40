/* A child made with the raw clone3 system call. */
#define _GNU_SOURCE
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	struct clone_args args;
	int st;
	long pid;

	memset(&args, 0, sizeof(args));
	args.exit_signal = SIGCHLD;
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0) {
		perror("clone3");
		return 1;
	}
	if (pid == 0) {
		execlp("sh", "sh", "-c", "echo clone3 child; exit 5", (char *)NULL);
		_exit(99);
	}
	waitpid((pid_t)pid, &st, 0);
	printf("clone3 child status %d\n", WEXITSTATUS(st));
	return 0;
}
