/* The seccomp filters picovisor installed, and their verdict at a stop (tracer/run/own_filters.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "event_loop.h"
#include "filter.h"
#include "options.h"
#include "own_filters.h"
#include "sandbox.h"
#include "tracee.h"
#include "util.h"

struct filter_chain *filter_chain_push(struct filter_chain *prev, const void *bytes, size_t len)
{
	struct filter_chain *c = xcalloc(1, sizeof(*c));
	struct sock_filter *insns = xmalloc(len);

	memcpy(insns, bytes, len);
	c->prog.insns = insns;
	c->prog.len = len / sizeof(struct sock_filter);
	c->prev = prev;
	c->refs = 1;
	return c;
}

struct filter_chain *filter_chain_ref(struct filter_chain *c)
{
	if (c)
		c->refs++;
	return c;
}

void filter_chain_unref(struct filter_chain *c)
{
	while (c && --c->refs == 0) {
		struct filter_chain *prev = c->prev;

		free((void *)c->prog.insns);
		free(c);
		c = prev;
	}
}

uint32_t filter_chain_verdict(const struct filter_chain *c, const struct seccomp_data *d)
{
	uint32_t ret = SECCOMP_RET_ALLOW;

	/* Newest first, as the kernel walks them: an older filter replaces only a strictly stronger action. */
	for (; c; c = c->prev) {
		uint32_t cur = seccomp_bpf_run(c->prog.insns, c->prog.len, d);

		if (seccomp_action_rank(cur) < seccomp_action_rank(ret))
			ret = cur;
	}
	return ret;
}

static struct filter_chain *run_chain;
static bool run_nnp;

void own_filters_add_run(const void *bytes, size_t len, bool nnp)
{
	const char *why;

	if (seccomp_bpf_check(bytes, len / sizeof(struct sock_filter), &why) < 0)
		die("internal error: picovisor's own seccomp filter fails the checker: %s", why);
	run_chain = filter_chain_push(run_chain, bytes, len);
	run_nnp = run_nnp || nnp;
}

void own_filters_prepare(void *filter)
{
	const struct run_options *o = run_options();
	bool nnp = !o->may_skip_nnp || sandbox_get();
	void **bytes, *policy;
	size_t *lens, len;
	int n;

	/* The trace's (or linux personality's) filters first, the policy's on top: the newest wins a tie. */
	if (filter) {
		n = filter_export(filter, &bytes, &lens);
		if (n < 0)
			die("cannot build the seccomp filter: libseccomp could not export it");
		for (int i = 0; i < n; i++) {
			own_filters_add_run(bytes[i], lens[i], nnp);
			free(bytes[i]);
		}
		free(bytes);
		free(lens);
	}
	if (sandbox_get()) {
		if (policy_filter_bpf(&sandbox_get()->filter, &policy, &len) < 0)
			die("cannot build the seccomp filter: libseccomp could not export the policy's");
		own_filters_add_run(policy, len, nnp);
		free(policy);
	}
}

struct filter_chain *own_filters_run_chain(void)
{
	return filter_chain_ref(run_chain);
}

static int install_chain(const struct filter_chain *c)
{
	struct sock_fprog prog;

	if (!c)
		return 0;
	if (install_chain(c->prev) < 0) /* oldest first */
		return -errno;
	prog.len = (unsigned short)c->prog.len;
	prog.filter = (struct sock_filter *)c->prog.insns;
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0 ? -errno : 0;
}

int own_filters_install_run(void)
{
	if (run_nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	return install_chain(run_chain);
}

bool own_filters_foreign_at_start(void)
{
	static int mode = -1;

	if (mode < 0) /* the supervisor's own: what its children inherit before picovisor's go in */
		mode = prctl(PR_GET_SECCOMP, 0, 0, 0, 0) > 0;
	return mode;
}

int own_filters_decide(struct tracee *t, uint32_t *data)
{
	struct seccomp_data d;
	uint32_t verdict;
	tracee_regs r;

	if (!t->foreign_filters && !own_filters_foreign_at_start()) {
		/*
		 * Every filter of this thread is picovisor's (none came before the run,
		 * and no install of the program's has been let run): the word the
		 * kernel reports is the newest of picovisor's TRACE verdicts, which is
		 * what running them here would give. One cheap ptrace call.
		 */
		unsigned long word = 0;

		if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &word) < 0) {
			tracee_resume(t, 0);
			return -1;
		}
		*data = (uint32_t)word & SECCOMP_RET_DATA;
		return 0;
	}
	if (tracee_seccomp_data(t->tid, &d) < 0) {
		tracee_resume(t, 0); /* gone meanwhile: its death is reported next */
		return -1;
	}
	verdict = filter_chain_verdict(t->filters, &d);
	if ((verdict & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_TRACE) {
		*data = verdict & SECCOMP_RET_DATA;
		return 0;
	}
	if (!t->proc->loaded) {
		/* picovisor's own child, before its exec, with part of the run's filters in: nothing to decide. */
		tracee_resume(t, 0);
		return -1;
	}
	/*
	 * None of picovisor's filters asked for this stop: a filter of the
	 * program's (or one it inherited from before picovisor) did, and without a
	 * tracer of its own the kernel fails such a call with ENOSYS.
	 */
	if (regs_get(t->tid, &r) == 0) {
		regs_set_syscall_nr(&r, -1);
		regs_set_retval(&r, -ENOSYS);
		regs_set(t->tid, &r);
	}
	tracee_resume(t, 0);
	return -1;
}
