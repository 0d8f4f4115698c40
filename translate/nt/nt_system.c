/*
 * Time, the process and its threads as NT sees them: NtQuerySystemTime,
 * NtQueryPerformanceCounter, NtDelayExecution, NtYieldExecution,
 * NtTerminateProcess, NtTerminateThread, NtQueryInformationProcess and
 * NtQueryInformationThread (basic classes), NtQuerySystemInformation (basic
 * and time of day).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#include "arch.h"
#include "nt_internal.h"

#define NT_CURRENT_PROCESS ((uint64_t)-1)
#define NT_CURRENT_THREAD ((uint64_t)-2)

uint64_t nt_time_of(int64_t sec, long nsec)
{
	return ((uint64_t)sec + NT_EPOCH_1601_TO_1970) * NT_TICKS_PER_SECOND + (uint64_t)nsec / 100;
}

uint64_t nt_time_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return nt_time_of(ts.tv_sec, ts.tv_nsec);
}

static uint64_t boot_time(void)
{
	struct timespec now, up;

	clock_gettime(CLOCK_REALTIME, &now);
	clock_gettime(CLOCK_BOOTTIME, &up);
	return nt_time_of(now.tv_sec, now.tv_nsec) - ((uint64_t)up.tv_sec * NT_TICKS_PER_SECOND + (uint64_t)up.tv_nsec / 100);
}

void nt_serve_NtQuerySystemTime(struct tracee *t)
{
	uint64_t now = nt_time_now();

	nt_done(t, nt_put(t, nt_call_of(t)->a[0], &now, 8) ? STATUS_ACCESS_VIOLATION : STATUS_SUCCESS);
}

void nt_serve_NtQueryPerformanceCounter(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	uint64_t freq = NT_TICKS_PER_SECOND, count;
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	count = (uint64_t)ts.tv_sec * NT_TICKS_PER_SECOND + (uint64_t)ts.tv_nsec / 100;
	if (nt_put(t, c->a[0], &count, 8) || (c->a[1] && nt_put(t, c->a[1], &freq, 8)))
		nt_done(t, STATUS_ACCESS_VIOLATION);
	else
		nt_done(t, STATUS_SUCCESS);
}

static void after_sleep(struct tracee *t, long ret)
{
	nt_done(t, ret < 0 ? nt_status_of_errno((int)ret) : STATUS_SUCCESS);
}

int nt_timeout_read(struct tracee *t, uint64_t ptr, struct nt_timeout *to)
{
	int64_t v;

	memset(to, 0, sizeof(*to));
	if (!ptr) {
		to->infinite = true;
		return 0;
	}
	if (nt_get(t, ptr, &v, 8))
		return -EFAULT;
	to->absolute = v > 0;
	to->ticks = v > 0 ? (uint64_t)v : 0 - (uint64_t)v; /* INT64_MIN is 2^63 ticks, without a signed negation */
	return 0;
}

