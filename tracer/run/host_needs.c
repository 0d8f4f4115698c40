/*
 * What picovisor cannot run without, checked once before a run starts, so that a
 * machine that lacks it (an old kernel, a container's seccomp profile, a sandbox
 * around picovisor) gets one message naming what is missing and what to do,
 * rather than a failure deep inside the first exec. `picovisor doctor` shows the
 * whole picture; this only stops what cannot work.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host_needs.h"
#include "tracee.h"
#include "util.h"

#define DOCTOR "Run 'picovisor doctor' to see what this machine gives picovisor."

void host_needs_check(void)
{
	int probe = open("/", O_PATH | O_CLOEXEC), fd, err, pidfd;

	/* Exactly what the exec path does with a thread's descriptor (tracee_fds.c), on our own. */
	fd = tracee_take_fd(getpid(), getpid(), probe);
	if (probe >= 0)
		close(probe);
	if (fd >= 0) {
		close(fd);
		return;
	}
	/* Which of the two calls it was: a process pidfd tells. */
	pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	err = errno;
	if (pidfd < 0)
		die("this system refuses pidfd_open (%s): picovisor takes descriptors from the program's processes "
		    "through pidfds. %s %s",
		    strerror(err), err == ENOSYS ? "Linux 5.3 or later has it; picovisor needs 5.6 or later."
						 : "A seccomp profile around picovisor (a container, a sandbox) refuses it; allow it there.",
		    DOCTOR);
	if (pidfd >= 0)
		close(pidfd);
	die("this system refuses pidfd_getfd (%s): picovisor takes the descriptors a program names to check "
	    "what they refer to, and cannot run without it. %s %s",
	    strerror(-fd), fd == -ENOSYS ? "Linux 5.6 or later has it."
					 : "A seccomp profile around picovisor (a container, a sandbox) refuses it; allow it there.",
	    DOCTOR);
}
