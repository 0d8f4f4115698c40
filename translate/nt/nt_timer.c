/*
 * Waitable timers: NtCreateTimer, NtSetTimer, NtCancelTimer. A timer is a
 * wait object (nt_sync.c) that becomes signalled at its due time, and again
 * every period after it if it has one. A notification timer stays signalled
 * until it is set again; a synchronization timer wakes one waiter and resets.
 * The timers that are set are kept in a list the waits' tick looks at; the
 * list does not hold a reference: a timer whose last handle closes is
 * forgotten (nt_timer_forget), as closing a timer cancels it on NT.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nt_internal.h"
#include "util.h"

#define NOTIFICATION_TIMER 0
#define SYNCHRONIZATION_TIMER 1

static struct nt_object **armed;
static int narmed, caparmed;

static void disarm(struct nt_object *o)
{
	for (int i = 0; i < narmed; i++)
		if (armed[i] == o) {
			armed[i] = armed[--narmed];
			break;
		}
	o->timer.due = 0;
}

static void arm_at(struct nt_object *o, uint64_t due)
{
	if (!o->timer.due) {
		if (narmed == caparmed)
			armed = xrealloc(armed, (size_t)(caparmed = caparmed ? caparmed * 2 : 16) * sizeof(*armed));
		armed[narmed++] = o;
	}
	o->timer.due = due;
}

void nt_timer_forget(struct nt_object *o)
{
	if (o->timer.due)
		disarm(o);
}

uint64_t nt_timers_next(void)
{
	uint64_t next = 0;

	for (int i = 0; i < narmed; i++)
		if (!next || armed[i]->timer.due < next)
			next = armed[i]->timer.due;
	return next;
}

bool nt_timers_fire(uint64_t now)
{
	bool fired = false;

	for (int i = 0; i < narmed; i++) {
		struct nt_object *o = armed[i];

		if (o->timer.due > now)
			continue;
		o->timer.signaled = true;
		fired = true;
		if (o->timer.period) {
			/* the next expiry on the period's grid; a late tick does not make expiries pile up */
			uint64_t missed = (now - o->timer.due) / o->timer.period;
			o->timer.due += (missed + 1) * o->timer.period;
		} else {
			armed[i] = armed[--narmed];
			o->timer.due = 0;
			i--;
		}
	}
	return fired;
}

static void init_timer(struct nt_object *o, struct tracee *t)
{
	o->timer.manual_reset = (uint32_t)nt_call_of(t)->a[3] == NOTIFICATION_TIMER;
}

/* NtCreateTimer(TimerHandle, DesiredAccess, ObjectAttributes, TimerType) */
void nt_serve_NtCreateTimer(struct tracee *t)
{
	if ((uint32_t)nt_call_of(t)->a[3] > SYNCHRONIZATION_TIMER) {
		nt_done(t, STATUS_INVALID_PARAMETER);
		return;
	}
	nt_create_object(t, NT_TYPE_TIMER, init_timer);
}

static ntstatus timer_of(struct tracee *t, struct nt_object **o)
{
	return nt_handle_get(nt_process_of(t), nt_call_of(t)->a[0], NT_TYPE_TIMER, o, NULL);
}

/*
 * NtSetTimer(TimerHandle, DueTime, TimerApcRoutine, TimerContext, ResumeTimer, Period, PreviousState).
 * DueTime as a wait's timeout (negative relative, positive an absolute system time); Period in ms.
 */
void nt_serve_NtSetTimer(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_object *o;
	ntstatus st = timer_of(t, &o);
	int32_t period = (int32_t)c->a[5];
	uint8_t prev;
	uint64_t due;
	int r;

	if (st) {
		nt_done(t, st);
		return;
	}
	if (period < 0) { /* SetWaitableTimer's documentation: a negative period fails */
		nt_done(t, 0xC00000F4); /* STATUS_INVALID_PARAMETER_6 */
		return;
	}
	if (!c->a[1]) {
		nt_done(t, STATUS_INVALID_PARAMETER);
		return;
	}
	if (c->a[2]) { /* a completion routine is an APC to the setting thread: APCs are not served */
		nt_done(t, STATUS_NOT_SUPPORTED);
		return;
	}
	r = nt_deadline_of(t, c->a[1], &due);
	if (r == -EFAULT) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	prev = o->timer.signaled;
	if (c->a[6] && nt_put(t, c->a[6], &prev, 1)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	o->timer.signaled = false;
	o->timer.period = (uint64_t)period * 1000000ULL;
	if (r < 0) /* already due */
		due = monotonic_ns();
	if (due)
		arm_at(o, due);
	else
		disarm(o); /* further than the clock counts: never */
	nt_done(t, STATUS_SUCCESS);
	if (r < 0 && nt_timers_fire(monotonic_ns()))
		nt_waits_recheck();
	else
		nt_timer_rearm();
}

/* NtCancelTimer(TimerHandle, CurrentState) */
void nt_serve_NtCancelTimer(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_object *o;
	ntstatus st = timer_of(t, &o);
	uint8_t state;

	if (st) {
		nt_done(t, st);
		return;
	}
	state = o->timer.signaled;
	if (c->a[1] && nt_put(t, c->a[1], &state, 1)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	disarm(o);
	nt_done(t, STATUS_SUCCESS);
	nt_timer_rearm();
}
