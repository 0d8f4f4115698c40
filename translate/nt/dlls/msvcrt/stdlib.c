/* <stdlib.h>: number parsing, sorting and searching, integer arithmetic, rand. */
#include "crt.h"

static int digit_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/*
 * The common parser: |value| in *mag (saturated at `limit` for the sign
 * found, ERANGE), the sign in *neg; *end past the digits, or at the start
 * when there were none.
 */
static uint64_t parse_int(const char *s, char **end, int base, uint64_t limit_pos, uint64_t limit_neg, int *neg)
{
	const char *p = s, *digits;
	uint64_t v = 0;
	int overflow = 0;

	*neg = 0;
	if (base < 0 || base == 1 || base > 36) {
		*_errno() = EINVAL;
		if (end)
			*end = (char *)s;
		return 0;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '-' || *p == '+')
		*neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && digit_value((unsigned char)p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	digits = p;
	for (; digit_value((unsigned char)*p) < base; p++) {
		unsigned d = (unsigned)digit_value((unsigned char)*p);
		if (v > (UINT64_MAX - d) / (unsigned)base)
			overflow = 1;
		else
			v = v * (unsigned)base + d;
	}
	if (end)
		*end = (char *)(p == digits ? s : p);
	if (p == digits)
		return 0;
	if (overflow || v > (*neg ? limit_neg : limit_pos)) {
		*_errno() = ERANGE;
		return *neg ? limit_neg : limit_pos;
	}
	return v;
}

EXPORT long strtol(const char *s, char **end, int base)
{
	int neg;
	uint64_t v = parse_int(s, end, base, 0x7fffffff, 0x80000000u, &neg);
	return neg ? (long)(0 - v) : (long)v;
}

/* Unsigned parsers accept a sign; a negative value is the negation, as C says. */
EXPORT unsigned long strtoul(const char *s, char **end, int base)
{
	int neg;
	uint64_t v = parse_int(s, end, base, 0xffffffffu, 0xffffffffu, &neg);
	if (*_errno() == ERANGE && v == 0xffffffffu)
		return 0xffffffffu;
	return neg ? (unsigned long)(0 - (uint32_t)v) : (unsigned long)v;
}

EXPORT long long _strtoi64(const char *s, char **end, int base)
{
	int neg;
	uint64_t v = parse_int(s, end, base, INT64_MAX, (uint64_t)INT64_MAX + 1, &neg);
	return neg ? (long long)(0 - v) : (long long)v;
}

EXPORT unsigned long long _strtoui64(const char *s, char **end, int base)
{
	int neg;
	uint64_t v = parse_int(s, end, base, UINT64_MAX, UINT64_MAX, &neg);
	return neg ? 0 - v : v;
}

EXPORT int atoi(const char *s)
{
	int neg;
	/* no range check, as in msvcrt: the value wraps to 32 bits */
	uint64_t v = parse_int(s, NULL, 10, UINT64_MAX, UINT64_MAX, &neg);
	return neg ? (int)(0 - (uint32_t)v) : (int)(uint32_t)v;
}

EXPORT long atol(const char *s) __attribute__((alias("atoi")));

EXPORT long long _atoi64(const char *s)
{
	int neg;
	uint64_t v = parse_int(s, NULL, 10, UINT64_MAX, UINT64_MAX, &neg);
	return neg ? (long long)(0 - v) : (long long)v;
}

EXPORT double atof(const char *s)
{
	return strtod(s, NULL);
}

/* Wide versions: the digits are ASCII, so the wide string is read through a narrow copy of its start. */
static char *narrow_prefix(const WCHAR *w, size_t *len)
{
	size_t n = 0;
	char *s;

	while (w[n] && w[n] < 0x80)
		n++;
	s = malloc(n + 1);
	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++)
		s[i] = (char)w[i];
	s[n] = 0;
	*len = n;
	return s;
}

EXPORT long wcstol(const WCHAR *w, WCHAR **end, int base)
{
	size_t n;
	char *s = narrow_prefix(w, &n), *e;
	long v;

	if (!s)
		return 0;
	v = strtol(s, &e, base);
	if (end)
		*end = (WCHAR *)w + (e - s);
	free(s);
	return v;
}

