/*
 * NT synchronisation objects and waits: events (notification and
 * synchronization), mutants, semaphores, and waits on them and on threads,
 * processes, timers (nt_timer.c) and completion ports (nt_iocp.c), with
 * zero, relative, absolute and infinite timeouts.
 *
 * A wait that cannot be satisfied at once parks the thread: it stays stopped
 * at its system call (the supervisor keeps serving the others) until an
 * object it waits for is signalled or its time is up. A timer signal wakes
 * the event loop while timed waits are parked (nt_waits_tick).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nt_internal.h"
#include "util.h"

#define MAX_WAIT_OBJECTS 64
#define WAIT_TICK_NS 2000000L
#define MIN_TICK_NS 20000L /* the soonest a tick is asked for: no storm of them for a deadline just past */
#define WAIT_IDLE_TICK_NS 20000000L /* only untimed waits parked: often enough to see a signal come */
#define KUSER_TICK_NS 15625000L
#define STATUS_INVALID_PARAMETER_MIX 0xC0000030
#define STATUS_INVALID_PARAMETER_1 0xC00000EF
#define STATUS_INVALID_PARAMETER_3 0xC00000F1

struct nt_wait {
	struct tracee *t;
	int n;
	struct nt_object *obj[MAX_WAIT_OBJECTS];
	bool all;
	bool takes_packets;     /* NtRemoveIoCompletion(Ex): the port's packets go to the caller */
	bool alertable;         /* user APCs end it (nt_apc.c) */
	bool delay;             /* NtDelayExecution: its timeout is STATUS_SUCCESS */
	uint64_t deadline;      /* monotonic ns; 0: none */
};

static struct nt_wait **waits;
static int nwaits, capwaits;
static bool timer_on;     /* the host is asked to tick the personality: waits are parked */

/* Have the personality's tick come every period ns at least (0: on events only). */
static void arm(long period)
{
	host_tick_every(period);
	timer_on = period != 0;
}

static bool signalled(const struct nt_object *o, pid_t tid)
{
	switch (o->type) {
	case NT_TYPE_EVENT:
		return o->event.signaled;
	case NT_TYPE_MUTANT:
		return o->mutant.owner == 0 || o->mutant.owner == tid;
	case NT_TYPE_SEMAPHORE:
		return o->sem.count > 0;
	case NT_TYPE_THREAD:
		return o->thread.done;
	case NT_TYPE_FILE:
		return true; /* no I/O is ever pending on a file: it is always signalled */
	case NT_TYPE_TIMER:
		return o->timer.signaled;
	case NT_TYPE_IO_COMPLETION:
		return nt_iocp_has_packet(o);
	case NT_TYPE_PROCESS:
	case NT_TYPE_SECTION:
	case NT_TYPE_COUNT:
		break;
	}
	return false;
}

/* Take what the wait was for (an auto-reset event resets, a semaphore counts down, a mutant is owned). */
static ntstatus acquire(struct nt_object *o, pid_t tid, int index)
{
	switch (o->type) {
	case NT_TYPE_EVENT:
		if (!o->event.manual_reset)
			o->event.signaled = false;
		break;
	case NT_TYPE_MUTANT:
		o->mutant.owner = tid;
		o->mutant.count++;
		if (o->mutant.abandoned) {
			o->mutant.abandoned = false;
			return STATUS_ABANDONED_WAIT_0 + (ntstatus)index;
		}
		break;
	case NT_TYPE_SEMAPHORE:
		o->sem.count--;
		break;
	case NT_TYPE_TIMER:
		if (!o->timer.manual_reset)
			o->timer.signaled = false;
		break;
	case NT_TYPE_IO_COMPLETION: /* a wait that takes packets takes them in answer() */
	case NT_TYPE_THREAD:
	case NT_TYPE_FILE:
	case NT_TYPE_PROCESS:
	case NT_TYPE_SECTION:
	case NT_TYPE_COUNT:
		break;
	}
	return STATUS_WAIT_0 + (ntstatus)index;
}

