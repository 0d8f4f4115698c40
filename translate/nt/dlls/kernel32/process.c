/* The process and its threads: startup information, the command line, standard handles, TLS slots, sleeping. */
#include "k32.h"

#define ERROR_INVALID_PARAMETER 87
#define ERROR_NO_MORE_ITEMS 259
#define TLS_OUT_OF_INDEXES 0xffffffffu
#define TEB_TLS_SLOTS 0x1480
#define TEB_TLS_EXPANSION 0x1780
#define TLS_MINIMUM 64
#define TLS_EXPANSION 1024

EXPORT HANDLE WINAPI GetCurrentProcess(void)
{
	return (HANDLE)(intptr_t)-1;
}

EXPORT HANDLE WINAPI GetCurrentThread(void)
{
	return (HANDLE)(intptr_t)-2;
}

EXPORT DWORD WINAPI GetCurrentProcessId(void)
{
	return (DWORD)TEB_FIELD(uint64_t, 0x40);
}

EXPORT DWORD WINAPI GetCurrentThreadId(void)
{
	return (DWORD)TEB_FIELD(uint64_t, 0x48);
}

/* The process's priority class (NtQueryInformationProcess's ProcessPriorityClass, from the nice value). */
EXPORT DWORD WINAPI GetPriorityClass(HANDLE process)
{
	static const DWORD classes[] = { 0, 0x40 /* IDLE */, 0x20 /* NORMAL */, 0x80 /* HIGH */, 0x100 /* REALTIME */,
					 0x4000 /* BELOW_NORMAL */, 0x8000 /* ABOVE_NORMAL */ };
	unsigned char pc[2] = { 0, 0 };
	NTSTATUS st = NtQueryInformationProcess(process, 18 /* ProcessPriorityClass */, pc, sizeof(pc), NULL);

	if (st)
		return k32_fail_nt(st);
	if (pc[1] >= sizeof(classes) / sizeof(classes[0]) || !classes[pc[1]])
		return k32_fail(ERROR_INVALID_PARAMETER);
	return classes[pc[1]];
}

/* A process's exit code: STILL_ACTIVE (259, STATUS_PENDING) while it runs (ProcessBasicInformation's ExitStatus). */
EXPORT BOOL WINAPI GetExitCodeProcess(HANDLE process, DWORD *code)
{
	uint64_t basic[6];
	NTSTATUS st = NtQueryInformationProcess(process, 0 /* ProcessBasicInformation */, basic, sizeof(basic), NULL);

	if (st)
		return k32_fail_nt(st);
	*code = (DWORD)basic[0];
	return 1;
}

EXPORT HANDLE WINAPI GetStdHandle(DWORD which)
{
	unsigned char *pp = PROCESS_PARAMS();

	switch (which) {
	case (DWORD)-10:
		return *(HANDLE *)(pp + 0x20);
	case (DWORD)-11:
		return *(HANDLE *)(pp + 0x28);
	case (DWORD)-12:
		return *(HANDLE *)(pp + 0x30);
	default:
		k32_fail(6 /* ERROR_INVALID_HANDLE */);
		return INVALID_HANDLE_VALUE;
	}
}

EXPORT BOOL WINAPI SetStdHandle(DWORD which, HANDLE h)
{
	unsigned char *pp = PROCESS_PARAMS();

	if (which < (DWORD)-12 || which > (DWORD)-10)
		return k32_fail(6);
	*(HANDLE *)(pp + 0x20 + ((DWORD)-10 - which) * 8) = h;
	return 1;
}

EXPORT WCHAR *WINAPI GetCommandLineW(void)
{
	return ((UNICODE_STRING *)(PROCESS_PARAMS() + 0x70))->Buffer;
}

static char *cmdline_a;

/* The command line in the ANSI code page, UTF-8, made once. */
EXPORT char *WINAPI GetCommandLineA(void)
{
	if (!cmdline_a) {
		UNICODE_STRING *us = (UNICODE_STRING *)(PROCESS_PARAMS() + 0x70);
		int n = k32_w_to_a(us->Buffer, us->Length / 2, NULL, 0);
		char *s = RtlAllocateHeap(PEB_FIELD(void *, 0x30), 0, (size_t)n + 1);

		if (!s)
			return (char *)"";
		k32_w_to_a(us->Buffer, us->Length / 2, s, n);
		s[n] = 0;
		if (__sync_val_compare_and_swap(&cmdline_a, NULL, s))
			RtlFreeHeap(PEB_FIELD(void *, 0x30), 0, s);
	}
	return cmdline_a;
}

