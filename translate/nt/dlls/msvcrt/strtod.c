/*
 * strtod, correctly rounded: a first guess from long double arithmetic,
 * then corrected by comparing the exact decimal input with the exact
 * decimal values of the midpoints between the guess and its neighbours
 * (fpconv.c), ties to even. Also hexadecimal input (0x1.8p3), "inf",
 * "infinity" and "nan" in any case.
 */
#include "crt.h"
#include "fpconv.h"

#define MAXDIG 780

union dbits {
	double d;
	uint64_t u;
};

/* -1, 0, 1 as 0.a * 10^adp compares with 0.b * 10^bdp (both without leading zeros, nonzero) */
static int dec_cmp(const char *a, int an, int adp, const struct crt_fp_dec *b)
{
	int n;

	if (!b->n)
		return an ? 1 : 0;
	if (adp != b->dp)
		return adp > b->dp ? 1 : -1;
	n = an > b->n ? an : b->n;
	for (int i = 0; i < n; i++) {
		char x = i < an ? a[i] : '0', y = i < b->n ? b->d[i] : '0';
		if (x != y)
			return x > y ? 1 : -1;
	}
	return 0;
}

static double next_up(double x)
{
	union dbits v = {x};
	v.u++;
	return v.d;
}

static double next_down(double x)
{
	union dbits v = {x};
	v.u--;
	return v.d;
}

static long double pow10l_int(int n)
{
	long double r = 1, b = 10;
	int neg = n < 0;
	unsigned k = (unsigned)(neg ? -n : n);

	while (k) {
		if (k & 1)
			r *= b;
		b *= b;
		k >>= 1;
	}
	return neg ? 1 / r : r;
}

static double decimal_to_double(const char *d, int n, int dp)
{
	uint64_t lead = 0;
	int k = n < 19 ? n : 19;
	double c;
	struct crt_fp_dec mid;

	for (int i = 0; i < k; i++)
		lead = lead * 10 + (uint64_t)(d[i] - '0');
	if (dp > 310)
		return __builtin_inf();
	if (dp < -330)
		return 0;
	c = (double)((long double)lead * pow10l_int(dp - k));
	for (int round = 0; round < 64; round++) {
		union dbits v = {c};
		int bexp = (int)(v.u >> 52), e;
		uint64_t m = v.u & ((1ull << 52) - 1);
		int cmp;

		if (bexp == 0x7ff) { /* infinity: is the input below the largest double's upper midpoint? */
			union dbits max = {0};
			max.u = 0x7fefffffffffffffull;
			crt_fp_digits_m2e(((max.u & ((1ull << 52) - 1)) | 1ull << 52) * 2 + 1, 0x7fe - 1075 - 1, &mid);
			if (dec_cmp(d, n, dp, &mid) < 0)
				c = max.d;
			else
				return c;
			continue;
		}
		if (bexp) {
			m |= 1ull << 52;
			e = bexp - 1075;
		} else {
			e = -1074;
		}
		crt_fp_digits_m2e(2 * m + 1, e - 1, &mid);
		cmp = dec_cmp(d, n, dp, &mid);
		if (cmp > 0 || (cmp == 0 && (m & 1))) {
			c = next_up(c);
			if (cmp == 0)
				return c;
			continue;
		}
		if (m == 0)
			return c;
		if (m == 1ull << 52 && bexp > 1)
			crt_fp_digits_m2e(4 * m - 1, e - 2, &mid);
		else
			crt_fp_digits_m2e(2 * m - 1, e - 1, &mid);
		cmp = dec_cmp(d, n, dp, &mid);
		if (cmp < 0 || (cmp == 0 && (m & 1))) {
			c = next_down(c);
			if (cmp == 0)
				return c;
			continue;
		}
		return c;
	}
	return c;
}

static int match_word(const char *p, const char *w)
{
	int n = 0;

	while (w[n] && tolower((unsigned char)p[n]) == w[n])
		n++;
	return w[n] ? 0 : n;
}

