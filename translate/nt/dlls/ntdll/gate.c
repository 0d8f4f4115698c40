/*
 * Services served in the process, without a stop in the supervisor:
 * NtQuerySystemTime, NtQueryPerformanceCounter, NtYieldExecution and
 * NtDelayExecution with a relative time. They need no handle, no policy
 * decision and no state of the supervisor's. The clocks come from the vDSO
 * (no system call at all), or from clock_gettime made at picovisor's gate;
 * a yield and a sleep are sched_yield and clock_nanosleep made there. The
 * gate is the page at 0x7FFE1000 (include/nt.h, NT_GATE_ADDR): the NT filter
 * lets those Linux calls through from its syscall instruction and from the
 * vDSO, and nothing else (docs/nt.md, "Served in the process").
 *
 * Where this path cannot give the answer the service gives, the service's
 * own system call is made (pv_sys_NAME, ntdll.c): an out-parameter that is
 * not plainly writable (the service answers STATUS_ACCESS_VIOLATION for a bad
 * one, where a write from here would fault), an absolute or infinite delay, a
 * delay read from memory not plainly readable, a Linux call the run's filter
 * refuses.
 */
#include "ntdll_internal.h"

/* include/nt.h's NT_GATE_ADDR, NT_GATE_VDSO_CLOCK and NT_GATE_VERSION */
#define GATE_ADDR 0x7ffe1000ULL
#define GATE_VDSO_CLOCK (GATE_ADDR + 0x800)
#define GATE_VERSION_AT (GATE_ADDR + 0x808)
#define GATE_VERSION 1

/* Linux x86-64 */
#define LINUX_SCHED_YIELD 24
#define LINUX_TIME 201
#define LINUX_CLOCK_GETTIME 228
#define LINUX_CLOCK_NANOSLEEP 230
#define LINUX_CLOCK_REALTIME 0
#define LINUX_CLOCK_MONOTONIC 1
#define LINUX_TIMER_ABSTIME 1
#define LINUX_EINTR 4
#define LINUX_EFAULT 14

#define STATUS_SUCCESS 0
#define STATUS_ACCESS_VIOLATION ((NTSTATUS)0xC0000005L)

#define TICKS_PER_SECOND 10000000ULL
#define EPOCH_1601_TO_1970 11644473600ULL

NTSTATUS pv_sys_NtDelayExecution(BOOL alertable, const int64_t *interval);
NTSTATUS pv_sys_NtQueryPerformanceCounter(int64_t *counter, int64_t *freq);
NTSTATUS pv_sys_NtQuerySystemTime(int64_t *t);
NTSTATUS pv_sys_NtYieldExecution(void);

struct linux_timespec {
	int64_t sec, nsec;
};

typedef int __attribute__((sysv_abi)) (*vdso_clock_fn)(int clock, struct linux_timespec *ts);