EXPORT unsigned long wcstoul(const WCHAR *w, WCHAR **end, int base)
{
	size_t n;
	char *s = narrow_prefix(w, &n), *e;
	unsigned long v;

	if (!s)
		return 0;
	v = strtoul(s, &e, base);
	if (end)
		*end = (WCHAR *)w + (e - s);
	free(s);
	return v;
}

EXPORT long long _wcstoi64(const WCHAR *w, WCHAR **end, int base)
{
	size_t n;
	char *s = narrow_prefix(w, &n), *e;
	long long v;

	if (!s)
		return 0;
	v = _strtoi64(s, &e, base);
	if (end)
		*end = (WCHAR *)w + (e - s);
	free(s);
	return v;
}

EXPORT unsigned long long _wcstoui64(const WCHAR *w, WCHAR **end, int base)
{
	size_t n;
	char *s = narrow_prefix(w, &n), *e;
	unsigned long long v;

	if (!s)
		return 0;
	v = _strtoui64(s, &e, base);
	if (end)
		*end = (WCHAR *)w + (e - s);
	free(s);
	return v;
}

EXPORT double wcstod(const WCHAR *w, WCHAR **end)
{
	size_t n;
	char *s = narrow_prefix(w, &n), *e;
	double v;

	if (!s)
		return 0;
	v = strtod(s, &e);
	if (end)
		*end = (WCHAR *)w + (e - s);
	free(s);
	return v;
}

EXPORT int _wtoi(const WCHAR *w)
{
	return (int)wcstol(w, NULL, 10);
}

EXPORT long _wtol(const WCHAR *w)
{
	return wcstol(w, NULL, 10);
}

EXPORT long long _wtoi64(const WCHAR *w)
{
	return _wcstoi64(w, NULL, 10);
}

EXPORT double _wtof(const WCHAR *w)
{
	return wcstod(w, NULL);
}

/* Integer to text. */
static char *utoa_base(uint64_t v, char *buf, int base, int neg)
{
	char tmp[72];
	int n = 0, i = 0;

	if (base < 2 || base > 36) {
		*_errno() = EINVAL;
		if (buf)
			buf[0] = 0;
		return buf;
	}
	do {
		int d = (int)(v % (unsigned)base);
		tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= (unsigned)base;
	} while (v);
	if (neg)
		buf[i++] = '-';
	while (n)
		buf[i++] = tmp[--n];
	buf[i] = 0;
	return buf;
}

EXPORT char *_itoa(int v, char *buf, int base)
{
	int neg = base == 10 && v < 0;
	return utoa_base(neg ? 0 - (uint64_t)(int64_t)v : (uint32_t)v, buf, base, neg);
}

EXPORT char *_ltoa(long v, char *buf, int base) __attribute__((alias("_itoa")));

EXPORT char *_ultoa(unsigned long v, char *buf, int base)
{
	return utoa_base(v, buf, base, 0);
}

EXPORT char *_i64toa(long long v, char *buf, int base)
{
	int neg = base == 10 && v < 0;
	return utoa_base(neg ? 0 - (uint64_t)v : (uint64_t)v, buf, base, neg);
}

EXPORT char *_ui64toa(unsigned long long v, char *buf, int base)
{
	return utoa_base(v, buf, base, 0);
}

static WCHAR *widen_in_place(const char *s, WCHAR *w)
{
	size_t i = 0;

	do
		w[i] = (WCHAR)(unsigned char)s[i];
	while (s[i++]);
	return w;
}

EXPORT WCHAR *_itow(int v, WCHAR *w, int base)
{
	char buf[72];
	return widen_in_place(_itoa(v, buf, base), w);
}

EXPORT WCHAR *_ltow(long v, WCHAR *w, int base) __attribute__((alias("_itow")));

EXPORT WCHAR *_ultow(unsigned long v, WCHAR *w, int base)
{
	char buf[72];
	return widen_in_place(_ultoa(v, buf, base), w);
}

EXPORT WCHAR *_i64tow(long long v, WCHAR *w, int base)
{
	char buf[72];
	return widen_in_place(_i64toa(v, buf, base), w);
}

EXPORT WCHAR *_ui64tow(unsigned long long v, WCHAR *w, int base)
{
	char buf[72];
	return widen_in_place(_ui64toa(v, buf, base), w);
}