static double parse_hex(const char *p, const char **end)
{
	uint64_t m = 0;
	int exp = 0, any = 0, sticky = 0;
	long e10 = 0;
	int eneg = 0;

	for (;; p++) {
		int v = isdigit((unsigned char)*p) ? *p - '0' : (tolower((unsigned char)*p) >= 'a' && tolower((unsigned char)*p) <= 'f') ? tolower((unsigned char)*p) - 'a' + 10 : -1;
		if (v < 0)
			break;
		any = 1;
		if (m >> 59)
			exp += 4, sticky |= v != 0;
		else
			m = m * 16 + (uint64_t)v;
	}
	if (*p == '.') {
		p++;
		for (;; p++) {
			int v = isdigit((unsigned char)*p) ? *p - '0' : (tolower((unsigned char)*p) >= 'a' && tolower((unsigned char)*p) <= 'f') ? tolower((unsigned char)*p) - 'a' + 10 : -1;
			if (v < 0)
				break;
			any = 1;
			if (m >> 59)
				sticky |= v != 0;
			else
				m = m * 16 + (uint64_t)v, exp -= 4;
		}
	}
	if (!any)
		return -1;
	if (tolower((unsigned char)*p) == 'p') {
		const char *q = p + 1;
		if (*q == '+' || *q == '-')
			eneg = *q++ == '-';
		if (isdigit((unsigned char)*q)) {
			while (isdigit((unsigned char)*q)) {
				if (e10 < 100000)
					e10 = e10 * 10 + (*q - '0');
				q++;
			}
			p = q;
			exp += eneg ? -(int)e10 : (int)e10;
		}
	}
	*end = p;
	if (sticky)
		m |= 1;
	{
		/* m * 2^exp with m < 2^63: exact in long double, scaled by powers of two, then one rounding to double */
		long double r = (long double)m;
		const long double big = (long double)(1ull << 60);
		for (; exp >= 60 && r < 1e4000L; exp -= 60)
			r *= big;
		for (; exp <= -60 && r > 0; exp += 60)
			r /= big;
		if (exp > 0)
			r *= (long double)(1ull << exp);
		else if (exp < 0)
			r /= (long double)(1ull << -exp);
		return (double)r;
	}
}

EXPORT double strtod(const char *s, char **end)
{
	const char *p = s, *q;
	char *digits;
	int n = 0, dp = 0, neg = 0, seen = 0, k;
	long ex = 0;
	double r;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if ((k = match_word(p, "infinity")) || (k = match_word(p, "inf"))) {
		if (end)
			*end = (char *)p + k;
		return neg ? -__builtin_inf() : __builtin_inf();
	}
	if ((k = match_word(p, "nan"))) {
		if (end)
			*end = (char *)p + k;
		return neg ? -__builtin_nan("") : __builtin_nan("");
	}
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		const char *e;
		double h = parse_hex(p + 2, &e);
		if (h >= 0) {
			if (end)
				*end = (char *)e;
			if (h == __builtin_inf())
				*_errno() = ERANGE;
			return neg ? -h : h;
		}
	}
	digits = malloc(MAXDIG + 2);
	if (!digits) {
		if (end)
			*end = (char *)s;
		return 0;
	}
	for (; *p == '0'; p++)
		seen = 1;
	for (; isdigit((unsigned char)*p); p++, seen = 1) {
		if (n < MAXDIG)
			digits[n++] = *p;
		else if (*p != '0')
			digits[MAXDIG] = '1', n = MAXDIG + 1; /* a nonzero digit beyond: keeps the halfway cases right */
		dp++;
	}
	if (*p == '.') {
		p++;
		if (!n)
			for (; *p == '0'; p++, seen = 1)
				dp--;
		for (; isdigit((unsigned char)*p); p++, seen = 1) {
			if (n < MAXDIG)
				digits[n++] = *p;
			else if (*p != '0')
				digits[MAXDIG] = '1', n = MAXDIG + 1;
		}
	}
	if (!seen) {
		free(digits);
		if (end)
			*end = (char *)s;
		return 0;
	}
	q = p;
	if (*q == 'e' || *q == 'E' || *q == 'd' || *q == 'D') {
		int eneg = 0;
		q++;
		if (*q == '+' || *q == '-')
			eneg = *q++ == '-';
		if (isdigit((unsigned char)*q)) {
			for (; isdigit((unsigned char)*q); q++)
				if (ex < 100000)
					ex = ex * 10 + (*q - '0');
			p = q;
			if (eneg)
				ex = -ex;
		}
	}
	if (end)
		*end = (char *)p;
	while (n > 0 && digits[n - 1] == '0')
		n--;
	if (!n) {
		free(digits);
		return neg ? -0.0 : 0.0;
	}
	r = decimal_to_double(digits, n, dp + (int)ex);
	free(digits);
	if (r == 0 || r == __builtin_inf())
		*_errno() = ERANGE;
	return neg ? -r : r;
}

EXPORT float strtof(const char *s, char **end)
{
	return (float)strtod(s, end);
}
