/* The one waitpid loop of a run: see tracer/run/event_loop.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch.h"
#include "cosched.h"
#include "event_loop.h"
#include "landlock_audit.h"
#include "../load/exec_job.h"
#include "filter.h"
#include "host.h"
#include "options.h"
#include "own_filters.h"
#include "personality.h"
#include "policy_compile.h"
#include "run_limits.h"
#include "run_report.h"
#include "sandbox.h"
#include "scratch.h"
#include "seccomp_guard.h"
#include "signal_send.h"
#include "signals.h"
#include "spawn.h"
#include "trace.h"
#include "tracee.h"
#include "util.h"

#define TABLE_SIZE 1024

const struct personality *const personalities[] = { &personality_linux, &personality_sandbox, &personality_nt, NULL };

static struct tracee *table[TABLE_SIZE];
static const struct run_options *opts;
static pid_t main_pid;
static int last_vtid;
static int live_tasks;
static struct run_counts counts;
static enum run_end end_reason;

const struct run_counts *run_counts(void)
{
	return &counts;
}

int tracee_live_count(void)
{
	return live_tasks;
}

const struct run_options *run_options(void)
{
	return opts;
}

struct tracee *tracee_find(pid_t tid)
{
	for (struct tracee *t = table[(unsigned)tid % TABLE_SIZE]; t; t = t->next)
		if (t->tid == tid)
			return t;
	return NULL;
}

bool tracee_call_is_trapped(const struct tracee *t, enum abi abi, long nr)
{
	const struct syscall_entry *e = nr >= 0 && nr < 100000 ? syscall_lookup(abi, (int)nr) : NULL;
	unsigned classes = t->proc->pers->trapped_classes(abi) | cosched_trapped_classes();

	if (e && (e->flags & classes))
		return true;
	return trace_enabled() && trace_selection_has(trace_selection(), abi, nr);
}

void tracee_for_each(void (*fn)(struct tracee *t, void *ctx), void *ctx)
{
	for (unsigned h = 0; h < TABLE_SIZE; h++)
		for (struct tracee *t = table[h], *next; t; t = next) {
			next = t->next;
			fn(t, ctx);
		}
}

static struct tracee *tracee_add(pid_t tid)
{
	struct tracee *t = xcalloc(1, sizeof(*t));
	unsigned h = (unsigned)tid % TABLE_SIZE;

	t->tid = tid;
	t->resume = RESUME_CONT;
	t->scratch_slot = -1;
	t->next = table[h];
	table[h] = t;
	live_tasks++;
	counts.tasks++;
	return t;
}

/*
 * A thread is gone (wait_status from waitpid); the last one takes its process
 * along. reported: it really ended (not a thread an exec from another one replaced).
 */
static void tracee_remove(struct tracee *t, int wait_status, bool reported)
{
	struct tracee **pp = &table[(unsigned)t->tid % TABLE_SIZE];
	struct pico_process *p = t->proc;

	while (*pp != t)
		pp = &(*pp)->next;
	*pp = t->next;
	live_tasks--;
	exec_job_abandon(t);
	seccomp_guard_abandon(t);
	filter_chain_unref(t->filters);
	if (t->call) {
		trace_call_abandon(t);
		trace_call_free(t);
	}
	if (p) {
		bool last = --p->nthreads == 0;

		if (reported && t->attached)
			trace_exit(t, wait_status, last);
		p->pers->exit_thread(t);
		scratch_release(t);
		if (last) {
			if (p->is_main && p->has_nt_status) {
				counts.has_nt_status = true;
				counts.nt_status = p->nt_status;
			}
			p->pers->exit_process(p, wait_status);
			if (p->is_main)
				signals_forget_target();
			signal_target_retire(&p->target);
			if (p->pidfd >= 0)
				close(p->pidfd);
			free(p->exe_path);
			scratch_unref(p->scratch);
			free(p);
		}
	}
	free(t);
}

/*
 * shares_vm: a vfork child or clone(CLONE_VM): one address space, one scratch area.
 * target: how to signal it, made while its pid could name nothing else (NULL: made here,
 * which is right for a new tracee whose exit picovisor has not collected).
 */
