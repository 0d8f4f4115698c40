/*
 * User APCs: NtQueueApcThread to the caller runs nothing until an alertable
 * wait (a wait that is not alertable leaves it queued), then the wait returns
 * STATUS_USER_APC after the routine ran with its three arguments; several
 * queued run in order in one wait; NtTestAlert runs them too; an APC for a
 * thread parked in an alertable wait (an object wait, an infinite
 * NtDelayExecution) ends the wait there and runs in that thread; the
 * registers the wait returns with are the caller's (a callee-saved value
 * survives). The same program runs under Wine.
 */
#include "nt_test.h"

NTSTATUS NTAPI NtQueueApcThread(HANDLE, void *, void *, void *, void *);
NTSTATUS NTAPI NtTestAlert(void);

#define USER_APC 0xC0
#define TIMEOUT 0x102

static volatile unsigned long long log[8];
static volatile int nlog;
static volatile ULONG64 ran_in;

static ULONG64 my_tid(void)
{
	ULONG64 tid;

	__asm__ volatile("mov %%gs:0x48, %0" : "=r"(tid));
	return tid;
}

static void NTAPI apc(void *a, void *b, void *c)
{
	log[nlog++] = (unsigned long long)a * 100 + (unsigned long long)b * 10 + (unsigned long long)c;
	ran_in = my_tid();
}

static HANDLE event;

static ULONG NTAPI alertable_waiter(void *arg)
{
	(void)arg;
	return (ULONG)NtWaitForSingleObject(event, 1, 0);
}

static ULONG NTAPI alertable_sleeper(void *arg)
{
	(void)arg;
	return (ULONG)NtDelayExecution(1, 0);
}

static ULONG exit_status(HANDLE th)
{
	unsigned char info[0x30];

	if (NtQueryInformationThread(th, 0, info, sizeof(info), 0))
		return 0xffffffff;
	return *(ULONG *)info;
}

static void others(ULONG(NTAPI *fn)(void *), const char *what)
{
	HANDLE th = 0;
	LARGE_INTEGER d;

	nlog = 0;
	ran_in = 0;
	NtCreateThreadEx(&th, 0x1fffff, 0, NtCurrentProcess(), fn, 0, 0, 0, 0, 0, 0);
	d.QuadPart = -300000;
	NtDelayExecution(0, &d);
	check(nlog == 0, what, nlog);
	CHECK_STATUS(NtQueueApcThread(th, apc, (void *)4, (void *)5, (void *)6), 0, "an APC for that thread");
	d.QuadPart = -20000000;
	CHECK_STATUS(NtWaitForSingleObject(th, 0, &d), 0, "its wait ends and it returns");
	check(exit_status(th) == USER_APC, "its wait returned STATUS_USER_APC", exit_status(th));
	check(nlog == 1 && log[0] == 456, "the APC ran with its arguments", log[0]);
	check(ran_in != 0 && ran_in != my_tid(), "in that thread", ran_in);
	NtClose(th);
}

void mainCRTStartup(void)
{
	LARGE_INTEGER zero = { 0 }, d;
	register unsigned long long keep __asm__("rbx") = 0x5eed5eed;
	NTSTATUS st;

	NtCreateEvent(&event, 0x1f0003, 0, 0, 0);
	CHECK_STATUS(NtQueueApcThread(NtCurrentThread(), apc, (void *)1, (void *)2, (void *)3), 0, "NtQueueApcThread to itself");
	check(nlog == 0, "nothing runs at once", nlog);
	CHECK_STATUS(NtWaitForSingleObject(event, 0, &zero), TIMEOUT, "a wait that is not alertable");
	check(nlog == 0, "leaves it queued", nlog);
	NtQueueApcThread(NtCurrentThread(), apc, (void *)7, (void *)8, (void *)9);
	d.QuadPart = -10000000;
	__asm__ volatile("" : "+r"(keep));
	st = NtDelayExecution(1, &d);
	__asm__ volatile("" : "+r"(keep));
	check(st == USER_APC, "an alertable NtDelayExecution returns STATUS_USER_APC", (unsigned long long)st);
	check(nlog == 2 && log[0] == 123 && log[1] == 789, "both APCs ran, in order, with their arguments", nlog);
	check(keep == 0x5eed5eed, "the caller's registers are given back", keep);
	check(ran_in == my_tid(), "in the calling thread", ran_in);
	nlog = 0;
	st = NtDelayExecution(1, &zero); /* STATUS_SUCCESS as NT documents it (Wine says TIMEOUT) */
	check((st == 0 || st == TIMEOUT) && nlog == 0, "nothing queued: an alertable sleep is a sleep", (unsigned long long)st);

	nlog = 0;
	NtQueueApcThread(NtCurrentThread(), apc, (void *)1, (void *)1, (void *)1);
	CHECK_STATUS(NtWaitForSingleObject(event, 1, &zero), USER_APC, "an alertable object wait with an APC queued");
	check(nlog == 1 && log[0] == 111, "ran it", log[0]);
	nlog = 0;
	NtQueueApcThread(NtCurrentThread(), apc, (void *)2, (void *)2, (void *)2);
	NtTestAlert();
	check(nlog == 1 && log[0] == 222, "NtTestAlert runs a queued APC", log[0]);

	others(alertable_waiter, "a thread in an alertable object wait");
	others(alertable_sleeper, "a thread in an alertable infinite NtDelayExecution");
	NtClose(event);
	done();
}
