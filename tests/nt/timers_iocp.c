/*
 * Waitable timers and I/O completion ports. Timers: a synchronization timer
 * wakes one wait and resets, a notification timer stays signalled, a
 * periodic timer fires again on its period, a cancelled one never fires, an
 * absolute due time. Ports: packets come out first in first out with their
 * key, ApcContext and IO_STATUS_BLOCK; an empty port times out; a thread
 * blocked on a port is woken by a packet; NtRemoveIoCompletionEx takes up
 * to its count; a file bound to a port (FileCompletionInformation) queues
 * a packet for each I/O that names an ApcContext, and none with
 * FILE_SKIP_COMPLETION_PORT_ON_SUCCESS. The same program runs under Wine.
 */
#include "nt_test.h"

NTSTATUS NTAPI NtCreateTimer(HANDLE *, ULONG, OBJECT_ATTRIBUTES *, ULONG);
NTSTATUS NTAPI NtSetTimer(HANDLE, LARGE_INTEGER *, void *, void *, BOOLEAN, long, BOOLEAN *);
NTSTATUS NTAPI NtCancelTimer(HANDLE, BOOLEAN *);
NTSTATUS NTAPI NtCreateIoCompletion(HANDLE *, ULONG, OBJECT_ATTRIBUTES *, ULONG);
NTSTATUS NTAPI NtSetIoCompletion(HANDLE, ULONG64, ULONG64, NTSTATUS, ULONG64);
NTSTATUS NTAPI NtRemoveIoCompletion(HANDLE, ULONG64 *, ULONG64 *, IO_STATUS_BLOCK *, LARGE_INTEGER *);
NTSTATUS NTAPI NtRemoveIoCompletionEx(HANDLE, void *, ULONG, ULONG *, LARGE_INTEGER *, BOOLEAN);

NTSTATUS NTAPI LdrGetDllHandle(WCHAR *, ULONG *, UNICODE_STRING *, void **);
NTSTATUS NTAPI LdrGetProcedureAddress(void *, void *, ULONG, void **);

#define TIMEOUT 0x102
#define PENDING 0x103

typedef struct {
	ULONG64 key, apc;
	IO_STATUS_BLOCK iosb;
} COMPLETION_K;

static HANDLE port;

/* Wine's ntdll names itself with wine_get_version: where it differs from NT's documented behaviour. */
static int under_wine(void)
{
	WCHAR buf[16];
	UNICODE_STRING u;
	struct {
		unsigned short len, max;
		const char *buf;
	} name = { 16, 17, "wine_get_version" };
	void *ntdll = 0, *f = 0;

	ustr(&u, buf, "ntdll.dll");
	return LdrGetDllHandle(0, 0, &u, &ntdll) == 0 && LdrGetProcedureAddress(ntdll, &name, 0, &f) == 0;
}

static LONGLONG now_ms(void)
{
	LARGE_INTEGER c, f;

	NtQueryPerformanceCounter(&c, &f);
	return c.QuadPart / (f.QuadPart / 1000);
}

static LARGE_INTEGER *ms(LARGE_INTEGER *t, long v)
{
	t->QuadPart = -(LONGLONG)v * 10000;
	return t;
}