static struct pico_process *process_new(pid_t tgid, const struct pico_process *parent, bool shares_vm,
					const struct signal_target *target)
{
	struct pico_process *p = xcalloc(1, sizeof(*p));

	p->tgid = tgid;
	p->pidfd = -1;
	if (target)
		p->target = *target;
	else
		signal_target_open(&p->target, tgid);
	p->pers = parent ? parent->pers : sandbox_get() ? &personality_sandbox : &personality_linux;
	counts.processes++;
	if (parent) {
		p->exe_path = parent->exe_path ? xstrdup(parent->exe_path) : NULL;
		p->loaded = parent->loaded;
		p->readlink_trapped = parent->readlink_trapped; /* filters are inherited */
		p->scratch = shares_vm ? scratch_ref(parent->scratch) : scratch_fork(parent->scratch);
	}
	return p;
}

static void tracee_join(struct tracee *t, struct pico_process *p)
{
	t->proc = p;
	t->vtid = ++last_vtid;
	if (p->nthreads++ == 0)
		p->vpid = t->vtid;
	landlock_audit_note_task(t);
}

void tracee_resume(struct tracee *t, int sig)
{
	long req = t->resume == RESUME_SYSCALL ? PTRACE_SYSCALL : PTRACE_CONT;

	/* ESRCH: it was killed meanwhile; its death is reported next. */
	ptrace((enum __ptrace_request)req, t->tid, 0, (long)sig);
}

/*
 * Signal the process of a task in the table. A task not yet attached to a process
 * (its first stop came before its parent's fork event) has never run and has not
 * been waited for: its tid is its own, and a signal to it reaches its thread group.
 */
static void signal_task(struct tracee *t, int sig)
{
	struct signal_target parked;

	if (t->proc) {
		signal_send(&t->proc->target, sig);
		return;
	}
	signal_target_open(&parked, t->tid); /* no pidfd for a new thread (not a leader): kill(tid) */
	signal_send(&parked, sig);
	signal_target_retire(&parked);
}

void tracee_kill_process(struct tracee *t, const char *why)
{
	warn("%s; killing process %d", why, t->proc ? t->proc->tgid : t->tid);
	signal_task(t, SIGKILL);
}

static bool is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* The clone flags of the fork/vfork/clone event t stopped at (does the new task share the process, the memory?). */
static uint64_t clone_flags_of(struct tracee *t, int event)
{
	enum syscall_stop_kind kind;
	tracee_regs r;
	uint64_t flags = 0;
	enum abi abi;
	const struct syscall_entry *e;
	long nr;
	int arg;

	if (event == PTRACE_EVENT_VFORK)
		return CLONE_VM | CLONE_VFORK;
	if (event != PTRACE_EVENT_CLONE)
		return 0;
	if (tracee_syscall_info(t->tid, &kind, &abi) < 0 || regs_get(t->tid, &r) < 0)
		return 0;
	nr = regs_syscall_nr(&r);
	/* clone has its flags in a register; clone3 has them first in its struct clone_args. */
	if (!(e = syscall_lookup(abi, (int)nr)))
		return 0;
	if ((arg = syscall_arg_index(abi, e, K_CLONE_FLAGS)) >= 0)
		flags = regs_arg(&r, abi, arg);
	else if ((arg = syscall_arg_index(abi, e, K_CLONE_ARGS)) >= 0)
		tracee_read(t->tid, regs_arg(&r, abi, arg), &flags, sizeof(flags));
	return flags;
}

/* A new task's first run: its personality may set it up first (an NT thread's registers, say). */
static void first_resume(struct tracee *c)
{
	if (c->starting) {
		c->starting = false;
		if (c->proc && c->proc->pers->task_start && c->proc->pers->task_start(c))
			return; /* held (created suspended): the personality releases it */
	}
	tracee_resume(c, 0);
}

