/*
 * A thread that ends at once may be gone before its creator's
 * NtCreateThreadEx has answered: its handle must still become signalled
 * (sync.c's "WaitAll on two threads" hung about 1 run in 75 when it did
 * not). Creates many such threads and waits for each pair with a timeout;
 * a pair that times out is a thread whose end was lost.
 */
#include "nt_test.h"

static NTSTATUS NTAPI quick(void *arg)
{
	return (NTSTATUS)(ULONG64)arg;
}

int mainCRTStartup(void)
{
	HANDLE hs[2];
	LARGE_INTEGER to;
	unsigned char info[0x30];
	int lost = 0, failed = 0, wrong_status = 0;

	for (int i = 0; i < 1000; i++) {
		NTSTATUS a = NtCreateThreadEx(&hs[0], 0x1fffff, 0, NtCurrentProcess(), (void *)quick, (void *)7, 0, 0, 0, 0, 0);
		NTSTATUS b = NtCreateThreadEx(&hs[1], 0x1fffff, 0, NtCurrentProcess(), (void *)quick, (void *)9, 0, 0, 0, 0, 0);

		if (a || b) {
			failed++;
			break;
		}
		to.QuadPart = -20000000; /* 2 s: a lost end never comes */
		if (NtWaitForMultipleObjects(2, hs, 0, 0, &to) != 0)
			lost++;
		if (NtQueryInformationThread(hs[1], 0, info, 0x30, 0) || *(ULONG *)info != 9)
			wrong_status++;
		NtClose(hs[0]);
		NtClose(hs[1]);
		if (lost)
			break;
	}
	check(!failed, "1000 pairs of threads created", (ULONG64)failed);
	check(!lost, "WaitAll on each pair: every thread's end reached its handle", (ULONG64)lost);
	check(!wrong_status, "each thread's exit status is its own", (ULONG64)wrong_status);
	done();
	return 0;
}
