/* unshare a user namespace (root in it, and mounts of one's own). */
#include "hostile.h"
#include <sched.h>

int main(void)
{
	verdict(unshare(CLONE_NEWUSER | CLONE_NEWNS), "unshare(CLONE_NEWUSER|CLONE_NEWNS)");
}
