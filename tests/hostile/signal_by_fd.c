/*
 * Reach a process outside the run (argv[2]: its pid) without naming it by pid in a register
 * (argv[3] says how). The signal is SIGSTOP, so that a success shows: the process is stopped
 * (the harness continues it). The harness expects EPERM.
 *   proc-pidfd   pidfd_send_signal on open("/proc/PID")
 *   setown       fcntl F_SETOWN + F_SETSIG + O_ASYNC on a socket, then a write to its peer
 *   setown-ex    the same with F_SETOWN_EX (F_OWNER_PID)
 *   fiosetown    the same with ioctl FIOSETOWN
 */
#include "hostile.h"
#include <signal.h>
#include <stdbool.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>

static pid_t victim;

static bool stopped(void)
{
	char path[64], buf[512], *end;
	FILE *f;

	for (int i = 0; i < 50; i++) {
		struct timespec ts = { 0, 10000000 };
		snprintf(path, sizeof(path), "/proc/%d/stat", victim);
		f = fopen(path, "re");
		if (!f)
			return false;
		buf[0] = '\0';
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
		end = strrchr(buf, ')');
		if (end && (end[2] == 'T' || end[2] == 't'))
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

/* rc/errno of the call that would reach outside: contained only by EPERM. */
static __attribute__((noreturn)) void judge(long rc, const char *what)
{
	if (rc >= 0) {
		if (stopped())
			escaped(what);
		printf("the call succeeded, but the process was not stopped\n");
		exit(2);
	}
	refused(what, errno);
}

static __attribute__((noreturn)) void owner_by(const char *how)
{
	int p[2], sig = SIGSTOP;
	long rc;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, p) < 0 || fcntl(p[0], F_SETSIG, sig) < 0 ||
	    fcntl(p[0], F_SETFL, O_ASYNC | O_NONBLOCK) < 0)
		cannot("socket with O_ASYNC");
	if (strcmp(how, "setown") == 0) {
		rc = fcntl(p[0], F_SETOWN, victim);
	} else if (strcmp(how, "setown-ex") == 0) {
		struct f_owner_ex o = { F_OWNER_PID, victim };
		rc = fcntl(p[0], F_SETOWN_EX, &o);
	} else {
		int who = victim;
		rc = ioctl(p[0], FIOSETOWN, &who);
	}
	if (rc >= 0 && write(p[1], "x", 1) != 1)
		cannot("write");
	judge(rc, how);
}

int main(int argc, char **argv)
{
	char path[64];
	int fd;

	if (argc < 4)
		cannot("usage");
	victim = atoi(argv[2]);
	if (strncmp(argv[3], "proc-", 5) == 0) {
		snprintf(path, sizeof(path), "/proc/%d", victim);
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			cannot("open /proc/PID");
		judge(syscall(SYS_pidfd_send_signal, fd, SIGSTOP, NULL, 0), "pidfd_send_signal on /proc/PID");
	}
	owner_by(argv[3]);
}
