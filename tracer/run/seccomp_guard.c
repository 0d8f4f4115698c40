/* The program's own seccomp calls (seccomp_guard.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "arch.h"
#include "event_loop.h"
#include "filter.h"
#include "own_filters.h"
#include "personality.h"
#include "sandbox.h"
#include "scratch.h"
#include "seccomp_guard.h"
#include "signal_send.h"
#include "trace.h"
#include "tracee.h"
#include "util.h"

/* seccomp(2)'s filter flags this kernel interface knows (linux/seccomp.h, up to WAIT_KILLABLE_RECV). */
#define KNOWN_FILTER_FLAGS 0x3fu
#define FLAG_TSYNC 1u
#define FLAG_NEW_LISTENER 8u

/* A filter install in flight, finished at its exit stop. */
struct seccomp_install {
	tracee_regs orig; /* the program's registers, given back at the exit when restore */
	bool restore;
	bool strict;      /* picovisor's stand-in for strict mode */
	unsigned flags;   /* seccomp(2)'s flags */
};

/* What a call asks. REQ_UNKNOWN: an operation or mode this kernel interface does not know (a newer one could
 * install something): EINVAL, as the kernel picovisor was written for answers. */
enum request { REQ_OTHER, REQ_UNKNOWN, REQ_GET_MODE, REQ_STRICT, REQ_FILTER };

struct call {
	enum request req;
	bool prctl;     /* prctl(PR_SET_SECCOMP) rather than seccomp(2) */
	unsigned flags; /* seccomp(2)'s; 0 for prctl */
	uint64_t uargs; /* the struct sock_fprog */
};

/* Where picovisor's decisions rest on filters: the program's filters are checked there. */
static bool checking(void)
{
	return sandbox_get() || trace_enabled();
}


static struct call decode(const struct syscall_stop *s)
{
	int opt = syscall_arg_index(s->abi, s->entry, K_PRCTL_OPTION);
	struct call c = { REQ_OTHER, opt >= 0, 0, 0 };

	if (c.prctl) {
		int option = (int)regs_arg(&s->regs, s->abi, opt);
		uint64_t mode = regs_arg(&s->regs, s->abi, 1);

		if (option == PR_GET_SECCOMP)
			c.req = REQ_GET_MODE;
		else if (option == PR_SET_SECCOMP && mode == SECCOMP_MODE_STRICT)
			c.req = REQ_STRICT; /* the filter argument is ignored, as the kernel ignores it */
		else if (option == PR_SET_SECCOMP && mode == SECCOMP_MODE_FILTER) {
			c.req = REQ_FILTER;
			c.uargs = regs_arg(&s->regs, s->abi, 2);
		} else if (option == PR_SET_SECCOMP)
			c.req = REQ_UNKNOWN;
		return c;
	}
	c.flags = (unsigned)regs_arg(&s->regs, s->abi, 1);
	c.uargs = regs_arg(&s->regs, s->abi, 2);
	switch ((unsigned)regs_arg(&s->regs, s->abi, 0)) {
	case SECCOMP_SET_MODE_STRICT:
		if (c.flags == 0 && c.uargs == 0) /* otherwise EINVAL, from the kernel */
			c.req = REQ_STRICT;
		break;
	case SECCOMP_SET_MODE_FILTER:
		c.req = REQ_FILTER;
		break;
	case SECCOMP_GET_ACTION_AVAIL:
	case SECCOMP_GET_NOTIF_SIZES:
		break; /* they install nothing: the kernel answers */
	default:
		c.req = REQ_UNKNOWN;
		break;
	}
	return c;
}

/* The call does not run: the program's registers, rax = ret (the event loop carries it out). */
static int answer(struct tracee *t, const struct syscall_stop *s, long ret)
{
	(void)t;
	verdict_answer(s, ret);
	return 0;
}

/* Run the call as it is (the kernel answers, or installs what it reads), seeing its exit if in. */
static int pass(struct tracee *t, struct seccomp_install *in)
{
	if (in) {
		t->seccomp_install = in;
		t->resume = RESUME_SYSCALL;
	}
	return 0;
}

/*
 * Write a sock_fprog and its instructions where the program cannot change
 * them: the thread's span of the sealed scratch area, or (only for
 * picovisor's own strict filter, in an image without an area) below the
 * red zone of the stopped thread's stack. The address of the fprog, or 0.
 */
static uint64_t place_filter(struct tracee *t, const struct syscall_stop *s, const void *insns, size_t len, int *err)
{
	size_t n = len / sizeof(struct sock_filter);
	bool compat = arch_abi_info(s->abi) && arch_abi_info(s->abi)->ptr32;
	size_t head = 16;
	uint64_t at;
	unsigned char fprog[16];

	if (t->proc->scratch && t->proc->scratch->addr)
		at = scratch_span(t, head + len, err);
	else
		at = (regs_sp(&s->regs) - 128 - head - len) & ~15UL;
	if (!at)
		return 0;
	if (compat && at + head + len > 0xffffffffULL) {
		*err = -ENOSYS; /* int 0x80 passes a 32-bit pointer: nowhere to put a copy it can name */
		return 0;
	}
	memset(fprog, 0, sizeof(fprog));
	memcpy(fprog, &(uint16_t){ (uint16_t)n }, 2);
	if (compat)
		memcpy(fprog + 4, &(uint32_t){ (uint32_t)(at + head) }, 4);
	else
		memcpy(fprog + 8, &(uint64_t){ at + head }, 8);
	if (scratch_write(t, at + head, insns, len) < 0 || scratch_write(t, at, fprog, sizeof(fprog)) < 0) {
		*err = -EFAULT;
		return 0;
	}
	return at;
}

