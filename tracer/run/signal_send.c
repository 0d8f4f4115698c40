/* Every signal picovisor sends to another process goes out here (tracer/run/signal_send.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "signal_send.h"

/*
 * Descriptors picovisor keeps for pidfds: at most half of its limit, so that a run
 * with many processes never leaves the exec loader without descriptors (the rest
 * fall back to kill, which is safe for them too: see the header).
 */
static long pidfd_ceiling(void)
{
	static long ceiling;
	struct rlimit r;

	if (!ceiling)
		ceiling = getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur != RLIM_INFINITY && r.rlim_cur / 2 > 64
				  ? (long)(r.rlim_cur / 2)
				  : 64;
	return ceiling;
}

int signal_target_open(struct signal_target *to, pid_t pid)
{
	long fd;

	to->pid = pid > 0 ? pid : 0;
	to->pidfd = -1;
	to->live = pid > 0;
	if (pid <= 0)
		return -EINVAL;
	fd = syscall(SYS_pidfd_open, pid, 0); /* pidfds are close-on-exec */
	if (fd < 0)
		return -errno;
	if (fd >= pidfd_ceiling()) {
		close((int)fd);
		return -EMFILE;
	}
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

int signal_send_thread(pid_t tgid, pid_t tid, int sig)
{
	int saved_errno = errno, rc = 0;

	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	if (syscall(SYS_tgkill, tgid, tid, sig) < 0)
		rc = -errno;
	errno = saved_errno;
	return rc;
}
