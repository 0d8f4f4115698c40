/* A policy's seccomp filters (include/policy_compile.h), with libseccomp. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "filter.h"
#include "landlock_rules.h"
#include "policy_compile.h"
#include "promises.h"
#include "util.h"

/* Namespaces and leaving the tracer: clone flags the sandbox never allows (CLONE_NEWTIME is in the signal byte). */
#define CLONE_FORBIDDEN                                                                                                 \
	((uint64_t)(CLONE_UNTRACED | CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |    \
		    CLONE_NEWPID | CLONE_NEWNET))

bool policy_clone_forbidden(uint64_t flags)
{
	return (flags & CLONE_FORBIDDEN) != 0;
}

static const uint64_t ioctl_stdio[] = { FIONREAD, FIONBIO, FIOCLEX, FIONCLEX, TCGETS, TIOCGWINSZ };
static const uint64_t ioctl_tty[] = { TCSETS,   TCSETSW,   TCSETSF, TIOCSWINSZ, TIOCGPGRP, TIOCSPGRP,
				      TCFLSH,   TCXONC,    TCSBRK,  TIOCGSID,   TIOCNOTTY, TIOCSCTTY };
/*
 * Cloning and deduplicating file ranges (cp's reflink probe, which coreutils
 * makes before every copy): harmless between files the program already has
 * open, but no promise names them. Answered as a file system without reflink
 * answers (EOPNOTSUPP, after which cp copies), not reported as a violation.
 */
static const uint64_t ioctl_absent[] = { FICLONE, FICLONERANGE, FIDEDUPERANGE };
static const uint64_t fcntl_stdio[] = { F_DUPFD,  F_DUPFD_CLOEXEC, F_GETFD,      F_SETFD,     F_GETFL,
					F_SETFL,  F_GETPIPE_SZ,    F_SETPIPE_SZ, F_GET_SEALS, F_ADD_SEALS,
					F_GETOWN, F_GETOWN_EX,     F_GETSIG,     F_SETSIG };
/* Who gets the descriptor's signals (SIGIO, F_SETSIG): the supervisor checks the owner is of the run. */
static const uint64_t fcntl_owner[] = { F_SETOWN, F_SETOWN_EX };
static const uint64_t fcntl_lock[] = { F_GETLK, F_SETLK, F_SETLKW, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW };
static const uint64_t prctl_self[] = {
	PR_SET_NAME,       PR_GET_NAME,          PR_SET_DUMPABLE,        PR_GET_DUMPABLE,   PR_SET_NO_NEW_PRIVS,
	PR_GET_NO_NEW_PRIVS, PR_SET_PDEATHSIG,   PR_GET_PDEATHSIG,       PR_GET_SECCOMP,    PR_SET_SECCOMP,
	PR_CAPBSET_READ,   PR_GET_TIMERSLACK,    PR_SET_TIMERSLACK,      PR_GET_KEEPCAPS,   PR_SET_THP_DISABLE,
	PR_GET_THP_DISABLE, PR_GET_CHILD_SUBREAPER, PR_SET_CHILD_SUBREAPER, PR_GET_TID_ADDRESS, 0x53564d41 /* PR_SET_VMA */,
};

#define KERNEL_O_TMPFILE 020000000

#define VALUES(kind, constraint, array) { kind, constraint, array, ARRAY_SIZE(array), false }
#define CHECKED_VALUES(kind, constraint, array) { kind, constraint, array, ARRAY_SIZE(array), true }

/* The values of a command-like argument each constraint allows (checked: after a look by the supervisor). */
static const struct {
	uint8_t kind;
	uint32_t constraint;
	const uint64_t *values;
	size_t n;
	bool checked;
} value_sets[] = {
	VALUES(K_IOCTL_CMD, PC_IOCTL_STDIO, ioctl_stdio), VALUES(K_IOCTL_CMD, PC_IOCTL_TTY, ioctl_tty),
	VALUES(K_FCNTL_CMD, PC_FCNTL_STDIO, fcntl_stdio), VALUES(K_FCNTL_CMD, PC_FCNTL_LOCK, fcntl_lock),
	CHECKED_VALUES(K_FCNTL_CMD, PC_FCNTL_STDIO, fcntl_owner), VALUES(K_PRCTL_OPTION, PC_PRCTL_SELF, prctl_self),
};