typedef struct {
	DWORD cb;
	char *lpReserved, *lpDesktop, *lpTitle;
	DWORD dwX, dwY, dwXSize, dwYSize, dwXCountChars, dwYCountChars, dwFillAttribute, dwFlags;
	uint16_t wShowWindow, cbReserved2;
	BYTE *lpReserved2;
	HANDLE hStdInput, hStdOutput, hStdError;
} STARTUPINFOA;

/* No window, no inherited CRT handles: STARTF_USESTDHANDLES is not set (as for a console program started plainly). */
EXPORT void WINAPI GetStartupInfoA(STARTUPINFOA *si)
{
	memset(si, 0, sizeof(*si));
	si->cb = sizeof(*si);
	si->hStdInput = GetStdHandle((DWORD)-10);
	si->hStdOutput = GetStdHandle((DWORD)-11);
	si->hStdError = GetStdHandle((DWORD)-12);
}

EXPORT void WINAPI GetStartupInfoW(STARTUPINFOA *si)
{
	GetStartupInfoA(si); /* the same layout; the strings are NULL */
}

EXPORT void WINAPI Sleep(DWORD ms)
{
	int64_t t = -(int64_t)ms * 10000;

	if (ms == 0)
		NtYieldExecution();
	else
		NtDelayExecution(0, ms == 0xffffffffu ? NULL : &t);
}

/* WAIT_IO_COMPLETION (0xc0, STATUS_USER_APC) when queued APCs ran and ended an alertable sleep. */
EXPORT DWORD WINAPI SleepEx(DWORD ms, BOOL alertable)
{
	int64_t t = -(int64_t)ms * 10000;
	NTSTATUS st;

	if (!alertable) {
		Sleep(ms);
		return 0;
	}
	st = NtDelayExecution(1, ms == 0xffffffffu ? NULL : &t);
	return st == 0xc0 ? 0xc0 : 0;
}

EXPORT BOOL WINAPI SwitchToThread(void)
{
	return NtYieldExecution() == 0;
}

/* ---- TLS slots: 64 in the TEB, 1024 more in an expansion array made per thread when first set. */

static RTL_CRITICAL_SECTION_K tls_lock = { NULL, -1, 0, NULL, NULL, 0 };
static unsigned char tls_used[TLS_MINIMUM + TLS_EXPANSION];

EXPORT DWORD WINAPI TlsAlloc(void)
{
	DWORD i;

	RtlEnterCriticalSection(&tls_lock);
	for (i = 0; i < TLS_MINIMUM + TLS_EXPANSION && tls_used[i]; i++)
		;
	if (i < TLS_MINIMUM + TLS_EXPANSION)
		tls_used[i] = 1;
	RtlLeaveCriticalSection(&tls_lock);
	if (i == TLS_MINIMUM + TLS_EXPANSION) {
		k32_fail(ERROR_NO_MORE_ITEMS);
		return TLS_OUT_OF_INDEXES;
	}
	/* a new slot reads NULL in every thread (this one's; others' are cleared by TlsFree) */
	if (i < TLS_MINIMUM)
		TEB_FIELD(void *, TEB_TLS_SLOTS + i * 8) = NULL;
	else if (TEB_FIELD(void **, TEB_TLS_EXPANSION))
		TEB_FIELD(void **, TEB_TLS_EXPANSION)[i - TLS_MINIMUM] = NULL;
	return i;
}

EXPORT BOOL WINAPI TlsFree(DWORD i)
{
	BOOL ok;

	RtlEnterCriticalSection(&tls_lock);
	ok = i < TLS_MINIMUM + TLS_EXPANSION && tls_used[i];
	if (ok)
		tls_used[i] = 0;
	RtlLeaveCriticalSection(&tls_lock);
	if (!ok)
		return k32_fail(ERROR_INVALID_PARAMETER);
	if (i < TLS_MINIMUM)
		TEB_FIELD(void *, TEB_TLS_SLOTS + i * 8) = NULL;
	return 1;
}

