/* The host operations personalities are given (include/host.h), over the event loop's tables. */
#define _GNU_SOURCE
#include <string.h>

#include "event_loop.h"
#include "host.h"
#include "options.h"
#include "proc_links.h"
#include "run_report.h"
#include "util.h"

static struct host_facts facts;

void host_facts_set(const struct run_options *o)
{
	facts.quiet = o->quiet;
	facts.kernel_loader = o->kernel_loader;
	facts.may_set_exe = o->may_set_exe;
	facts.share_tty = o->share_tty;
	facts.trace_strsize = o->trace_strsize;
}

const struct host_facts *host_facts(void)
{
	return &facts;
}

pid_t host_tid(const struct tracee *t)
{
	return t->tid;
}

pid_t host_tgid(const struct tracee *t)
{
	return t->proc ? t->proc->tgid : t->tid;
}

bool host_task_in_run(pid_t pid)
{
	return tracee_find(pid) != NULL;
}

const char *host_exe_link(struct tracee *t, const char *path)
{
	struct pico_process *owner = exe_link_owner(t, path);

	return owner ? owner->exe_path : NULL;
}

void host_report_refusal(struct tracee *t, const struct syscall_stop *s, const char *path, const char *rule,
			 enum host_refusal how, int err)
{
	static const enum refusal_action action[] = {
		[HOST_REFUSAL_DENIED] = ACTION_DENIED,
		[HOST_REFUSAL_KILLED] = ACTION_KILLED,
		[HOST_REFUSAL_LOGGED] = ACTION_LOGGED,
	};

	run_report_violation(t, s, path, rule, action[how], err);
}

void host_say_refused(struct tracee *t, const char *why, int err)
{
	if (!facts.quiet)
		warn("refused: process %d: %s; the call fails with %s", host_tgid(t), why, strerror(err));
}

void host_end_run_violation(void)
{
	run_end_request(RUN_END_VIOLATION);
}