static void on_new_task(struct tracee *t, int event)
{
	unsigned long msg = 0;
	struct tracee *c;
	uint64_t flags;
	bool parked, thread;

	ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &msg);
	c = tracee_find((pid_t)msg);
	parked = c != NULL; /* its first stop came before this event */
	if (!c)
		c = tracee_add((pid_t)msg);
	flags = clone_flags_of(t, event);
	thread = (flags & CLONE_THREAD) != 0;
	tracee_join(c, thread ? t->proc : process_new((pid_t)msg, t->proc, (flags & CLONE_VM) != 0, NULL));
	c->attached = true;
	c->starting = true;
	/* Filters are inherited by every new task, thread or process. */
	c->filters = filter_chain_ref(t->filters);
	c->program_filters = t->program_filters;
	c->foreign_filters = t->foreign_filters;
	cosched_new_task(c, t);
	trace_spawn(c, t, thread);
	if (t->proc->pers->task_created)
		t->proc->pers->task_created(c, t);
	if (parked)
		first_resume(c);
	tracee_resume(t, 0);
}

static void on_exec(struct tracee *t)
{
	unsigned long old = 0;

	ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &old);
	if ((pid_t)old != t->tid) {
		/* A non-leader thread exec'd: it now has the leader's tid; its job comes along. */
		struct tracee *o = tracee_find((pid_t)old);

		if (o) {
			if (o->job && !t->job) {
				t->job = o->job;
				t->resume = o->resume;
				o->job = NULL;
			}
			trace_call_move(o, t);
			/* The thread that exec'd keeps its own filters under the leader's tid. */
			filter_chain_unref(t->filters);
			t->filters = o->filters;
			t->program_filters = o->program_filters;
			t->foreign_filters = o->foreign_filters;
			o->filters = NULL;
			tracee_remove(o, 0, false); /* it lives on as the leader */
		}
	}
	if (t->job) {
		exec_job_step(t, JOB_STOP_EXEC, 0);
		return;
	}
	/* The kernel loaded this image (--kernel-loader): it names the exe itself. */
	t->proc->loaded = true;
	free(t->proc->exe_path);
	t->proc->exe_path = NULL;
	if (trace_call_active(t))
		t->exec_event_pending = true; /* after the exec's record, at its exit stop */
	else
		trace_exec(t);
	tracee_resume(t, 0);
}

/* A call the supervisor will not let run, whatever the policy: the personality's refusal, or a plain one. */
static void refuse(struct tracee *t, const struct syscall_stop *s, int err, const char *why)
{
	if (t->proc->pers->refuse) {
		t->proc->pers->refuse(t, s, err, why);
		return;
	}
	host_say_refused(t, why, err);
	verdict_fail(s, err);
}

void host_interrupt(struct tracee *t)
{
	if (!t->interrupting && ptrace(PTRACE_INTERRUPT, t->tid, 0, 0) == 0)
		t->interrupting = true;
}

void host_release(struct tracee *t, const struct verdict *v)
{
	if (v->set_regs)
		regs_set(t->tid, &v->regs);
	t->resume = v->want_exit ? RESUME_SYSCALL : RESUME_CONT;
	t->personality_exit = v->want_exit;
	tracee_resume(t, 0);
}

/* Do what the personality decided for the call t is stopped in; the only place such a stop is resumed. */
static void carry_out(struct tracee *t, const struct syscall_stop *s)
{
	struct verdict *v = s->verdict;
	tracee_regs r;

	switch (v->kind) {
	case VERDICT_HELD:
		return;
	case VERDICT_EXEC: {
		struct syscall_stop call = *s; /* the exec as the personality gave it (a translated path, say) */

		if (v->set_regs)
			call.regs = v->regs;
		exec_job_start_named(t, &call, v->exec_has_program_regs ? &v->exec_program_regs : NULL, v->exec_name);
		free(v->exec_name);
		v->exec_name = NULL;
		return;
	}
	case VERDICT_SECCOMP: {
		const char *why;
		int err;

		v->kind = VERDICT_RESUME;
		err = seccomp_guard_enter(t, s, &why);
		if (err)
			refuse(t, s, -err, why);
		if (v->kind == VERDICT_SECCOMP) /* a refusal never asks for the guard again */
			v->kind = VERDICT_ANSWER;
		carry_out(t, s);
		return;
	}
	case VERDICT_ANSWER:
		r = v->set_regs ? v->regs : s->regs;
		regs_set_syscall_nr(&r, -1);
		regs_set_retval(&r, v->ret);
		regs_set(t->tid, &r);
		break;
	case VERDICT_RESUME:
		if (v->set_regs)
			regs_set(t->tid, &v->regs);
		break;
	}
	if (v->want_exit) {
		t->personality_exit = true;
		t->resume = RESUME_SYSCALL;
	}
	if (v->end_run)
		run_end_request(RUN_END_VIOLATION);
	tracee_resume(t, 0);
}

