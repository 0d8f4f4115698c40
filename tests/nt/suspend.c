/*
 * Threads stopped and changed from outside: NtSuspendThread of a thread that
 * computes without ever calling the system (it really stops: its counter
 * stands still), its context read (Rip in its loop) and changed (resumed at
 * another function with the argument we put in Rcx); suspend counts;
 * THREAD_CREATE_FLAGS_CREATE_SUSPENDED (nothing runs until NtResumeThread;
 * the initial context has the start routine and argument in Rcx and Rdx);
 * a thread suspended inside a wait and inside a sleep goes on after resume;
 * a thread suspended on its way into a wait (its call not yet served) is
 * held, not parked where no one holds it;
 * the caller's own context; a real handle to the current thread;
 * ThreadBasePriority. The same program runs under Wine (tests/nt/run-wine).
 */
#include "nt_test.h"

NTSTATUS NTAPI NtSuspendThread(HANDLE, ULONG *);
NTSTATUS NTAPI NtResumeThread(HANDLE, ULONG *);
NTSTATUS NTAPI NtGetContextThread(HANDLE, void *);
NTSTATUS NTAPI NtSetContextThread(HANDLE, const void *);
NTSTATUS NTAPI NtSetInformationThread(HANDLE, ULONG, void *, ULONG);

#define CONTEXT_AMD64 0x100000
#define CONTEXT_CONTROL (CONTEXT_AMD64 | 0x1)
#define CONTEXT_INTEGER (CONTEXT_AMD64 | 0x2)
#define CONTEXT_FULL (CONTEXT_AMD64 | 0xb)
#define CTX_FLAGS 0x30
#define CTX_RCX 0x80
#define CTX_RDX 0x88
#define CTX_RSP 0x98
#define CTX_RIP 0xf8
#define TIMEOUT 0x102

typedef struct {
	__attribute__((aligned(16))) unsigned char b[0x4d0];
} CONTEXT_K;

static ULONG64 *field(CONTEXT_K *c, int off)
{
	return (ULONG64 *)(c->b + off);
}

static volatile unsigned long long counter;
static volatile unsigned long long landed_with;
static volatile int started_flag;
static HANDLE event;

static void sleep_ms(long ms)
{
	LARGE_INTEGER d;

	d.QuadPart = -ms * 10000;
	NtDelayExecution(0, &d);
}

/* Computes only: no system call in the loop. */
static ULONG NTAPI spin(void *arg)
{
	(void)arg;
	for (;;)
		counter++;
	return 0;
}

/* Where the changed context sends the spinning thread: Rcx is the value we put there. */
static void NTAPI landed(unsigned long long v)
{
	landed_with = v;
	NtTerminateThread(NtCurrentThread(), 7);
}

static volatile unsigned long long calls, spins;
static volatile int spin_now;

/* Calls the system all the time (it is mostly stopped in a service when it is suspended), then, when
 * told, only computes. */
static ULONG NTAPI caller(void *arg)
{
	(void)arg;
	for (;;) {
		if (spin_now) {
			spins++;
			continue;
		}
		NtYieldExecution();
		calls++;
	}
	return 0;
}

static ULONG NTAPI starter(void *arg)
{
	started_flag = (int)(unsigned long long)arg;
	return 0;
}

static ULONG NTAPI waiter(void *arg)
{
	(void)arg;
	NtWaitForSingleObject(event, 0, 0);
	started_flag = 2;
	return 0;
}

static ULONG NTAPI sleeper(void *arg)
{
	(void)arg;
	sleep_ms(100);
	started_flag = 3;
	return 0;
}

static HANDLE go_event;
static volatile long rounds, wait_timeouts;

/* Waits for go_event over and over; a wait that times out (5 s) means no one set it for that long. */
static ULONG NTAPI rewaiter(void *arg)
{
	LARGE_INTEGER t;

	(void)arg;
	for (;;) {
		t.QuadPart = -50000000;
		if (NtWaitForSingleObject(go_event, 0, &t) == TIMEOUT)
			wait_timeouts++;
		rounds++;
	}
	return 0;
}

static HANDLE thread(void *fn, void *arg, ULONG flags)
{
	HANDLE h = 0;
	NTSTATUS st = NtCreateThreadEx(&h, 0x1fffff, 0, NtCurrentProcess(), fn, arg, flags, 0, 0, 0, 0);

	return st ? 0 : h;
}

