/*
 * Waits that never end: two threads parked in infinite waits on events
 * nobody signals, after saying "waiting". The runner ends the run from
 * outside (SIGTERM, SIGINT to picovisor, the wall-time limit) and checks that
 * it ends at once, as the program would have. With "twice" the first thread
 * waits again after a wait ends (it never should).
 */
#include "nt_test.h"

#define EVENT_ALL_ACCESS 0x1f0003

static HANDLE never;

static NTSTATUS NTAPI waiter(void *arg)
{
	(void)arg;
	NtWaitForSingleObject(never, 0, 0);
	out("the second thread's wait ended\n");
	return 0;
}

int mainCRTStartup(void)
{
	HANDLE th, hs[1];
	LARGE_INTEGER t;

	NtCreateEvent(&never, EVENT_ALL_ACCESS, 0, 0, 0);
	NtCreateThreadEx(&th, 0x1fffff, 0, NtCurrentProcess(), (void *)waiter, 0, 0, 0, 0, 0, 0);
	t.QuadPart = -1000000; /* 100 ms: the second thread is parked */
	NtDelayExecution(0, &t);
	out("waiting\n");
	hs[0] = never;
	NtWaitForMultipleObjects(1, hs, 0, 0, 0);
	out("the wait ended\n");
	return 0;
}