static void on_seccomp(struct tracee *t)
{
	unsigned long data;
	uint32_t verdict;
	struct syscall_stop s;
	struct verdict v = { .kind = VERDICT_RESUME };

	if (t->job && exec_job_claims_stop(t, JOB_STOP_SECCOMP)) {
		exec_job_step(t, JOB_STOP_SECCOMP, 0);
		return;
	}
	/* The data word of picovisor's own filters' verdict, never the one the kernel reports (own_filters.h). */
	if (own_filters_decide(t, &verdict) < 0)
		return;
	data = verdict;
	if (data & FILTER_DATA_STRICT) {
		seccomp_guard_strict_violation(t); /* a call strict mode does not allow */
		return;
	}
	s.abi = filter_trace_abi(data);
	s.data = data;
	if ((data & 0xff) == POLICY_DATA_OTHER_ABI) { /* the sandbox's filter sees native numbers only: ask */
		enum syscall_stop_kind kind;
		if (tracee_syscall_info(t->tid, &kind, &s.abi) < 0)
			s.abi = ABI_I386;
	}
	if (!filter_trace_for_personality(data)) {
		/* Stopped for the trace alone: read nothing now (unless the call destroys its
		 * arguments), take it all at the exit stop. */
		if (filter_trace_at_entry(data) && regs_get(t->tid, &s.regs) == 0)
			trace_call_begin(t, s.abi, &s.regs);
		else
			trace_call_begin(t, s.abi, NULL);
		t->resume = RESUME_SYSCALL;
		tracee_resume(t, 0);
		return;
	}
	if (regs_get(t->tid, &s.regs) < 0) {
		tracee_resume(t, 0);
		return;
	}
	s.nr = regs_syscall_nr(&s.regs);
	if ((data & 0xff) == POLICY_DATA_OTHER_ABI && s.abi == ABI_NATIVE) {
		long nr = s.nr; /* an ABI a bit of the native number selects (x32) */
		enum abi abi = arch_abi_of_call(ARCH_AUDIT_NATIVE, &nr);

		if (abi != ABI_COUNT) {
			s.abi = abi;
			s.nr = nr;
		}
	}
	s.entry = syscall_lookup(s.abi, (int)s.nr);
	/* An NT service is described by the NT personality itself, with its own arguments' meaning. */
	if (s.abi != ABI_NT && trace_enabled() && trace_selection_has(trace_selection(), s.abi, s.nr)) {
		trace_call_begin(t, s.abi, &s.regs);
		t->resume = RESUME_SYSCALL; /* the personality's resume stops at the exit too */
	}
	if (s.entry && (s.entry->flags & SC_SECCOMP) && !t->proc->loaded) {
		tracee_resume(t, 0); /* picovisor's own child, before its exec, installing the run's filters */
		return;
	}
	if (s.entry && (s.entry->flags & SC_AFFINITY) && (cosched_trapped_classes() & SC_AFFINITY)) {
		cosched_syscall_enter(t, &s); /* the supervisor's business, whatever the personality */
		return;
	}
	s.verdict = &v;
	t->proc->pers->syscall_enter(t, &s);
	carry_out(t, &s);
}

