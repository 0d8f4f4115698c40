/* A vfork child (sharing the parent's memory, parent suspended) tries to write outside. */
#include "hostile.h"
#include <sys/wait.h>

int main(int argc, char **argv)
{
	const char *target = outside(argc, argv, "dropped-by-vfork-child");
	pid_t p = vfork();

	if (p == 0) {
		int fd = open(target, O_CREAT | O_WRONLY, 0644);
		_exit(fd >= 0 ? 255 : errno); /* the errno of the refusal, for the verdict */
	}
	if (p < 0)
		cannot("vfork");
	{
		int st;
		waitpid(p, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) == 0)
			cannot("the vfork child did not say how its open went");
		if (WEXITSTATUS(st) == 255)
			escaped("the vfork child created a file outside");
		refused("the vfork child's create outside", WEXITSTATUS(st));
	}
}