/* Satisfy w now if its objects allow: true and *st, or false. */
static bool try_satisfy(struct nt_wait *w, ntstatus *st)
{
	pid_t tid = host_tid(w->t);

	if (w->all) {
		bool abandoned = false;

		for (int i = 0; i < w->n; i++)
			if (!signalled(w->obj[i], tid))
				return false;
		for (int i = 0; i < w->n; i++)
			abandoned |= acquire(w->obj[i], tid, 0) == STATUS_ABANDONED_WAIT_0;
		*st = abandoned ? STATUS_ABANDONED_WAIT_0 : STATUS_SUCCESS;
		return true;
	}
	for (int i = 0; i < w->n; i++)
		if (signalled(w->obj[i], tid)) {
			*st = acquire(w->obj[i], tid, i);
			return true;
		}
	return false;
}

/* The status a satisfied wait answers with: a port's packets are written out now. */
static ntstatus answer(struct nt_wait *w, ntstatus st)
{
	if (w->takes_packets && st == STATUS_WAIT_0)
		return nt_iocp_deliver(w->t, w->obj[0]);
	return st;
}

static void wait_free(struct nt_wait *w)
{
	for (int i = 0; i < w->n; i++)
		if (nt_object_release(w->obj[i]))
			nt_object_free(w->obj[i]);
	free(w);
}

/*
 * The tick comes when the earliest deadline (a timed wait's, a timer's) is due, and at least every
 * WAIT_TICK_NS while one is pending: a short wait (Go's runtime sleeps for microseconds) ends on
 * time, not on the next 2 ms tick.
 */
static void rearm(void)
{
	uint64_t next = nt_timers_next();
	/* KUSER_SHARED_DATA's clocks go on at Windows' clock interval while NT processes run (nt_kuser.c) */
	long period = nt_kuser_live() ? KUSER_TICK_NS : nwaits ? WAIT_IDLE_TICK_NS : 0;

	for (int i = 0; i < nwaits; i++)
		if (waits[i]->deadline && (!next || waits[i]->deadline < next))
			next = waits[i]->deadline;
	if (next) {
		uint64_t now = monotonic_ns();
		long until = next <= now ? MIN_TICK_NS : next - now > (uint64_t)WAIT_TICK_NS ? WAIT_TICK_NS : (long)(next - now);

		if (until < MIN_TICK_NS)
			until = MIN_TICK_NS;
		if (!period || until < period)
			period = until;
	}
	arm(period);
}

/*
 * A signal waits for the thread (process-wide or its own, not blocked)? A
 * thread parked at its seccomp stop never takes it: nothing would end a run
 * whose threads all wait (SIGTERM, Ctrl-C).
 */
static bool signal_pending(pid_t tid)
{
	char path[64], line[128];
	unsigned long long pending = 0, blocked = 0, v;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "SigPnd: %llx", &v) == 1 || sscanf(line, "ShdPnd: %llx", &v) == 1)
			pending |= v;
		else if (sscanf(line, "SigBlk: %llx", &v) == 1)
			blocked = v;
	}
	fclose(f);
	return (pending & ~blocked) != 0;
}

void nt_waits_recheck(void)
{
	bool progress = true;

	/* Oldest first, until nothing more can be satisfied (a release may satisfy several). */
	while (progress) {
		progress = false;
		for (int i = 0; i < nwaits; i++) {
			ntstatus st;

			if (try_satisfy(waits[i], &st)) {
				struct nt_wait *w = waits[i];
				memmove(waits + i, waits + i + 1, (size_t)(nwaits - i - 1) * sizeof(*waits));
				nwaits--;
				nt_thread_state(w->t)->waiting = NULL;
				{
					struct tracee *t = w->t;
					st = answer(w, st);
					wait_free(w);
					nt_done(t, st);
				}
				progress = true;
				break;
			}
		}
	}
	rearm();
}

void nt_timer_rearm(void)
{
	rearm();
}

