/* Time: the system time, tick counts, the performance counter, the time zone (UTC). */
#include "k32.h"

EXPORT void WINAPI GetSystemTimeAsFileTime(FILETIME *ft)
{
	int64_t t = 0;

	NtQuerySystemTime(&t);
	*ft = k32_filetime(t);
}

EXPORT void WINAPI GetSystemTimePreciseAsFileTime(FILETIME *ft)
{
	GetSystemTimeAsFileTime(ft);
}

EXPORT BOOL WINAPI QueryPerformanceCounter(int64_t *c)
{
	NTSTATUS st = NtQueryPerformanceCounter(c, NULL);

	return st ? k32_fail_nt(st) : 1;
}

EXPORT BOOL WINAPI QueryPerformanceFrequency(int64_t *f)
{
	int64_t c;
	NTSTATUS st = NtQueryPerformanceCounter(&c, f);

	return st ? k32_fail_nt(st) : 1;
}

/* Milliseconds since the counter's start (the performance counter is monotonic, at 10 MHz). */
EXPORT uint64_t WINAPI GetTickCount64(void)
{
	int64_t c = 0, f = 1;

	NtQueryPerformanceCounter(&c, &f);
	return (uint64_t)(c / (f / 1000 ? f / 1000 : 1));
}

EXPORT DWORD WINAPI GetTickCount(void)
{
	return (DWORD)GetTickCount64();
}

typedef struct {
	uint16_t wYear, wMonth, wDayOfWeek, wDay, wHour, wMinute, wSecond, wMilliseconds;
} SYSTEMTIME;

EXPORT BOOL WINAPI FileTimeToSystemTime(const FILETIME *ft, SYSTEMTIME *st)
{
	uint64_t t = (uint64_t)ft->dwHighDateTime << 32 | ft->dwLowDateTime;
	uint64_t ms = t / 10000, days = ms / 86400000, rem = ms % 86400000;
	int64_t z, era, doe, yoe, doy, mp, y, m, d;

	if ((int64_t)t < 0)
		return k32_fail(87);
	/* days since 1601-01-01 to a civil date: 1970-01-01 is day 134774, and the algorithm counts from 0000-03-01 */
	z = (int64_t)days - 134774 + 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	st->wYear = (uint16_t)(y + (m <= 2));
	st->wMonth = (uint16_t)m;
	st->wDay = (uint16_t)d;
	st->wDayOfWeek = (uint16_t)((days + 1) % 7); /* 1601-01-01 was a Monday */
	st->wHour = (uint16_t)(rem / 3600000);
	st->wMinute = (uint16_t)(rem / 60000 % 60);
	st->wSecond = (uint16_t)(rem / 1000 % 60);
	st->wMilliseconds = (uint16_t)(rem % 1000);
	return 1;
}

EXPORT void WINAPI GetSystemTime(SYSTEMTIME *st)
{
	FILETIME ft;

	GetSystemTimeAsFileTime(&ft);
	FileTimeToSystemTime(&ft, st);
}

EXPORT void WINAPI GetLocalTime(SYSTEMTIME *st)
{
	GetSystemTime(st); /* the time zone is UTC */
}

typedef struct {
	LONG Bias;
	WCHAR StandardName[32];
	SYSTEMTIME StandardDate;
	LONG StandardBias;
	WCHAR DaylightName[32];
	SYSTEMTIME DaylightDate;
	LONG DaylightBias;
} TIME_ZONE_INFORMATION;

/* picovisor's processes run in UTC: no bias, no daylight saving (TIME_ZONE_ID_UNKNOWN). */
EXPORT DWORD WINAPI GetTimeZoneInformation(TIME_ZONE_INFORMATION *tz)
{
	static const char utc[] = "Coordinated Universal Time";

	memset(tz, 0, sizeof(*tz));
	for (size_t i = 0; i < sizeof(utc) - 1; i++)
		tz->StandardName[i] = tz->DaylightName[i] = (WCHAR)utc[i];
	return 0;
}
