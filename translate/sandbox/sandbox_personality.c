/*
 * The sandbox personality: the Linux ABI under a policy. The filters compiled
 * from the policy let through what needs no inspection; this personality sees
 * the rest: violations (reported, then denied, killed or logged), and calls
 * whose deciding arguments are in memory or in the run's state (exec images,
 * paths Landlock does not decide, socket addresses, other processes, the
 * process limit). Once allowed, a call is served as the linux personality
 * serves it (execs through picovisor's loader).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "arch.h"
#include "host.h"
#include "../pathmap/guest_resolve.h"
#include "../pathmap/path_args.h"
#include "../pathmap/path_translate.h"
#include "promises.h"
#include "sandbox_internal.h"
#include "tracee.h"
#include "util.h"

/*
 * Serve a call the checks let through: an exec whose path was translated
 * starts its job with the program's registers and name; the rest as the
 * linux personality serves them.
 */
static void serve(struct tracee *t, const struct syscall_stop *s)
{
	struct path_exit *pe = sandbox_path_exit(t);

	if (pe && s->entry && (s->entry->flags & SC_EXEC)) {
		struct verdict *v = s->verdict;

		v->kind = VERDICT_EXEC; /* no exit stop: the job takes the thread */
		v->exec_has_program_regs = true;
		v->exec_program_regs = pe->orig;
		v->exec_name = pe->exec_name;
		pe->exec_name = NULL;
		path_exit_free(t);
		return;
	}
	linux_serve_call(t, s);
}

/* With a guest view, translate the call's paths first (ts: the call as translated). CHECK_DONE: answered. */
static enum check_result translate(struct tracee *t, const struct syscall_stop *s, struct syscall_stop *ts)
{
	*ts = *s;
	if (!path_translate_wanted(s->entry))
		return CHECK_PASS;
	return path_translate_enter(t, ts);
}

/* The process picovisor was asked to run, at its first exec: the program itself is always allowed. */
static bool is_launch(const struct tracee *t)
{
	return host_is_launch(t);
}

static bool has_path_arg(const struct syscall_entry *e)
{
	for (int i = 0; i < syscall_nargs(e); i++)
		if (e->args[i].kind == K_PATH)
			return true;
	return false;
}

/* The policy's promises (or all promises, when in_policy is false) that the call belongs to, as "a, b". */
static void promises_listing(const struct policy *p, const struct syscall_entry *e, bool in_policy, char *out,
			     size_t size)
{
	int count;
	const struct promise *table = promise_table(&count);
	uint32_t mine = syscall_promises(e);
	size_t n = 0;

	out[0] = '\0';
	for (int i = 0; i < count; i++)
		if ((mine >> i & 1) && (!in_policy || (p->promises >> i & 1)))
			n += (size_t)snprintf(out + n, n < size ? size - n : 0, "%s%s", n ? ", " : "", table[i].name);
}

/*
 * What is refused in every mode, on-violation log included (besides the calls
 * the table marks SC_NEVER and never_allowed_use): clone3, whose flags are in
 * memory (ENOSYS: C libraries fall back to clone, whose flags the filter
 * sees), and calls aimed at a process outside the run (by pid, by a
 * descriptor naming it, or as the owner of a descriptor's signals). s may be
 * rewritten into an equivalent call.
 */
static enum check_result refused_in_every_mode(struct tracee *t, struct syscall_stop *s)
{
	const struct syscall_entry *e = s->entry;

	for (int i = 0; i < syscall_nargs(e); i++)
		if (e->args[i].kind == K_CLONE_ARGS) {
			sandbox_fail_call(t, s, ENOSYS);
			return CHECK_DONE;
		}
	if (sandbox_check_pids(t, s) == CHECK_DONE || sandbox_check_pidfds(t, s) == CHECK_DONE ||
	    sandbox_check_owner(t, s) == CHECK_DONE)
		return CHECK_DONE;
	return CHECK_PASS;
}

/* A call let through without checks (the launch): translated, then served. */
static void serve_translated(struct tracee *t, const struct syscall_stop *s)
{
	struct syscall_stop ts;

	if (translate(t, s, &ts) == CHECK_DONE)
		return;
	serve(t, &ts);
}

/* A violation on-violation log lets go on: still never aimed outside the run. */
static void serve_logged(struct tracee *t, const struct syscall_stop *s)
{
	struct syscall_stop ts;

	if (translate(t, s, &ts) == CHECK_DONE || refused_in_every_mode(t, &ts) == CHECK_DONE)
		return;
	serve(t, &ts);
}

