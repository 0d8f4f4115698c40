/* Descriptors of a stopped thread taken as picovisor's own (include/tracee.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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

bool tracee_fd_names_file(pid_t tid, pid_t tgid, int fd, uint64_t dev, uint64_t ino)
{
	struct stat st;
	int theirs = tracee_take_fd(tid, tgid, fd);
	bool same;

	if (theirs < 0)
		return false;
	same = fstat(theirs, &st) == 0 && (uint64_t)st.st_dev == dev && (uint64_t)st.st_ino == ino;
	close(theirs);
	return same;
}
