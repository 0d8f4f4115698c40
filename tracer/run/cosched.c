/* Co-scheduling supervisor and tracees on one CPU while the run is stop-bound (tracer/run/cosched.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cosched.h"
#include "event_loop.h"
#include "options.h"
#include "personality.h"
#include "trace.h"
#include "tracee.h"
#include "util.h"

/*
 * Pin above 4000 stops a second over 10 ms (at 25-50 us a cross-CPU stop, a
 * fifth of the time or more goes to wake-ups); unpin below 1000 over 100 ms
 * (the run computes: let it spread over the CPUs). While pinned, a timer
 * wakes the supervisor every 100 ms, since a run that only computes makes no
 * stops that would tell it.
 *
 * A run whose main program gets a personality that sees every call (NT)
 * starts pinned: its start (ntdll's loader opening, reading and protecting
 * its DLLs) is all stops, and is over before a first 10 ms window could tell
 * (a hello.exe's 35 stops took 9.8 ms across CPUs, 4.6 ms on one). Every open
 * of such a program is the supervisor's (cosched_fd_opened), so the pin stays
 * out of its sight as under a trace. The first look comes sooner, after
 * 20 ms at the same rate, so a program that computes from its start gets its
 * CPUs back early. (A Linux program's opens run unseen under `run`: starting
 * it pinned would show in its /proc status.)
 */
enum {
	PIN_WINDOW_NS = 10 * 1000 * 1000,
	PIN_STOPS = 4000 / 100,
	UNPIN_WINDOW_NS = 100 * 1000 * 1000,
	UNPIN_STOPS = 1000 / 10,
	FIRST_UNPIN_WINDOW_NS = 20 * 1000 * 1000,
	FIRST_UNPIN_STOPS = 1000 / 50,
};

static struct {
	bool enabled;
	bool pinned;
	bool started;      /* cosched_start came (once a run) */
	bool first_window; /* pinned since the start: the first look is FIRST_UNPIN_WINDOW_NS in */
	int cpu;
	cpu_set_t original; /* the supervisor's mask at start: what tracees inherit */
	uint64_t short_start, long_start;
	unsigned short_stops, long_stops;
	timer_t timer;
	bool have_timer;
} cs;

static void on_tick(int sig)
{
	(void)sig; /* it only interrupts waitpid */
}

void cosched_init(bool enabled)
{
	struct sigaction sa;
	struct sigevent ev;

	cs.enabled = enabled && sched_getaffinity(0, sizeof(cs.original), &cs.original) == 0 &&
		     CPU_COUNT(&cs.original) > 1;
	cs.short_start = cs.long_start = monotonic_ns();
	if (!cs.enabled)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_tick; /* no SA_RESTART: waitpid returns EINTR */
	sigaction(COSCHED_TICK_SIGNAL, &sa, NULL);
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = COSCHED_TICK_SIGNAL;
	cs.have_timer = timer_create(CLOCK_MONOTONIC, &ev, &cs.timer) == 0;
}

static void arm_timer(bool on)
{
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };

	if (!cs.have_timer)
		return;
	if (on) {
		its.it_interval.tv_nsec = UNPIN_WINDOW_NS;
		its.it_value.tv_nsec = cs.first_window ? FIRST_UNPIN_WINDOW_NS : UNPIN_WINDOW_NS;
	}
	timer_settime(cs.timer, 0, &its, NULL);
}

unsigned cosched_trapped_classes(void)
{
	return cs.enabled ? SC_AFFINITY : 0;
}

static void pin_one(struct tracee *t, void *ctx)
{
	cpu_set_t one;

	(void)ctx;
	if (t->own_affinity || t->pinned)
		return;
	CPU_ZERO(&one);
	CPU_SET(cs.cpu, &one);
	/* A thread that cannot be moved (gone, other credentials) just stays where it is. */
	t->pinned = sched_setaffinity(t->tid, sizeof(one), &one) == 0;
}

static void unpin_one(struct tracee *t, void *ctx)
{
	(void)ctx;
	if (!t->pinned)
		return;
	sched_setaffinity(t->tid, sizeof(cs.original), &cs.original);
	t->pinned = false;
}

static void pin_all(void)
{
	cpu_set_t one;
	int cpu = sched_getcpu();

	if (cpu < 0 || !CPU_ISSET(cpu, &cs.original))
		return;
	cs.cpu = cpu;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one) < 0)
		return;
	cs.pinned = true;
	tracee_for_each(pin_one, NULL);
	arm_timer(true);
	if (run_options()->verbose >= 2)
		fprintf(stderr, "picovisor: co-scheduling the run on CPU %d\n", cpu);
}

static void unpin_all(void)
{
	tracee_for_each(unpin_one, NULL);
	sched_setaffinity(0, sizeof(cs.original), &cs.original);
	cs.pinned = false;
	arm_timer(false);
	if (run_options()->verbose >= 2)
		fprintf(stderr, "picovisor: the run spreads over its CPUs again\n");
}

static void decide(uint64_t now)
{
	if (!cs.pinned && now - cs.short_start >= PIN_WINDOW_NS) {
		if (cs.short_stops >= PIN_STOPS) {
			pin_all();
			cs.long_start = now;
			cs.long_stops = 0;
		}
		cs.short_start = now;
		cs.short_stops = 0;
	} else if (cs.pinned && now - cs.long_start >= (cs.first_window ? FIRST_UNPIN_WINDOW_NS : UNPIN_WINDOW_NS)) {
		if (cs.long_stops < (cs.first_window ? FIRST_UNPIN_STOPS : UNPIN_STOPS))
			unpin_all();
		cs.first_window = false;
		cs.long_start = cs.short_start = now;
		cs.long_stops = cs.short_stops = 0;
	}
}