/* Uses of a granted call the sandbox refuses whatever the policy says. */
static const char *never_allowed_use(const struct syscall_stop *s)
{
	int flags = syscall_kind_arg(s->entry, K_CLONE_FLAGS), cmd = syscall_kind_arg(s->entry, K_IOCTL_CMD);

	if (flags >= 0 && policy_clone_forbidden(regs_arg(&s->regs, s->abi, flags)))
		return "clone with CLONE_UNTRACED or a namespace flag is never allowed in the sandbox";
	if (cmd >= 0 && ((unsigned)regs_arg(&s->regs, s->abi, cmd) == TIOCSTI ||
			 (unsigned)regs_arg(&s->regs, s->abi, cmd) == TIOCLINUX))
		return "ioctl TIOCSTI and TIOCLINUX (typing into a terminal) are never allowed in the sandbox";
	return NULL;
}

/* A call the filter refused: say which rule, and apply on-violation. */
static void on_violation(struct tracee *t, const struct syscall_stop *s)
{
	const struct policy *p = &sandbox_get()->policy;
	const struct syscall_entry *e = s->entry;
	char listing[256];
	const char *never;
	int err;

	if (s->abi != ABI_NATIVE) {
		sandbox_refuse(t, s, ENOSYS, true, NULL, "%s system calls are not allowed in the sandbox%s",
			       abi_name(s->abi), s->abi == ABI_I386 ? " (int 0x80 from 64-bit code)" : "");
		return;
	}
	if (!e) {
		sandbox_refuse(t, s, ENOSYS, true, NULL, "system call %ld is unknown to picovisor: never allowed", s->nr);
		return;
	}
	if (e->flags & SC_NEVER) {
		sandbox_refuse(t, s, EPERM, true, NULL, "%s is never allowed in the sandbox", e->name);
		return;
	}
	if ((e->flags & SC_EXEC) && is_launch(t)) {
		serve_translated(t, s); /* the program named on the command line */
		return;
	}
	err = has_path_arg(e) ? EACCES : EPERM;
	never = never_allowed_use(s);
	if (never) {
		sandbox_refuse(t, s, EPERM, true, NULL, "%s", never);
		return;
	}
	promises_listing(p, e, true, listing, sizeof(listing));
	if (listing[0]) {
		char others[256];

		promises_listing(p, e, false, others, sizeof(others));
		if (sandbox_refuse(t, s, err, false, NULL,
				   "%s with these arguments is beyond what the policy's promises (%s) allow for it "
				   "(the promises that have %s: %s)",
				   e->name, listing, e->name, others) == CHECK_PASS)
			serve_logged(t, s);
		return;
	}
	promises_listing(p, e, false, listing, sizeof(listing));
	if (sandbox_refuse(t, s, err, false, NULL, "no promise of the policy allows %s%s%s%s", e->name,
			   listing[0] ? " (promise " : "", listing, listing[0] ? " would)" : "") == CHECK_PASS)
		serve_logged(t, s);
}

/* fork, vfork, clone: within the run's process limit? */
static enum check_result count_task(struct tracee *t, const struct syscall_stop *s)
{
	struct sandbox *sb = sandbox_get();
	uint64_t limit = sb->policy.limit[LIMIT_PROCS];

	if ((uint64_t)(host_live_tasks() + sb->forks_in_flight) >= limit) {
		/* Like RLIMIT_NPROC: the fork fails, nothing is killed, whatever on-violation says. */
		host_report_refusal(t, s, NULL, "the run's process limit (limit procs)", HOST_REFUSAL_DENIED, EAGAIN);
		sandbox_fail_call(t, s, EAGAIN);
		return CHECK_DONE;
	}
	sb->forks_in_flight++;
	sandbox_set_fork_counted(t, true);
	s->verdict->want_exit = true;
	return CHECK_PASS;
}