struct compiler {
	scmp_filter_ctx ctx;
	const struct scmp_arg_cmp *extra; /* added to every constrained rule (the pid a call names) */
	uint32_t seccomp_options; /* the action for prctl's seccomp options when the personality serves them, or 0 */
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

/* A rule with the compiler's extra comparison (if any) after the ones given. */
static void add_rule(struct compiler *c, uint32_t action, int nr, const char *name, unsigned n,
		     const struct scmp_arg_cmp *cmp)
{
	struct scmp_arg_cmp all[6];

	memcpy(all, cmp, n * sizeof(*cmp));
	if (c->extra)
		all[n++] = *c->extra;
	add(c, action, nr, name, n, all);
}

/* Take action when argument arg, masked, equals each of values[] (one rule each). */
static void allow_each(struct compiler *c, uint32_t action, int nr, const char *name, unsigned arg, uint64_t mask,
		       const uint64_t *values, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct scmp_arg_cmp cmp = SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, mask, values[i] & mask);

		add_rule(c, action, nr, name, 1, &cmp);
	}
}

/* Whether one of p's promises holds this call, and the union of those promises' constraints. */
static uint32_t granting(const struct policy *p, const struct syscall_entry *e, bool *granted)
{
	int count;
	const struct promise *t = promise_table(&count);
	uint64_t held = p->promises & syscall_promises(e);
	uint32_t constraints = 0;

	for (int i = 0; i < count; i++)
		if (held >> i & 1)
			constraints |= t[i].constraints;
	*granted = held != 0;
	return constraints;
}

/*
 * A granted call whose deciding argument is a register: action (ALLOW, or a
 * check stop when its memory must be looked at too) for the values its
 * promises allow; the other values fall to the default, a violation.
 */
