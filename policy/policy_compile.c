/* A policy's seccomp filters (include/policy_compile.h), with libseccomp. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "filter.h"
#include "policy_compile.h"
#include "promises.h"
#include "util.h"

/* Namespaces and leaving the tracer: clone flags the sandbox never allows (CLONE_NEWTIME is in the signal byte). */
#define CLONE_FORBIDDEN                                                                                                 \
	((uint64_t)(CLONE_UNTRACED | CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |    \
		    CLONE_NEWPID | CLONE_NEWNET))

static const uint64_t ioctl_stdio[] = { FIONREAD, FIONBIO, FIOCLEX, FIONCLEX, TCGETS, TIOCGWINSZ };
static const uint64_t ioctl_tty[] = { TCSETS,   TCSETSW,   TCSETSF, TIOCSWINSZ, TIOCGPGRP, TIOCSPGRP,
				      TCFLSH,   TCXONC,    TCSBRK,  TIOCGSID,   TIOCNOTTY, TIOCSCTTY };
static const uint64_t fcntl_stdio[] = { F_DUPFD,  F_DUPFD_CLOEXEC, F_GETFD,      F_SETFD,      F_GETFL,
					F_SETFL,  F_GETPIPE_SZ,    F_SETPIPE_SZ, F_GET_SEALS,  F_ADD_SEALS,
					F_GETOWN, F_SETOWN,        F_GETSIG,     F_SETSIG };
static const uint64_t fcntl_lock[] = { F_GETLK, F_SETLK, F_SETLKW, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW };
static const uint64_t prctl_self[] = {
	PR_SET_NAME,       PR_GET_NAME,          PR_SET_DUMPABLE,        PR_GET_DUMPABLE,   PR_SET_NO_NEW_PRIVS,
	PR_GET_NO_NEW_PRIVS, PR_SET_PDEATHSIG,   PR_GET_PDEATHSIG,       PR_GET_SECCOMP,    PR_SET_SECCOMP,
	PR_CAPBSET_READ,   PR_GET_TIMERSLACK,    PR_SET_TIMERSLACK,      PR_GET_KEEPCAPS,   PR_SET_THP_DISABLE,
	PR_GET_THP_DISABLE, PR_GET_CHILD_SUBREAPER, PR_SET_CHILD_SUBREAPER, PR_GET_TID_ADDRESS, 0x53564d41 /* PR_SET_VMA */,
};

#define VALUES(kind, constraint, array) { kind, constraint, array, ARRAY_SIZE(array) }

/* The values of a command-like argument each constraint allows. */
static const struct {
	uint8_t kind;
	uint32_t constraint;
	const uint64_t *values;
	size_t n;
} value_sets[] = {
	VALUES(K_IOCTL_CMD, PC_IOCTL_STDIO, ioctl_stdio), VALUES(K_IOCTL_CMD, PC_IOCTL_TTY, ioctl_tty),
	VALUES(K_FCNTL_CMD, PC_FCNTL_STDIO, fcntl_stdio), VALUES(K_FCNTL_CMD, PC_FCNTL_LOCK, fcntl_lock),
	VALUES(K_PRCTL_OPTION, PC_PRCTL_SELF, prctl_self),
};

struct compiler {
	scmp_filter_ctx ctx;
	const struct policy *p;
	char *err;
	size_t errsize;
	int rc;
};

static void add(struct compiler *c, uint32_t action, int nr, const char *name, unsigned n, const struct scmp_arg_cmp *cmp)
{
	int rc;

	if (c->rc)
		return;
	rc = seccomp_rule_add_array(c->ctx, action, nr, n, cmp);
	if (rc < 0) {
		snprintf(c->err, c->errsize, "cannot compile the policy: a rule for %s: %s", name, strerror(-rc));
		c->rc = -1;
	}
}

/* ALLOW the call when argument arg, masked, equals each of values[] (one rule each). */
static void allow_each(struct compiler *c, int nr, const char *name, unsigned arg, uint64_t mask, const uint64_t *values,
		       size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct scmp_arg_cmp cmp = SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, mask, values[i] & mask);

		add(c, SCMP_ACT_ALLOW, nr, name, 1, &cmp);
	}
}