void nt_waits_tick(bool clock)
{
	uint64_t now;

	if (!clock && !timer_on)
		return;
	if (clock) /* the clock host_tick_every was asked for: KUSER_SHARED_DATA's clocks go on too */
		nt_kuser_tick();
	now = monotonic_ns();
	if (nt_timers_fire(now)) /* timers that are due are signalled: their waiters go first */
		nt_waits_recheck();
	for (int i = 0; i < nwaits; i++)
		if (waits[i]->deadline && waits[i]->deadline <= now) {
			struct nt_wait *w = waits[i];
			struct tracee *t = w->t;

			memmove(waits + i, waits + i + 1, (size_t)(nwaits - i - 1) * sizeof(*waits));
			nwaits--;
			i--;
			nt_thread_state(t)->waiting = NULL;
			{
				bool delay = w->delay;

				wait_free(w);
				nt_done(t, delay ? STATUS_SUCCESS : STATUS_TIMEOUT);
			}
		}
	/* A signal for a waiting thread: the wait is taken back so the signal is delivered (and, if the
	 * program lives on, the thread makes its call again). */
	for (int i = 0; clock && i < nwaits; i++)
		if (signal_pending(host_tid(waits[i]->t))) {
			struct nt_wait *w = waits[i];
			struct tracee *t = w->t;
			memmove(waits + i, waits + i + 1, (size_t)(nwaits - i - 1) * sizeof(*waits));
			nwaits--;
			i--;
			nt_thread_state(t)->waiting = NULL;
			wait_free(w);
			nt_restart(t);
		}
	rearm();
}

/* The thread is gone while it waited: forget its wait. */
void nt_wait_cancel(struct tracee *t)
{
	for (int i = 0; i < nwaits; i++)
		if (waits[i]->t == t) {
			struct nt_wait *w = waits[i];
			memmove(waits + i, waits + i + 1, (size_t)(nwaits - i - 1) * sizeof(*waits));
			nwaits--;
			wait_free(w);
			break;
		}
	if (nt_thread_state(t))
		nt_thread_state(t)->waiting = NULL;
	rearm();
}

/* An APC was queued for t: if it is parked in an alertable wait, the wait ends and the APC runs. */
void nt_wait_alert(struct tracee *t)
{
	for (int i = 0; i < nwaits; i++)
		if (waits[i]->t == t && waits[i]->alertable) {
			struct nt_wait *w = waits[i];
			memmove(waits + i, waits + i + 1, (size_t)(nwaits - i - 1) * sizeof(*waits));
			nwaits--;
			nt_thread_state(t)->waiting = NULL;
			wait_free(w);
			nt_apc_deliver(t);
			break;
		}
	rearm();
}

/* Take back a parked wait: the thread is put before its syscall instruction (held if suspended). */
void nt_wait_take_back(struct tracee *t)
{
	for (int i = 0; i < nwaits; i++)
		if (waits[i]->t == t) {
			struct nt_wait *w = waits[i];
			memmove(waits + i, waits + i + 1, (size_t)(nwaits - i - 1) * sizeof(*waits));
			nwaits--;
			nt_thread_state(t)->waiting = NULL;
			wait_free(w);
			nt_restart(t);
			break;
		}
	rearm();
}

/* A timeout as a monotonic deadline: 0 none (infinite), or -1 when it is already due (a zero timeout). */
int nt_deadline_of(struct tracee *t, uint64_t ptr, uint64_t *deadline)
{
	struct nt_timeout to;
	uint64_t now = monotonic_ns(), ticks;

	*deadline = 0;
	if (nt_timeout_read(t, ptr, &to))
		return -EFAULT;
	if (to.infinite)
		return 0;
	ticks = to.ticks;
	if (to.absolute) { /* a system time: how far it is from now */
		uint64_t t_now = nt_time_now();
		ticks = to.ticks > t_now ? to.ticks - t_now : 0;
	}
	if (ticks == 0)
		return -1;
	/* Further than the monotonic clock can count (2^62 ticks are 14,000 years): no deadline at all. */
	if (ticks > (UINT64_MAX - now) / 100)
		return 0;
	*deadline = now + ticks * 100;
	return 0;
}

enum wait_kind {
	WAIT_OBJECTS,
	WAIT_PACKETS, /* NtRemoveIoCompletion(Ex): the port's packets go to the caller */
	WAIT_DELAY,   /* NtDelayExecution with Alertable: nothing but the timeout and APCs */
};

static void wait_for_ex(struct tracee *t, const uint64_t *handles, int n, bool all, uint64_t timeout, enum wait_kind kind,
			bool alertable);