void nt_serve_NtDelayExecution(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_timeout to;
	struct timespec ts;
	clockid_t clock = CLOCK_MONOTONIC;
	int flags = 0;
	uint64_t at, ticks;

	if (nt_timeout_read(t, c->a[1], &to)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	if ((uint8_t)c->a[0]) { /* alertable: a parked wait an APC can end (nt_apc.c) */
		nt_wait_alertable_delay(t, c->a[1]);
		return;
	}
	ticks = to.ticks;
	if (to.infinite) {
		ticks = (1ULL << 40) * NT_TICKS_PER_SECOND; /* forever, as far as a program can tell */
	} else if (to.absolute) {
		/* an absolute system time: the realtime clock's, so that setting the clock moves it */
		clock = CLOCK_REALTIME;
		flags = TIMER_ABSTIME;
		if (ticks < NT_EPOCH_1601_TO_1970 * NT_TICKS_PER_SECOND)
			ticks = NT_EPOCH_1601_TO_1970 * NT_TICKS_PER_SECOND;
		ticks -= NT_EPOCH_1601_TO_1970 * NT_TICKS_PER_SECOND;
	}
	ts.tv_sec = (time_t)(ticks / NT_TICKS_PER_SECOND);
	ts.tv_nsec = (long)(ticks % NT_TICKS_PER_SECOND) * 100;
	at = nt_scratch_put(t, 0, &ts, sizeof(ts));
	if (!at) {
		nt_done(t, STATUS_NO_MEMORY);
		return;
	}
	/* The thread sleeps, not the supervisor: other threads go on being served. */
	nt_linux(t, after_sleep, SYS_clock_nanosleep, (uint64_t)clock, (uint64_t)flags, at, 0, 0, 0);
}

void nt_serve_NtYieldExecution(struct tracee *t)
{
	nt_linux(t, after_sleep, SYS_sched_yield, 0, 0, 0, 0, 0, 0);
}

/* The call never returns: record it as such, and run exit_group / exit in its place. */
static void leave(struct tracee *t, long nr, ntstatus status)
{
	struct nt_call *c = nt_call_of(t);
	tracee_regs r = c->regs;

	if (host_tracing())
		nt_trace_call(t, false);
	regs_set_syscall_nr(&r, nr);
	regs_set_arg(&r, ABI_NATIVE, 0, status & 0xff);
	c->active = false;
	nt_go_on(t, &r, false);
}

void nt_serve_NtTerminateProcess(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	ntstatus status = (ntstatus)c->a[1];
	struct nt_object *o;
	ntstatus st;

	if (c->a[0] != 0 && !nt_is_current_process(t, c->a[0])) { /* NULL: the current process too */
		st = nt_handle_get(nt_process_of(t), c->a[0], NT_TYPE_PROCESS, &o, NULL);
		nt_done(t, st);
		return;
	}
	nt_process_exit(t, status);
}

void nt_process_exit(struct tracee *t, ntstatus status)
{
	/* The exit code is the status's low byte; the whole status goes into the trace and the report. */
	host_set_process_status(t, status, false);
	leave(t, SYS_exit_group, status);
}

void nt_thread_end(struct tracee *t, ntstatus status)
{
	nt_thread_state(t)->terminating = false;
	nt_thread_state(t)->suspend_count = 0; /* its end is not held */
	if (nt_thread_state(t)->waiting)
		nt_wait_cancel(t);
	nt_thread_exited(t, status);
	if (host_tracing() && nt_call_of(t)->svc)
		nt_trace_call(t, false);
	/* Run as a Linux call of the service (checked on arrival like any): the thread is gone after it. */
	nt_linux(t, NULL, SYS_exit, (uint64_t)(status & 0xff), 0, 0, 0, 0, 0);
}

/*
 * Another thread of the process is ended as NT ends one: asynchronously. It
 * is marked, and ends at its next stop in a service: at once if it is
 * parked in a wait, when the Linux call it is in returns, at its next
 * service call (those ntdll serves in the process stop again for it), or,
 * running the program's code, at the system call a signal sends it to
 * (nt_thread_stop.c).
 */
static void terminate_other(struct tracee *t, struct nt_object *o, ntstatus status)
{
	struct tracee *target = o->thread.tid ? host_find_thread(o->thread.tid) : NULL;

	if (o->thread.done || !target || !nt_thread_state(target) || host_tgid(target) != host_tgid(t)) {
		nt_done(t, o->thread.done || !target ? STATUS_SUCCESS : STATUS_INVALID_HANDLE);
		return;
	}
	if (!nt_thread_state(target)->terminating) {
		uint64_t stop = 1;

		nt_thread_state(target)->terminating = true;
		nt_thread_state(target)->terminate_status = status;
		/* Its services served in the process (translate/nt/dlls/ntdll/gate.c) stop again from now on. */
		nt_put(t, nt_thread_of(target)->teb + NT_TEB_GATE_STOP, &stop, sizeof(stop));
	}
	if (nt_thread_state(target)->waiting) /* stopped at its seccomp stop, held by the supervisor */
		nt_thread_end(target, status);
	else {
		nt_suspend_release_all(target); /* a suspended one is let go, to end at its next stop */
		if (!nt_thread_state(target)->call.active) /* running the program's code: stopped by a signal */
			nt_thread_interrupt(target);
	}
	nt_done(t, STATUS_SUCCESS);
}

void nt_serve_NtTerminateThread(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	ntstatus status = (ntstatus)c->a[1];
	struct nt_object *o = NULL;

	if (c->a[0] != NT_CURRENT_THREAD && c->a[0] != 0) {
		ntstatus st = nt_handle_get(nt_process_of(t), c->a[0], NT_TYPE_THREAD, &o, NULL);

		if (st) {
			nt_done(t, st);
			return;
		}
		if (o->thread.tid != host_tid(t)) {
			terminate_other(t, o, status);
			return;
		}
	}
	if (host_process_threads(t) <= 1) { /* the last thread's end is the process's */
		host_set_process_status(t, status, false);
		leave(t, SYS_exit_group, status);
		return;
	}
	nt_thread_exited(t, status);
	leave(t, SYS_exit, status);
}

static uint32_t parent_of(pid_t pid)
{
	char path[64], line[256];
	unsigned ppid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "PPid: %u", &ppid) == 1)
			break;
	fclose(f);
	return ppid;
}

