/* The host operations personalities are given (include/host.h), over the event loop's tables. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "cosched.h"
#include "event_loop.h"
#include "host.h"
#include "options.h"
#include "proc_links.h"
#include "run_report.h"
#include "scratch.h"
#include "signal_send.h"
#include "trace.h"
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

bool host_tracing(void)
{
	return trace_enabled();
}

pid_t host_tid(const struct tracee *t)
{
	return t->tid;
}

pid_t host_tgid(const struct tracee *t)
{
	return t->proc ? t->proc->tgid : t->tid;
}

pid_t host_process_tgid(const struct pico_process *p)
{
	return p->tgid;
}

bool host_task_in_run(pid_t pid)
{
	return tracee_find(pid) != NULL;
}

struct tracee *host_find_thread(pid_t tid)
{
	return tracee_find(tid);
}

int host_signal_thread(struct tracee *t, int sig)
{
	return signal_send_thread(host_tgid(t), host_tid(t), sig);
}

pid_t host_tgid_of(pid_t tid)
{
	struct tracee *t = tracee_find(tid);

	return t ? host_tgid(t) : 0;
}

struct each_task {
	void (*fn)(pid_t tid, void *ctx);
	void *ctx;
};

static void each_task(struct tracee *t, void *ctx)
{
	struct each_task *e = ctx;

	e->fn(t->tid, e->ctx);
}

void host_for_each_task(void (*fn)(pid_t tid, void *ctx), void *ctx)
{
	struct each_task e = { fn, ctx };

	tracee_for_each(each_task, &e);
}

int host_live_tasks(void)
{
	return tracee_live_count();
}

bool host_is_launch(const struct tracee *t)
{
	return t->proc->is_main && !t->proc->loaded;
}

int host_process_pidfd(const struct tracee *t)
{
	return t->proc->target.pidfd;
}

void *host_thread_state(const struct tracee *t)
{
	return t->pers_state;
}

void host_set_thread_state(struct tracee *t, void *state)
{
	t->pers_state = state;
}

void *host_process_state(const struct tracee *t)
{
	return t->proc->pers_state;
}

void host_set_process_state(struct tracee *t, void *state)
{
	t->proc->pers_state = state;
}

void *host_process_state_of(const struct pico_process *p)
{
	return p->pers_state;
}

void host_set_process_state_of(struct pico_process *p, void *state)
{
	p->pers_state = state;
}

int host_process_threads(const struct tracee *t)
{
	return t->proc->nthreads;
}

void host_set_personality(struct tracee *t, const struct personality *pers)
{
	t->proc->pers = pers;
	if (pers->sees_every_call && t->proc->is_main)
		cosched_start(); /* its start is all stops (tracer/run/cosched.c) */
}

void host_file_opened(struct tracee *t, int fd)
{
	cosched_fd_opened(t, fd);
}

void host_set_process_status(struct tracee *t, uint32_t status, bool first_only)
{
	if (first_only && t->proc->has_nt_status)
		return;
	t->proc->has_nt_status = true;
	t->proc->nt_status = status;
}

bool host_process_status(const struct tracee *t, uint32_t *status)
{
	if (!t->proc || !t->proc->has_nt_status)
		return false;
	*status = t->proc->nt_status;
	return true;
}

bool host_scratch_overlaps(const struct tracee *t, uint64_t addr, size_t len)
{
	const struct scratch_area *a = t->proc->scratch;

	return a && a->addr && addr < a->addr + SCRATCH_SIZE && a->addr < addr + len;
}

uint64_t host_scratch_slot(struct tracee *t, uint64_t sp, int *err)
{
	return scratch_slot(t, sp, err);
}

int host_scratch_write(struct tracee *t, uint64_t addr, const void *buf, size_t len)
{
	return scratch_write(t, addr, buf, len);
}

bool host_scratch_contains(const struct tracee *t, uint64_t addr)
{
	return scratch_contains(t, addr);
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

/* The personalities' tick: a timer signal that interrupts the event loop's wait (which then ticks them). */
#define HOST_TICK_SIGNAL (SIGRTMIN + 4) /* cosched has +2, run limits +3 */

static volatile sig_atomic_t tick_due;

static void on_host_tick(int sig)
{
	(void)sig;
	tick_due = 1; /* and the interrupted waitpid (no SA_RESTART) has the loop tick */
}

bool host_tick_take(void)
{
	bool due = tick_due;

	tick_due = 0;
	return due;
}

void host_tick_every(long period_ns)
{
	static timer_t timer;
	static bool have_timer;
	static long period;
	struct itimerspec its = { { 0, period_ns }, { 0, period_ns } };

	if (!have_timer) {
		struct sigaction sa;
		struct sigevent ev;

		if (!period_ns)
			return;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_host_tick; /* no SA_RESTART: the event loop's waitpid returns EINTR */
		sigaction(HOST_TICK_SIGNAL, &sa, NULL);
		memset(&ev, 0, sizeof(ev));
		ev.sigev_notify = SIGEV_SIGNAL;
		ev.sigev_signo = HOST_TICK_SIGNAL;
		if (timer_create(CLOCK_MONOTONIC, &ev, &timer) < 0) {
			/* Not the supervisor's end: timed waits are then looked at on the run's next event only. */
			warn("cannot create the timer of timed waits (timeouts end late): %s", strerror(errno));
			return;
		}
		have_timer = true;
	}
	if (period_ns != period)
		timer_settime(timer, 0, &its, NULL);
	period = period_ns;
}

int host_in_directory(int dirfd, int (*fn)(void *ctx), void *ctx)
{
	int own = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC), ret;

	if (own < 0)
		return -errno;
	ret = fchdir(dirfd) < 0 ? -errno : fn(ctx);
	/* The supervisor's own cwd names the files its user gave (a report written at the end): it must come back. */
	if (fchdir(own) < 0)
		die("cannot return to picovisor's own working directory: %s", strerror(errno));
	close(own);
	return ret;
}