/* Point the call at a filter picovisor placed, as a filter install (strict mode becomes one). */
static void point_at(const struct syscall_stop *s, const struct call *c, tracee_regs *r, uint64_t fprog)
{
	if (c->prctl) {
		regs_set_arg(r, s->abi, 1, SECCOMP_MODE_FILTER);
		regs_set_arg(r, s->abi, 2, fprog);
	} else {
		regs_set_arg(r, s->abi, 0, SECCOMP_SET_MODE_FILTER);
		regs_set_arg(r, s->abi, 2, fprog);
	}
}

static int rewrite_and_run(struct tracee *t, const struct syscall_stop *s, const struct call *c, uint64_t fprog,
			   bool strict)
{
	struct seccomp_install *in = xcalloc(1, sizeof(*in));
	tracee_regs r = s->regs;

	in->orig = s->regs;
	in->restore = true;
	in->strict = strict;
	in->flags = strict ? 0 : c->flags;
	point_at(s, c, &r, fprog);
	verdict_set_regs(s, &r);
	return pass(t, in);
}

static int serve_strict(struct tracee *t, const struct syscall_stop *s, const struct call *c)
{
	void *bytes;
	size_t len;
	uint64_t at;
	int err = 0;

	/* Natively a thread that has filters cannot enter strict mode. */
	if (own_filters_foreign_at_start() || t->program_filters)
		return answer(t, s, -EINVAL);
	filter_bpf_strict(&bytes, &len);
	at = place_filter(t, s, bytes, len, &err);
	free(bytes);
	if (!at)
		return answer(t, s, err);
	return rewrite_and_run(t, s, c, at, true);
}

int seccomp_guard_judge(const struct sock_filter *prog, size_t len, unsigned flags, const char **why)
{
	unsigned can;

	if (seccomp_bpf_check(prog, len, why) < 0)
		return -EINVAL;
	if (flags & FLAG_NEW_LISTENER) {
		*why = "a seccomp filter with a user-notification listener (SECCOMP_FILTER_FLAG_NEW_LISTENER) would let "
		       "the listener answer calls before picovisor sees them";
		return -EPERM;
	}
	can = seccomp_bpf_actions(prog, len);
	if (can & SECCOMP_CAN_ANYTHING) {
		*why = "a seccomp filter that returns a computed value (RET A) that cannot be proven free of "
		       "SECCOMP_RET_TRACE and SECCOMP_RET_USER_NOTIF is not installed";
		return -EPERM;
	}
	if (can & SECCOMP_CAN_USER_NOTIF) {
		*why = "a seccomp filter that can return SECCOMP_RET_USER_NOTIF would take calls away from picovisor";
		return -EPERM;
	}
	if (can & SECCOMP_CAN_TRACE) {
		*why = "a seccomp filter that can return SECCOMP_RET_TRACE would speak for picovisor's filters "
		       "(the kernel reports the newest filter's data word)";
		return -EPERM;
	}
	*why = NULL;
	return 0;
}

static void mark_foreign(struct tracee *o, void *ctx)
{
	if (o->proc == ctx)
		o->foreign_filters = true;
}

/*
 * A filter of the program's may go in from now on: before the call runs, so
 * that no stop of this thread (or of its siblings, with TSYNC) is ever taken
 * on trust while it may be there.
 */
static void expect_foreign(struct tracee *t, unsigned flags)
{
	if (flags & FLAG_TSYNC)
		tracee_for_each(mark_foreign, t->proc);
	else
		t->foreign_filters = true;
}