static void on_syscall_stop(struct tracee *t)
{
	enum syscall_stop_kind kind;
	enum abi abi;

	/* A stop that is not the job's call: the job is given up, and the stop is the program's (exec_job.h). */
	if (t->job && tracee_syscall_info(t->tid, &kind, &abi) == 0 &&
	    !exec_job_claims_stop(t, kind == STOP_SYSCALL_EXIT ? JOB_STOP_SYSCALL_EXIT : JOB_STOP_SYSCALL_ENTRY))
		t->resume = RESUME_CONT;

	if (!t->job && (trace_call_active(t) || t->affinity_fixup || t->personality_exit || t->seccomp_install)) {
		t->resume = RESUME_CONT;
		if (t->affinity_fixup)
			cosched_syscall_exit(t);
		if (t->seccomp_install)
			seccomp_guard_exit(t);
		if (t->personality_exit) {
			struct verdict v = { .kind = VERDICT_RESUME };

			t->personality_exit = false;
			t->proc->pers->syscall_exit(t, &v);
			if (v.kind == VERDICT_HELD) { /* stays stopped here until host_release */
				trace_call_end(t);
				return;
			}
			if (v.set_regs)
				regs_set(t->tid, &v.regs);
			if (v.want_exit) {
				t->personality_exit = true;
				t->resume = RESUME_SYSCALL;
			}
		}
		trace_call_end(t);
		cosched_call_seen(t);
		if (t->exec_event_pending) {
			t->exec_event_pending = false;
			trace_exec(t);
		}
		tracee_resume(t, 0);
		return;
	}
	if (!t->job || tracee_syscall_info(t->tid, &kind, &abi) < 0) {
		t->resume = RESUME_CONT;
		tracee_resume(t, 0);
		return;
	}
	exec_job_step(t, kind == STOP_SYSCALL_EXIT ? JOB_STOP_SYSCALL_EXIT : JOB_STOP_SYSCALL_ENTRY, 0);
}

/*
 * The program stopped. If the stop was meant for the whole job (the terminal's
 * Ctrl-Z, a signal to picovisor), stop too, so the shell that started us sees
 * its job stop. A SIGSTOP to the group stops picovisor in the kernel already; a
 * stop aimed at the program alone must not stop picovisor, or nothing would
 * serve the program once something continues it.
 */
static void on_group_stop(struct tracee *t, int sig)
{
	ptrace(PTRACE_LISTEN, t->tid, 0, 0);
	if (t->proc && t->proc->is_main && !t->in_group_stop) {
		t->in_group_stop = true;
		if (signals_take_stop_request(sig))
			signals_stop_like(sig);
	}
}

static void on_signal(struct tracee *t, int sig)
{
	if (t->job) {
		exec_job_step(t, JOB_STOP_SIGNAL, sig);
		return;
	}
	trace_signal(t, sig);
	if (sig == SIGCONT)
		for (unsigned h = 0; h < TABLE_SIZE; h++)
			for (struct tracee *o = table[h]; o; o = o->next)
				if (o->proc == t->proc)
					o->in_group_stop = false;
	{
		int deliver = t->proc->pers->signal(t, sig);
		if (deliver >= 0)
			tracee_resume(t, deliver);
	}
}

/* Time passed for every personality's timed waits. */
static void personalities_tick(void)
{
	bool clock = host_tick_take();

	for (const struct personality *const *p = personalities; *p; p++)
		if ((*p)->tick)
			(*p)->tick(clock);
}

static void on_stop_dispatch(struct tracee *t, int status);

/*
 * Every ptrace stop clears a PTRACE_INTERRUPT still pending for the thread
 * (the kernel's "any trap clears pending STOP trap"): one asked for and
 * overtaken by another stop is asked for again, once that stop is served.
 */
static void on_stop(struct tracee *t, int status)
{
	int sig = WSTOPSIG(status), event = status >> 16;
	bool again = t->interrupting && !(event == PTRACE_EVENT_STOP && !is_stop_signal(sig));
	pid_t tid = t->tid;

	if (again)
		t->interrupting = false;
	on_stop_dispatch(t, status);
	if (again && (t = tracee_find(tid)) != NULL)
		host_interrupt(t);
}

