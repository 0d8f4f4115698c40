/* Every signal picovisor sends to another process goes out here (include/signal_send.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "signal_send.h"

int signal_target_open(struct signal_target *to, pid_t pid)
{
	long fd;

	to->pid = pid > 0 ? pid : 0;
	to->pidfd = -1;
	to->live = pid > 0;
	if (pid <= 0)
		return -EINVAL;
	fd = syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0)
		return -errno;
	to->pidfd = (int)fd;
	return 0;
}

void signal_target_retire(struct signal_target *to)
{
	int fd = to->pidfd;

	/* live first: a forwarding handler that runs in between must find the target retired. */
	to->live = 0;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	to->pid = 0;
	to->pidfd = -1;
	if (fd >= 0)
		close(fd);
}

int signal_target_has_pidfd(const struct signal_target *to)
{
	return to->pidfd >= 0;
}

int signal_send(const struct signal_target *to, int sig)
{
	int saved_errno = errno, rc = 0;
	pid_t pid = to->pid;
	int fd = to->pidfd;

	if (!to->live)
		return -ESRCH;
	if (pid <= 0) /* kill(0) and kill(-1) reach beyond the run: never */
		return -EINVAL;
	if (fd >= 0) {
		if (syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) < 0)
			rc = -errno;
	} else if (kill(pid, sig) < 0) {
		rc = -errno;
	}
	errno = saved_errno;
	return rc;
}