/* The promises of p that list this call, and the union of their constraints. */
static uint32_t granting(const struct policy *p, const char *call, bool *granted)
{
	int count;
	const struct promise *t = promise_table(&count);
	uint32_t constraints = 0;

	*granted = false;
	for (int i = 0; i < count; i++) {
		if (!(p->promises & (1ULL << i)))
			continue;
		for (const char *const *name = t[i].calls; *name; name++)
			if (strcmp(*name, call) == 0) {
				*granted = true;
				constraints |= t[i].constraints;
			}
	}
	return constraints;
}

/* A granted call whose deciding argument is a register: allowed for the values its promises allow. */
static void allow_constrained(struct compiler *c, const struct syscall_entry *e, int arg, uint32_t pc)
{
	unsigned a = (unsigned)arg;

	switch (e->args[arg].kind) { /* an int: only the kinds that decide are named */
	case K_PROT:
		if (pc & PC_PROT_EXEC) {
			add(c, SCMP_ACT_ALLOW, e->nr, e->name, 0, NULL);
		} else {
			uint64_t none = 0;
			allow_each(c, e->nr, e->name, a, PROT_EXEC, &none, 1);
		}
		return;
	case K_SOCK_DOMAIN: {
		uint64_t domains[3];
		size_t n = 0;
		if (pc & PC_SOCKET_UNIX)
			domains[n++] = AF_UNIX;
		if (pc & PC_SOCKET_INET) {
			domains[n++] = AF_INET;
			domains[n++] = AF_INET6;
		}
		allow_each(c, e->nr, e->name, a, 0xffffffffu, domains, n);
		return;
	}
	case K_CLONE_FLAGS: {
		uint64_t kinds[2];
		size_t n = 0;
		if (pc & PC_CLONE_THREAD)
			kinds[n++] = CLONE_THREAD;
		if (pc & PC_CLONE_PROCESS)
			kinds[n++] = 0;
		allow_each(c, e->nr, e->name, a, CLONE_THREAD | CLONE_FORBIDDEN, kinds, n);
		return;
	}
	case K_IOCTL_CMD:
	case K_FCNTL_CMD:
	case K_PRCTL_OPTION:
		for (size_t i = 0; i < ARRAY_SIZE(value_sets); i++)
			if (value_sets[i].kind == e->args[arg].kind && (pc & value_sets[i].constraint))
				allow_each(c, e->nr, e->name, a, 0xffffffffu, value_sets[i].values, value_sets[i].n);
		return;
	case K_OPEN_FLAGS: {
		/* rpath: read only; wpath: write an existing file; cpath: create (anything) */
		const uint64_t shape = O_ACCMODE | O_CREAT | O_TRUNC | __O_TMPFILE;
		if (pc & PC_OPEN_CREATE) {
			add(c, SCMP_ACT_ALLOW, e->nr, e->name, 0, NULL);
			return;
		}
		if (pc & PC_OPEN_READ) {
			uint64_t ro = O_RDONLY;
			allow_each(c, e->nr, e->name, a, shape, &ro, 1);
		}
		if (pc & PC_OPEN_WRITE) {
			const uint64_t w[] = { O_RDONLY, O_WRONLY, O_RDWR, O_RDONLY | O_TRUNC, O_WRONLY | O_TRUNC,
					       O_RDWR | O_TRUNC };
			allow_each(c, e->nr, e->name, a, shape, w, ARRAY_SIZE(w));
		}
		return;
	}
	default:
		add(c, SCMP_ACT_ALLOW, e->nr, e->name, 0, NULL);
		return;
	}
}

/* The argument a promise's constraint looks at, or -1: decided by its kind. */
static int deciding_arg(const struct syscall_entry *e)
{
	for (int i = 0; i < syscall_nargs(e); i++)
		switch (e->args[i].kind) {
		case K_PROT:
		case K_SOCK_DOMAIN:
		case K_CLONE_FLAGS:
		case K_IOCTL_CMD:
		case K_FCNTL_CMD:
		case K_PRCTL_OPTION:
		case K_OPEN_FLAGS:
			return i;
		default:
			break;
		}
	return -1;
}

