/*
 * Hostile: timeouts at the edges of their 64 bits. A relative 2^62 ticks,
 * INT64_MIN (whose negation does not fit) and the largest absolute time are
 * all "longer than anything": a wait with them must last until the object
 * is signalled (by a second thread after 50 ms), never time out at once.
 */
#include "nt_test.h"

#define EVENT_ALL_ACCESS 0x1f0003

static HANDLE ev;

static NTSTATUS NTAPI signal_later(void *arg)
{
	LARGE_INTEGER t;
	(void)arg;
	t.QuadPart = -500000; /* 50 ms */
	NtDelayExecution(0, &t);
	NtSetEvent(ev, 0);
	return 0;
}

static NTSTATUS wait_with(LONGLONG v)
{
	LARGE_INTEGER to;
	HANDLE th;
	NTSTATUS st;

	to.QuadPart = v;
	NtCreateEvent(&ev, EVENT_ALL_ACCESS, 0, 0, 0);
	NtCreateThreadEx(&th, 0x1fffff, 0, NtCurrentProcess(), (void *)signal_later, 0, 0, 0, 0, 0, 0);
	st = NtWaitForSingleObject(ev, 0, &to);
	NtWaitForSingleObject(th, 0, 0);
	NtClose(th);
	NtClose(ev);
	return st;
}

int mainCRTStartup(void)
{
	HANDLE hs[1];
	LARGE_INTEGER to;

	CHECK_STATUS(wait_with(-(1LL << 62)), 0, "relative 2^62 ticks: waits until signalled");
	CHECK_STATUS(wait_with((LONGLONG)(1ULL << 63)), 0, "INT64_MIN: waits until signalled");
	CHECK_STATUS(wait_with(0x7fffffffffffffffLL), 0, "the largest absolute time: waits until signalled");
	CHECK_STATUS(wait_with(-(0x7fffffffffffffffLL)), 0, "relative INT64_MAX ticks: waits until signalled");
	NtCreateEvent(&ev, EVENT_ALL_ACCESS, 0, 0, 0);
	hs[0] = ev;
	to.QuadPart = -1;
	CHECK_STATUS(NtWaitForMultipleObjects(1, hs, 1, 0, &to), 0x102, "and a relative 1 tick still times out");
	done();
	return 0;
}
