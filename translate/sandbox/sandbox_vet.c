/*
 * The policy's word on a Linux call another personality writes in the
 * program's place (include/sandbox.h, sandbox_vet_call). Such a call is put
 * into the thread's registers at a stop, and when the thread goes on the
 * kernel runs the filters again, where a stop (SECCOMP_RET_TRACE) counts as
 * allowed: the sandbox personality never sees it. So the call is judged here
 * first, by the same rules: the policy's own filter run on its registers,
 * then, for a call the filter hands to the supervisor, the check of the
 * socket address it names. A refusal is reported like a Linux program's and
 * on-violation applies. The NT thread's personality state is not the
 * sandbox's, so nothing here touches a thread's state or a call's verdict.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "arch.h"
#include "promises.h"
#include "sandbox_internal.h"
#include "seccomp_bpf.h"
#include "tracee.h"
#include "util.h"

/* The policy's filter, as the kernel runs it (made once). */
static const struct sock_filter *policy_prog(size_t *len)
{
	static void *bytes;
	static size_t n;

	if (!bytes && policy_filter_bpf(&sandbox_get()->filter, &bytes, &n) < 0)
		return NULL;
	*len = n / sizeof(struct sock_filter);
	return bytes;
}

/* Report the refusal and apply on-violation: 0 when it lets the call run (log), else -err. */
static int refuse(struct tracee *t, const struct syscall_stop *s, int err, bool hard, const char *rule)
{
	enum on_violation mode = sandbox_get()->policy.on_violation;
	enum host_refusal how = mode == VIOLATION_KILL  ? HOST_REFUSAL_KILLED
				: mode == VIOLATION_LOG ? (hard ? HOST_REFUSAL_DENIED : HOST_REFUSAL_LOGGED)
							: HOST_REFUSAL_DENIED;

	host_report_refusal(t, s, NULL, rule, how, err);
	if (how == HOST_REFUSAL_LOGGED)
		return 0;
	if (how == HOST_REFUSAL_KILLED)
		host_end_run_violation();
	return -err;
}

/* A call the filter refuses: the rule, as the sandbox personality words it. */
static int violation(struct tracee *t, const struct syscall_stop *s)
{
	const struct policy *p = &sandbox_get()->policy;
	const struct syscall_entry *e = s->entry;
	int count;
	const struct promise *table = promise_table(&count);
	uint32_t mine = e ? syscall_promises(e) : 0;
	char have[256] = "", rule[400];
	size_t n = 0;

	if (!e)
		return refuse(t, s, ENOSYS, true, "system call unknown to picovisor: never allowed");
	if (e->flags & SC_NEVER) {
		snprintf(rule, sizeof(rule), "%s is never allowed in the sandbox", e->name);
		return refuse(t, s, EPERM, true, rule);
	}
	for (int i = 0; i < count; i++)
		if (mine >> i & 1)
			n += (size_t)snprintf(have + n, n < sizeof(have) ? sizeof(have) - n : 0, "%s%s", n ? ", " : "",
					      table[i].name);
	if (mine & p->promises)
		snprintf(rule, sizeof(rule), "%s with these arguments is beyond what the policy's promises allow for it "
			 "(the promises that have %s: %s)", e->name, e->name, have);
	else
		snprintf(rule, sizeof(rule), "no promise of the policy allows %s%s%s%s", e->name, have[0] ? " (promise " : "",
			 have, have[0] ? " would)" : "");
	return refuse(t, s, EPERM, false, rule);
}

/* A call the filter hands over for a look at its memory: only socket addresses are vetted here. */
static int check(struct tracee *t, const struct syscall_stop *s, const uint64_t args[6])
{
	const struct syscall_entry *e = s->entry;
	struct sockaddr_storage ss;
	char why[160];

	for (int i = 0; e && i + 1 < syscall_nargs(e); i++) {
		uint64_t len = args[i + 1];

		if (e->args[i].kind != K_SOCKADDR_IN)
			continue;
		if (!args[i])
			return 0; /* no address: the connected peer */
		if (len > sizeof(ss))
			len = sizeof(ss);
		memset(&ss, 0, sizeof(ss));
		if (len < sizeof(sa_family_t) || tracee_read(host_tid(t), args[i], &ss, len) < (ssize_t)len)
			return -EFAULT;
		if (ss.ss_family != AF_INET && ss.ss_family != AF_INET6)
			return refuse(t, s, EPERM, true, "a socket address of a family other than inet, from an NT program");
		if (!sandbox_inet_refusal(&ss, (e->flags & SC_LOCAL_ADDR) != 0, why, sizeof(why)))
			return 0;
		return refuse(t, s, EACCES, false, why);
	}
	snprintf(why, sizeof(why), "%s would need a check picovisor does not make for the calls it writes",
		 e ? e->name : "the call");
	return refuse(t, s, EPERM, true, why);
}

int sandbox_vet_call(struct tracee *t, long nr, const uint64_t args[6])
{
	struct sandbox *sb = sandbox_get();
	struct seccomp_data d = { .nr = (int)nr, .arch = ARCH_AUDIT_NATIVE };
	struct verdict v = { .kind = VERDICT_RESUME };
	struct syscall_stop s = { .abi = ABI_NATIVE, .nr = nr, .verdict = &v };
	const struct sock_filter *prog;
	size_t len;
	uint32_t ret;

	if (!sb)
		return 0;
	prog = policy_prog(&len);
	if (!prog)
		return -ENOMEM;
	for (int i = 0; i < 6; i++)
		d.args[i] = args[i];
	ret = seccomp_bpf_run(prog, len, &d);
	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW:
	case SECCOMP_RET_LOG:
		return 0;
	case SECCOMP_RET_ERRNO:
		return -(int)(ret & SECCOMP_RET_DATA);
	case SECCOMP_RET_TRACE:
		break;
	default:
		return -EPERM; /* the policy's filter kills or traps nothing native: fail closed */
	}
	sb->calls_checked++;
	s.entry = syscall_lookup(ABI_NATIVE, (int)nr);
	s.data = ret & SECCOMP_RET_DATA;
	if (regs_get(host_tid(t), &s.regs) < 0)
		return -ESRCH;
	regs_set_syscall_nr(&s.regs, nr);
	for (int i = 0; i < 6; i++)
		regs_set_arg(&s.regs, ABI_NATIVE, i, args[i]);
	if (s.data & POLICY_DATA_VIOLATION)
		return violation(t, &s);
	if (s.data & POLICY_DATA_CHECK)
		return check(t, &s, args);
	return 0; /* stopped for a personality or the trace: allowed */
}