/* Does the supervisor have to look at this call's memory before it may run? */
static bool needs_check(const struct syscall_entry *e, const struct policy *p, const struct compile_env *env)
{
	if (e->flags & SC_EXEC)
		return true;
	for (int i = 0; i < syscall_nargs(e); i++)
		switch (e->args[i].kind) {
		case K_PATH:
			if (!env->landlock_paths)
				return true;
			break;
		case K_CLONE_ARGS: /* flags in memory */
		case K_OPEN_HOW:
			return true;
		case K_SOCKADDR_IN:
		case K_MSGHDR_IN:
			if (p->net != NET_ANY)
				return true;
			break;
		default:
			break;
		}
	return false;
}

static int compile_x86_64(struct compiler *c, const struct compile_env *env)
{
	uint32_t check = SCMP_ACT_TRACE(filter_trace_data(ABI_X86_64, false) | POLICY_DATA_CHECK);
	int count;
	const struct syscall_entry *t = syscall_table(ABI_X86_64, &count);

	for (int i = 0; i < count && c->rc == 0; i++) {
		const struct syscall_entry *e = &t[i];
		bool granted;
		uint32_t pc = granting(c->p, e->name, &granted);
		int arg;

		if (!granted || (e->flags & SC_NEVER))
			continue; /* the default: a violation */
		if (needs_check(e, c->p, env)) {
			add(c, check, e->nr, e->name, 0, NULL);
			continue;
		}
		arg = deciding_arg(e);
		if (arg < 0)
			add(c, SCMP_ACT_ALLOW, e->nr, e->name, 0, NULL);
		else
			allow_constrained(c, e, arg, pc);
	}
	return c->rc;
}

int policy_compile(const struct policy *p, const struct compile_env *env, struct policy_filter *out, char *err,
		   size_t errsize)
{
	struct compiler c = { .p = p, .err = err, .errsize = errsize };

	memset(out, 0, sizeof(*out));
	/* Each ABI's filter passes the others' calls on; a gate in front kills unknown architectures. */
	for (enum abi abi = 0; abi < ABI_COUNT; abi++)
		out->ctx[abi] = filter_abi_context(abi, SCMP_ACT_TRACE(filter_trace_data(abi, false) | POLICY_DATA_VIOLATION),
						   SCMP_ACT_ALLOW, true);
	/* i386 and x32 calls are refused whatever the policy: the supervisor names the ABI in its report. */
	c.ctx = out->ctx[ABI_X86_64];
	if (compile_x86_64(&c, env) < 0) {
		policy_filter_free(out);
		return -1;
	}
	return 0;
}

void policy_filter_free(struct policy_filter *f)
{
	for (int i = 0; i < ABI_COUNT; i++)
		if (f->ctx[i])
			seccomp_release(f->ctx[i]);
	memset(f, 0, sizeof(*f));
}

int policy_filter_pfc(const struct policy_filter *f, FILE *out)
{
	fflush(out);
	for (int i = 0; i < ABI_COUNT; i++) {
		int rc = seccomp_export_pfc(f->ctx[i], fileno(out));

		if (rc < 0)
			return rc;
	}
	return 0;
}

int policy_filter_bpf(const struct policy_filter *f, enum abi abi, void **bytes, size_t *len)
{
	int fd = memfd_create("policy-bpf", MFD_CLOEXEC), rc = 0;
	struct stat st;

	if (fd < 0)
		return -errno;
	if (seccomp_export_bpf(f->ctx[abi], fd) < 0 || fstat(fd, &st) < 0 || st.st_size <= 0) {
		rc = -EIO;
	} else {
		*len = (size_t)st.st_size;
		*bytes = xmalloc(*len);
		if (pread(fd, *bytes, *len, 0) != (ssize_t)*len) {
			free(*bytes);
			rc = -EIO;
		}
	}
	close(fd);
	return rc;
}