static void allow_constrained(struct compiler *c, uint32_t action, const struct syscall_entry *e, int arg, uint32_t pc)
{
	unsigned a = (unsigned)arg;

	switch (e->args[arg].kind) { /* an int: only the kinds that decide are named */
	case K_PROT:
		if (pc & PC_PROT_EXEC) {
			add_rule(c, action, e->nr, e->name, 0, NULL);
		} else {
			/*
			 * Without prot_exec: no executable memory but what a file maps
			 * read-only (the dynamic loader's libraries), never writable and
			 * executable at once.
			 */
			uint64_t none = 0;
			allow_each(c, action, e->nr, e->name, a, PROT_EXEC, &none, 1);
			int flags = syscall_kind_arg(e, K_MMAP_FLAGS); /* mmap: a file's mapping */

			if (flags >= 0) {
				struct scmp_arg_cmp file_code[2] = {
					SCMP_CMP(a, SCMP_CMP_MASKED_EQ, PROT_EXEC | PROT_WRITE, PROT_EXEC),
					SCMP_CMP((unsigned)flags, SCMP_CMP_MASKED_EQ, MAP_ANONYMOUS, 0),
				};
				add_rule(c, action, e->nr, e->name, 2, file_code);
			}
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
		allow_each(c, action, e->nr, e->name, a, 0xffffffffu, domains, n);
		return;
	}
	case K_CLONE_FLAGS: {
		uint64_t kinds[2];
		size_t n = 0;
		if (pc & PC_CLONE_THREAD)
			kinds[n++] = CLONE_THREAD;
		if (pc & PC_CLONE_PROCESS)
			kinds[n++] = 0;
		allow_each(c, action, e->nr, e->name, a, CLONE_THREAD | CLONE_FORBIDDEN, kinds, n);
		return;
	}
	case K_IOCTL_CMD:
		if (pc & PC_IOCTL_STDIO)
			allow_each(c, SCMP_ACT_ERRNO(EOPNOTSUPP), e->nr, e->name, a, 0xffffffffu, ioctl_absent,
				   ARRAY_SIZE(ioctl_absent));
		/* fall through */
	case K_FCNTL_CMD:
	case K_PRCTL_OPTION:
		for (size_t i = 0; i < ARRAY_SIZE(value_sets); i++)
			if (value_sets[i].kind == e->args[arg].kind && (pc & value_sets[i].constraint))
				for (size_t k = 0; k < value_sets[i].n; k++) {
					uint64_t v = value_sets[i].values[k];
					/* The seccomp options stop for the supervisor, which checks the program's filters. */
					bool seccomp = (e->flags & SC_SECCOMP) && (v == PR_SET_SECCOMP || v == PR_GET_SECCOMP);
					uint32_t act = action;

					if (value_sets[i].checked)
						act = SCMP_ACT_TRACE(filter_trace_data(ABI_NATIVE, false) | POLICY_DATA_CHECK);
					else if (seccomp && c->seccomp_options && action == SCMP_ACT_ALLOW)
						act = c->seccomp_options;
					allow_each(c, act, e->nr, e->name, a, 0xffffffffu, &v, 1);
				}
		return;
	case K_RLIMIT_IN:
		if (pc & PC_RLIMIT_SET) {
			add_rule(c, action, e->nr, e->name, 0, NULL);
		} else {
			uint64_t none = 0;
			allow_each(c, action, e->nr, e->name, a, ~0ULL, &none, 1); /* no new value: a read */
		}
		return;
	case K_OPEN_FLAGS: {
		/* rpath: read only; wpath: write an existing file; cpath: create (anything) */
		/* glibc's __O_TMPFILE carries O_DIRECTORY too: the kernel's own bit alone */
		const uint64_t shape = O_ACCMODE | O_CREAT | O_TRUNC | KERNEL_O_TMPFILE;
		if (pc & PC_OPEN_CREATE) {
			add_rule(c, action, e->nr, e->name, 0, NULL);
			return;
		}
		if (pc & PC_OPEN_READ) {
			uint64_t ro = O_RDONLY;
			allow_each(c, action, e->nr, e->name, a, shape, &ro, 1);
		}
		if (pc & PC_OPEN_WRITE) {
			const uint64_t w[] = { O_RDONLY, O_WRONLY, O_RDWR, O_RDONLY | O_TRUNC, O_WRONLY | O_TRUNC,
					       O_RDWR | O_TRUNC };
			allow_each(c, action, e->nr, e->name, a, shape, w, ARRAY_SIZE(w));
		}
		return;
	}
	default:
		add_rule(c, action, e->nr, e->name, 0, NULL);
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
		case K_RLIMIT_IN:
			return i;
		default:
			break;
		}
	return -1;
}

/* Does the supervisor have to look at this call (its memory, or the run's state) before it may run? */
static bool needs_check(const struct syscall_entry *e, const struct compile_env *env)
{
	if (e->flags & SC_EXEC)
		return true;
	if (env->count_tasks && syscall_creates_task(e))
		return true;
	if (e->flags & FX_ATTR) /* no Landlock right covers modes, owners, times, xattrs */
		return true;
	if (env->translate_paths && syscall_carries_paths(e))
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
			if (env->check_sockaddrs)
				return true;
			break;
		default:
			break;
		}
	return false;
}

/*
 * The argument naming another process, for calls that act on one (wait4's pid
 * only picks among the caller's children): -1 if none. Such a call runs in
 * the kernel when it names the caller itself (0); any other pid stops for the
 * supervisor, which lets through only pids of the run. A pidfd (K_PIDFD)
 * always stops: the supervisor looks at the process it names.
 */
static int target_pid_arg(const struct syscall_entry *e)
{
	if (syscall_waits_for_children(e))
		return -1;
	for (int i = 0; i < syscall_nargs(e); i++)
		if (e->args[i].kind == K_PGID)
			return i; /* a group to join: always looked at, setpgid(0, pgid) too */
	for (int i = 0; i < syscall_nargs(e); i++)
		if (e->args[i].kind == K_PID || e->args[i].kind == K_PIDFD)
			return i;
	return -1;
}

