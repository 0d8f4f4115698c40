/* Threads and waitable objects: CreateThread, events, mutexes, semaphores, waits. */
#include "k32.h"

#define WAIT_FAILED 0xffffffffu
#define STATUS_TIMEOUT 0x102
#define ALL_ACCESS 0x1f0003u
#define MUTANT_ALL_ACCESS 0x1f0001u

static const int64_t *timeout_of(DWORD ms, int64_t *t)
{
	if (ms == 0xffffffffu)
		return NULL;
	*t = -(int64_t)ms * 10000;
	return t;
}

/* A name under the run's named objects (\BaseNamedObjects\NAME), as Windows gives it. */
static BOOL object_name(const WCHAR *name, UNICODE_STRING *us, WCHAR *buf, size_t cap, OBJECT_ATTRIBUTES *oa)
{
	static const char prefix[] = "\\BaseNamedObjects\\";
	size_t n = 0;

	*oa = (OBJECT_ATTRIBUTES){ sizeof(*oa), NULL, NULL, 0x80 /* OBJ_OPENIF */, NULL, NULL };
	if (!name)
		return 1;
	for (size_t i = 0; prefix[i]; i++)
		buf[n++] = (WCHAR)prefix[i];
	for (; *name; name++) {
		if (n + 1 >= cap)
			return k32_fail(206);
		buf[n++] = *name;
	}
	buf[n] = 0;
	us->Buffer = buf;
	us->Length = (uint16_t)(n * 2);
	us->MaximumLength = (uint16_t)(n * 2 + 2);
	oa->ObjectName = us;
	return 1;
}

/* Created or opened: ERROR_ALREADY_EXISTS when the name was taken (STATUS_OBJECT_NAME_EXISTS). */
static HANDLE made(NTSTATUS st, HANDLE h)
{
	if (st < 0) {
		k32_fail_nt(st);
		return NULL;
	}
	LAST_ERROR() = st == 0x40000000 ? 183 : 0;
	return h;
}

EXPORT HANDLE WINAPI CreateEventW(void *sa, BOOL manual, BOOL initial, const WCHAR *name)
{
	WCHAR buf[300];
	UNICODE_STRING us;
	OBJECT_ATTRIBUTES oa;
	HANDLE h = NULL;

	(void)sa;
	if (!object_name(name, &us, buf, 300, &oa))
		return NULL;
	NTSTATUS st = NtCreateEvent(&h, ALL_ACCESS, &oa, manual ? 0 : 1, (unsigned char)!!initial);

	return made(st, h);
}

EXPORT HANDLE WINAPI CreateEventA(void *sa, BOOL manual, BOOL initial, const char *name)
{
	WCHAR *w = name ? k32_a_path(name) : NULL;
	HANDLE h;

	if (name && !w)
		return NULL;
	h = CreateEventW(sa, manual, initial, w);
	k32_free(w);
	return h;
}

EXPORT BOOL WINAPI SetEvent(HANDLE h)
{
	NTSTATUS st = NtSetEvent(h, NULL);

	return st ? k32_fail_nt(st) : 1;
}

EXPORT BOOL WINAPI ResetEvent(HANDLE h)
{
	NTSTATUS st = NtResetEvent(h, NULL);

	return st ? k32_fail_nt(st) : 1;
}

EXPORT HANDLE WINAPI CreateMutexW(void *sa, BOOL owner, const WCHAR *name)
{
	WCHAR buf[300];
	UNICODE_STRING us;
	OBJECT_ATTRIBUTES oa;
	HANDLE h = NULL;

	(void)sa;
	if (!object_name(name, &us, buf, 300, &oa))
		return NULL;
	NTSTATUS st = NtCreateMutant(&h, MUTANT_ALL_ACCESS, &oa, (unsigned char)!!owner);

	return made(st, h);
}

EXPORT HANDLE WINAPI CreateMutexA(void *sa, BOOL owner, const char *name)
{
	WCHAR *w = name ? k32_a_path(name) : NULL;
	HANDLE h;

	if (name && !w)
		return NULL;
	h = CreateMutexW(sa, owner, w);
	k32_free(w);
	return h;
}

EXPORT BOOL WINAPI ReleaseMutex(HANDLE h)
{
	NTSTATUS st = NtReleaseMutant(h, NULL);

	return st ? k32_fail_nt(st) : 1;
}

EXPORT HANDLE WINAPI CreateSemaphoreW(void *sa, LONG initial, LONG max, const WCHAR *name)
{
	WCHAR buf[300];
	UNICODE_STRING us;
	OBJECT_ATTRIBUTES oa;
	HANDLE h = NULL;

	(void)sa;
	if (!object_name(name, &us, buf, 300, &oa))
		return NULL;
	NTSTATUS st = NtCreateSemaphore(&h, ALL_ACCESS, &oa, initial, max);

	return made(st, h);
}