static void on_stop_dispatch(struct tracee *t, int status)
{
	int sig = WSTOPSIG(status), event = status >> 16;

	switch (event) {
	case PTRACE_EVENT_SECCOMP:
		on_seccomp(t);
		return;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		on_new_task(t, event);
		return;
	case PTRACE_EVENT_EXEC:
		on_exec(t);
		return;
	case PTRACE_EVENT_STOP:
		if (is_stop_signal(sig))
			on_group_stop(t, sig);
		else if (t->interrupting && !t->starting) {
			t->interrupting = false;
			if (!(t->proc && t->proc->pers->interrupted && t->proc->pers->interrupted(t)))
				tracee_resume(t, 0);
		} else if (t->attached)
			first_resume(t);
		return;
	case PTRACE_EVENT_EXIT:
		trace_call_abandon(t); /* exit, exit_group, or killed in a call */
		tracee_resume(t, 0);
		return;
	case PTRACE_EVENT_VFORK_DONE:
		tracee_resume(t, 0);
		return;
	case 0:
		if (sig == (SIGTRAP | 0x80))
			on_syscall_stop(t);
		else
			on_signal(t, sig);
		return;
	default:
		tracee_resume(t, 0);
		return;
	}
}

/* SIGKILL to every process of the run (through each one's target: nothing outside can be hit). */
static void kill_all(void)
{
	for (unsigned h = 0; h < TABLE_SIZE; h++)
		for (struct tracee *t = table[h]; t; t = t->next)
			if (!t->proc || t->proc->tgid == t->tid)
				signal_task(t, SIGKILL);
	/* Threads whose leader is not in the table (it cannot be, but a missed one would live on). */
	for (unsigned h = 0; h < TABLE_SIZE; h++)
		for (struct tracee *t = table[h]; t; t = t->next)
			if (t->proc && t->proc->tgid != t->tid && !tracee_find(t->proc->tgid))
				signal_task(t, SIGKILL);
}

void run_end_request(enum run_end why)
{
	if (end_reason == RUN_END_NONE)
		end_reason = why;
	kill_all();
}

enum run_end run_end_reason(void)
{
	return end_reason;
}

/* What the run left running when its main program ended (daemons too are tracees): reported, then killed. */
static void report_leftovers(void)
{
	for (unsigned h = 0; h < TABLE_SIZE; h++)
		for (struct tracee *t = table[h]; t; t = t->next)
			if (t->proc && t->proc->tgid == t->tid && t->attached)
				run_report_leftover(t);
}

/*
 * The next event of a tracee: waitpid(-1). When the main program is signalled by
 * pid (no pidfd), its exit is looked at first without reaping it (WNOWAIT), so
 * that signal forwarding forgets the pid before the kernel frees it.
 */
static pid_t next_event(int *status)
{
	siginfo_t si;

	if (!signals_forward_needs_pid())
		return waitpid(-1, status, __WALL);
	memset(&si, 0, sizeof(si));
	if (waitid(P_ALL, 0, &si, WEXITED | WNOWAIT | __WALL) < 0)
		return -1;
	if (si.si_pid == main_pid && (si.si_code == CLD_EXITED || si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED))
		signals_forget_target();
	return waitpid(si.si_pid, status, __WALL);
}

/*
 * Entries of tasks picovisor can no longer wait for: a task killed before its
 * first stop may report its end before its parent's fork event adds it. Such an
 * entry would keep the end of the run waiting (for an inherited child, say).
 * waitid(P_PID) tells: ECHILD for a pid that is neither child nor tracee.
 */
static void forget_phantoms(void)
{
	for (unsigned h = 0; h < TABLE_SIZE; h++)
		for (struct tracee *t = table[h], *next; t; t = next) {
			siginfo_t si;

			next = t->next;
			if (waitid(P_PID, (id_t)t->tid, &si, WEXITED | WNOHANG | WNOWAIT | __WALL) < 0 && errno == ECHILD)
				tracee_remove(t, 0, false);
		}
}

/*
 * After the main program ended: nothing of the run outlives it. Waits for the
 * run's own tasks only, until the table is empty: a child picovisor inherited
 * (its caller exec'd it with children, as bash does for `2> >(cat)`) is no
 * tracee, and is neither waited for nor signalled.
 */