static uint64_t affinity_mask(void)
{
	int n = get_nprocs();

	return n >= 64 ? ~0ULL : (1ULL << n) - 1;
}

/* Fill an information class buffer of exactly size bytes; the status. */
static ntstatus put_info(struct tracee *t, uint64_t buf, uint32_t len, uint64_t retlen, const void *data, uint32_t size,
			 bool exact)
{
	if (exact ? len != size : len > size) {
		if (retlen)
			nt_put(t, retlen, &size, 4);
		return STATUS_INFO_LENGTH_MISMATCH;
	}
	if (!exact)
		size = len;
	if (nt_put(t, buf, data, size) || (retlen && nt_put(t, retlen, &size, 4)))
		return STATUS_ACCESS_VIOLATION;
	return STATUS_SUCCESS;
}

#define PROCESS_PRIORITY_CLASS_INFO 18

/*
 * A process's priority class (PROCESS_PRIORITY_CLASS's PriorityClass: 1 idle, 2 normal, 3 high, 5 below normal,
 * 6 above normal) from its Linux nice value, the only priority a process of the run has. Realtime (4) is never
 * given: no process of the run has a realtime policy it could be told about honestly.
 */
static unsigned char priority_class(pid_t tgid)
{
	int nice;

	errno = 0;
	nice = getpriority(PRIO_PROCESS, (id_t)tgid);
	if (nice == -1 && errno)
		return 2;
	return nice >= 15 ? 1 : nice > 0 ? 5 : nice == 0 ? 2 : nice >= -10 ? 6 : 3;
}

void nt_serve_NtQueryInformationProcess(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_process *np = nt_process_of(t);
	unsigned char b[0x30] = { 0 };
	uint64_t v;
	uint32_t u;

	if (!nt_is_current_process(t, c->a[0])) {
		struct nt_object *o;
		nt_done(t, nt_handle_get(np, c->a[0], NT_TYPE_PROCESS, &o, NULL));
		return;
	}
	if (c->a[1] == 4) { /* ProcessTimes (nt_process_info.c) */
		nt_process_times(t, c->a[2], (uint32_t)c->a[3], c->a[4]);
		return;
	}
	if (c->a[1] == PROCESS_PRIORITY_CLASS_INFO) {
		unsigned char pc[2] = { 0, priority_class(host_tgid(t)) };
		nt_done(t, put_info(t, c->a[2], (uint32_t)c->a[3], c->a[4], pc, sizeof(pc), true));
		return;
	}
	if (c->a[1] != 0) { /* ProcessBasicInformation, else not served */
		nt_done(t, STATUS_INVALID_INFO_CLASS);
		return;
	}
	u = STATUS_PENDING; /* still running */
	memcpy(b, &u, 4);
	memcpy(b + 0x8, &np->start.peb, 8);
	v = affinity_mask();
	memcpy(b + 0x10, &v, 8);
	v = 8; /* BasePriority: normal */
	memcpy(b + 0x18, &v, 8);
	v = (uint64_t)host_tgid(t);
	memcpy(b + 0x20, &v, 8);
	v = parent_of(host_tgid(t));
	memcpy(b + 0x28, &v, 8);
	nt_done(t, put_info(t, c->a[2], (uint32_t)c->a[3], c->a[4], b, sizeof(b), true));
}