EXPORT HANDLE WINAPI CreateSemaphoreA(void *sa, LONG initial, LONG max, const char *name)
{
	WCHAR *w = name ? k32_a_path(name) : NULL;
	HANDLE h;

	if (name && !w)
		return NULL;
	h = CreateSemaphoreW(sa, initial, max, w);
	k32_free(w);
	return h;
}

EXPORT BOOL WINAPI ReleaseSemaphore(HANDLE h, LONG count, LONG *prev)
{
	NTSTATUS st = NtReleaseSemaphore(h, count, prev);

	return st ? k32_fail_nt(st) : 1;
}

static DWORD wait_result(NTSTATUS st)
{
	if (st < 0) {
		k32_fail_nt(st);
		return WAIT_FAILED;
	}
	return (DWORD)st; /* WAIT_OBJECT_0 + i, WAIT_ABANDONED + i, WAIT_TIMEOUT (0x102) */
}

EXPORT DWORD WINAPI WaitForSingleObjectEx(HANDLE h, DWORD ms, BOOL alertable)
{
	int64_t t;

	return wait_result(NtWaitForSingleObject(h, (unsigned char)!!alertable, timeout_of(ms, &t)));
}

EXPORT DWORD WINAPI WaitForSingleObject(HANDLE h, DWORD ms)
{
	return WaitForSingleObjectEx(h, ms, 0);
}

EXPORT DWORD WINAPI WaitForMultipleObjectsEx(DWORD n, const HANDLE *hs, BOOL all, DWORD ms, BOOL alertable)
{
	int64_t t;

	return wait_result(NtWaitForMultipleObjects(n, hs, all ? 0 : 1, (unsigned char)!!alertable, timeout_of(ms, &t)));
}

EXPORT DWORD WINAPI WaitForMultipleObjects(DWORD n, const HANDLE *hs, BOOL all, DWORD ms)
{
	return WaitForMultipleObjectsEx(n, hs, all, ms, 0);
}

EXPORT HANDLE WINAPI CreateThread(void *sa, SIZE_T stack, DWORD(WINAPI *start)(void *), void *arg, DWORD flags,
				  DWORD *tid)
{
	HANDLE h = NULL;
	NTSTATUS st;

	(void)sa;
	st = NtCreateThreadEx(&h, 0x1fffff, NULL, (HANDLE)(intptr_t)-1, (void *)start, arg,
			      flags & 0x4 /* CREATE_SUSPENDED */ ? 0x1 /* THREAD_CREATE_FLAGS_CREATE_SUSPENDED */ : 0, 0,
			      flags & 0x10000 /* STACK_SIZE_PARAM_IS_A_RESERVATION */ ? 0 : stack,
			      flags & 0x10000 ? stack : 0, NULL);
	if (st) {
		k32_fail_nt(st);
		return NULL;
	}
	if (tid) {
		uint64_t basic[6];

		*tid = NtQueryInformationThread(h, 0 /* ThreadBasicInformation */, basic, sizeof(basic), NULL) ? 0
														 : (DWORD)basic[3];
	}
	return h;
}

EXPORT BOOL WINAPI GetExitCodeThread(HANDLE h, DWORD *code)
{
	uint64_t basic[6];
	NTSTATUS st = NtQueryInformationThread(h, 0, basic, sizeof(basic), NULL);

	if (st)
		return k32_fail_nt(st);
	*code = (DWORD)basic[0]; /* ExitStatus: STATUS_PENDING (STILL_ACTIVE, 259) while it runs */
	return 1;
}

EXPORT BOOL WINAPI TerminateProcess(HANDLE h, UINT code)
{
	NTSTATUS st = NtTerminateProcess(h, (NTSTATUS)code);

	return st ? k32_fail_nt(st) : 1;
}

NTSTATUS RtlSleepConditionVariableSRW(void *cv, void *lock, const int64_t *timeout, ULONG flags);
NTSTATUS RtlSleepConditionVariableCS(void *cv, void *cs, const int64_t *timeout);

EXPORT BOOL WINAPI SleepConditionVariableSRW(void *cv, void *lock, DWORD ms, ULONG flags)
{
	int64_t t;
	NTSTATUS st = RtlSleepConditionVariableSRW(cv, lock, timeout_of(ms, &t), flags);

	return st == STATUS_TIMEOUT ? k32_fail(1460 /* ERROR_TIMEOUT */) : st ? k32_fail_nt(st) : 1;
}

EXPORT BOOL WINAPI SleepConditionVariableCS(void *cv, void *cs, DWORD ms)
{
	int64_t t;
	NTSTATUS st = RtlSleepConditionVariableCS(cv, cs, timeout_of(ms, &t));

	return st == STATUS_TIMEOUT ? k32_fail(1460) : st ? k32_fail_nt(st) : 1;
}
