/*
 * picovisor's winmm.dll: the multimedia timer functions programs use to ask
 * for a finer clock (timeBeginPeriod, timeEndPeriod; the Go runtime loads
 * winmm.dll for them) and timeGetTime, timeGetDevCaps. Waits and timers
 * here are served by the supervisor's own clock whatever period is asked
 * for (docs/nt.md, "Threads, waits and completion ports"): a request is
 * checked and counted as Windows does, and changes nothing else.
 */
#include "pv_win.h"

#define TIMERR_NOERROR 0
#define TIMERR_NOCANDO 97
#define MIN_PERIOD 1
#define MAX_PERIOD 1000000

typedef struct {
	UINT wPeriodMin, wPeriodMax;
} TIMECAPS_K;

/* Requests still in force, per period (timeEndPeriod must match a timeBeginPeriod). */
static volatile LONG requests[64];

EXPORT UINT WINAPI timeBeginPeriod(UINT period)
{
	if (period < MIN_PERIOD || period > MAX_PERIOD)
		return TIMERR_NOCANDO;
	if (period < 64)
		__atomic_add_fetch(&requests[period], 1, __ATOMIC_SEQ_CST);
	return TIMERR_NOERROR;
}

EXPORT UINT WINAPI timeEndPeriod(UINT period)
{
	if (period < MIN_PERIOD || period > MAX_PERIOD)
		return TIMERR_NOCANDO;
	if (period < 64) {
		LONG n = __atomic_load_n(&requests[period], __ATOMIC_SEQ_CST);

		do {
			if (n <= 0)
				return TIMERR_NOCANDO; /* no such request */
		} while (!__atomic_compare_exchange_n(&requests[period], &n, n - 1, 0, __ATOMIC_SEQ_CST,
						      __ATOMIC_SEQ_CST));
	}
	return TIMERR_NOERROR;
}

/* Milliseconds since the system started (the performance counter is 10 MHz from boot's clock). */
EXPORT DWORD WINAPI timeGetTime(void)
{
	int64_t c = 0;

	NtQueryPerformanceCounter(&c, NULL);
	return (DWORD)(c / 10000);
}

EXPORT UINT WINAPI timeGetDevCaps(TIMECAPS_K *caps, UINT size)
{
	if (!caps || size < sizeof(*caps))
		return TIMERR_NOCANDO;
	caps->wPeriodMin = MIN_PERIOD;
	caps->wPeriodMax = MAX_PERIOD;
	return TIMERR_NOERROR;
}

BOOL WINAPI DllMainCRTStartup(HMODULE h, DWORD reason, void *reserved)
{
	(void)h;
	(void)reason;
	(void)reserved;
	return 1;
}
