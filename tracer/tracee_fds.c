/* Descriptors of a stopped thread taken as picovisor's own (include/tracee.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tracee.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL /* Linux 6.9: a pidfd for the thread itself, not its process */
#endif

/* A pidfd for the thread (whose fd table may be its own), else for its process. */
static int pidfd_of(pid_t tid, pid_t tgid)
{
	int pidfd = (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD);

	if (pidfd < 0 && tid == tgid)
		pidfd = (int)syscall(SYS_pidfd_open, tgid, 0);
	return pidfd < 0 ? -errno : pidfd;
}

int tracee_take_fd(pid_t tid, pid_t tgid, int fd)
{
	int pidfd, copy;

	if (fd < 0)
		return -EBADF;
	pidfd = pidfd_of(tid, tgid);
	if (pidfd < 0)
		return pidfd;
	copy = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (copy < 0)
		copy = -errno;
	close(pidfd);
	return copy;
}

bool tracee_fd_is(pid_t tid, pid_t tgid, int fd, int mine)
{
	struct stat a, b;
	int theirs;
	long rc = syscall(SYS_kcmp, getpid(), tid, KCMP_FILE, mine, fd);

	if (rc >= 0)
		return rc == 0;
	theirs = tracee_take_fd(tid, tgid, fd);
	if (theirs < 0)
		return false;
	rc = fstat(theirs, &a) == 0 && fstat(mine, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
	close(theirs);
	return rc;
}