static ULONG exit_status(HANDLE th)
{
	unsigned char info[0x30];

	if (NtQueryInformationThread(th, 0, info, sizeof(info), 0))
		return 0xffffffff;
	return *(ULONG *)info;
}

static void suspend_a_spinning_thread(void)
{
	HANDLE th = thread(spin, 0, 0);
	ULONG prev = 99;
	unsigned long long a, b;
	CONTEXT_K ctx;
	LARGE_INTEGER t;

	while (!counter)
		NtYieldExecution();
	CHECK_STATUS(NtSuspendThread(th, &prev), 0, "NtSuspendThread of a thread that only computes");
	check(prev == 0, "its previous suspend count was 0", prev);
	CHECK_STATUS(NtSuspendThread(th, &prev), 0, "suspended again");
	check(prev == 1, "the count was 1", prev);
	CHECK_STATUS(NtResumeThread(th, &prev), 0, "resumed once");
	check(prev == 2, "the count was 2", prev);
	a = counter;
	sleep_ms(30);
	b = counter;
	check(a == b, "a suspended thread does not run (its counter stands still)", b - a);
	*field(&ctx, CTX_FLAGS) = CONTEXT_FULL;
	CHECK_STATUS(NtGetContextThread(th, &ctx), 0, "NtGetContextThread of the suspended thread");
	check(*field(&ctx, CTX_RIP) >= (ULONG64)spin && *field(&ctx, CTX_RIP) < (ULONG64)spin + 64,
	      "its Rip is in its loop", *field(&ctx, CTX_RIP));
	/* As after a call: Rsp 8 below a 16-byte boundary, the argument in Rcx. */
	*field(&ctx, CTX_RSP) = ((*field(&ctx, CTX_RSP) - 256) & ~15ULL) - 8;
	*field(&ctx, CTX_RIP) = (ULONG64)landed;
	*field(&ctx, CTX_RCX) = 0x1234567890ULL;
	*(ULONG *)(ctx.b + CTX_FLAGS) = CONTEXT_CONTROL | CONTEXT_INTEGER;
	CHECK_STATUS(NtSetContextThread(th, &ctx), 0, "NtSetContextThread: Rip, Rsp and Rcx");
	CHECK_STATUS(NtResumeThread(th, &prev), 0, "resumed");
	check(prev == 1, "the count was 1", prev);
	t.QuadPart = -10000000; /* 1 s */
	CHECK_STATUS(NtWaitForSingleObject(th, 0, &t), 0, "the thread ends");
	check(landed_with == 0x1234567890ULL, "it ran at the new Rip with the new Rcx", landed_with);
	check(exit_status(th) == 7, "and ended as that function said", exit_status(th));
	prev = 99;
	CHECK_STATUS(NtResumeThread(th, &prev), 0, "resuming a thread that has ended succeeds");
	check(prev == 0, "with a count of 0", prev);
	NtClose(th);
}

/* Suspended and resumed many times, wherever it is: in a service, between them, in a Linux call. */
static void suspend_a_busy_caller(void)
{
	HANDLE th = thread(caller, 0, 0);
	ULONG prev;
	int ok = 1, still = 1;
	unsigned long long a;
	LARGE_INTEGER t;

	while (!calls)
		NtYieldExecution();
	for (int i = 0; i < 300 && ok; i++) {
		ok = NtSuspendThread(th, &prev) == 0 && prev == 0;
		a = calls;
		for (int k = 0; k < 50; k++)
			NtYieldExecution();
		still &= calls == a;
		ok &= NtResumeThread(th, &prev) == 0 && prev == 1;
	}
	check(ok, "a thread that calls the system all the time, suspended and resumed 300 times", 0);
	check(still, "it never ran while suspended", 0);
	/* Held in a service, then computing only: the next suspension must still stop it (the interrupt
	 * asked for the first time was overtaken by its service stop). */
	for (int i = 0; i < 20 && ok; i++) {
		spin_now = 0;
		a = calls;
		while (calls < a + 3)
			NtYieldExecution();
		ok = NtSuspendThread(th, &prev) == 0;
		spin_now = 1;
		ok &= NtResumeThread(th, &prev) == 0;
		a = spins;
		while (spins < a + 1000)
			;
		ok &= NtSuspendThread(th, &prev) == 0; /* hung here before */
		a = spins;
		for (int k = 0; k < 20; k++)
			NtYieldExecution();
		still &= spins == a;
		ok &= NtResumeThread(th, &prev) == 0;
	}
	check(ok, "suspended in a service, then again while it only computes (20 times)", 0);
	check(still, "it stopped each time", 0);
	spin_now = 0; /* back to calling the system, where NtTerminateThread ends it (docs/nt.md, "Known limits") */
	NtTerminateThread(th, 0);
	t.QuadPart = -10000000;
	CHECK_STATUS(NtWaitForSingleObject(th, 0, &t), 0, "it is ended");
	NtClose(th);
}