/* A call the filter handed over for a look at what it points to. */
static void on_check(struct tracee *t, const struct syscall_stop *orig)
{
	const struct syscall_entry *e = orig->entry;
	struct sandbox *sb = sandbox_get();
	uint64_t open_flags;
	bool opens;
	struct syscall_stop translated, *s = &translated;

	if (!e) {
		linux_serve_call(t, orig);
		return;
	}
	/* Checks look at the translated call: host paths, in memory no other thread can change. */
	if (translate(t, orig, s) == CHECK_DONE)
		return;
	if (e->flags & SC_EXEC) {
		serve(t, s); /* the loader asks sandbox_check_image for each image it maps */
		return;
	}
	if (e->flags & FX_ATTR) {
		sandbox_serve_attr(t, s); /* checked and done on one object picovisor holds */
		return;
	}
	for (int i = 0; i < syscall_nargs(e); i++) {
		if (e->args[i].kind == K_OPEN_HOW) {
			if (sandbox_check_openat2(t, s) == CHECK_DONE)
				return;
			break;
		}
	}
	opens = path_call_opens(s, &open_flags);
	if (sb->supervisor_paths && sandbox_check_paths(t, s, opens, open_flags) == CHECK_DONE)
		return;
	if (sandbox_check_sockaddr(t, s) == CHECK_DONE)
		return;
	if (refused_in_every_mode(t, s) == CHECK_DONE)
		return;
	if (sb->policy.limit_set[LIMIT_PROCS] && syscall_creates_task(e) && count_task(t, s) == CHECK_DONE)
		return;
	serve(t, s);
}

static void sandbox_syscall_enter(struct tracee *t, const struct syscall_stop *s)
{
	sandbox_get()->calls_checked++;
	if (s->data & POLICY_DATA_VIOLATION)
		on_violation(t, s);
	else if (s->data & POLICY_DATA_CHECK)
		on_check(t, s);
	else
		serve_translated(t, s);
}

/*
 * The exit of a call whose entry asked for it: a translated call gets the
 * program's registers back; a fork a process-limit check let through has
 * returned (its task, if any, is counted as live now).
 */
static void sandbox_syscall_exit(struct tracee *t, struct verdict *v)
{
	if (sandbox_path_exit(t))
		path_translate_exit(t, v);
	if (sandbox_fork_counted(t)) {
		sandbox_set_fork_counted(t, false);
		sandbox_get()->forks_in_flight--;
	}
}

static int sandbox_signal(struct tracee *t, int sig)
{
	(void)t;
	return sig;
}

static void sandbox_exit_thread(struct tracee *t)
{
	path_exit_free(t);
	if (sandbox_fork_counted(t)) { /* died inside a counted fork */
		sandbox_set_fork_counted(t, false);
		sandbox_get()->forks_in_flight--;
	}
}

static void sandbox_exit_process(struct pico_process *p, int wait_status)
{
	(void)wait_status;
	dirents_forget(host_process_tgid(p));
}

/* An interpreter an exec names (#!, PT_INTERP): its host path in the guest view. */
static int sandbox_image_path(struct tracee *t, const char *path, char *host, size_t size)
{
	struct guest_resolved *res;
	struct guest_lookup q = { host_tid(t), host_tgid(t), AT_FDCWD, path, true, 0 };
	int rc;

	if (!guest_view()) {
		if (strlen(path) >= size)
			return -ENAMETOOLONG;
		strcpy(host, path);
		return 0;
	}
	if (!path[0])
		return -ENOENT;
	res = xmalloc(sizeof(*res));
	rc = guest_resolve(guest_view(), &q, res);
	if (rc == 0 && strlen(res->host) >= size)
		rc = -ENAMETOOLONG;
	if (rc == 0)
		strcpy(host, res->host);
	free(res);
	return rc;
}

static int sandbox_image_allowed(struct tracee *t, int fd, const char *role)
{
	if (is_launch(t))
		return 0;
	return sandbox_check_image(t, fd, role);
}

/* A call the supervisor will not let run (a program's seccomp filter that would speak for picovisor's). */
static void sandbox_refuse_hard(struct tracee *t, const struct syscall_stop *s, int err, const char *rule)
{
	sandbox_refuse(t, s, err, true, NULL, "%s", rule);
}

const struct personality personality_sandbox = {
	.name = "sandbox",
	.syscall_enter = sandbox_syscall_enter,
	.signal = sandbox_signal,
	.exit_thread = sandbox_exit_thread,
	.exit_process = sandbox_exit_process,
	.trapped_classes = linux_trapped_classes,
	.syscall_exit = sandbox_syscall_exit,
	.image_allowed = sandbox_image_allowed,
	.image_path = sandbox_image_path,
	.refuse = sandbox_refuse_hard,
};
