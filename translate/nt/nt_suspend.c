/*
 * Suspending threads and their context: NtSuspendThread, NtResumeThread,
 * NtGetContextThread, NtSetContextThread.
 *
 * A suspended thread is held by the supervisor at a stop: wherever it goes
 * on next (nt_go_on: a service's answer, the next Linux call of one, a
 * wait's end) it stays stopped instead, with what it would have done kept
 * (held_verdict), until its count drops to zero. A thread that runs its own
 * code is stopped with PTRACE_INTERRUPT (host_interrupt) and held at that
 * stop; one in a Linux call of a service is interrupted out of it (the call
 * is made again when it goes on, as after a signal); one parked in a wait
 * gives the wait back (it makes the call again when it goes on: a suspended
 * thread takes nothing it waits for, as on NT); a new thread created
 * suspended is held at its first stop. NtSuspendThread answers once the
 * thread is held, so its context can be read at once.
 *
 * The context of a held thread is its registers where it stopped, or, when
 * it stopped inside a service, the program's registers at that service's
 * syscall instruction (a new context given then is taken when the service
 * answers).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nt_context.h"
#include "nt_internal.h"
#include "util.h"

#define NT_CURRENT_THREAD ((uint64_t)-2)
#define MAXIMUM_SUSPEND_COUNT 127
#define STATUS_SUSPEND_COUNT_EXCEEDED 0xC000004A
#define STATUS_THREAD_IS_TERMINATING 0xC000004B
#define STATUS_UNSUCCESSFUL 0xC0000001

/* Threads whose NtSuspendThread waits for the target to be held. */
struct suspender {
	struct tracee *t;
	pid_t target;
};
static struct suspender *suspenders;
static int nsuspenders, capsuspenders;

static void answer_suspenders(pid_t target)
{
	for (int i = 0; i < nsuspenders; i++)
		if (suspenders[i].target == target) {
			struct tracee *s = suspenders[i].t;

			suspenders[i--] = suspenders[--nsuspenders];
			nt_done(s, STATUS_SUCCESS);
		}
}

static void hold(struct tracee *t, const struct verdict *v)
{
	struct nt_thread *th = nt_thread_of(t);

	th->held = true;
	th->held_verdict = *v;
	answer_suspenders(host_tid(t));
}

bool nt_hold_if_suspended(struct tracee *t, const struct verdict *v)
{
	struct nt_thread *th = nt_thread_state(t);

	if (!th || !th->suspend_count || th->held || th->terminating)
		return false;
	hold(t, v);
	return true;
}

bool nt_suspension_pending(struct tracee *t)
{
	struct nt_thread *th = nt_thread_state(t);

	return th && th->suspend_count && !th->held && !th->terminating;
}

bool nt_interrupted(struct tracee *t)
{
	struct nt_thread *th = nt_thread_state(t);
	struct verdict v = { .kind = VERDICT_RESUME, .set_regs = true };

	if (!th || !th->suspend_count || th->held || th->terminating || regs_get(host_tid(t), &v.regs) < 0)
		return false;
	hold(t, &v);
	return true;
}

static void release(struct tracee *t)
{
	struct nt_thread *th = nt_thread_state(t);

	th->held = false;
	host_release(t, &th->held_verdict);
}

void nt_suspend_release_all(struct tracee *t)
{
	struct nt_thread *th = nt_thread_state(t);

	if (!th)
		return;
	th->suspend_count = 0;
	if (th->held)
		release(t);
}

void nt_suspend_thread_gone(struct tracee *t)
{
	answer_suspenders(host_tid(t));
	for (int i = 0; i < nsuspenders; i++)
		if (suspenders[i].t == t)
			suspenders[i--] = suspenders[--nsuspenders];
}

/* The thread a handle names (-2: the caller), in the caller's process and alive: STATUS_SUCCESS and *target. */
static ntstatus thread_of(struct tracee *t, uint64_t h, struct tracee **target)
{
	struct nt_object *o;
	ntstatus st;

	if (h == NT_CURRENT_THREAD) {
		*target = t;
		return STATUS_SUCCESS;
	}
	st = nt_handle_get(nt_process_of(t), h, NT_TYPE_THREAD, &o, NULL);
	if (st)
		return st;
	*target = o->thread.tid && !o->thread.done ? host_find_thread(o->thread.tid) : NULL;
	if (!*target || !nt_thread_state(*target) || host_tgid(*target) != host_tgid(t))
		return STATUS_THREAD_IS_TERMINATING;
	return STATUS_SUCCESS;
}

