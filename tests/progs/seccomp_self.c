/*
 * A program that sandboxes itself with seccomp, as OpenSSH, Chromium, bwrap
 * --seccomp and systemd services do; run natively and under picovisor, the
 * output and the wait status must be the same. argv[1] picks the case.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))

static const char *err(long rc)
{
	static char buf[64];

	if (rc >= 0)
		return "ok";
	snprintf(buf, sizeof(buf), "%s (%d)", strerror(errno), errno);
	return buf;
}

static bool syslog_only; /* then-exec: picovisor itself may run under the filter: only syslog is refused */

/* The arch, then getppid and mkdir get `action`; everything else is allowed. */
static long install(uint32_t action, unsigned flags)
{
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		LD_NR,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, syslog_only ? SYS_syslog : SYS_getppid, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, syslog_only ? SYS_syslog : SYS_mkdir, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, action),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog fprog = { sizeof(prog) / sizeof(prog[0]), prog };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	if (flags == ~0u) /* the prctl way */
		return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0);
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
}

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	char buf[80];
	int n = snprintf(buf, sizeof(buf), "SIGSYS %d for call %d, arch %#x\n", sig, si->si_syscall, si->si_arch);

	(void)uc;
	write(1, buf, (size_t)n);
}

static void *sleeper(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

static void *thread_calls(void *arg)
{
	(void)arg;
	printf("thread: getppid %s\n", err(syscall(SYS_getppid)));
	return NULL;
}

/* Arguments the kernel refuses: each errno must be the kernel's. */
static void bad_arguments(void)
{
	struct sock_filter no_ret[] = { LD_NR };
	struct sock_filter ok[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct sock_fprog empty = { 0, ok }, huge = { 5000, ok }, null_insns = { 1, NULL }, malformed = { 1, no_ret },
			  unmapped = { 1, (struct sock_filter *)16 };

	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	printf("NULL fprog: %s\n", err(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, NULL)));
	printf("fprog at 1: %s\n", err(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, (void *)1)));
	printf("no instructions: %s\n", err(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &empty)));
	printf("5000 instructions: %s\n", err(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &huge)));
	printf("instructions at NULL: %s\n", err(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &null_insns)));
	printf("instructions at 16: %s\n", err(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &unmapped)));
	printf("no return: %s\n", err(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &malformed)));
	printf("unknown flag: %s\n", err(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 1u << 20, &malformed)));
	printf("unknown op: %s\n", err(syscall(SYS_seccomp, 99, 0, NULL)));
	printf("strict with flags: %s\n", err(syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 1, NULL)));
	printf("prctl NULL filter: %s\n", err(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, NULL, 0, 0)));
	printf("prctl mode 7: %s\n", err(prctl(PR_SET_SECCOMP, 7, 0, 0, 0)));
	printf("action available ALLOW: %s\n",
	       err(syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &(uint32_t){ SECCOMP_RET_ALLOW })));
	printf("still no filter: PR_GET_SECCOMP %d\n", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "errno";
	struct sigaction sa;
	pthread_t th;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (strcmp(c, "errno") == 0 || strcmp(c, "errno-prctl") == 0) {
		printf("mode before: %d\n", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
		printf("install: %s\n", err(install(SECCOMP_RET_ERRNO | EACCES, c[5] ? ~0u : 0)));
		printf("mode after: %d\n", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
		printf("getppid: %s\n", err(syscall(SYS_getppid)));
		printf("mkdir: %s\n", err(mkdir("made-by-test", 0755)));
		printf("getpid works: %s\n", err(syscall(SYS_getpid)));
	} else if (strcmp(c, "tsync") == 0) {
		/* A thread that exists before the filter gets it too. */
		if (pthread_create(&th, NULL, sleeper, NULL) != 0)
			return 2;
		printf("install with TSYNC: %s\n", err(install(SECCOMP_RET_ERRNO | EPERM, SECCOMP_FILTER_FLAG_TSYNC)));
		pthread_create(&th, NULL, thread_calls, NULL);
		pthread_join(th, NULL);
	} else if (strcmp(c, "trap") == 0 || strcmp(c, "log") == 0 || strcmp(c, "kill") == 0) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_sigsys;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGSYS, &sa, NULL);
		printf("install: %s\n", err(install(c[0] == 't' ? SECCOMP_RET_TRAP : c[0] == 'l' ? SECCOMP_RET_LOG
											: SECCOMP_RET_KILL_PROCESS,
						    SECCOMP_FILTER_FLAG_LOG)));
		printf("getppid: %s\n", err(syscall(SYS_getppid) > 0 ? 0 : -1));
	} else if (strcmp(c, "strict") == 0 || strcmp(c, "strict-seccomp") == 0) {
		long rc = c[6] ? syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 0, NULL)
			       : prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0);
		char buf[64];
		int n = snprintf(buf, sizeof(buf), "strict: %ld\n", rc);

		write(1, buf, (size_t)n); /* write is allowed */
		if (c[6])
			syscall(SYS_exit, 3); /* and _exit */
		syscall(SYS_getpid);      /* anything else: SIGKILL */
		write(1, "survived\n", 9);
		syscall(SYS_exit, 0);
	} else if (strcmp(c, "strict-after-filter") == 0) {
		printf("install: %s\n", err(install(SECCOMP_RET_ERRNO | EACCES, 0)));
		printf("strict: %s\n", err(prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0)));
	} else if (strcmp(c, "trace-filter") == 0) {
		/* Natively, with no tracer, a TRACE verdict fails the call with ENOSYS. */
		printf("install: %s\n", err(install(SECCOMP_RET_TRACE | 7, 0)));
		printf("getppid: %s\n", err(syscall(SYS_getppid)));
		printf("mkdir: %s\n", err(mkdir("made-by-test", 0755)));
	} else if (strcmp(c, "then-exec") == 0 && argc > 2) {
		/* A filter, then an exec: the filter stays, and the new image's loader runs under it. */
		syslog_only = true;
		printf("install: %s\n", err(install(SECCOMP_RET_ERRNO | EACCES, 0)));
		execv(argv[2], argv + 2);
		printf("exec: %s\n", err(-1));
		return 1;
	} else if (strcmp(c, "big") == 0) {
		/* 4096 instructions, the kernel's most: larger than one slot of picovisor's scratch area. */
		static struct sock_filter prog[BPF_MAXINSNS];
		struct sock_fprog fprog = { BPF_MAXINSNS, prog };
		size_t n = 0;

		prog[n++] = (struct sock_filter)LD_NR;
		while (n < BPF_MAXINSNS - 3)
			prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 100000 + (unsigned)n, 0, 0);
		prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1);
		prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EXDEV);
		prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		printf("install %zu instructions: %s\n", n, err(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog)));
		printf("getppid: %s\n", err(syscall(SYS_getppid)));
		fprog.len = 1; /* a second one from the same thread: its span is reused */
		prog[0] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
		printf("install 1 more: %s\n", err(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog)));
		printf("getppid: %s\n", err(syscall(SYS_getppid)));
	} else if (strcmp(c, "bad-arguments") == 0) {
		bad_arguments();
	} else {
		fprintf(stderr, "unknown case %s\n", c);
		return 2;
	}
	return 0;
}
