/*
 * `picovisor doctor`: what this machine gives picovisor, tried rather than
 * guessed (a child is really traced, a filter really installed, a Landlock
 * ruleset really made), and what each finding means for each personality.
 * CI machines differ (containers with their own seccomp profile, Yama, no
 * user namespaces, old kernels); this is the page a user reads first.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch.h"
#include "doctor.h"
#include "syscall_table.h"

enum verdict { OK, PARTIAL, MISSING };

struct finding {
	enum verdict v;
	char detail[160];
};

static void say(struct finding *f, enum verdict v, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(struct finding *f, enum verdict v, const char *fmt, ...)
{
	va_list ap;

	f->v = v;
	va_start(ap, fmt);
	vsnprintf(f->detail, sizeof(f->detail), fmt, ap);
	va_end(ap);
}

static int read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -EIO;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* A child that waits to be looked at, and what tracing it, reading its memory and taking its fds gives. */
struct trace_probe {
	int seize_err, vm_err, getfd_err, pidfd_err;
};

static void probe_tracing(struct trace_probe *p)
{
	int go[2];
	pid_t child;
	char byte = 0, local = 0;
	struct iovec l = { &local, 1 }, r = { &byte, 1 };

	memset(p, 0, sizeof(*p));
	if (pipe2(go, O_CLOEXEC) < 0) {
		p->seize_err = p->vm_err = p->getfd_err = p->pidfd_err = errno;
		return;
	}
	child = fork();
	if (child == 0) {
		close(go[1]);
		(void)read(go[0], &byte, 1); /* until the parent has looked */
		_exit(0);
	}
	close(go[0]);
	if (child < 0) {
		p->seize_err = p->vm_err = p->getfd_err = p->pidfd_err = errno;
		close(go[1]);
		return;
	}
	p->seize_err = ptrace(PTRACE_SEIZE, child, 0, 0) < 0 ? errno : 0;
	p->vm_err = process_vm_readv(child, &l, 1, &r, 1, 0) < 0 ? errno : 0;
	{
		int pidfd = (int)syscall(SYS_pidfd_open, child, 0);

		p->pidfd_err = pidfd < 0 ? errno : 0;
		if (pidfd >= 0) {
			int fd = (int)syscall(SYS_pidfd_getfd, pidfd, 0, 0);

			p->getfd_err = fd < 0 ? errno : 0;
			if (fd >= 0)
				close(fd);
			close(pidfd);
		} else {
			p->getfd_err = errno;
		}
	}
	close(go[1]); /* the child reads end of file and exits */
	waitpid(child, NULL, __WALL);
}