/* NtSuspendThread(ThreadHandle, PreviousSuspendCount) */
void nt_serve_NtSuspendThread(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct tracee *target;
	struct nt_thread *th;
	ntstatus st = thread_of(t, c->a[0], &target);
	uint32_t prev;

	if (st) {
		nt_done(t, st);
		return;
	}
	th = nt_thread_state(target);
	if (th->terminating) {
		nt_done(t, STATUS_THREAD_IS_TERMINATING);
		return;
	}
	prev = th->suspend_count;
	if (prev >= MAXIMUM_SUSPEND_COUNT) {
		nt_done(t, STATUS_SUSPEND_COUNT_EXCEEDED);
		return;
	}
	if (c->a[1] && nt_put(t, c->a[1], &prev, 4)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	th->suspend_count++;
	if (target == t || th->held) { /* itself: held as its call answers (nt_go_on) */
		nt_done(t, STATUS_SUCCESS);
		return;
	}
	if (nsuspenders == capsuspenders)
		suspenders = xrealloc(suspenders, (size_t)(capsuspenders = capsuspenders ? capsuspenders * 2 : 8) *
							  sizeof(*suspenders));
	suspenders[nsuspenders++] = (struct suspender){ t, host_tid(target) };
	/* Make it stop: */
	if (th->waiting)
		nt_wait_take_back(target); /* held as it is put back before its call */
	else if (!th->start_pending)
		host_interrupt(target); /* its own code, or a Linux call of a service */
	/* (a new thread is held at its first stop) */
}

/* NtResumeThread(ThreadHandle, PreviousSuspendCount) */
void nt_serve_NtResumeThread(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct tracee *target;
	struct nt_thread *th;
	ntstatus st = thread_of(t, c->a[0], &target);
	uint32_t prev = 0;

	if (st == STATUS_THREAD_IS_TERMINATING) { /* it has ended: nothing holds it (a count of 0, as Wine says) */
		nt_done(t, c->a[1] && nt_put(t, c->a[1], &prev, 4) ? STATUS_ACCESS_VIOLATION : STATUS_SUCCESS);
		return;
	}
	if (st) {
		nt_done(t, st);
		return;
	}
	th = nt_thread_state(target);
	prev = th->suspend_count;
	if (c->a[1] && nt_put(t, c->a[1], &prev, 4)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	if (prev && --th->suspend_count == 0) {
		if (th->held)
			release(target);
		answer_suspenders(host_tid(target)); /* a suspension no longer waited for */
	}
	nt_done(t, STATUS_SUCCESS);
}

/*
 * Where a thread's context is, as the program sees it: the registers it goes on with, or inside a
 * service the program's at its syscall (and a context set meanwhile). NULL: not stopped where one can
 * be read.
 */
static tracee_regs *context_regs(struct tracee *caller, struct tracee *target)
{
	struct nt_thread *th = nt_thread_state(target);

	if (target == caller || th->call.active) {
		if (th->ctx_override)
			return &th->ctx_regs;
		return &th->call.regs;
	}
	return th->held ? &th->held_verdict.regs : NULL;
}

static void context_service(struct tracee *t, bool set)
{
	struct nt_call *c = nt_call_of(t);
	struct tracee *target;
	struct nt_thread *th;
	ntstatus st = thread_of(t, c->a[0], &target);
	unsigned char ctx[NT_CONTEXT_SIZE];
	tracee_regs *r;

	if (st) {
		nt_done(t, st);
		return;
	}
	th = nt_thread_state(target);
	if (nt_get(t, c->a[1], ctx, sizeof(ctx))) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	if (target != t && !th->held) {
		/* Running: its registers cannot be read (NT would give whatever they were a moment ago). */
		nt_done(t, STATUS_UNSUCCESSFUL);
		return;
	}
	if (!set) {
		r = context_regs(t, target);
		if (nt_context_from_regs(ctx, r, host_tid(target)) < 0) {
			nt_done(t, STATUS_UNSUCCESSFUL);
			return;
		}
		nt_done(t, nt_put(t, c->a[1], ctx, sizeof(ctx)) ? STATUS_ACCESS_VIOLATION : STATUS_SUCCESS);
		return;
	}
	if (target == t || th->call.active) {
		/* Inside a service (the caller's own, too): taken when that service answers (nt_done). */
		if (!th->ctx_override)
			th->ctx_regs = th->call.regs;
		if (nt_context_to_regs(ctx, &th->ctx_regs, host_tid(target)) < 0) {
			nt_done(t, STATUS_UNSUCCESSFUL);
			return;
		}
		th->ctx_override = true;
	} else if (nt_context_to_regs(ctx, &th->held_verdict.regs, host_tid(target)) < 0) {
		nt_done(t, STATUS_UNSUCCESSFUL);
		return;
	}
	nt_done(t, STATUS_SUCCESS);
}

/* NtGetContextThread(ThreadHandle, ThreadContext) */
void nt_serve_NtGetContextThread(struct tracee *t)
{
	context_service(t, false);
}

/* NtSetContextThread(ThreadHandle, ThreadContext) */
void nt_serve_NtSetContextThread(struct tracee *t)
{
	context_service(t, true);
}
