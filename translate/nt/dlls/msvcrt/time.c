/*
 * <time.h>: time/_time64, clock, gmtime/localtime (the zone KERNEL32's
 * GetTimeZoneInformation gives, standard time only), mktime, difftime,
 * asctime/ctime and strftime in the C locale.
 */
#include "crt.h"

long long crt_filetime_to_time(const FILETIME *ft);

struct crt_tm {
	int tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, tm_wday, tm_yday, tm_isdst;
};

static LONGLONG clock_start;

EXPORT long long _time64(long long *out)
{
	FILETIME ft;
	long long t;

	GetSystemTimeAsFileTime(&ft);
	t = crt_filetime_to_time(&ft);
	if (out)
		*out = t;
	return t;
}

EXPORT long long time(long long *out) __attribute__((alias("_time64")));

/* clock: milliseconds (CLOCKS_PER_SEC 1000) since the DLL started (DllMain reads the counter) */
EXPORT long clock(void)
{
	LONGLONG now, freq;

	if (!QueryPerformanceFrequency(&freq) || !QueryPerformanceCounter(&now) || freq <= 0)
		return -1;
	if (!clock_start)
		clock_start = now;
	return (long)((now - clock_start) * 1000 / freq);
}

EXPORT double _difftime64(long long a, long long b)
{
	return (double)(a - b);
}

EXPORT double difftime(long long a, long long b) __attribute__((alias("_difftime64")));

static int is_leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static const short month_start[2][13] = {
	{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365},
	{0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366},
};

/* Days from 1970-01-01 to the start of year y. */
static long long days_before_year(long long y)
{
	long long n = y - 1;
	return 365 * (y - 1970) + (n / 4 - n / 100 + n / 400) - (1969 / 4 - 1969 / 100 + 1969 / 400);
}

static int to_tm(long long t, struct crt_tm *tm)
{
	long long days, secs, y;
	int leap, m;

	/* msvcrt accepts 1970 through 3000 */
	if (t < 0 || t > 32535215999ll) {
		*_errno() = EINVAL;
		return -1;
	}
	days = t / 86400;
	secs = t % 86400;
	tm->tm_hour = (int)(secs / 3600);
	tm->tm_min = (int)(secs / 60 % 60);
	tm->tm_sec = (int)(secs % 60);
	tm->tm_wday = (int)((days + 4) % 7);
	y = 1970 + days / 366;
	while (days_before_year(y + 1) <= days)
		y++;
	days -= days_before_year(y);
	leap = is_leap(y);
	tm->tm_yday = (int)days;
	for (m = 0; m < 11 && month_start[leap][m + 1] <= days; m++)
		;
	tm->tm_mon = m;
	tm->tm_mday = (int)(days - month_start[leap][m] + 1);
	tm->tm_year = (int)(y - 1900);
	tm->tm_isdst = 0;
	return 0;
}

static struct crt_tm *thread_tm(void)
{
	return (struct crt_tm *)crt_self()->tm_storage;
}

EXPORT struct crt_tm *_gmtime64(const long long *t)
{
	struct crt_tm *tm = thread_tm();
	return t && !to_tm(*t, tm) ? tm : NULL;
}

EXPORT struct crt_tm *gmtime(const long long *t) __attribute__((alias("_gmtime64")));

static long zone_bias_seconds(void)
{
	TIME_ZONE_INFORMATION tz;

	if (GetTimeZoneInformation(&tz) == 0xffffffffu)
		return 0;
	return (tz.Bias + tz.StandardBias) * 60;
}

EXPORT struct crt_tm *_localtime64(const long long *t)
{
	struct crt_tm *tm = thread_tm();

	if (!t)
		return NULL;
	return !to_tm(*t - zone_bias_seconds(), tm) ? tm : NULL;
}

EXPORT struct crt_tm *localtime(const long long *t) __attribute__((alias("_localtime64")));

/* Normalises the fields (months beyond 11, negative days...) and gives the UTC seconds they name. */
static long long from_tm(struct crt_tm *tm)
{
	long long y = 1900 + (long long)tm->tm_year, mon = tm->tm_mon, t;

	y += mon / 12;
	mon %= 12;
	if (mon < 0) {
		mon += 12;
		y--;
	}
	if (y < 1970 || y > 3000)
		return -1;
	t = days_before_year(y) + month_start[is_leap(y)][mon] + tm->tm_mday - 1;
	t = t * 86400 + (long long)tm->tm_hour * 3600 + (long long)tm->tm_min * 60 + tm->tm_sec;
	return t;
}

EXPORT long long _mkgmtime64(struct crt_tm *tm)
{
	long long t = from_tm(tm);

	if (t < 0 || to_tm(t, tm))
		return -1;
	return t;
}

EXPORT long long _mkgmtime(struct crt_tm *tm) __attribute__((alias("_mkgmtime64")));

EXPORT long long _mktime64(struct crt_tm *tm)
{
	long long t = from_tm(tm);

	if (t < 0)
		return -1;
	t += zone_bias_seconds();
	if (t < 0 || to_tm(t - zone_bias_seconds(), tm))
		return -1;
	return t;
}

EXPORT long long mktime(struct crt_tm *tm) __attribute__((alias("_mktime64")));