void policy_compile_env(const struct policy *p, const struct landlock_plan *plan, struct compile_env *env)
{
	const unsigned all = PERM_R | PERM_W | PERM_X | PERM_C;
	bool everything = false, narrowed = false, proc_writable = false;

	for (size_t i = 0; i < p->npaths; i++) {
		const char *rp = p->paths[i].path;

		/*
		 * Writing /proc/PID/... acts on that process, which for one outside
		 * the run is refused in every mode (translate/sandbox/sandbox_proc.c): a rule
		 * that lets Landlock allow it makes the supervisor check paths.
		 */
		if ((p->paths[i].perms & (PERM_W | PERM_C)) &&
		    (strcmp(rp, "/") == 0 || (strncmp(rp, "/proc", 5) == 0 && (rp[5] == '\0' || rp[5] == '/'))))
			proc_writable = true;
		if (strcmp(p->paths[i].path, "/") == 0)
			everything = (p->paths[i].perms & all) == all;
		else if ((p->paths[i].perms & all) != all)
			narrowed = true;
	}
	everything = everything && !narrowed; /* no path can be refused */
	memset(env, 0, sizeof(*env));
	/* deny: Landlock refuses in the kernel. kill and log must see each refusal, so the supervisor checks first. */
	env->landlock_paths = !proc_writable &&
			      (everything || (plan->abi >= 1 && plan->paths_complete &&
					      (p->on_violation == VIOLATION_DENY || p->on_violation == VIOLATION_UNSET) &&
					      /* Landlock's refusals are seen only through the audit log: a run that must
					       * report each one checks itself where it cannot read it */
					      ((!p->see_all_refusals && !p->fail_on_violation) || plan->audited)));
	/* Unix socket paths are beyond Landlock (connect needs no file right): checked unless everything is allowed. */
	env->check_sockaddrs = p->net != NET_ANY || !everything;
	env->count_tasks = p->limit_set[LIMIT_PROCS];
	env->translate_paths = p->nmaps || p->ntmps;
}

/*
 * An owner change to the run's own user and group (-1: unchanged) is an
 * attribute change like a mode's (fattr): sed -i and install give a new file
 * the old one's owner, which is the caller's. Checked by the supervisor on the
 * object (write permission), as every attribute change is.
 */
static void allow_own_ids(struct compiler *c, uint32_t action, const struct syscall_entry *e,
			  const struct compile_env *env)
{
	const uint64_t users[] = { 0xffffffffu, env->run_uid }, groups[] = { 0xffffffffu, env->run_gid };
	int file = -1;

	for (int i = 0; i < syscall_nargs(e); i++)
		if (e->args[i].kind == K_PATH || e->args[i].kind == K_FD)
			file = i;
	if (file < 0 || file + 2 >= syscall_nargs(e))
		return;
	for (size_t u = 0; u < ARRAY_SIZE(users); u++)
		for (size_t g = 0; g < ARRAY_SIZE(groups); g++) {
			struct scmp_arg_cmp cmp[2] = {
				SCMP_CMP((unsigned)file + 1, SCMP_CMP_MASKED_EQ, 0xffffffffu, users[u]),
				SCMP_CMP((unsigned)file + 2, SCMP_CMP_MASKED_EQ, 0xffffffffu, groups[g]),
			};
			add_rule(c, action, e->nr, e->name, 2, cmp);
		}
}

