/*
 * Hostile: a large handle table costs the supervisor no search per handle.
 * 30000 events are created, then the last handle is closed and a new one
 * made 30000 times (each one searched the whole table before: a
 * quadratic 10^9 steps), then every tenth handle closed and as many made.
 * Checked: a closed handle's value is the next one given (as NT reuses
 * them), values stay distinct and every handle still names its object.
 * The runner's 60 s bound is the stall check; the time is
 * bench's business, the values are checked here.
 */
#include "nt_test.h"

#define N 30000

static HANDLE h[N], closed[N / 10];

int mainCRTStartup(void)
{
	NTSTATUS st = 0;
	unsigned made = 0, reused = 0, refilled = 0, distinct = 1;
	LARGE_INTEGER zero = { 0 };

	while (made < N && (st = NtCreateEvent(&h[made], 0x1F0003, 0, 0, 0)) == 0)
		made++;
	if (made < N) {
		out("cannot test: events not made\n");
		NtTerminateProcess(NtCurrentProcess(), 2);
	}
	for (unsigned i = 1; i < N; i++)
		distinct &= h[i] != h[i - 1];
	check(distinct, "30000 distinct handles", 0);
	for (unsigned i = 0; i < N; i++) {
		HANDLE old = h[N - 1];

		NtClose(old);
		if (NtCreateEvent(&h[N - 1], 0x1F0003, 0, 0, 0) == 0 && h[N - 1] == old)
			reused++;
	}
	check(reused == N, "a closed handle's value is the next one given, 30000 times", reused);
	for (unsigned i = 0; i < N; i += 10) {
		closed[i / 10] = h[i];
		NtClose(h[i]);
	}
	for (unsigned i = 0; i < N; i += 10) {
		HANDLE n;

		if (NtCreateEvent(&n, 0x1F0003, 0, 0, 0))
			continue;
		/* one of the closed values, each given once */
		for (unsigned k = 0; k < N / 10; k++)
			if (closed[k] && closed[k] == n) {
				closed[k] = 0;
				refilled++;
				break;
			}
	}
	check(refilled == N / 10, "every tenth closed, as many made: each one a closed value", refilled);
	NtSetEvent(h[5], 0);
	CHECK_STATUS(NtWaitForSingleObject(h[5], 0, &zero), 0, "a handle still names its own object");
	CHECK_STATUS(NtWaitForSingleObject(h[6], 0, &zero), 0x102, "and its neighbour its own (not signalled: TIMEOUT)");
	done();
	return 0;
}
