/* A vfork child (sharing the parent's memory, parent suspended) tries to write outside. */
#include "hostile.h"
#include <sys/wait.h>

int main(int argc, char **argv)
{
	const char *target = outside(argc, argv, "dropped-by-vfork-child");
	pid_t p = vfork();

	if (p == 0) {
		int fd = open(target, O_CREAT | O_WRONLY, 0644);
		_exit(fd >= 0 ? 1 : 0);
	}
	if (p < 0)
		cannot("vfork");
	{
		int st;
		waitpid(p, &st, 0);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 1)
			escaped("the vfork child created a file outside");
	}
	contained("the vfork child is held to the same rules");
}
