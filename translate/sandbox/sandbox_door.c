/*
 * The sandbox's one door: every answer, failure and refusal of a call is
 * written here into the call's verdict, and every refusal is reported here
 * (host.h) with the rule that made it. A leaf: the checks call it, it calls
 * back into nothing of the sandbox's.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>

#include "../pathmap/path_translate.h"
#include "sandbox_internal.h"

void sandbox_answer(struct tracee *t, const struct syscall_stop *s, long ret)
{
	const struct path_exit *pe = sandbox_path_exit(t);

	verdict_set_regs(s, pe ? &pe->orig : &s->regs); /* the program's own, if translated */
	verdict_answer(s, ret);
}

void sandbox_fail_call(struct tracee *t, const struct syscall_stop *s, int err)
{
	sandbox_answer(t, s, -err);
}

enum check_result sandbox_refuse(struct tracee *t, const struct syscall_stop *s, int err, bool hard, const char *path,
				 const char *rule_fmt, ...)
{
	enum on_violation mode = sandbox_get()->policy.on_violation;
	enum host_refusal action = mode == VIOLATION_KILL  ? HOST_REFUSAL_KILLED
				   : mode == VIOLATION_LOG ? (hard ? HOST_REFUSAL_DENIED : HOST_REFUSAL_LOGGED)
							   : HOST_REFUSAL_DENIED;
	char rule[600];
	va_list ap;

	va_start(ap, rule_fmt);
	vsnprintf(rule, sizeof(rule), rule_fmt, ap);
	va_end(ap);
	host_report_refusal(t, s, path, rule, action, err);
	switch (action) {
	case HOST_REFUSAL_LOGGED:
		return CHECK_PASS;
	case HOST_REFUSAL_KILLED:
		if (s)
			s->verdict->end_run = true;
		else
			host_end_run_violation(); /* no call to answer: an image an exec maps */
		break;
	case HOST_REFUSAL_DENIED:
		break;
	}
	if (s)
		sandbox_fail_call(t, s, err);
	return CHECK_DONE;
}