static const char *const day_abbr[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const day_full[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
static const char *const mon_abbr[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const mon_full[] = {"January", "February", "March", "April", "May", "June",
				       "July", "August", "September", "October", "November", "December"};

EXPORT char *asctime(const struct crt_tm *tm)
{
	char *b = crt_self()->asctime_buf;

	if (!tm || tm->tm_wday < 0 || tm->tm_wday > 6 || tm->tm_mon < 0 || tm->tm_mon > 11) {
		*_errno() = EINVAL;
		return NULL;
	}
	sprintf(b, "%s %s %02d %02d:%02d:%02d %d\n", day_abbr[tm->tm_wday], mon_abbr[tm->tm_mon], tm->tm_mday,
		tm->tm_hour, tm->tm_min, tm->tm_sec, tm->tm_year + 1900);
	return b;
}

EXPORT char *_ctime64(const long long *t)
{
	struct crt_tm *tm = _localtime64(t);
	return tm ? asctime(tm) : NULL;
}

EXPORT char *ctime(const long long *t) __attribute__((alias("_ctime64")));

struct out {
	char *p;
	size_t n, max;
};

static void put(struct out *o, const char *s)
{
	while (*s) {
		if (o->n + 1 < o->max)
			o->p[o->n] = *s;
		o->n++;
		s++;
	}
}

static void put_num(struct out *o, int v, int width, int alt)
{
	char b[16];

	sprintf(b, alt ? "%d" : "%0*d", alt ? v : width, v);
	if (alt)
		sprintf(b, "%d", v);
	put(o, b);
}

/* The C locale's strftime; '#' drops leading zeros (msvcrt's flag). Returns 0 when it does not fit. */
EXPORT size_t strftime(char *buf, size_t max, const char *fmt, const struct crt_tm *tm)
{
	struct out o = {buf, 0, max};
	char b[64];

	if (!buf || !fmt || !tm || !max) {
		*_errno() = EINVAL;
		return 0;
	}
	for (; *fmt; fmt++) {
		int alt = 0;
		if (*fmt != '%') {
			char c[2] = {*fmt, 0};
			put(&o, c);
			continue;
		}
		fmt++;
		if (*fmt == '#') {
			alt = 1;
			fmt++;
		}
		switch (*fmt) {
		case 'a': put(&o, day_abbr[(unsigned)tm->tm_wday % 7]); break;
		case 'A': put(&o, day_full[(unsigned)tm->tm_wday % 7]); break;
		case 'b': case 'h': put(&o, mon_abbr[(unsigned)tm->tm_mon % 12]); break;
		case 'B': put(&o, mon_full[(unsigned)tm->tm_mon % 12]); break;
		case 'c':
			sprintf(b, "%02d/%02d/%02d %02d:%02d:%02d", tm->tm_mon + 1, tm->tm_mday, tm->tm_year % 100, tm->tm_hour,
				tm->tm_min, tm->tm_sec);
			put(&o, b);
			break;
		case 'd': put_num(&o, tm->tm_mday, 2, alt); break;
		case 'H': put_num(&o, tm->tm_hour, 2, alt); break;
		case 'I': put_num(&o, tm->tm_hour % 12 ? tm->tm_hour % 12 : 12, 2, alt); break;
		case 'j': put_num(&o, tm->tm_yday + 1, 3, alt); break;
		case 'm': put_num(&o, tm->tm_mon + 1, 2, alt); break;
		case 'M': put_num(&o, tm->tm_min, 2, alt); break;
		case 'p': put(&o, tm->tm_hour < 12 ? "AM" : "PM"); break;
		case 'S': put_num(&o, tm->tm_sec, 2, alt); break;
		case 'U': put_num(&o, (tm->tm_yday + 7 - tm->tm_wday) / 7, 2, alt); break;
		case 'W': put_num(&o, (tm->tm_yday + 7 - (tm->tm_wday + 6) % 7) / 7, 2, alt); break;
		case 'w': put_num(&o, tm->tm_wday, 1, alt); break;
		case 'x':
			sprintf(b, "%02d/%02d/%02d", tm->tm_mon + 1, tm->tm_mday, tm->tm_year % 100);
			put(&o, b);
			break;
		case 'X':
			sprintf(b, "%02d:%02d:%02d", tm->tm_hour, tm->tm_min, tm->tm_sec);
			put(&o, b);
			break;
		case 'y': put_num(&o, tm->tm_year % 100, 2, alt); break;
		case 'Y': put_num(&o, tm->tm_year + 1900, 4, 1); break;
		case 'z': case 'Z': break; /* the zone's name is not known */
		case '%': put(&o, "%"); break;
		default:
			*_errno() = EINVAL;
			buf[0] = 0;
			return 0;
		}
	}
	if (o.n >= max) {
		buf[0] = 0;
		return 0;
	}
	buf[o.n] = 0;
	return o.n;
}

/* wcsftime: strftime's text as UTF-16 (the format's non-ASCII text passes through UTF-8). */
EXPORT size_t wcsftime(WCHAR *buf, size_t max, const WCHAR *fmt, const struct crt_tm *tm)
{
	char *f, *out;
	size_t n, room;
	int len;

	if (!buf || !fmt || !max) {
		*_errno() = EINVAL;
		return 0;
	}
	f = crt_to_utf8(fmt);
	if (!f)
		return 0;
	room = max * 4 + 1;
	out = malloc(room);
	if (!out) {
		free(f);
		return 0;
	}
	n = strftime(out, room, f, tm);
	free(f);
	if (!n && *fmt) {
		free(out);
		buf[0] = 0;
		return 0;
	}
	len = MultiByteToWideChar(CP_UTF8, 0, out, (int)n, NULL, 0);
	if (len < 0 || (size_t)len >= max) {
		free(out);
		buf[0] = 0;
		return 0;
	}
	MultiByteToWideChar(CP_UTF8, 0, out, (int)n, buf, len);
	buf[len] = 0;
	free(out);
	return (size_t)len;
}
