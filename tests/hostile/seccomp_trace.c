/*
 * A filter of the program's own that returns SECCOMP_RET_TRACE|0 for the calls
 * the sandbox checks: when two filters return TRACE the kernel reports the
 * newest one's data word, so a supervisor that trusts the word sees "nothing
 * for me" and lets the call run. The filter goes in only under a tracer (an
 * attacker needs it only there; natively, with no tracer, TRACE fails calls
 * with ENOSYS), then each call is tried: chmod of an outside file, connect to
 * the outside unix socket, an IPv4 socket, a child with CLONE_UNTRACED, a new
 * user namespace, prlimit64 on an outside process, io_uring.
 * argv[1]: the outside directory; argv[2]: the pid of a process outside.
 */
#include "hostile.h"
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

static int traced(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	int pid = 0;

	if (!f)
		cannot("/proc/self/status");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "TracerPid: %d", &pid) == 1)
			break;
	fclose(f);
	return pid != 0;
}

static const char *install_trace_filter(void)
{
	static const int calls[] = { SYS_chmod, SYS_fchmodat, SYS_socket, SYS_connect, SYS_clone,
				     SYS_prlimit64, SYS_unshare, SYS_io_uring_setup, SYS_sendto };
	struct sock_filter prog[4 + 2 * sizeof(calls) / sizeof(calls[0])];
	size_t n = 0;
	struct sock_fprog fprog;

	prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)calls[i], 0, 1);
		prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | 0);
	}
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	fprog.len = (unsigned short)n;
	fprog.filter = prog;
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) == 0)
		return "installed";
	note_refusal(errno);
	return strerror(errno);
}

static int escapes;

static void try_call(long rc, const char *what)
{
	printf("  %s: %s\n", what, rc >= 0 ? "WORKED" : strerror(errno));
	if (rc >= 0)
		escapes++;
	else
		note_refusal(errno);
}

int main(int argc, char **argv)
{
	const char *victim = outside(argc, argv, "victim");
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct rlimit old;
	struct stat st;
	long rc;
	pid_t pid;
	int s;

	if (argc < 3)
		cannot("usage: seccomp_trace OUTSIDE_DIR PID");
	pid = atoi(argv[2]);
	if (traced())
		printf("a TRACE|0 filter of the program's own: %s\n", install_trace_filter());
	if (stat(victim, &st) < 0)
		cannot("stat of the outside file");
	rc = syscall(SYS_chmod, victim, 04755);
	try_call(rc, "chmod 04755 of the outside file");
	if (rc == 0)
		chmod(victim, st.st_mode & 07777); /* natively: put it back */

	snprintf(a.sun_path, sizeof(a.sun_path), "%s/sock", argv[1]);
	s = (int)syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0);
	try_call(s < 0 ? -1 : syscall(SYS_connect, s, (struct sockaddr *)&a, sizeof(a)),
		"connect to the outside unix socket");
	try_call(syscall(SYS_socket, AF_INET, SOCK_DGRAM, 0), "an IPv4 socket");

	rc = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
	if (rc == 0)
		_exit(0);
	if (rc > 0)
		waitpid((pid_t)rc, NULL, 0);
	try_call(rc, "clone(CLONE_UNTRACED)");

	rc = syscall(SYS_prlimit64, pid, RLIMIT_CORE, NULL, &old);
	if (rc == 0)
		rc = syscall(SYS_prlimit64, pid, RLIMIT_CORE, &old, NULL); /* the same limit back: harmless, but a write */
	try_call(rc, "prlimit64 on the outside process");

	try_call(syscall(SYS_io_uring_setup, 4, (char[120]){ 0 }), "io_uring_setup");
	/* Last: the rest must not run in a namespace of its own. */
	try_call(syscall(SYS_unshare, CLONE_NEWUSER), "unshare(CLONE_NEWUSER)");
	if (escapes)
		escaped("calls the sandbox checks ran");
	refused_all("every call was refused");
}
