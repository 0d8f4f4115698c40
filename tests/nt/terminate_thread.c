/*
 * NtTerminateThread of another thread ends it with the status given, and a
 * wait for it returns (before, the call was NOT_IMPLEMENTED and a wait for
 * the thread never ended): a thread busy in service calls, one parked in a
 * wait holding a mutant (abandoned by its end), one inside a Linux call of
 * a service (a short NtDelayExecution); then 200 times a thread that opens,
 * writes and closes C:\x.txt in a loop, ended at any point of it. (Handles
 * are the process's: one the ended thread had open stays open, as on NT.)
 */
#include "nt_test.h"

#define ABANDONED 0x80
#define TIMEOUT 0x102

static HANDLE never, mutant;

static ULONG NTAPI busy(void *arg)
{
	(void)arg;
	for (;;)
		NtYieldExecution();
	return 0;
}

static ULONG NTAPI parked(void *arg)
{
	(void)arg;
	NtWaitForSingleObject(mutant, 0, 0); /* takes it */
	NtWaitForSingleObject(never, 0, 0);
	out("PARKED-THREAD-RAN-ON\n");
	return 0;
}

static ULONG NTAPI sleeper(void *arg)
{
	LARGE_INTEGER d;

	(void)arg;
	for (;;) {
		d.QuadPart = -200000; /* 20 ms */
		NtDelayExecution(0, &d);
	}
	return 0;
}

static NTSTATUS open_x(HANDLE *h)
{
	WCHAR buf[32];
	UNICODE_STRING u;
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK io;

	ustr(&u, buf, "\\??\\C:\\x.txt");
	init_oa(&oa, &u, 0, 0);
	return NtCreateFile(h, 0xC0110000, &oa, &io, 0, 0, 7, 3, 0x60, 0, 0);
}

static ULONG NTAPI opener(void *arg)
{
	HANDLE h;
	IO_STATUS_BLOCK io;
	LARGE_INTEGER off = { 0 };

	(void)arg;
	for (;;)
		if (!open_x(&h)) {
			NtWriteFile(h, 0, 0, 0, &io, "abcdef", 6, &off, 0);
			NtClose(h);
		}
	return 0;
}

static ULONG exit_status(HANDLE th)
{
	unsigned char info[0x30];

	if (NtQueryInformationThread(th, 0, info, sizeof(info), 0))
		return 0xffffffff;
	return *(ULONG *)info;
}

static void end_one(void *routine, ULONG status, const char *what)
{
	HANDLE th;
	LARGE_INTEGER d, five_s;
	NTSTATUS st = NtCreateThreadEx(&th, 0x1fffff, 0, NtCurrentProcess(), routine, 0, 0, 0, 0, 0, 0);

	if (st) {
		out("cannot test: NtCreateThreadEx failed\n");
		NtTerminateProcess(NtCurrentProcess(), 2);
	}
	d.QuadPart = -300000; /* 30 ms: it is well in its loop */
	NtDelayExecution(0, &d);
	CHECK_STATUS(NtTerminateThread(th, status), 0, what);
	five_s.QuadPart = -50000000;
	CHECK_STATUS(NtWaitForSingleObject(th, 0, &five_s), 0, "  and a wait for it returns");
	check(exit_status(th) == status, "  with the status given", exit_status(th));
	NtClose(th);
}

int mainCRTStartup(void)
{
	LARGE_INTEGER zero = { 0 };
	HANDLE h;
	unsigned stale = 0;

	NtCreateEvent(&never, 0x1f0003, 0, 0, 0);
	NtCreateMutant(&mutant, 0x1f0001, 0, 0);
	end_one((void *)busy, 0x1111, "a thread busy in service calls ended");
	end_one((void *)parked, 0x2222, "a thread parked in a wait ended");
	CHECK_STATUS(NtWaitForSingleObject(mutant, 0, &zero), ABANDONED, "the mutant it held: abandoned");
	end_one((void *)sleeper, 0x3333, "a thread in NtDelayExecution ended");
	for (int i = 0; i < 200; i++) {
		HANDLE th;
		LARGE_INTEGER d, five_s;

		if (NtCreateThreadEx(&th, 0x1fffff, 0, NtCurrentProcess(), (void *)opener, 0, 0, 0, 0, 0, 0))
			break;
		d.QuadPart = -(LONGLONG)(i % 20) * 1000;
		NtDelayExecution(0, &d);
		NtTerminateThread(th, 1);
		five_s.QuadPart = -50000000;
		if (NtWaitForSingleObject(th, 0, &five_s) == TIMEOUT) {
			out("a terminated thread did not end\n");
			stale += 1000;
		}
		NtClose(th);
		if (open_x(&h))
			stale++;
		else
			NtClose(h);
	}
	check(stale == 0, "200 threads ended mid-call: each ended, the file still opens", stale);
	done();
	return 0;
}