static void reap_the_rest(void)
{
	if (end_reason == RUN_END_NONE)
		report_leftovers();
	kill_all();
	while (live_tasks > 0) {
		int status, event;
		pid_t pid = waitpid(-1, &status, __WALL | WNOHANG);
		struct tracee *t;

		if (pid == 0) { /* nothing pending: wait, but only for tasks that are still ours to wait for */
			forget_phantoms();
			if (live_tasks == 0)
				break;
			pid = waitpid(-1, &status, __WALL);
		}
		if (pid < 0) {
			if (errno == EINTR) /* the limits' or co-scheduling's timer */
				continue;
			break; /* ECHILD: no tracee is left */
		}
		t = tracee_find(pid);
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (t)
				tracee_remove(t, status, true);
			continue; /* not ours: an inherited child that ended, reaped in passing */
		}
		if (!WIFSTOPPED(status))
			continue;
		if (!t) /* a new task of the run whose parent's fork event was not handled: ours, killed below */
			t = tracee_add(pid);
		event = status >> 16;
		if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK || event == PTRACE_EVENT_CLONE) {
			unsigned long msg = 0;

			/* The child exists and is traced: into the table, so that it is killed and waited for. */
			if (ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg) == 0 && msg > 0 && !tracee_find((pid_t)msg))
				signal_task(tracee_add((pid_t)msg), SIGKILL);
		}
		/* Even a killed tracee stops (PTRACE_EVENT_EXIT, a fork event): let it finish dying. */
		signal_task(t, SIGKILL);
		ptrace(PTRACE_CONT, pid, 0, 0);
	}
}

int event_loop_run(const struct run_options *o)
{
	void *filter;
	struct tracee *t;
	struct signal_target main_target;
	int main_status = 0;

	opts = o;
	host_facts_set(o);
	trace_open(o);
	cosched_init(o->coschedule);
	if (o->sandbox)
		sandbox_prepare(o, personality_sandbox.trapped_classes(ABI_NATIVE) | cosched_trapped_classes());
	/* A sandbox's filter stops what the personality needs: the run's own is for tracing then. */
	filter = NULL;
	if (!sandbox_get() || trace_enabled()) {
		const struct personality *pers = sandbox_get() ? &personality_sandbox : &personality_linux;
		unsigned classes[ABI_LINUX_COUNT] = { 0 };
		int n;
		const struct arch_abi *abis = arch_abis(&n);

		for (int i = 0; i < n; i++) /* an ABI without a loader of ours traps nothing but the personality's */
			classes[abis[i].abi] = pers->trapped_classes(abis[i].abi) | (abis[i].loads ? cosched_trapped_classes() : 0);
		filter = filter_build(classes, trace_selection(), !o->may_skip_nnp || sandbox_get());
		if (!filter)
			die("cannot build the seccomp filter: %s", filter_error());
	}
	run_limits_start();
	own_filters_prepare(filter);
	main_pid = spawn_program(o, &main_target);
	landlock_audit_start(main_pid); /* the child entered the run's Landlock domain: it is its creator */
	if (sandbox_get()) {
		sandbox_get()->sid = o->share_tty ? 0 : main_pid;
		/* Once the program is seized (a non-dumpable parent's child could not be): tracees of our uid
		 * must not reach /proc/<picovisor>/mem. */
		prctl(PR_SET_DUMPABLE, 0);
	}
	signals_set_target(&main_target, sandbox_get() && !o->share_tty);
	t = tracee_add(main_pid);
	t->attached = true;
	t->filters = own_filters_run_chain();
	tracee_join(t, process_new(main_pid, NULL, false, &main_target));
	t->proc->is_main = true;

	for (;;) {
		int status;
		pid_t pid = next_event(&status);

		if (pid < 0) {
			if (errno == EINTR) {
				landlock_audit_tick();
				cosched_tick();
				run_limits_tick();
				personalities_tick();
				continue;
			}
			die("waiting for the program failed: %s", strerror(errno));
		}
		t = tracee_find(pid);
		cosched_note_stop();
		counts.stops++;
		landlock_audit_tick();
		run_limits_tick();
		personalities_tick();
		if (o->verbose >= 2)
			fprintf(stderr, "picovisor: event: pid %d status %#x%s\n", pid, status, t ? "" : " (unknown)");
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (t)
				tracee_remove(t, status, true);
			if (pid == main_pid) {
				main_status = status;
				break;
			}
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		if (!t) {
			/* A new task whose parent's fork event is still to come: park it until then. */
			t = tracee_add(pid);
			continue;
		}
		on_stop(t, status);
	}
	reap_the_rest();
	landlock_audit_finish();
	trace_close(main_status);
	return main_status;
}