/* Can a child install a seccomp filter whose action is RET_TRACE (what picovisor's filter returns)? */
static int probe_seccomp(void)
{
	pid_t child = fork();
	int status;

	if (child == 0) {
		struct sock_filter insns[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
		struct sock_fprog prog = { 1, insns };
		unsigned action = SECCOMP_RET_TRACE;

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(10 + (errno & 0x7f) % 100);
		if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) < 0)
			_exit(errno == EOPNOTSUPP ? 3 : 4);
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
			_exit(errno == ENOSYS ? 5 : 6);
		_exit(0);
	}
	if (child < 0 || waitpid(child, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int probe_userns(void)
{
	pid_t child = fork();
	int status;

	if (child == 0)
		_exit(unshare(CLONE_NEWUSER) < 0 ? 1 : 0);
	if (child < 0 || waitpid(child, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static const char *container_kind(void)
{
	char buf[4096];
	int fd;
	ssize_t n;

	if (getenv("KUBERNETES_SERVICE_HOST"))
		return "a Kubernetes pod";
	if (access("/.dockerenv", F_OK) == 0)
		return "a Docker container";
	if (access("/run/.containerenv", F_OK) == 0)
		return "a Podman container";
	fd = open("/proc/1/cgroup", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	if (strstr(buf, "kubepods"))
		return "a Kubernetes pod";
	if (strstr(buf, "docker") || strstr(buf, "containerd"))
		return "a container";
	return NULL;
}

static const char *mark(enum verdict v)
{
	return v == OK ? "yes" : v == PARTIAL ? "partly" : "no";
}

/* Every finding of the table, in its order. */
struct findings {
	struct finding kernel, trace, vm, getfd, seccomp, landlock, yama, userns, binfmt, cgroup, x32, inside;
};

/* What every run needs: the kernel, tracing its children, their memory, their descriptors, a filter. */
static void judge_run_needs(struct findings *f)
{
	struct utsname u;
	struct trace_probe tp;
	int major = 0, minor = 0, sc;

	uname(&u);
	sscanf(u.release, "%d.%d", &major, &minor);
	if (major > 5 || (major == 5 && minor >= 6))
		say(&f->kernel, OK, "%s (picovisor needs 5.6 or later: pidfd_getfd)", u.release);
	else
		say(&f->kernel, MISSING, "%s is older than 5.6: pidfd_getfd is missing; upgrade the kernel", u.release);
	probe_tracing(&tp);
	if (!tp.seize_err)
		say(&f->trace, OK, "PTRACE_SEIZE of a child works");
	else
		say(&f->trace, MISSING,
		    "PTRACE_SEIZE of a child fails (%s): nothing can run under picovisor; %s", strerror(tp.seize_err),
		    tp.seize_err == EPERM ? "a seccomp profile, Yama ptrace_scope 3 or a sandbox refuses ptrace; "
					    "in Docker use a profile that allows ptrace (the default one does on kernels >= 4.8)"
					  : "see ptrace(2)");
	say(&f->vm, tp.vm_err ? MISSING : OK, tp.vm_err ? "process_vm_readv of a traced child fails (%s)"
							: "process_vm_readv of a traced child works%s",
	    tp.vm_err ? strerror(tp.vm_err) : "");
	if (!tp.getfd_err)
		say(&f->getfd, OK, "pidfd_open and pidfd_getfd work");
	else
		say(&f->getfd, MISSING, "%s fails (%s): picovisor cannot check descriptors a program names",
		    tp.pidfd_err ? "pidfd_open" : "pidfd_getfd", strerror(tp.getfd_err));
	sc = probe_seccomp();
	if (sc == 0)
		say(&f->seccomp, OK, "a filter returning SECCOMP_RET_TRACE installs");
	else
		say(&f->seccomp, MISSING, "%s",
		    sc == 3   ? "the kernel lacks SECCOMP_RET_TRACE"
		    : sc == 5 ? "the seccomp call is refused (ENOSYS): a container profile blocks it"
		    : sc >= 10 ? "PR_SET_NO_NEW_PRIVS is refused"
			      : "a seccomp filter cannot be installed here (a container's own profile may refuse it)");
}

/* What the sandbox uses when it is there, and what may forbid tracing altogether (Yama). */
static void judge_sandbox_and_yama(struct findings *f)
{
	char buf[256];
	int abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);

	if (abi >= 1)
		say(&f->landlock, OK, "ABI %d: the sandbox's path rules are enforced by the kernel as well", abi);
	else
		say(&f->landlock, PARTIAL, "absent (%s): the sandbox checks paths in the supervisor alone (slower; "
					   "see docs/policy.md); boot with lsm=...,landlock for the kernel's wall",
		    strerror(errno));
	if (read_small("/proc/sys/kernel/yama/ptrace_scope", buf, sizeof(buf)) == 0) {
		int scope = atoi(buf);

		say(&f->yama, scope >= 3 ? MISSING : OK,
		    scope == 0   ? "ptrace_scope 0: classic ptrace permissions"
		    : scope == 1 ? "ptrace_scope 1: tracing one's own children only, which is what picovisor does"
		    : scope == 2 ? "ptrace_scope 2: only CAP_SYS_PTRACE may trace; picovisor works as root only"
				 : "ptrace_scope 3: no process may trace; picovisor cannot run");
		if (scope == 2 && geteuid() != 0)
			f->yama.v = MISSING;
	} else {
		say(&f->yama, OK, "Yama is not in this kernel: classic ptrace permissions");
	}
}

/* What picovisor does not need, said so that nobody goes looking for it; and what is around picovisor. */
static void judge_the_rest(struct findings *f)
{
	const char *box = container_kind();
	int rc = probe_userns();

	say(&f->userns, rc == 0 ? OK : PARTIAL,
	    rc == 0 ? "unshare(CLONE_NEWUSER) works (an ordinary user's ci runs get their private /dev/shm in one)"
		    : "user namespaces are not available: an ordinary user's runs get no private /dev/shm (shm: "
		      "docs/policy.md), the rest does not need them");
	say(&f->binfmt, access("/proc/sys/fs/binfmt_misc/status", F_OK) == 0 ? OK : PARTIAL,
	    access("/proc/sys/fs/binfmt_misc/status", F_OK) == 0
		    ? "binfmt_misc is mounted (not needed: picovisor picks PE images by their MZ magic itself)"
		    : "binfmt_misc is not mounted (not needed: picovisor picks PE images by their MZ magic itself)");
	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0) {
		char own[256] = "", path[512];

		if (read_small("/proc/self/cgroup", own, sizeof(own)) == 0 && strncmp(own, "0::", 3) == 0) {
			snprintf(path, sizeof(path), "/sys/fs/cgroup%s", own + 3);
			say(&f->cgroup, access(path, W_OK) == 0 ? OK : PARTIAL, "v2, own cgroup %s %s", own + 3,
			    access(path, W_OK) == 0 ? "is delegated (writable)"
						    : "is not delegated: limits are kept by picovisor, not cgroups");
		} else {
			say(&f->cgroup, PARTIAL, "v2 mounted, own cgroup unknown");
		}
	} else {
		say(&f->cgroup, PARTIAL, "cgroup v2 is not mounted: limits are kept by picovisor (rlimits, counts)");
	}
	{
		/* getpid through the x32 ABI, numbered by the table and the machine's x32 bit (arch.h) */
		const struct arch_abi *x32 = arch_abi_info(ABI_X32);
		bool has = false;

		if (x32 && x32->nr_bit) {
			errno = 0;
			syscall((long)x32->nr_bit | syscall_number(ABI_X32, "getpid"));
			has = errno != ENOSYS;
		}
		say(&f->x32, has ? OK : PARTIAL,
		    has ? "the kernel has the x32 ABI: picovisor serves it as well"
			: "the kernel has no x32 ABI (x32 programs cannot run anywhere here)");
	}
	rc = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
	say(&f->inside, rc == 2 ? PARTIAL : OK, "%s%s%s", box ? "inside " : "not in a container", box ? box : "",
	    rc == 2 ? "; picovisor itself already runs under a seccomp filter (a container or sandbox profile), "
		      "which may refuse some calls programs make"
		    : "");
}

int doctor_main(void)
{
	struct findings f;
	bool base;
	const struct {
		const char *name;
		struct finding *f;
	} rows[] = {
		{ "kernel", &f.kernel },     { "ptrace", &f.trace },	       { "process memory", &f.vm },
		{ "pidfd_getfd", &f.getfd }, { "seccomp", &f.seccomp },	       { "landlock", &f.landlock },
		{ "yama", &f.yama },	     { "user namespaces", &f.userns }, { "binfmt_misc", &f.binfmt },
		{ "cgroup", &f.cgroup },     { "x32", &f.x32 },		       { "environment", &f.inside },
	};

	judge_run_needs(&f);
	judge_sandbox_and_yama(&f);
	judge_the_rest(&f);
	printf("picovisor doctor: what this machine gives picovisor (each tried, not guessed)\n\n");
	printf("%-16s %-7s %s\n", "check", "works", "what it means");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		printf("%-16s %-7s %s\n", rows[i].name, mark(rows[i].f->v), rows[i].f->detail);
	base = f.kernel.v == OK && f.trace.v == OK && f.vm.v == OK && f.getfd.v == OK && f.seccomp.v == OK &&
	       f.yama.v == OK;
	printf("\nPersonalities:\n");
	printf("  %-8s %s\n", "linux", base ? "works" : "cannot run here (see the 'no' rows above)");
	printf("  %-8s %s\n", "sandbox",
	       !base		    ? "cannot run here"
	       : f.landlock.v == OK ? "works, paths enforced by Landlock and checked by picovisor"
				    : "works, paths checked by picovisor alone (--require-landlock refuses to run)");
	printf("  %-8s %s\n", "map", base ? "works (no root, no namespaces needed)" : "cannot run here");
	printf("  %-8s %s\n", "nt", base ? "works (PE32+ console programs)" : "cannot run here");
	return base ? 0 : 1;
}
