/* clone with CLONE_UNTRACED: a child the tracer would never see. */
#include "hostile.h"
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

int main(void)
{
	long pid = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);

	if (pid == 0)
		_exit(0);
	if (pid > 0) {
		waitpid((pid_t)pid, NULL, 0);
		escaped("an untraced child was made");
	}
	refused("clone with CLONE_UNTRACED", errno);
}