void cosched_note_stop(void)
{
	if (!cs.enabled)
		return;
	cs.short_stops++;
	cs.long_stops++;
	decide(monotonic_ns());
}

void cosched_tick(void)
{
	if (cs.enabled)
		decide(monotonic_ns());
}

void cosched_start(void)
{
	if (!cs.enabled || cs.started || cs.pinned)
		return;
	cs.started = true;
	cs.first_window = true;
	pin_all();
	cs.first_window = cs.pinned;
	cs.long_start = cs.short_start = monotonic_ns();
	cs.long_stops = cs.short_stops = 0;
}

void cosched_new_task(struct tracee *child, const struct tracee *parent)
{
	child->pinned = parent->pinned;
	child->own_affinity = parent->own_affinity;
}

/* The tracee a pid argument names: 0 is the caller; a thread outside the run is none of ours. */
static struct tracee *target_of(struct tracee *t, long pid)
{
	return pid == 0 ? t : tracee_find((pid_t)pid);
}

void cosched_syscall_enter(struct tracee *t, const struct syscall_stop *s)
{
	/* sched_setaffinity(pid, len, mask), sched_getaffinity alike: the mask follows its length */
	int pid_arg = syscall_arg_index(s->abi, s->entry, K_PID), mask_arg = syscall_arg_index(s->abi, s->entry, K_SIZE) + 1;
	bool set = (s->entry->flags & SC_AFFINITY_SET) != 0;
	struct tracee *target = target_of(t, (long)(int)regs_arg(&s->regs, s->abi, pid_arg));

	if (target && set) {
		/*
		 * The program decides this thread's CPUs from now on, if the kernel takes the mask: never
		 * pinned meanwhile (a pin after the call would undo the program's choice), and put back as
		 * it was if the call fails.
		 */
		t->affinity_fixup = t->affinity_set = true;
		t->affinity_target = target->tid;
		t->affinity_was_pinned = target->pinned;
		t->affinity_was_own = target->own_affinity;
		target->own_affinity = true;
		target->pinned = false;
		t->resume = RESUME_SYSCALL;
	} else if (target && target->pinned) {
		/* Let the kernel answer (sizes, errors), then put the mask the thread really has in place. */
		t->affinity_fixup = true;
		t->affinity_set = false;
		t->affinity_buf = regs_arg(&s->regs, s->abi, mask_arg);
		t->resume = RESUME_SYSCALL;
	}
	tracee_resume(t, 0);
}

/* A sched_setaffinity that failed: the target keeps the state it had (and its pin only while the run is pinned). */
static void set_failed(struct tracee *t)
{
	struct tracee *target = tracee_find(t->affinity_target);

	if (!target)
		return;
	target->own_affinity = t->affinity_was_own;
	target->pinned = t->affinity_was_pinned;
	if (target->pinned && !cs.pinned)
		unpin_one(target, NULL);
}

void cosched_syscall_exit(struct tracee *t)
{
	tracee_regs r;
	long ret;

	t->affinity_fixup = false;
	if (regs_get(t->tid, &r) < 0)
		return;
	ret = regs_retval(&r);
	if (t->affinity_set) {
		t->affinity_set = false;
		if (ret < 0)
			set_failed(t);
		return;
	}
	if (ret > 0)
		tracee_write(t->tid, t->affinity_buf, &cs.original,
			     (size_t)ret < sizeof(cs.original) ? (size_t)ret : sizeof(cs.original));
}

/* Does the call open a file (the open family: its arguments have open flags)? */
static bool opens_file(const struct syscall_entry *e)
{
	for (int i = 0; e && i < syscall_nargs(e); i++)
		if (e->args[i].kind == K_OPEN_FLAGS || e->args[i].kind == K_OPEN_HOW)
			return true;
	return e && (e->flags & SC_CREAT);
}

/*
 * The thread whose Cpus_allowed (status) or processor (stat) a /proc file
 * shows: /proc/PID/status, /proc/PID/task/TID/stat, ... as the open fd's
 * link names it (self and thread-self already resolved). 0 if none.
 */
static pid_t proc_file_thread(const char *path)
{
	/* /proc files (not calls): the thread's Cpus_allowed and its processor field */
	static const char *const cpu_files[] = { "status", "stat" };
	int a, b, n = 0;
	char file[8];

	if (sscanf(path, "/proc/%d/task/%d/%7[a-z]%n", &a, &b, file, &n) == 3 && path[n] == '\0')
		a = b;
	else if (sscanf(path, "/proc/%d/%7[a-z]%n", &a, file, &n) != 2 || path[n] != '\0')
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(cpu_files); i++)
		if (strcmp(file, cpu_files[i]) == 0)
			return a;
	return 0;
}

void cosched_call_seen(struct tracee *t)
{
	enum abi abi;
	long nr, ret;

	if (cs.enabled && trace_call_last(t, &abi, &nr, &ret) && opens_file(syscall_lookup(abi, (int)nr)))
		cosched_fd_opened(t, ret);
}

void cosched_fd_opened(struct tracee *t, long fd)
{
	char link[64], path[96];
	ssize_t n;
	struct tracee *target;

	if (!cs.enabled || fd < 0 || fd > 0x7fffffff)
		return;
	snprintf(link, sizeof(link), "/proc/%d/fd/%ld", t->tid, fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0)
		return;
	path[n] = '\0';
	target = tracee_find(proc_file_thread(path));
	if (!target || target->own_affinity)
		return;
	/* Its contents are made when read: the thread's own mask must be in place from now on. */
	if (target->pinned)
		unpin_one(target, NULL);
	target->own_affinity = true;
	if (run_options()->verbose >= 2)
		fprintf(stderr, "picovisor: thread %d looks at its affinity in /proc: not co-scheduled again\n", target->tid);
}