static void create_suspended(void)
{
	HANDLE th = thread(starter, (void *)5, 0x1 /* THREAD_CREATE_FLAGS_CREATE_SUSPENDED */);
	ULONG prev = 99;
	CONTEXT_K ctx;
	LARGE_INTEGER t;

	check(th != 0, "NtCreateThreadEx with CREATE_SUSPENDED", 0);
	sleep_ms(30);
	check(started_flag == 0, "the thread has not run", started_flag);
	*field(&ctx, CTX_FLAGS) = CONTEXT_FULL;
	CHECK_STATUS(NtGetContextThread(th, &ctx), 0, "its context before it runs");
	check(*field(&ctx, CTX_RCX) == (ULONG64)starter, "Rcx: the start routine", *field(&ctx, CTX_RCX));
	check(*field(&ctx, CTX_RDX) == 5, "Rdx: the argument", *field(&ctx, CTX_RDX));
	CHECK_STATUS(NtResumeThread(th, &prev), 0, "NtResumeThread");
	check(prev == 1, "its count was 1", prev);
	t.QuadPart = -10000000;
	CHECK_STATUS(NtWaitForSingleObject(th, 0, &t), 0, "it runs and ends");
	check(started_flag == 5, "its routine ran with its argument", started_flag);
	NtClose(th);
}

static void suspended_in_a_wait(void)
{
	HANDLE th;
	ULONG prev;
	LARGE_INTEGER t, zero = { 0 };

	started_flag = 0;
	NtCreateEvent(&event, 0x1f0003, 0, 1 /* SynchronizationEvent */, 0);
	th = thread(waiter, 0, 0);
	sleep_ms(30);
	CHECK_STATUS(NtSuspendThread(th, &prev), 0, "NtSuspendThread of a thread in a wait");
	NtSetEvent(event, 0);
	sleep_ms(30);
	check(started_flag == 0, "it does not go on while suspended", started_flag);
	CHECK_STATUS(NtWaitForSingleObject(event, 0, &zero), 0, "a suspended waiter did not take the event");
	NtSetEvent(event, 0);
	CHECK_STATUS(NtResumeThread(th, &prev), 0, "resumed");
	t.QuadPart = -10000000;
	CHECK_STATUS(NtWaitForSingleObject(th, 0, &t), 0, "it takes the event and ends");
	check(started_flag == 2, "after its wait", started_flag);
	NtClose(th);
	NtClose(event);
}

/* The event wakes the waiter, which comes straight back to wait again: the suspension often arrives
 * while that next call is on its way. Held there, it is resumed and the rounds go on; parked in its
 * wait instead, no one would hold it, the suspension would wait for the wait and the wait for the next
 * round (its 5 s timeout ends that: counted). */
static void suspended_on_its_way_into_a_wait(void)
{
	HANDLE th;
	ULONG prev;
	int ok = 1;

	NtCreateEvent(&go_event, 0x1f0003, 0, 1 /* SynchronizationEvent */, 0);
	th = thread(rewaiter, 0, 0);
	for (int i = 0; i < 400 && ok && !wait_timeouts; i++) {
		NtSetEvent(go_event, 0);
		ok = NtSuspendThread(th, &prev) == 0 && prev == 0;
		ok &= NtResumeThread(th, &prev) == 0 && prev == 1;
	}
	check(ok, "a thread woken over and over, suspended and resumed each time (400 rounds)", 0);
	check(wait_timeouts == 0, "no suspension waited for the thread's wait to time out", wait_timeouts);
	NtSuspendThread(th, &prev); /* ended where it is held */
	NtTerminateThread(th, 0);
	NtClose(th);
	NtClose(go_event);
}