static int compile_native(struct compiler *c, const struct compile_env *env)
{
	uint32_t check = SCMP_ACT_TRACE(filter_trace_data(ABI_NATIVE, false) | POLICY_DATA_CHECK);
	int count;
	const struct syscall_entry *t = syscall_table(ABI_NATIVE, &count);

	for (int i = 0; i < count && c->rc == 0; i++) {
		const struct syscall_entry *e = &t[i];
		bool granted;
		uint32_t pc = granting(c->p, e, &granted), action;
		int arg, pid_arg;

		if (e->flags & SC_NEVER)
			continue; /* the default: a violation */
		if (e->flags & SC_ALWAYS) {
			add(c, SCMP_ACT_ALLOW, e->nr, e->name, 0, NULL);
			continue;
		}
		if (!granted) {
			if (attr_op_of(e->flags) == ATTR_OWNER && c->p->promises & (1ULL << PROMISE_FATTR))
				allow_own_ids(c, check, e, env);
			continue;
		}
		action = needs_check(e, env) ? check : SCMP_ACT_ALLOW;
		arg = deciding_arg(e);
		/*
		 * What the personality serves itself (readlink of /proc/PID/exe, affinity,
		 * seccomp) stops for it when allowed; prctl only for its seccomp options.
		 */
		if (action == SCMP_ACT_ALLOW && (e->flags & env->personality_classes &
						 (arg >= 0 && e->args[arg].kind == K_PRCTL_OPTION ? ~(unsigned)SC_SECCOMP : ~0u)))
			action = SCMP_ACT_TRACE(filter_trace_data(ABI_NATIVE, true));
		pid_arg = target_pid_arg(e);
		if (pid_arg >= 0 && e->args[pid_arg].kind == K_PIDFD) {
			add(c, check, e->nr, e->name, 0, NULL);
			continue;
		}
		/*
		 * 0 names the caller itself when the pid comes first; kill(0) signals a
		 * whole group, and a later pid is qualified by another argument
		 * (setpriority(PRIO_USER, 0) is every process of the user).
		 */
		if (pid_arg == 0 && action == SCMP_ACT_ALLOW && arg < 0 && !(e->flags & CL_SIGNAL)) {
			struct scmp_arg_cmp self = SCMP_CMP(0, SCMP_CMP_EQ, 0), other = SCMP_CMP(0, SCMP_CMP_NE, 0);

			add(c, SCMP_ACT_ALLOW, e->nr, e->name, 1, &self);
			add(c, check, e->nr, e->name, 1, &other);
			continue;
		}
		if (pid_arg == 0 && action == SCMP_ACT_ALLOW && arg >= 0 && !(e->flags & CL_SIGNAL)) {
			struct scmp_arg_cmp self = SCMP_CMP(0, SCMP_CMP_EQ, 0), other = SCMP_CMP(0, SCMP_CMP_NE, 0);

			c->extra = &self;
			allow_constrained(c, SCMP_ACT_ALLOW, e, arg, pc);
			c->extra = &other;
			allow_constrained(c, check, e, arg, pc);
			c->extra = NULL;
			continue;
		}
		if (pid_arg >= 0)
			action = check;
		if (arg < 0)
			add(c, action, e->nr, e->name, 0, NULL);
		else
			allow_constrained(c, action, e, arg, pc);
	}
	return c->rc;
}

int policy_compile(const struct policy *p, const struct compile_env *env, struct policy_filter *out, char *err,
		   size_t errsize)
{
	struct compiler c = { .p = p, .err = err, .errsize = errsize };

	if (env->personality_classes & SC_SECCOMP)
		c.seccomp_options = SCMP_ACT_TRACE(filter_trace_data(ABI_NATIVE, true));

	memset(out, 0, sizeof(*out));
	out->ctx = filter_abi_context(
		ABI_NATIVE, SCMP_ACT_TRACE(filter_trace_data(ABI_NATIVE, false) | POLICY_DATA_VIOLATION),
		SCMP_ACT_TRACE(POLICY_DATA_OTHER_ABI | POLICY_DATA_VIOLATION), true);
	if (!out->ctx) {
		snprintf(err, errsize, "cannot build the seccomp filter: %s", filter_error());
		return -1;
	}
	c.ctx = out->ctx;
	if (compile_native(&c, env) < 0) {
		policy_filter_free(out);
		return -1;
	}
	return 0;
}

void policy_filter_free(struct policy_filter *f)
{
	if (f->ctx)
		seccomp_release(f->ctx);
	memset(f, 0, sizeof(*f));
}

int policy_filter_pfc(const struct policy_filter *f, FILE *out)
{
	fflush(out);
	return seccomp_export_pfc(f->ctx, fileno(out));
}

int policy_filter_bpf(const struct policy_filter *f, void **bytes, size_t *len)
{
	int fd = memfd_create("policy-bpf", MFD_CLOEXEC), rc = 0;
	struct stat st;

	if (fd < 0)
		return -errno;
	if (seccomp_export_bpf(f->ctx, fd) < 0 || fstat(fd, &st) < 0 || st.st_size <= 0) {
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