static void wait_for(struct tracee *t, const uint64_t *handles, int n, bool all, uint64_t timeout, bool alertable)
{
	wait_for_ex(t, handles, n, all, timeout, WAIT_OBJECTS, alertable);
}

/* NtRemoveIoCompletion(Ex): a wait on the port that takes its packets (nt_iocp.c). */
void nt_wait_for_packets(struct tracee *t, uint64_t port, uint64_t timeout, bool alertable)
{
	wait_for_ex(t, &port, 1, false, timeout, WAIT_PACKETS, alertable);
}

void nt_wait_alertable_delay(struct tracee *t, uint64_t timeout)
{
	wait_for_ex(t, NULL, 0, false, timeout, WAIT_DELAY, true);
}

static void wait_for_ex(struct tracee *t, const uint64_t *handles, int n, bool all, uint64_t timeout, enum wait_kind kind,
			bool alertable)
{
	struct nt_process *p = nt_process_of(t);
	struct nt_wait *w = xcalloc(1, sizeof(*w));
	ntstatus st;
	int due;

	w->t = t;
	w->all = all;
	w->takes_packets = kind == WAIT_PACKETS;
	w->delay = kind == WAIT_DELAY;
	w->alertable = alertable;
	if (alertable && nt_apc_pending(t)) { /* an alertable wait with APCs queued runs them and returns */
		free(w);
		nt_apc_deliver(t);
		return;
	}
	for (int i = 0; i < n; i++) {
		struct nt_object *o = NULL;

		if (handles[i] == (uint64_t)-1 || handles[i] == (uint64_t)-2) {
			/* the current process or thread: signalled only once it has ended, which it has not */
			o = nt_object_new(handles[i] == (uint64_t)-1 ? NT_TYPE_PROCESS : NT_TYPE_THREAD);
			o->thread.tid = host_tid(t);
		} else {
			st = nt_handle_get(p, handles[i], NT_TYPE_COUNT, &o, NULL);
			if (st) {
				w->n = i;
				wait_free(w);
				nt_done(t, st);
				return;
			}
			if (o->type == NT_TYPE_SECTION) {
				w->n = i;
				wait_free(w);
				nt_done(t, STATUS_OBJECT_TYPE_MISMATCH);
				return;
			}
		}
		o->refs++;
		w->obj[i] = o;
		w->n = i + 1;
	}
	if (all)
		for (int i = 0; i < n; i++)
			for (int j = 0; j < i; j++)
				if (w->obj[i] == w->obj[j]) {
					wait_free(w);
					nt_done(t, STATUS_INVALID_PARAMETER_MIX);
					return;
				}
	due = nt_deadline_of(t, timeout, &w->deadline);
	if (due == -EFAULT) {
		wait_free(w);
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	if (try_satisfy(w, &st)) {
		st = answer(w, st);
		wait_free(w);
		nt_done(t, st);
		return;
	}
	if (due < 0) {
		wait_free(w);
		nt_done(t, kind == WAIT_DELAY ? STATUS_SUCCESS : STATUS_TIMEOUT);
		return;
	}
	if (nt_suspension_pending(t)) {
		/* Suspended while its call was on its way (the interrupt came as its seccomp stop did): a parked
		 * wait would never be held, and the suspender waits for that. It is held before its call instead,
		 * to make it again once resumed: a suspended thread takes nothing it waits for. */
		wait_free(w);
		nt_restart(t);
		return;
	}
	if (nwaits == capwaits)
		waits = xrealloc(waits, (size_t)(capwaits = capwaits ? capwaits * 2 : 16) * sizeof(*waits));
	waits[nwaits++] = w;
	nt_thread_state(t)->waiting = w;
	rearm();
	/* parked: not resumed until nt_waits_recheck or nt_waits_tick answers it */
}

void nt_serve_NtWaitForSingleObject(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);

	wait_for(t, &c->a[0], 1, false, c->a[2], (uint8_t)c->a[1] != 0);
}