static void timers(void)
{
	HANDLE sync = 0, notif = 0;
	LARGE_INTEGER t, w, zero = { 0 };
	BOOLEAN state = 9;
	LONGLONG t0, t1;

	CHECK_STATUS(NtCreateTimer(&sync, 0x1f0003, 0, 1), 0, "NtCreateTimer (SynchronizationTimer)");
	CHECK_STATUS(NtCreateTimer(&notif, 0x1f0003, 0, 0), 0, "NtCreateTimer (NotificationTimer)");
	CHECK_STATUS(NtWaitForSingleObject(sync, 0, &zero), TIMEOUT, "a timer never set is not signalled");
	t0 = now_ms();
	CHECK_STATUS(NtSetTimer(sync, ms(&t, 30), 0, 0, 0, 0, 0), 0, "set to 30 ms from now");
	CHECK_STATUS(NtWaitForSingleObject(sync, 0, ms(&w, 2000)), 0, "the wait ends when it fires");
	t1 = now_ms();
	check(t1 - t0 >= 25 && t1 - t0 < 1000, "after about 30 ms", (unsigned long long)(t1 - t0));
	CHECK_STATUS(NtWaitForSingleObject(sync, 0, ms(&w, 40)), TIMEOUT, "a synchronization timer reset itself");

	CHECK_STATUS(NtSetTimer(notif, ms(&t, 10), 0, 0, 0, 0, 0), 0, "a notification timer set to 10 ms");
	CHECK_STATUS(NtWaitForSingleObject(notif, 0, ms(&w, 2000)), 0, "fires");
	CHECK_STATUS(NtWaitForSingleObject(notif, 0, &zero), 0, "and stays signalled");
	CHECK_STATUS(NtCancelTimer(notif, &state), 0, "NtCancelTimer");
	check(state == 1, "its state was signalled", state);

	t0 = now_ms();
	CHECK_STATUS(NtSetTimer(sync, ms(&t, 10), 0, 0, 0, 20, 0), 0, "a periodic timer: 10 ms, then every 20 ms");
	for (int i = 0; i < 4; i++)
		CHECK_STATUS(NtWaitForSingleObject(sync, 0, ms(&w, 2000)), 0, "fires again");
	t1 = now_ms();
	check(t1 - t0 >= 60 && t1 - t0 < 2000, "four expiries take about 70 ms", (unsigned long long)(t1 - t0));
	CHECK_STATUS(NtCancelTimer(sync, 0), 0, "cancelled");
	CHECK_STATUS(NtWaitForSingleObject(sync, 0, ms(&w, 50)), TIMEOUT, "a cancelled timer does not fire");

	CHECK_STATUS(NtSetTimer(sync, ms(&t, 20), 0, 0, 0, 0, 0), 0, "set again");
	CHECK_STATUS(NtCancelTimer(sync, &state), 0, "cancelled before it fires");
	check(state == 0, "its state was not signalled", state);
	CHECK_STATUS(NtWaitForSingleObject(sync, 0, ms(&w, 60)), TIMEOUT, "and it never fires");

	NtQuerySystemTime(&t);
	t.QuadPart += 200000; /* 20 ms from now, as a system time */
	CHECK_STATUS(NtSetTimer(sync, &t, 0, 0, 0, 0, 0), 0, "an absolute due time");
	CHECK_STATUS(NtWaitForSingleObject(sync, 0, ms(&w, 2000)), 0, "fires");
	/* SetWaitableTimer's documentation: a negative period fails (Wine takes it) */
	CHECK_STATUS(NtSetTimer(sync, ms(&t, 10), 0, 0, 0, -1, 0), under_wine() ? 0 : 0xC00000F4,
		     "a negative period: INVALID_PARAMETER_6");
	NtCancelTimer(sync, 0);
	CHECK_STATUS(NtSetTimer(port, ms(&t, 10), 0, 0, 0, 0, 0), 0xC0000024, "NtSetTimer of a port: OBJECT_TYPE_MISMATCH");
	NtClose(sync);
	NtClose(notif);
}

static ULONG NTAPI blocked_on_port(void *arg)
{
	ULONG64 key = 0, apc = 0;
	IO_STATUS_BLOCK iosb;

	(void)arg;
	if (NtRemoveIoCompletion(port, &key, &apc, &iosb, 0) == 0 && key == 77)
		return 1;
	return 2;
}

static ULONG exit_status(HANDLE th)
{
	unsigned char info[0x30];

	if (NtQueryInformationThread(th, 0, info, sizeof(info), 0))
		return 0xffffffff;
	return *(ULONG *)info;
}

static void ports(void)
{
	ULONG64 key = 0, apc = 0;
	IO_STATUS_BLOCK iosb;
	COMPLETION_K e[4];
	ULONG n = 99;
	LARGE_INTEGER w, zero = { 0 };
	HANDLE th = 0;

	CHECK_STATUS(NtCreateIoCompletion(&port, 0x1f0003, 0, 0), 0, "NtCreateIoCompletion");
	CHECK_STATUS(NtRemoveIoCompletion(port, &key, &apc, &iosb, ms(&w, 20)), TIMEOUT, "an empty port times out");
	for (int i = 1; i <= 3; i++)
		NtSetIoCompletion(port, (ULONG64)i, 0x1000 + (ULONG64)i, i == 2 ? (NTSTATUS)0xC0000011 : 0, 10 * (ULONG64)i);
	CHECK_STATUS(NtRemoveIoCompletion(port, &key, &apc, &iosb, &zero), 0, "NtRemoveIoCompletion");
	check(key == 1 && apc == 0x1001 && iosb.Status == 0 && iosb.Information == 10, "the first packet first", key);
	CHECK_STATUS(NtRemoveIoCompletion(port, &key, &apc, &iosb, &zero), 0, "the second");
	check(key == 2 && apc == 0x1002 && iosb.Status == (NTSTATUS)0xC0000011 && iosb.Information == 20,
	      "with its status and information", (unsigned long long)iosb.Status);
	CHECK_STATUS(NtRemoveIoCompletionEx(port, e, 4, &n, &zero, 0), 0, "NtRemoveIoCompletionEx");
	check(n == 1 && e[0].key == 3 && e[0].apc == 0x1003 && e[0].iosb.Information == 30, "the last one", n);
	for (int i = 1; i <= 3; i++)
		NtSetIoCompletion(port, (ULONG64)i, 0, 0, 0);
	CHECK_STATUS(NtRemoveIoCompletionEx(port, e, 2, &n, &zero, 0), 0, "NtRemoveIoCompletionEx with room for 2");
	check(n == 2 && e[0].key == 1 && e[1].key == 2, "takes 2", n);
	CHECK_STATUS(NtRemoveIoCompletionEx(port, e, 2, &n, &zero, 0), 0, "then the third");
	check(n == 1 && e[0].key == 3, "alone", n);

	NtCreateThreadEx(&th, 0x1fffff, 0, NtCurrentProcess(), blocked_on_port, 0, 0, 0, 0, 0, 0);
	ms(&w, 30);
	NtDelayExecution(0, &w);
	CHECK_STATUS(NtSetIoCompletion(port, 77, 0, 0, 0), 0, "a packet for a thread blocked on the port");
	CHECK_STATUS(NtWaitForSingleObject(th, 0, ms(&w, 2000)), 0, "wakes it");
	check(exit_status(th) == 1, "with that packet", exit_status(th));
	NtClose(th);
}