EXPORT int abs(int v)
{
	return v < 0 ? -v : v;
}

EXPORT long labs(long v) __attribute__((alias("abs")));

EXPORT long long _abs64(long long v)
{
	return v < 0 ? -v : v;
}

typedef struct {
	int quot, rem;
} div_t;

EXPORT div_t div(int a, int b)
{
	div_t r = {a / b, a % b};
	return r;
}

EXPORT div_t ldiv(long a, long b) __attribute__((alias("div")));

/* msvcrt's generator: the linear congruence of its documentation's sample, per thread, 15 bits. */
EXPORT void srand(unsigned seed)
{
	crt_self()->rand_next = seed;
}

EXPORT int rand(void)
{
	struct crt_thread *t = crt_self();

	t->rand_next = t->rand_next * 214013u + 2531011u;
	return (int)((t->rand_next >> 16) & 0x7fff);
}

/* Sorting: an introspective quicksort would be faster; this is a plain median-of-three quicksort with insertion sort for short runs, recursing on the smaller side only. */
static void swap_bytes(char *a, char *b, size_t n)
{
	while (n--) {
		char t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

typedef int (*cmp_fn)(const void *, const void *);

static void sort(char *base, size_t n, size_t size, cmp_fn cmp)
{
	while (n > 8) {
		char *lo = base, *hi = base + (n - 1) * size, *mid = base + (n / 2) * size;
		size_t i, j;

		if (cmp(mid, lo) < 0)
			swap_bytes(mid, lo, size);
		if (cmp(hi, mid) < 0) {
			swap_bytes(hi, mid, size);
			if (cmp(mid, lo) < 0)
				swap_bytes(mid, lo, size);
		}
		swap_bytes(mid, base, size); /* the pivot at the front */
		i = 1;
		j = n - 1;
		for (;;) {
			while (i <= j && cmp(base + i * size, base) < 0)
				i++;
			while (j >= i && cmp(base + j * size, base) > 0)
				j--;
			if (i >= j)
				break;
			swap_bytes(base + i * size, base + j * size, size);
			i++;
			j--;
		}
		swap_bytes(base, base + j * size, size);
		if (j < n - 1 - j) {
			sort(base, j, size, cmp);
			base += (j + 1) * size;
			n -= j + 1;
		} else {
			sort(base + (j + 1) * size, n - j - 1, size, cmp);
			n = j;
		}
	}
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && cmp(base + (k - 1) * size, base + k * size) > 0; k--)
			swap_bytes(base + (k - 1) * size, base + k * size, size);
}

EXPORT void qsort(void *base, size_t n, size_t size, cmp_fn cmp)
{
	if (base && size && n > 1 && cmp)
		sort(base, n, size, cmp);
}

EXPORT void *bsearch(const void *key, const void *base, size_t n, size_t size, cmp_fn cmp)
{
	const char *b = base;

	while (n > 0) {
		const char *mid = b + (n / 2) * size;
		int c = cmp(key, mid);
		if (!c)
			return (void *)mid;
		if (c > 0) {
			b = mid + size;
			n -= n / 2 + 1;
		} else {
			n /= 2;
		}
	}
	return NULL;
}

EXPORT void *_lfind(const void *key, const void *base, unsigned *n, unsigned size, cmp_fn cmp)
{
	const char *b = base;

	for (unsigned i = 0; i < *n; i++)
		if (!cmp(key, b + (size_t)i * size))
			return (void *)(b + (size_t)i * size);
	return NULL;
}

EXPORT unsigned short _byteswap_ushort(unsigned short v)
{
	return (unsigned short)(v << 8 | v >> 8);
}

EXPORT unsigned long _byteswap_ulong(unsigned long v)
{
	return __builtin_bswap32((uint32_t)v);
}

EXPORT unsigned long long _byteswap_uint64(unsigned long long v)
{
	return __builtin_bswap64(v);
}

EXPORT unsigned int _rotl(unsigned int v, int n)
{
	n &= 31;
	return n ? v << n | v >> (32 - n) : v;
}

EXPORT unsigned int _rotr(unsigned int v, int n)
{
	n &= 31;
	return n ? v >> n | v << (32 - n) : v;
}