void nt_serve_NtWaitForMultipleObjects(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	uint32_t n = (uint32_t)c->a[0], type = (uint32_t)c->a[2];
	uint64_t handles[MAX_WAIT_OBJECTS];

	if (n == 0 || n > MAX_WAIT_OBJECTS) {
		nt_done(t, STATUS_INVALID_PARAMETER_1); /* the count is the first parameter */
		return;
	}
	if (type > 1) {
		nt_done(t, STATUS_INVALID_PARAMETER_3);
		return;
	}
	if (nt_get(t, c->a[1], handles, n * 8)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	wait_for(t, handles, (int)n, type == 0, c->a[4], (uint8_t)c->a[3] != 0);
}

/* ---- Creating the objects: named ones (OBJECT_ATTRIBUTES with a name) are shared within the run. */

static char *object_name(struct tracee *t, uint64_t oa, ntstatus *st)
{
	unsigned char a[0x30];
	uint64_t name;
	uint16_t *u;
	size_t n;
	char *s;

	*st = STATUS_SUCCESS;
	if (!oa)
		return NULL;
	if (nt_get(t, oa, a, sizeof(a))) {
		*st = STATUS_ACCESS_VIOLATION;
		return NULL;
	}
	memcpy(&name, a + 0x10, 8);
	*st = nt_get_ustr(t, name, &u, &n);
	if (*st || !n) {
		free(u);
		return NULL;
	}
	s = nt_units_utf8(u, n);
	free(u);
	return s;
}

/*
 * Give the program a handle to a new object of type (init fills it), or to the
 * existing one of that name (STATUS_OBJECT_NAME_EXISTS; another type under the
 * name: OBJECT_TYPE_MISMATCH).
 */
void nt_create_object(struct tracee *t, enum nt_type type, void (*init)(struct nt_object *o, struct tracee *t))
{
	struct nt_call *c = nt_call_of(t);
	uint64_t probe, h;
	ntstatus st, ret = STATUS_SUCCESS;
	char *name;
	struct nt_object *o = NULL;

	if (nt_get(t, c->a[0], &probe, 8)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	name = object_name(t, c->a[2], &st);
	if (st) {
		nt_done(t, st);
		return;
	}
	if (name && (o = nt_named_find(name))) {
		if (o->type != type) {
			free(name);
			nt_done(t, STATUS_OBJECT_TYPE_MISMATCH);
			return;
		}
		ret = STATUS_OBJECT_NAME_EXISTS;
	}
	if (!o) {
		/* A new object (and its name) is kept by the supervisor: within the run's bound */
		if (!nt_kept_fits(sizeof(*o) + (name ? nt_named_cost(name) : 0))) {
			free(name);
			nt_done(t, STATUS_INSUFFICIENT_RESOURCES);
			return;
		}
		o = nt_object_new(type);
		init(o, t);
		if (name) {
			nt_named_add(name, o);
			name = NULL;
		}
	}
	free(name);
	h = nt_handle_add(nt_process_of(t), o, (uint32_t)c->a[1] ? (uint32_t)c->a[1] : 0x1f0003);
	if (!h) {
		if (!o->refs)
			nt_object_free(o);
		nt_done(t, STATUS_TOO_MANY_OPENED_FILES);
		return;
	}
	nt_put(t, c->a[0], &h, 8);
	nt_done(t, ret);
}

static void init_event(struct nt_object *o, struct tracee *t)
{
	const uint64_t *a = nt_call_of(t)->a;

	o->event.manual_reset = (uint32_t)a[3] == 0; /* NotificationEvent 0, SynchronizationEvent 1 */
	o->event.signaled = (uint8_t)a[4] != 0;
}

void nt_serve_NtCreateEvent(struct tracee *t)
{
	if ((uint32_t)nt_call_of(t)->a[3] > 1) {
		nt_done(t, STATUS_INVALID_PARAMETER);
		return;
	}
	nt_create_object(t, NT_TYPE_EVENT, init_event);
}

static void init_mutant(struct nt_object *o, struct tracee *t)
{
	if ((uint8_t)nt_call_of(t)->a[3]) {
		o->mutant.owner = host_tid(t);
		o->mutant.count = 1;
	}
}

void nt_serve_NtCreateMutant(struct tracee *t)
{
	nt_create_object(t, NT_TYPE_MUTANT, init_mutant);
}

static void init_semaphore(struct nt_object *o, struct tracee *t)
{
	const uint64_t *a = nt_call_of(t)->a;

	o->sem.count = (int32_t)a[3];
	o->sem.max = (int32_t)a[4];
}

void nt_serve_NtCreateSemaphore(struct tracee *t)
{
	const uint64_t *a = nt_call_of(t)->a;
	int32_t initial = (int32_t)a[3], max = (int32_t)a[4];

	if (max <= 0 || initial < 0 || initial > max) {
		nt_done(t, STATUS_INVALID_PARAMETER);
		return;
	}
	nt_create_object(t, NT_TYPE_SEMAPHORE, init_semaphore);
}

/* ---- Signalling */

static ntstatus event_of(struct tracee *t, struct nt_object **o)
{
	return nt_handle_get(nt_process_of(t), nt_call_of(t)->a[0], NT_TYPE_EVENT, o, NULL);
}

static void set_event(struct tracee *t, bool on, bool report)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_object *o;
	ntstatus st = event_of(t, &o);
	int32_t prev;

	if (st) {
		nt_done(t, st);
		return;
	}
	prev = o->event.signaled;
	if (report && c->a[1] && nt_put(t, c->a[1], &prev, 4)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	o->event.signaled = on;
	nt_done(t, STATUS_SUCCESS);
	if (on)
		nt_waits_recheck();
}

void nt_event_signal(struct tracee *t, uint64_t h)
{
	struct nt_object *o;

	if (h && nt_handle_get(nt_process_of(t), h, NT_TYPE_EVENT, &o, NULL) == STATUS_SUCCESS) {
		o->event.signaled = true;
		nt_waits_recheck();
	}
}

void nt_serve_NtSetEvent(struct tracee *t)
{
	set_event(t, true, true);
}

void nt_serve_NtResetEvent(struct tracee *t)
{
	set_event(t, false, true);
}

void nt_serve_NtClearEvent(struct tracee *t)
{
	set_event(t, false, false);
}

void nt_serve_NtReleaseMutant(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_object *o;
	ntstatus st = nt_handle_get(nt_process_of(t), c->a[0], NT_TYPE_MUTANT, &o, NULL);
	int32_t prev;

	if (st) {
		nt_done(t, st);
		return;
	}
	if (o->mutant.owner != host_tid(t)) {
		nt_done(t, STATUS_MUTANT_NOT_OWNED);
		return;
	}
	prev = 1 - (int32_t)o->mutant.count; /* NT's count: 1 free, 0 owned once, -1 twice... */
	if (c->a[1] && nt_put(t, c->a[1], &prev, 4)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	if (--o->mutant.count == 0)
		o->mutant.owner = 0;
	nt_done(t, STATUS_SUCCESS);
	nt_waits_recheck();
}

void nt_serve_NtReleaseSemaphore(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_object *o;
	ntstatus st = nt_handle_get(nt_process_of(t), c->a[0], NT_TYPE_SEMAPHORE, &o, NULL);
	int32_t n = (int32_t)c->a[1], prev;

	if (st) {
		nt_done(t, st);
		return;
	}
	if (n <= 0) {
		nt_done(t, STATUS_INVALID_PARAMETER);
		return;
	}
	if (n > o->sem.max - o->sem.count) {
		nt_done(t, STATUS_SEMAPHORE_LIMIT_EXCEEDED);
		return;
	}
	prev = o->sem.count;
	if (c->a[2] && nt_put(t, c->a[2], &prev, 4)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	o->sem.count += n;
	nt_done(t, STATUS_SUCCESS);
	nt_waits_recheck();
}

/* A thread that ends gives up its mutants: abandoned, and waiters may have them. */
void nt_mutants_abandon(struct nt_process *p, pid_t tid)
{
	for (int i = 1; p && i < p->nhandles; i++) {
		struct nt_object *o = p->handles[i].obj;

		if (o && o->type == NT_TYPE_MUTANT && o->mutant.owner == tid) {
			o->mutant.owner = 0;
			o->mutant.count = 0;
			o->mutant.abandoned = true;
		}
	}
}