static void files(void)
{
	WCHAR buf[64];
	UNICODE_STRING u;
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK io, iosb;
	HANDLE f = 0;
	LARGE_INTEGER off = { 0 }, zero = { 0 };
	ULONG64 key = 0, apc = 0, info[2];
	char data[8];
	ULONG skip = 1; /* FILE_SKIP_COMPLETION_PORT_ON_SUCCESS */
	NTSTATUS st;

	ustr(&u, buf, "\\??\\C:\\iocp.txt");
	init_oa(&oa, &u, 0, 0);
	/* no FILE_SYNCHRONOUS_IO_*: an asynchronous handle, as FILE_FLAG_OVERLAPPED opens it */
	CHECK_STATUS(NtCreateFile(&f, 0xC0110000, &oa, &io, 0, 0, 7, 5 /* OVERWRITE_IF */, 0x40, 0, 0), 0,
		     "an asynchronous file handle");
	info[0] = (ULONG64)port;
	info[1] = 9;
	CHECK_STATUS(NtSetInformationFile(f, &io, info, sizeof(info), 30), 0, "bound to the port (FileCompletionInformation)");
	st = NtWriteFile(f, 0, 0, (void *)0x5555, &iosb, "abcdef", 6, &off, 0);
	check(st == 0 || st == PENDING, "a write naming an ApcContext", (unsigned long long)st);
	CHECK_STATUS(NtRemoveIoCompletion(f ? port : 0, &key, &apc, &io, ms(&off, 2000)), 0, "its packet comes");
	check(key == 9 && apc == 0x5555 && io.Status == 0 && io.Information == 6, "the file's key, the ApcContext, 6 bytes",
	      key);
	off.QuadPart = 2;
	st = NtReadFile(f, 0, 0, (void *)0x6666, &iosb, data, 3, &off, 0);
	check(st == 0 || st == PENDING, "a read", (unsigned long long)st);
	CHECK_STATUS(NtRemoveIoCompletion(port, &key, &apc, &io, ms(&off, 2000)), 0, "its packet");
	check(apc == 0x6666 && io.Information == 3 && data[0] == 'c', "3 bytes read from offset 2", io.Information);
	off.QuadPart = 0;
	NtWriteFile(f, 0, 0, 0, &iosb, "x", 1, &off, 0);
	CHECK_STATUS(NtRemoveIoCompletion(port, &key, &apc, &io, &zero), TIMEOUT, "no packet without an ApcContext");
	info[0] = (ULONG64)port;
	CHECK_STATUS(NtSetInformationFile(f, &io, info, sizeof(info), 30), 0xC000000D, "bound twice: INVALID_PARAMETER");
	CHECK_STATUS(NtSetInformationFile(f, &io, &skip, sizeof(skip), 41), 0, "FILE_SKIP_COMPLETION_PORT_ON_SUCCESS");
	st = NtWriteFile(f, 0, 0, (void *)0x7777, &iosb, "y", 1, &off, 0);
	if (st == 0)
		CHECK_STATUS(NtRemoveIoCompletion(port, &key, &apc, &io, &zero), TIMEOUT,
			     "an I/O done at once queues no packet then");
	else
		CHECK_STATUS(NtRemoveIoCompletion(port, &key, &apc, &io, ms(&off, 2000)), 0,
			     "an I/O left pending still queues its packet");
	NtClose(f);
	NtDeleteFile(&oa);
}

void mainCRTStartup(void)
{
	ports();
	timers();
	files();
	NtClose(port);
	done();
}
