/* clone3 with CLONE_NEWUSER and CLONE_UNTRACED: flags in memory, out of a filter's sight. */
#include "hostile.h"
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

int main(void)
{
	struct clone_args a = { .flags = CLONE_NEWUSER | CLONE_UNTRACED, .exit_signal = SIGCHLD };
	long pid = syscall(SYS_clone3, &a, sizeof(a));

	if (pid == 0)
		_exit(0);
	if (pid > 0) {
		waitpid((pid_t)pid, NULL, 0);
		escaped("clone3 made a child in a new user namespace");
	}
	refused("clone3 with namespace flags", errno);
}
