/* Threads from outside: SuspendThread, ResumeThread, Get/SetThreadContext, thread priorities. */
#include "k32.h"

NTSTATUS NtSuspendThread(HANDLE h, ULONG *prev);
NTSTATUS NtResumeThread(HANDLE h, ULONG *prev);
NTSTATUS NtGetContextThread(HANDLE h, void *ctx);
NTSTATUS NtSetContextThread(HANDLE h, const void *ctx);
NTSTATUS NtSetInformationThread(HANDLE h, ULONG cls, void *info, ULONG len);

#define THREAD_PRIORITY_ERROR_RETURN 0x7fffffff
#define ThreadBasePriority 3

/* The count before, or (DWORD)-1 with the error set. */
EXPORT DWORD WINAPI SuspendThread(HANDLE h)
{
	ULONG prev = 0;
	NTSTATUS st = NtSuspendThread(h, &prev);

	if (st) {
		k32_fail_nt(st);
		return (DWORD)-1;
	}
	return prev;
}

EXPORT DWORD WINAPI ResumeThread(HANDLE h)
{
	ULONG prev = 0;
	NTSTATUS st = NtResumeThread(h, &prev);

	if (st) {
		k32_fail_nt(st);
		return (DWORD)-1;
	}
	return prev;
}

/* ctx is a CONTEXT (x64 layout, ContextFlags at 0x30 say which parts). */
EXPORT BOOL WINAPI GetThreadContext(HANDLE h, void *ctx)
{
	NTSTATUS st = NtGetContextThread(h, ctx);

	return st ? k32_fail_nt(st) : 1;
}

EXPORT BOOL WINAPI SetThreadContext(HANDLE h, const void *ctx)
{
	NTSTATUS st = NtSetContextThread(h, ctx);

	return st ? k32_fail_nt(st) : 1;
}

EXPORT BOOL WINAPI SetThreadPriority(HANDLE h, int prio)
{
	LONG v = prio;
	NTSTATUS st;

	/* -2..2 around the process's base, and THREAD_PRIORITY_IDLE / TIME_CRITICAL (-15, 15) */
	if ((prio < -2 || prio > 2) && prio != -15 && prio != 15)
		return k32_fail(87 /* ERROR_INVALID_PARAMETER */);
	st = NtSetInformationThread(h, ThreadBasePriority, &v, sizeof(v));
	return st ? k32_fail_nt(st) : 1;
}

EXPORT int WINAPI GetThreadPriority(HANDLE h)
{
	unsigned char basic[0x30];
	NTSTATUS st = NtQueryInformationThread(h, 0 /* ThreadBasicInformation */, basic, sizeof(basic), NULL);

	if (st) {
		k32_fail_nt(st);
		return THREAD_PRIORITY_ERROR_RETURN;
	}
	return *(LONG *)(basic + 0x2c); /* BasePriority: the increment */
}

/* Creation and exit times (NT times), and the CPU time in the kernel and in user mode (100 ns units). */
EXPORT BOOL WINAPI GetThreadTimes(HANDLE h, FILETIME *creation, FILETIME *exit, FILETIME *kernel, FILETIME *user)
{
	int64_t times[4];
	NTSTATUS st = NtQueryInformationThread(h, 1 /* ThreadTimes */, times, sizeof(times), NULL);

	if (st)
		return k32_fail_nt(st);
	*creation = k32_filetime(times[0]);
	*exit = k32_filetime(times[1]);
	*kernel = k32_filetime(times[2]);
	*user = k32_filetime(times[3]);
	return 1;
}

NTSTATUS NtQueueApcThread(HANDLE h, void *routine, void *arg1, void *arg2, void *arg3);

/* The APC runs func(data) in that thread at its next alertable wait (SleepEx, WaitFor...Ex, ...). */
EXPORT DWORD WINAPI QueueUserAPC(void(WINAPI *func)(ULONG_PTR), HANDLE h, ULONG_PTR data)
{
	NTSTATUS st = NtQueueApcThread(h, (void *)func, (void *)data, NULL, NULL);

	return st ? k32_fail_nt(st) : 1;
}
