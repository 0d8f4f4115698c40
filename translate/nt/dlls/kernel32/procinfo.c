/*
 * The process as Win32 describes it, beyond its threads: its times,
 * affinity, handles' flags, whether a debugger is attached, OpenProcess of
 * itself, the system clock's adjustment, and debugger output.
 */
#include "k32.h"

#define ProcessTimes 4
#define ProcessAffinityMask 21
#define ObjectHandleFlagInformation 4
#define HANDLE_FLAG_INHERIT 1u
#define HANDLE_FLAG_PROTECT_FROM_CLOSE 2u
#define ERROR_ACCESS_DENIED 5
#define ERROR_INVALID_PARAMETER 87
#define ERROR_PRIVILEGE_NOT_HELD 1314

DWORD WINAPI GetCurrentProcessId(void);

EXPORT BOOL WINAPI GetProcessTimes(HANDLE h, FILETIME *create, FILETIME *exit, FILETIME *kernel, FILETIME *user)
{
	int64_t t[4]; /* KERNEL_USER_TIMES: CreateTime, ExitTime, KernelTime, UserTime */
	NTSTATUS st = NtQueryInformationProcess(h, ProcessTimes, t, sizeof(t), NULL);

	if (st)
		return k32_fail_nt(st);
	*create = k32_filetime(t[0]);
	*exit = k32_filetime(t[1]);
	*kernel = k32_filetime(t[2]);
	*user = k32_filetime(t[3]);
	return 1;
}

EXPORT BOOL WINAPI SetProcessAffinityMask(HANDLE h, uint64_t mask)
{
	NTSTATUS st = NtSetInformationProcess(h, ProcessAffinityMask, &mask, sizeof(mask));

	return st ? k32_fail_nt(st) : 1;
}

/* PEB->BeingDebugged: picovisor attaches no debugger, so it is 0 (the supervisor's tracing is not one). */
EXPORT BOOL WINAPI IsDebuggerPresent(void)
{
	return PEB_FIELD(unsigned char, 2) != 0;
}

/*
 * Without a debugger Windows' OutputDebugString shows nothing (the exception it raises for a debugger is
 * taken by its own handler), and that is what happens here: there is never a debugger to tell.
 */
EXPORT void WINAPI OutputDebugStringA(const char *s)
{
	(void)s;
}

EXPORT void WINAPI OutputDebugStringW(const WCHAR *s)
{
	(void)s;
}

/*
 * A handle to the program's own process. No other process is visible to an NT program under picovisor
 * (there is no process enumeration and no cross-process service), so another id is what Windows says for an
 * id no process has: ERROR_INVALID_PARAMETER (0 too).
 */
EXPORT HANDLE WINAPI OpenProcess(DWORD access, BOOL inherit, DWORD pid)
{
	HANDLE h = NULL;
	NTSTATUS st;

	if (pid != GetCurrentProcessId()) {
		k32_fail(ERROR_INVALID_PARAMETER);
		return NULL;
	}
	st = NtDuplicateObject((HANDLE)(intptr_t)-1, (HANDLE)(intptr_t)-1, (HANDLE)(intptr_t)-1, &h, access,
			       inherit ? 2 /* OBJ_INHERIT */ : 0, 0);
	if (st) {
		k32_fail_nt(st);
		return NULL;
	}
	return h;
}

EXPORT BOOL WINAPI GetHandleInformation(HANDLE h, DWORD *flags)
{
	unsigned char info[2];
	NTSTATUS st = NtQueryObject(h, ObjectHandleFlagInformation, info, sizeof(info), NULL);

	if (st)
		return k32_fail_nt(st);
	*flags = (info[0] ? HANDLE_FLAG_INHERIT : 0) | (info[1] ? HANDLE_FLAG_PROTECT_FROM_CLOSE : 0);
	return 1;
}

EXPORT BOOL WINAPI SetHandleInformation(HANDLE h, DWORD mask, DWORD flags)
{
	unsigned char info[2];
	NTSTATUS st = NtQueryObject(h, ObjectHandleFlagInformation, info, sizeof(info), NULL);

	if (st)
		return k32_fail_nt(st);
	if (mask & HANDLE_FLAG_INHERIT)
		info[0] = (flags & HANDLE_FLAG_INHERIT) != 0;
	if (mask & HANDLE_FLAG_PROTECT_FROM_CLOSE)
		info[1] = (flags & HANDLE_FLAG_PROTECT_FROM_CLOSE) != 0;
	st = NtSetInformationObject(h, ObjectHandleFlagInformation, info, sizeof(info));
	return st ? k32_fail_nt(st) : 1;
}

/*
 * The clock is not being adjusted by the program's side: adjustment disabled, and the increment is the
 * clock interval KUSER_SHARED_DATA's time advances by (15.625 ms, as Windows' default).
 */
EXPORT BOOL WINAPI GetSystemTimeAdjustment(DWORD *adjustment, DWORD *increment, BOOL *disabled)
{
	*adjustment = 156250;
	*increment = 156250;
	*disabled = 1;
	return 1;
}

/* Setting the clock needs SE_SYSTEMTIME_PRIVILEGE, which no program under picovisor holds. */
EXPORT BOOL WINAPI SetSystemTime(const void *time)
{
	(void)time;
	return k32_fail(ERROR_PRIVILEGE_NOT_HELD);
}