EXPORT void *WINAPI TlsGetValue(DWORD i)
{
	void **exp;

	if (i < TLS_MINIMUM) {
		LAST_ERROR() = 0;
		return TEB_FIELD(void *, TEB_TLS_SLOTS + i * 8);
	}
	if (i >= TLS_MINIMUM + TLS_EXPANSION) {
		k32_fail(ERROR_INVALID_PARAMETER);
		return NULL;
	}
	LAST_ERROR() = 0;
	exp = TEB_FIELD(void **, TEB_TLS_EXPANSION);
	return exp ? exp[i - TLS_MINIMUM] : NULL;
}

EXPORT BOOL WINAPI TlsSetValue(DWORD i, void *v)
{
	void **exp;

	if (i < TLS_MINIMUM) {
		TEB_FIELD(void *, TEB_TLS_SLOTS + i * 8) = v;
		return 1;
	}
	if (i >= TLS_MINIMUM + TLS_EXPANSION)
		return k32_fail(ERROR_INVALID_PARAMETER);
	exp = TEB_FIELD(void **, TEB_TLS_EXPANSION);
	if (!exp) {
		exp = RtlAllocateHeap(PEB_FIELD(void *, 0x30), 8 /* HEAP_ZERO_MEMORY */, TLS_EXPANSION * sizeof(void *));
		if (!exp)
			return k32_fail(8 /* ERROR_NOT_ENOUGH_MEMORY */);
		TEB_FIELD(void **, TEB_TLS_EXPANSION) = exp;
	}
	exp[i - TLS_MINIMUM] = v;
	return 1;
}

typedef long(WINAPI *top_filter_fn)(void *);
static top_filter_fn top_filter;

void RtlSetUnhandledExceptionFilter(top_filter_fn f);

/*
 * The top-level filter: called by ntdll for an exception no frame took (as
 * NT's RtlUserThreadStart's handler calls it). EXCEPTION_CONTINUE_EXECUTION
 * (-1) resumes it, EXCEPTION_EXECUTE_HANDLER (1) ends the process with its
 * code, EXCEPTION_CONTINUE_SEARCH (0, also without a filter) ends it with a
 * message naming the code.
 */
EXPORT long WINAPI UnhandledExceptionFilter(void *pointers)
{
	top_filter_fn f = __atomic_load_n(&top_filter, __ATOMIC_SEQ_CST);

	return f ? f(pointers) : 0;
}

/* The filter is kept and given back, as Windows does; ntdll calls it through UnhandledExceptionFilter. */
EXPORT top_filter_fn WINAPI SetUnhandledExceptionFilter(top_filter_fn f)
{
	RtlSetUnhandledExceptionFilter(UnhandledExceptionFilter);
	return __atomic_exchange_n(&top_filter, f, __ATOMIC_SEQ_CST);
}

typedef struct {
	NTSTATUS ExceptionCode;
	ULONG ExceptionFlags;
	void *ExceptionRecord;
	void *ExceptionAddress;
	ULONG NumberParameters;
	uint64_t ExceptionInformation[15];
} K32_EXCEPTION_RECORD;

void RtlRaiseException(K32_EXCEPTION_RECORD *rec);

/* A software exception, dispatched in user mode by ntdll (vectored handlers, then the frames' handlers). */
EXPORT void WINAPI RaiseException(DWORD code, DWORD flags, DWORD nargs, const ULONG_PTR *args)
{
	K32_EXCEPTION_RECORD rec;

	memset(&rec, 0, sizeof(rec));
	rec.ExceptionCode = (NTSTATUS)code;
	rec.ExceptionFlags = flags & 1; /* EXCEPTION_NONCONTINUABLE */
	if (args) {
		rec.NumberParameters = nargs > 15 ? 15 : nargs;
		memcpy(rec.ExceptionInformation, args, rec.NumberParameters * sizeof(ULONG_PTR));
	}
	RtlRaiseException(&rec);
}
