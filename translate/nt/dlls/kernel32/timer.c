/* Waitable timers: CreateWaitableTimer(Ex)A/W, SetWaitableTimer(Ex), CancelWaitableTimer (NtCreateTimer, NtSetTimer). */
#include "k32.h"

NTSTATUS NtCreateTimer(HANDLE *h, ULONG access, OBJECT_ATTRIBUTES *oa, int type);
NTSTATUS NtSetTimer(HANDLE h, const int64_t *due, void *apc, void *ctx, unsigned char resume, LONG period,
		    unsigned char *prev);
NTSTATUS NtCancelTimer(HANDLE h, unsigned char *state);

#define CREATE_WAITABLE_TIMER_MANUAL_RESET 0x1
#define CREATE_WAITABLE_TIMER_HIGH_RESOLUTION 0x2
#define TIMER_ALL_ACCESS 0x1f0003u
#define STATUS_OBJECT_NAME_EXISTS 0x40000000
#define ERROR_ALREADY_EXISTS 183

static HANDLE create(const WCHAR *name, DWORD flags, DWORD access)
{
	static const char prefix[] = "\\BaseNamedObjects\\";
	WCHAR buf[260 + sizeof(prefix)];
	UNICODE_STRING us;
	OBJECT_ATTRIBUTES oa = { sizeof(oa), NULL, NULL, 0x80 /* OBJ_OPENIF */, NULL, NULL };
	HANDLE h = NULL;
	NTSTATUS st;

	if (flags & ~(DWORD)(CREATE_WAITABLE_TIMER_MANUAL_RESET | CREATE_WAITABLE_TIMER_HIGH_RESOLUTION)) {
		k32_fail(87);
		return NULL;
	}
	if (name) {
		size_t n = 0;

		for (size_t i = 0; prefix[i]; i++)
			buf[n++] = (WCHAR)prefix[i];
		for (; *name; name++) {
			if (n + 1 >= sizeof(buf) / sizeof(buf[0])) {
				k32_fail(206 /* ERROR_FILENAME_EXCED_RANGE */);
				return NULL;
			}
			buf[n++] = *name;
		}
		us.Buffer = buf;
		us.Length = (uint16_t)(n * 2);
		us.MaximumLength = (uint16_t)(n * 2 + 2);
		oa.ObjectName = &us;
	}
	/* High resolution is what every timer here has: the supervisor's clock, not a 15.6 ms tick */
	st = NtCreateTimer(&h, access ? access : TIMER_ALL_ACCESS, &oa,
			   flags & CREATE_WAITABLE_TIMER_MANUAL_RESET ? 0 /* NotificationTimer */ : 1 /* Synchronization */);
	if (st < 0) {
		k32_fail_nt(st);
		return NULL;
	}
	k32_fail(st == STATUS_OBJECT_NAME_EXISTS ? ERROR_ALREADY_EXISTS : 0);
	return h;
}

EXPORT HANDLE WINAPI CreateWaitableTimerExW(void *sa, const WCHAR *name, DWORD flags, DWORD access)
{
	(void)sa;
	return create(name, flags, access);
}

EXPORT HANDLE WINAPI CreateWaitableTimerW(void *sa, BOOL manual, const WCHAR *name)
{
	(void)sa;
	return create(name, manual ? CREATE_WAITABLE_TIMER_MANUAL_RESET : 0, TIMER_ALL_ACCESS);
}

static HANDLE create_a(const char *name, DWORD flags, DWORD access)
{
	WCHAR w[261];

	if (name && k32_a_to_w(name, w, 261) < 0) {
		k32_fail(206);
		return NULL;
	}
	return create(name ? w : NULL, flags, access);
}

EXPORT HANDLE WINAPI CreateWaitableTimerExA(void *sa, const char *name, DWORD flags, DWORD access)
{
	(void)sa;
	return create_a(name, flags, access);
}

EXPORT HANDLE WINAPI CreateWaitableTimerA(void *sa, BOOL manual, const char *name)
{
	(void)sa;
	return create_a(name, manual ? CREATE_WAITABLE_TIMER_MANUAL_RESET : 0, TIMER_ALL_ACCESS);
}

/* due: 100 ns units, negative relative; period in ms. A completion routine needs APCs: not served. */
EXPORT BOOL WINAPI SetWaitableTimer(HANDLE h, const int64_t *due, LONG period, void *routine, void *arg, BOOL resume)
{
	NTSTATUS st = NtSetTimer(h, due, routine, arg, (unsigned char)!!resume, period, NULL);

	return st < 0 ? k32_fail_nt(st) : 1;
}

EXPORT BOOL WINAPI SetWaitableTimerEx(HANDLE h, const int64_t *due, LONG period, void *routine, void *arg, void *wake,
				      ULONG delay)
{
	(void)wake;
	(void)delay; /* the tolerable delay: a hint Windows may use to coalesce; none is needed */
	return SetWaitableTimer(h, due, period, routine, arg, 0);
}

EXPORT BOOL WINAPI CancelWaitableTimer(HANDLE h)
{
	NTSTATUS st = NtCancelTimer(h, NULL);

	return st ? k32_fail_nt(st) : 1;
}
