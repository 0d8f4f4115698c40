/* Wall-time and run-wide memory limits (include/run_limits.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "event_loop.h"
#include "run_limits.h"
#include "sandbox.h"
#include "util.h"

/* The co-scheduling timer has SIGRTMIN+2. */
#define LIMITS_TICK_SIGNAL (SIGRTMIN + 3)
/* Often enough that a memory bomb is caught within a few hundred MB: one read of /proc per process a tick. */
#define SAMPLE_INTERVAL_NS 20000000L

static struct {
	bool on;
	uint64_t deadline_ns;   /* 0: no wall limit */
	uint64_t memory_limit;  /* 0: none */
	unsigned long long peak;
	volatile sig_atomic_t due;
} lim;

static void on_tick(int sig)
{
	(void)sig;
	lim.due = 1;
}

void run_limits_start(void)
{
	struct sandbox *sb = sandbox_get();
	struct sigaction sa;
	struct sigevent ev;
	timer_t timer;
	struct itimerspec its = { { 0, SAMPLE_INTERVAL_NS }, { 0, SAMPLE_INTERVAL_NS } };

	if (!sb || (!sb->policy.limit_set[LIMIT_WALL] && !sb->policy.limit_set[LIMIT_MEMORY]))
		return;
	if (sb->policy.limit_set[LIMIT_WALL])
		lim.deadline_ns = monotonic_ns() + sb->policy.limit[LIMIT_WALL];
	if (sb->policy.limit_set[LIMIT_MEMORY])
		lim.memory_limit = sb->policy.limit[LIMIT_MEMORY];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_tick; /* no SA_RESTART: the event loop's waitpid returns EINTR */
	sigaction(LIMITS_TICK_SIGNAL, &sa, NULL);
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = LIMITS_TICK_SIGNAL;
	if (timer_create(CLOCK_MONOTONIC, &ev, &timer) < 0 || timer_settime(timer, 0, &its, NULL) < 0)
		die("cannot start the timer of the run's limits: %s", strerror(errno));
	lim.on = true;
}

static void add_rss(struct tracee *t, void *ctx)
{
	unsigned long long *sum = ctx;
	char path[64];
	unsigned long size, resident;
	FILE *f;

	if (!t->proc || t->proc->tgid != t->tid)
		return; /* one reading per process: threads share it */
	snprintf(path, sizeof(path), "/proc/%d/statm", t->tid);
	f = fopen(path, "re");
	if (!f)
		return;
	if (fscanf(f, "%lu %lu", &size, &resident) == 2)
		*sum += (unsigned long long)resident * (unsigned long long)sysconf(_SC_PAGESIZE);
	fclose(f);
}

void run_limits_tick(void)
{
	unsigned long long rss = 0;

	if (!lim.on || !lim.due || run_end_reason() != RUN_END_NONE)
		return;
	lim.due = 0;
	if (lim.deadline_ns && monotonic_ns() >= lim.deadline_ns) {
		warn("the run reached its wall-time limit (%.3f s): ending it",
		     (double)sandbox_get()->policy.limit[LIMIT_WALL] / 1e9);
		run_end_request(RUN_END_WALL);
		return;
	}
	if (!lim.memory_limit)
		return;
	tracee_for_each(add_rss, &rss);
	if (rss > lim.peak)
		lim.peak = rss;
	if (rss > lim.memory_limit) {
		warn("the run's processes use %llu MiB, over its memory limit of %llu MiB: ending it", rss >> 20,
		     (unsigned long long)lim.memory_limit >> 20);
		run_end_request(RUN_END_MEMORY);
	}
}

unsigned long long run_limits_peak_memory(void)
{
	return lim.peak;
}
