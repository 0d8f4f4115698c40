/*
 * NT synchronisation and threads: events of both kinds, mutants, semaphores,
 * waits with zero, relative, absolute and infinite timeouts, WaitAny and
 * WaitAll, threads with their own TEB and stack, waited for and their exit
 * status read back; handles duplicated, queried, closed, mismatched.
 */
#include "nt_test.h"

#define EVENT_ALL_ACCESS 0x1f0003

static HANDLE ev_go, ev_done;
static volatile long counter;

static NTSTATUS NTAPI worker(void *arg)
{
	void *teb;
	__asm__ volatile("mov %%gs:0x30, %0" : "=r"(teb));
	NtWaitForSingleObject(ev_go, 0, 0);
	counter += (long)(ULONG64)arg;
	NtSetEvent(ev_done, 0);
	return teb ? 0x1234 : 0; /* its own TEB answered gs:[0x30] */
}

static NTSTATUS NTAPI quick(void *arg)
{
	(void)arg;
	return 7;
}

int mainCRTStartup(void)
{
	HANDLE e, m, s, th, dup, hs[2];
	LARGE_INTEGER to, t0, t1, freq;
	long prev = -5;
	NTSTATUS st;
	unsigned char info[0x80];

	/* events */
	CHECK_STATUS(NtCreateEvent(&e, EVENT_ALL_ACCESS, 0, 0, 0), 0, "create a notification event, not signalled");
	to.QuadPart = 0;
	CHECK_STATUS(NtWaitForSingleObject(e, 0, &to), 0x102, "zero timeout on an unsignalled event: TIMEOUT");
	CHECK_STATUS(NtSetEvent(e, &prev), 0, "NtSetEvent");
	check(prev == 0, "the previous state was 0", (ULONG)prev);
	CHECK_STATUS(NtWaitForSingleObject(e, 0, &to), 0, "signalled: the wait returns WAIT_0");
	CHECK_STATUS(NtWaitForSingleObject(e, 0, &to), 0, "a notification event stays signalled");
	CHECK_STATUS(NtResetEvent(e, &prev), 0, "NtResetEvent");
	check(prev == 1, "the previous state was 1", (ULONG)prev);
	NtQueryPerformanceCounter(&t0, &freq);
	to.QuadPart = -200000; /* 20 ms, relative */
	CHECK_STATUS(NtWaitForSingleObject(e, 0, &to), 0x102, "a relative 20 ms timeout expires");
	NtQueryPerformanceCounter(&t1, 0);
	check((t1.QuadPart - t0.QuadPart) * 1000 / freq.QuadPart >= 15, "and it waited about that long",
	      (ULONG64)((t1.QuadPart - t0.QuadPart) * 1000 / freq.QuadPart));
	NtQuerySystemTime(&to);
	to.QuadPart += 100000; /* 10 ms from now, absolute */
	CHECK_STATUS(NtWaitForSingleObject(e, 0, &to), 0x102, "an absolute timeout expires");
	NtClose(e);
	CHECK_STATUS(NtCreateEvent(&e, EVENT_ALL_ACCESS, 0, 1, 1), 0, "create a synchronization event, signalled");
	to.QuadPart = 0;
	CHECK_STATUS(NtWaitForSingleObject(e, 0, &to), 0, "first wait takes it");
	CHECK_STATUS(NtWaitForSingleObject(e, 0, &to), 0x102, "it reset itself: the second wait times out");
	NtSetEvent(e, 0);
	CHECK_STATUS(NtClearEvent(e), 0, "NtClearEvent");
	CHECK_STATUS(NtWaitForSingleObject(e, 0, &to), 0x102, "cleared");

	/* mutants and semaphores */
	CHECK_STATUS(NtCreateMutant(&m, 0x1f0001, 0, 1), 0, "create a mutant owned by us");
	CHECK_STATUS(NtWaitForSingleObject(m, 0, &to), 0, "its owner may wait on it again (recursion)");
	CHECK_STATUS(NtReleaseMutant(m, &prev), 0, "release once");
	check(prev == -1, "previous count -1 (owned twice)", (ULONG)prev);
	CHECK_STATUS(NtReleaseMutant(m, &prev), 0, "release twice");
	CHECK_STATUS(NtReleaseMutant(m, &prev), 0xC0000046, "a third release: MUTANT_NOT_OWNED");
	CHECK_STATUS(NtCreateSemaphore(&s, 0x1f0003, 0, 1, 2), 0, "create a semaphore 1 of 2");
	CHECK_STATUS(NtWaitForSingleObject(s, 0, &to), 0, "take one");
	CHECK_STATUS(NtWaitForSingleObject(s, 0, &to), 0x102, "none left: TIMEOUT");
	CHECK_STATUS(NtReleaseSemaphore(s, 3, &prev), 0xC0000047, "release past the maximum: SEMAPHORE_LIMIT_EXCEEDED");
	CHECK_STATUS(NtReleaseSemaphore(s, 2, &prev), 0, "release two");
	check(prev == 0, "previous count 0", (ULONG)prev);
	CHECK_STATUS(NtCreateSemaphore(&th, 0x1f0003, 0, 3, 2), 0xC000000D, "initial above maximum: INVALID_PARAMETER");

	/* WaitAny / WaitAll */
	NtCreateEvent(&e, EVENT_ALL_ACCESS, 0, 0, 0);
	hs[0] = e;
	hs[1] = s;
	CHECK_STATUS(NtWaitForMultipleObjects(2, hs, 1, 0, &to), 1, "WaitAny: the semaphore (index 1) is signalled");
	CHECK_STATUS(NtWaitForMultipleObjects(2, hs, 0, 0, &to), 0x102, "WaitAll: the event is not: TIMEOUT");
	NtSetEvent(e, 0);
	CHECK_STATUS(NtWaitForMultipleObjects(2, hs, 0, 0, &to), 0, "WaitAll: both signalled");
	CHECK_STATUS(NtWaitForMultipleObjects(0, hs, 0, 0, &to), 0xC00000EF, "zero handles: INVALID_PARAMETER_1");

	/* threads */
	NtCreateEvent(&ev_go, EVENT_ALL_ACCESS, 0, 0, 0);
	NtCreateEvent(&ev_done, EVENT_ALL_ACCESS, 0, 0, 0);
	st = NtCreateThreadEx(&th, 0x1fffff, 0, NtCurrentProcess(), (void *)worker, (void *)5, 0, 0, 0, 0, 0);
	check(st == 0, "NtCreateThreadEx", (ULONG)st);
	CHECK_STATUS(NtWaitForSingleObject(ev_done, 0, &to), 0x102, "the thread waits for the go event");
	NtSetEvent(ev_go, 0);
	CHECK_STATUS(NtWaitForSingleObject(ev_done, 0, 0), 0, "infinite wait: the thread signalled done");
	CHECK_STATUS(NtWaitForSingleObject(th, 0, 0), 0, "waiting on the thread handle: it ended");
	check(counter == 5, "the thread ran with its argument", (ULONG64)counter);
	st = NtQueryInformationThread(th, 0, info, 0x30, 0);
	check(st == 0 && *(ULONG *)info == 0x1234, "its exit status, with its own TEB in gs", *(ULONG *)info);
	NtClose(th);
	NtCreateThreadEx(&hs[0], 0x1fffff, 0, NtCurrentProcess(), (void *)quick, 0, 0, 0, 0, 0, 0);
	NtCreateThreadEx(&hs[1], 0x1fffff, 0, NtCurrentProcess(), (void *)quick, 0, 0, 0, 0, 0, 0);
	CHECK_STATUS(NtWaitForMultipleObjects(2, hs, 0, 0, 0), 0, "WaitAll on two threads");

	/* handles */
	CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), e, NtCurrentProcess(), &dup, 0, 0, 2), 0,
		     "NtDuplicateObject with the same access");
	check(((ULONG64)dup & 3) == 0 && dup != e, "a new handle, a multiple of 4", (ULONG64)dup);
	st = NtQueryObject(dup, 2, info, sizeof(info), 0);
	check(st == 0 && *(WCHAR **)(info + 8) && (*(WCHAR **)(info + 8))[0] == 'E', "NtQueryObject: type Event",
	      (ULONG)st);
	st = NtQueryObject(dup, 0, info, 0x38, 0);
	check(st == 0 && *(ULONG *)(info + 4) == EVENT_ALL_ACCESS, "NtQueryObject: basic, the granted access",
	      *(ULONG *)(info + 4));
	CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), dup, NtCurrentProcess(), &th, 0, 0, 3), 0,
		     "duplicate and close the source");
	/* the new handle may reuse the source's value (Wine's does): only another value must be closed */
	check(th == dup || NtClose(dup) == (NTSTATUS)0xC0000008, "the source is closed", (ULONG64)th);
	st = NtQueryObject(th, 2, info, sizeof(info), 0);
	check(st == 0 && (*(WCHAR **)(info + 8))[0] == 'E', "the duplicate names the event", (ULONG)st);
	CHECK_STATUS(NtReleaseMutant(th, 0), 0xC0000024, "an event handle given as a mutant: OBJECT_TYPE_MISMATCH");
	CHECK_STATUS(NtSetEvent((HANDLE)0x7ffc, 0), 0xC0000008, "a handle never opened: INVALID_HANDLE");
	CHECK_STATUS(NtClose(th), 0, "close the duplicate");
	done();
	return 0;
}