static void suspended_in_a_sleep(void)
{
	HANDLE th;
	ULONG prev;
	CONTEXT_K ctx;
	LARGE_INTEGER t;

	started_flag = 0;
	th = thread(sleeper, 0, 0);
	sleep_ms(20);
	CHECK_STATUS(NtSuspendThread(th, &prev), 0, "NtSuspendThread of a thread in NtDelayExecution");
	*field(&ctx, CTX_FLAGS) = CONTEXT_CONTROL;
	CHECK_STATUS(NtGetContextThread(th, &ctx), 0, "its context can be read");
	sleep_ms(150);
	check(started_flag == 0, "its sleep does not end while it is suspended", started_flag);
	CHECK_STATUS(NtResumeThread(th, &prev), 0, "resumed");
	t.QuadPart = -20000000;
	CHECK_STATUS(NtWaitForSingleObject(th, 0, &t), 0, "it ends its sleep and ends");
	check(started_flag == 3, "after its sleep", started_flag);
	NtClose(th);
}

static void own_context_and_handles(void)
{
	CONTEXT_K ctx;
	HANDLE real = 0;
	unsigned char info[0x30];
	LARGE_INTEGER zero = { 0 };
	long prio = 2;
	ULONG64 here = (ULONG64)&ctx;

	*field(&ctx, CTX_FLAGS) = CONTEXT_FULL;
	CHECK_STATUS(NtGetContextThread(NtCurrentThread(), &ctx), 0, "NtGetContextThread of the caller");
	check(*field(&ctx, CTX_RSP) < here && here - *field(&ctx, CTX_RSP) < 0x10000, "its Rsp is on its stack",
	      *field(&ctx, CTX_RSP));
	CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), NtCurrentThread(), NtCurrentProcess(), &real, 0, 0, 2), 0,
		     "a real handle to the current thread");
	check(real != 0 && real != NtCurrentThread(), "is not the pseudo-handle", (unsigned long long)real);
	CHECK_STATUS(NtWaitForSingleObject(real, 0, &zero), TIMEOUT, "a wait for the running thread times out");
	CHECK_STATUS(NtQueryInformationThread(real, 0, info, sizeof(info), 0), 0, "its basic information");
	{
		ULONG64 tid;

		__asm__ volatile("mov %%gs:0x48, %0" : "=r"(tid)); /* the TEB's ClientId.UniqueThread */
		check(*(ULONG64 *)(info + 0x18) == tid, "it names this thread", *(ULONG64 *)(info + 0x18));
	}
	CHECK_STATUS(NtSetInformationThread(real, 3 /* ThreadBasePriority */, &prio, sizeof(prio)), 0,
		     "ThreadBasePriority 2 (THREAD_PRIORITY_HIGHEST)");
	NtQueryInformationThread(real, 0, info, sizeof(info), 0);
	check(*(long *)(info + 0x2c) == 2, "ThreadBasicInformation's BasePriority says 2", *(long *)(info + 0x2c));
	prio = 0;
	NtSetInformationThread(real, 3, &prio, sizeof(prio));
	{
		LARGE_INTEGER times[4], now;
		volatile unsigned long long spin = 0;

		for (int i = 0; i < 20000000; i++) /* some user time */
			spin += (unsigned long long)i;
		NtQuerySystemTime(&now);
		CHECK_STATUS(NtQueryInformationThread(real, 1 /* ThreadTimes */, times, sizeof(times), 0), 0, "ThreadTimes");
		check(times[0].QuadPart > 0 && times[0].QuadPart <= now.QuadPart &&
			      now.QuadPart - times[0].QuadPart < 36000000000LL,
		      "its CreateTime is within the last hour", (unsigned long long)(now.QuadPart - times[0].QuadPart));
		check(times[1].QuadPart == 0, "no ExitTime while it runs", (unsigned long long)times[1].QuadPart);
		check(times[3].QuadPart > 0, "its UserTime counts", (unsigned long long)times[3].QuadPart);
	}
	NtClose(real);
}

void mainCRTStartup(void)
{
	suspend_a_spinning_thread();
	suspend_a_busy_caller();
	create_suspended();
	suspended_in_a_wait();
	suspended_on_its_way_into_a_wait();
	suspended_in_a_sleep();
	own_context_and_handles();
	done();
}