/* A Linux call made at the gate's syscall instruction: -errno or the result. */
static long gate_call(long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t r10 __asm__("r10") = a3;
	long ret;

	__asm__ volatile("call *%[gate]"
			 : "=a"(ret)
			 : [gate] "r"(GATE_ADDR), "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

/* include/nt.h's NT_TEB_GATE_STOP: the supervisor sets it when another thread ends this one. */
#define TEB_GATE_STOP 0x1f08

/* Whether the gate is there, and this thread may use it: one another thread ended must stop at its next
 * service, where the supervisor ends it. */
static int gate_present(void)
{
	return *(volatile const uint64_t *)GATE_VERSION_AT == GATE_VERSION &&
	       *(volatile uint64_t *)(pv_teb() + TEB_GATE_STOP) == 0;
}

/* 0, or -errno (the run's filter may refuse the call: the caller asks the supervisor instead). */
static long clock_read(int clock, struct linux_timespec *ts)
{
	vdso_clock_fn vdso = *(vdso_clock_fn const *)GATE_VDSO_CLOCK;

	if (vdso && vdso(clock, ts) == 0)
		return 0;
	return gate_call(LINUX_CLOCK_GETTIME, (uint64_t)clock, (uint64_t)(uintptr_t)ts, 0, 0);
}

/*
 * Whether 8 bytes at p may be written from here without a fault: on the live part of this thread's
 * stack (between the caller's frame and the stack's base), or where the kernel could write them:
 * time(p) stores 8 bytes through p with the page protections honoured, as the supervisor's
 * process_vm_writev does. 1 writable, 0 not (the service's STATUS_ACCESS_VIOLATION), -1 ask the service.
 */
static int writable(void *p)
{
	uintptr_t a = (uintptr_t)p, base = (uintptr_t)TEB_FIELD(void *, 0x08);
	long r;

	if (a >= (uintptr_t)__builtin_frame_address(0) && a < base && base - a >= 8)
		return 1;
	if (a < 0x10000)
		return -1; /* NULL and the first 64 KiB: the service says what NT says */
	r = gate_call(LINUX_TIME, (uint64_t)a, 0, 0, 0);
	if (r == -LINUX_EFAULT)
		return 0;
	return r < 0 ? -1 : 1;
}

static int readable_on_stack(const void *p)
{
	uintptr_t a = (uintptr_t)p, base = (uintptr_t)TEB_FIELD(void *, 0x08);

	return a >= (uintptr_t)__builtin_frame_address(0) && a < base && base - a >= 8;
}

EXPORT NTSTATUS NtQuerySystemTime(int64_t *t)
{
	struct linux_timespec ts;
	int w;

	if (!gate_present() || (w = writable(t)) < 0 || (w && clock_read(LINUX_CLOCK_REALTIME, &ts) < 0))
		return pv_sys_NtQuerySystemTime(t);
	if (!w)
		return STATUS_ACCESS_VIOLATION;
	*t = (int64_t)(((uint64_t)ts.sec + EPOCH_1601_TO_1970) * TICKS_PER_SECOND + (uint64_t)ts.nsec / 100);
	return STATUS_SUCCESS;
}

EXPORT NTSTATUS NtQueryPerformanceCounter(int64_t *counter, int64_t *freq)
{
	struct linux_timespec ts;
	int wc, wf = 1;

	if (!gate_present() || (wc = writable(counter)) < 0 || (freq && (wf = writable(freq)) < 0))
		return pv_sys_NtQueryPerformanceCounter(counter, freq);
	if (!wc || !wf)
		return STATUS_ACCESS_VIOLATION;
	if (clock_read(LINUX_CLOCK_MONOTONIC, &ts) < 0)
		return pv_sys_NtQueryPerformanceCounter(counter, freq);
	/* the supervisor's counter: CLOCK_MONOTONIC in 100 ns units, 10 MHz */
	*counter = (int64_t)((uint64_t)ts.sec * TICKS_PER_SECOND + (uint64_t)ts.nsec / 100);
	if (freq)
		*freq = (int64_t)TICKS_PER_SECOND;
	return STATUS_SUCCESS;
}

EXPORT NTSTATUS NtYieldExecution(void)
{
	if (gate_present() && gate_call(LINUX_SCHED_YIELD, 0, 0, 0, 0) == 0)
		return STATUS_SUCCESS;
	return pv_sys_NtYieldExecution();
}

/*
 * A relative delay sleeps until a deadline on the monotonic clock (TIMER_ABSTIME): a signal or a stop
 * that interrupts it makes the kernel run the same call again, never a restart_syscall, and the loop
 * here sleeps on to the same deadline after an EINTR. An alertable delay is the supervisor's: user APCs
 * queued to the thread run in it and end it (STATUS_USER_APC), which only the service can see.
 */
EXPORT NTSTATUS NtDelayExecution(BOOL alertable, const int64_t *interval)
{
	struct linux_timespec deadline;
	uint64_t ticks;
	long r;

	if (alertable || !gate_present() || !interval || !readable_on_stack(interval) || *interval > 0 ||
	    (ticks = 0 - (uint64_t)*interval) > (1ULL << 40) * TICKS_PER_SECOND ||
	    clock_read(LINUX_CLOCK_MONOTONIC, &deadline) < 0)
		return pv_sys_NtDelayExecution(alertable, interval);
	deadline.sec += (int64_t)(ticks / TICKS_PER_SECOND);
	deadline.nsec += (int64_t)(ticks % TICKS_PER_SECOND) * 100;
	if (deadline.nsec >= 1000000000) {
		deadline.sec++;
		deadline.nsec -= 1000000000;
	}
	do
		r = gate_call(LINUX_CLOCK_NANOSLEEP, LINUX_CLOCK_MONOTONIC, LINUX_TIMER_ABSTIME, (uint64_t)(uintptr_t)&deadline,
			      0);
	while (r == -LINUX_EINTR);
	if (r < 0)
		return pv_sys_NtDelayExecution(alertable, interval);
	if (!gate_present()) /* ended while it slept: it ends now, as when the service's sleep returned */
		return pv_sys_NtYieldExecution();
	return STATUS_SUCCESS;
}