static int serve_filter(struct tracee *t, const struct syscall_stop *s, const struct call *c, const char **why)
{
	bool compat = arch_abi_info(s->abi) && arch_abi_info(s->abi)->ptr32;
	unsigned char head[16];
	struct sock_filter *prog = NULL;
	uint64_t ptr, at;
	uint16_t n;
	int rc, err = 0;

	if (!checking()) { /* no decision of picovisor's rests on filters: the program's own business */
		struct seccomp_install *in = xcalloc(1, sizeof(*in));

		in->flags = c->flags;
		expect_foreign(t, c->flags);
		return pass(t, in);
	}
	/* The kernel's order: the flags, the fprog, its length, then the instructions. */
	if (c->flags & ~KNOWN_FILTER_FLAGS)
		return answer(t, s, -EINVAL);
	if (tracee_read(t->tid, c->uargs, head, compat ? 8 : 16) < 0)
		return answer(t, s, -EFAULT);
	memcpy(&n, head, 2);
	if (compat) {
		uint32_t p32;
		memcpy(&p32, head + 4, 4);
		ptr = p32;
	} else {
		memcpy(&ptr, head + 8, 8);
	}
	if (n == 0 || n > SECCOMP_BPF_MAX_INSNS || ptr == 0) /* bpf_check_basics_ok */
		return answer(t, s, -EINVAL);
	prog = xmalloc(n * sizeof(*prog));
	if (tracee_read(t->tid, ptr, prog, n * sizeof(*prog)) != (ssize_t)(n * sizeof(*prog))) {
		rc = answer(t, s, -EFAULT);
		goto out;
	}
	rc = seccomp_guard_judge(prog, n, c->flags, why);
	if (rc == -EINVAL) {
		rc = answer(t, s, -EINVAL); /* the kernel would refuse it: not a violation */
		goto out;
	}
	if (rc < 0)
		goto out; /* refused: the caller says so */
	expect_foreign(t, c->flags);
	if ((!t->proc->scratch || !t->proc->scratch->addr) && sandbox_get()) {
		/* Only an image the kernel loaded (--kernel-loader) has none in a sandbox: no copy, no filter. */
		*why = "a seccomp filter cannot be copied where no other thread can change it (this image has no "
		       "sealed scratch area: --kernel-loader)";
		rc = -EPERM;
		goto out;
	}
	if (!t->proc->scratch || !t->proc->scratch->addr) {
		/* A trace without a policy: no sealed area in its images; the bytes checked are the program's (docs). */
		struct seccomp_install *in = xcalloc(1, sizeof(*in));

		in->flags = c->flags;
		rc = pass(t, in);
		goto out;
	}
	at = place_filter(t, s, prog, n * sizeof(*prog), &err);
	rc = at ? rewrite_and_run(t, s, c, at, false) : answer(t, s, err);
out:
	free(prog);
	return rc;
}

int seccomp_guard_enter(struct tracee *t, const struct syscall_stop *s, const char **why)
{
	struct call c = decode(s);

	*why = NULL;
	switch (c.req) {
	case REQ_GET_MODE:
		/* Natively 0 until the thread has a filter; picovisor's own do not count. */
		if (!own_filters_foreign_at_start() && !t->program_filters)
			return answer(t, s, SECCOMP_MODE_DISABLED);
		return pass(t, NULL);
	case REQ_STRICT:
		return serve_strict(t, s, &c);
	case REQ_FILTER:
		return serve_filter(t, s, &c, why);
	case REQ_UNKNOWN:
		return answer(t, s, -EINVAL);
	case REQ_OTHER:
		break;
	}
	return pass(t, NULL);
}

static void mark_program_filters(struct tracee *o, void *ctx)
{
	if (o->proc == ctx)
		o->program_filters = true;
}

void seccomp_guard_exit(struct tracee *t)
{
	struct seccomp_install *in = t->seccomp_install;
	tracee_regs r;
	long ret;
	bool in_place;

	t->seccomp_install = NULL;
	if (regs_get(t->tid, &r) < 0)
		goto out;
	ret = regs_retval(&r);
	if (in->restore) {
		tracee_regs o = in->orig;

		regs_set_retval(&o, ret);
		regs_set(t->tid, &o);
	}
	/* TSYNC's failure is the tid it could not sync (unless a listener's fd is the result). */
	in_place = ret == 0 || (ret > 0 && (in->flags & FLAG_NEW_LISTENER));
	if (!in_place)
		goto out;
	if (in->strict) {
		void *bytes;
		size_t len;

		filter_bpf_strict(&bytes, &len);
		t->filters = filter_chain_push(t->filters, bytes, len);
		free(bytes);
	} else if (in->flags & FLAG_TSYNC) {
		tracee_for_each(mark_program_filters, t->proc);
	} else {
		t->program_filters = true;
	}
out:
	free(in);
}

void seccomp_guard_abandon(struct tracee *t)
{
	free(t->seccomp_install);
	t->seccomp_install = NULL;
}

void seccomp_guard_strict_violation(struct tracee *t)
{
	struct seccomp_data d;
	enum abi abi;
	long nr;
	tracee_regs r;

	if (tracee_seccomp_data(t->tid, &d) < 0 || regs_get(t->tid, &r) < 0) {
		tracee_resume(t, 0);
		return;
	}
	nr = d.nr;
	abi = arch_abi_of_call(d.arch, &nr);
	if (abi == ABI_COUNT)
		abi = ABI_NATIVE;
	if (t->proc->nthreads > 1) {
		/* Strict mode ends the thread alone (do_exit(SIGKILL)): it leaves as if by _exit. */
		regs_set_syscall_nr(&r, syscall_number(abi, "exit"));
		regs_set_arg(&r, abi, 0, 0);
		regs_set(t->tid, &r);
		tracee_resume(t, 0);
		return;
	}
	regs_set_syscall_nr(&r, -1);
	regs_set_retval(&r, -ENOSYS);
	regs_set(t->tid, &r);
	signal_send(&t->proc->target, SIGKILL); /* the one thread: the process dies of SIGKILL, as natively */
	tracee_resume(t, 0);
}