void nt_serve_NtQueryInformationThread(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	unsigned char b[0x30] = { 0 };
	uint32_t exit_status = STATUS_PENDING;
	uint64_t exit_time = 0;
	int32_t base = nt_thread_of(t)->base_priority, prio;
	uint64_t teb = nt_thread_of(t)->teb, pid = (uint64_t)host_tgid(t), tid = (uint64_t)host_tid(t), mask;

	if (c->a[0] != NT_CURRENT_THREAD) {
		struct nt_object *o;
		ntstatus st = nt_handle_get(nt_process_of(t), c->a[0], NT_TYPE_THREAD, &o, NULL);

		if (st) {
			nt_done(t, st);
			return;
		}
		teb = o->thread.teb;
		tid = (uint64_t)o->thread.tid;
		if (o->thread.done) {
			exit_status = o->thread.exit_status;
			exit_time = o->thread.exit_time;
		} else {
			struct tracee *other = o->thread.tid ? host_find_thread(o->thread.tid) : NULL;

			base = other && nt_thread_state(other) ? nt_thread_state(other)->base_priority : 0;
		}
	}
	prio = 8 + base; /* the normal class's base, and the thread's increment over it */
	if (c->a[1] == 1) { /* ThreadTimes: an ended thread's CPU times are not kept (0) */
		unsigned char times[32];

		nt_thread_times((pid_t)pid, exit_status == STATUS_PENDING ? (pid_t)tid : 0,
				exit_status == STATUS_PENDING ? 0 : exit_time, times);
		nt_done(t, put_info(t, c->a[2], (uint32_t)c->a[3], c->a[4], times, sizeof(times), true));
		return;
	}
	if (c->a[1] != 0) { /* ThreadBasicInformation and ThreadTimes only */
		nt_done(t, STATUS_INVALID_INFO_CLASS);
		return;
	}
	mask = affinity_mask();
	memcpy(b, &exit_status, 4);
	memcpy(b + 0x8, &teb, 8);
	memcpy(b + 0x10, &pid, 8);
	memcpy(b + 0x18, &tid, 8);
	memcpy(b + 0x20, &mask, 8);
	memcpy(b + 0x28, &prio, 4);
	memcpy(b + 0x2c, &base, 4);
	nt_done(t, put_info(t, c->a[2], (uint32_t)c->a[3], c->a[4], b, sizeof(b), true));
}

void nt_serve_NtQuerySystemInformation(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	unsigned char b[0x40] = { 0 };
	uint32_t u;
	uint64_t v;
	struct sysinfo si;
	struct timespec up;

	switch (c->a[0]) {
	case 0: /* SystemBasicInformation */
		sysinfo(&si);
		u = 156250; /* TimerResolution: 15.625 ms in 100 ns units */
		memcpy(b + 4, &u, 4);
		u = 4096;
		memcpy(b + 8, &u, 4);
		u = (uint32_t)((uint64_t)si.totalram * si.mem_unit / 4096);
		memcpy(b + 0xc, &u, 4);
		u = 1;
		memcpy(b + 0x10, &u, 4);
		memcpy(b + 0x14, b + 0xc, 4);
		u = 0x10000; /* AllocationGranularity */
		memcpy(b + 0x18, &u, 4);
		v = 0x10000;
		memcpy(b + 0x20, &v, 8);
		v = 0x7ffffffeffffULL;
		memcpy(b + 0x28, &v, 8);
		v = affinity_mask();
		memcpy(b + 0x30, &v, 8);
		b[0x38] = (unsigned char)get_nprocs();
		nt_done(t, put_info(t, c->a[1], (uint32_t)c->a[2], c->a[3], b, 0x40, true));
		return;
	case 3: /* SystemTimeOfDayInformation */
		v = boot_time();
		memcpy(b, &v, 8);
		v = nt_time_now();
		memcpy(b + 8, &v, 8);
		clock_gettime(CLOCK_BOOTTIME, &up);
		nt_done(t, put_info(t, c->a[1], (uint32_t)c->a[2], c->a[3], b, 0x30, false));
		return;
	default:
		nt_done(t, STATUS_INVALID_INFO_CLASS);
		return;
	}
}
