/* Wide (UTF-16) string functions of <string.h>/<wchar.h>. Case folding is ASCII and Latin-1. */
#include "crt.h"

static WCHAR wlower(WCHAR c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7))
		return (WCHAR)(c + 32);
	return c;
}

static WCHAR wupper(WCHAR c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7))
		return (WCHAR)(c - 32);
	return c;
}

EXPORT WCHAR towlower(WCHAR c) { return wlower(c); }
EXPORT WCHAR towupper(WCHAR c) { return wupper(c); }

EXPORT size_t wcslen(const WCHAR *s)
{
	const WCHAR *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

EXPORT size_t wcsnlen(const WCHAR *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

EXPORT WCHAR *wcscpy(WCHAR *d, const WCHAR *s)
{
	WCHAR *r = d;

	while ((*d++ = *s++))
		;
	return r;
}

EXPORT WCHAR *wcsncpy(WCHAR *d, const WCHAR *s, size_t n)
{
	size_t i = 0;

	for (; i < n && s[i]; i++)
		d[i] = s[i];
	for (; i < n; i++)
		d[i] = 0;
	return d;
}

EXPORT WCHAR *wcscat(WCHAR *d, const WCHAR *s)
{
	wcscpy(d + wcslen(d), s);
	return d;
}

EXPORT WCHAR *wcsncat(WCHAR *d, const WCHAR *s, size_t n)
{
	WCHAR *e = d + wcslen(d);
	size_t i = 0;

	for (; i < n && s[i]; i++)
		e[i] = s[i];
	e[i] = 0;
	return d;
}

EXPORT int wcscmp(const WCHAR *a, const WCHAR *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a < *b ? -1 : *a > *b;
}

EXPORT int wcsncmp(const WCHAR *a, const WCHAR *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return *a < *b ? -1 : 1;
		if (!*a)
			break;
	}
	return 0;
}

EXPORT int wcscoll(const WCHAR *a, const WCHAR *b)
{
	return wcscmp(a, b);
}

EXPORT int _wcsicmp(const WCHAR *a, const WCHAR *b)
{
	WCHAR p, q;

	do {
		p = wlower(*a++);
		q = wlower(*b++);
	} while (p && p == q);
	return (int)p - (int)q;
}

EXPORT int _wcsnicmp(const WCHAR *a, const WCHAR *b, size_t n)
{
	WCHAR p = 0, q = 0;

	while (n--) {
		p = wlower(*a++);
		q = wlower(*b++);
		if (!p || p != q)
			break;
	}
	return (int)p - (int)q;
}

EXPORT WCHAR *wcschr(const WCHAR *s, WCHAR c)
{
	for (;; s++) {
		if (*s == c)
			return (WCHAR *)s;
		if (!*s)
			return NULL;
	}
}

EXPORT WCHAR *wcsrchr(const WCHAR *s, WCHAR c)
{
	const WCHAR *r = NULL;

	for (;; s++) {
		if (*s == c)
			r = s;
		if (!*s)
			return (WCHAR *)r;
	}
}

EXPORT WCHAR *wcsstr(const WCHAR *h, const WCHAR *n)
{
	size_t len = wcslen(n);

	if (!len)
		return (WCHAR *)h;
	for (; *h; h++)
		if (*h == *n && !wcsncmp(h, n, len))
			return (WCHAR *)h;
	return NULL;
}

EXPORT size_t wcsspn(const WCHAR *s, const WCHAR *set)
{
	size_t n = 0;

	while (s[n] && wcschr(set, s[n]))
		n++;
	return n;
}

EXPORT size_t wcscspn(const WCHAR *s, const WCHAR *set)
{
	size_t n = 0;

	while (s[n] && !wcschr(set, s[n]))
		n++;
	return n;
}

EXPORT WCHAR *wcspbrk(const WCHAR *s, const WCHAR *set)
{
	s += wcscspn(s, set);
	return *s ? (WCHAR *)s : NULL;
}

/* msvcrt's wcstok takes two arguments and keeps its place per thread. */
EXPORT WCHAR *wcstok(WCHAR *s, const WCHAR *delim)
{
	struct crt_thread *t = crt_self();
	WCHAR *end;

	if (!s)
		s = t->wcstok_next;
	if (!s)
		return NULL;
	s += wcsspn(s, delim);
	if (!*s) {
		t->wcstok_next = NULL;
		return NULL;
	}
	end = s + wcscspn(s, delim);
	if (*end)
		*end++ = 0;
	else
		end = NULL;
	t->wcstok_next = end;
	return s;
}

EXPORT WCHAR *_wcsdup(const WCHAR *s)
{
	size_t n;
	WCHAR *d;

	if (!s)
		return NULL;
	n = (wcslen(s) + 1) * sizeof(WCHAR);
	d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

EXPORT WCHAR *_wcslwr(WCHAR *s)
{
	for (WCHAR *p = s; *p; p++)
		*p = wlower(*p);
	return s;
}

EXPORT WCHAR *_wcsupr(WCHAR *s)
{
	for (WCHAR *p = s; *p; p++)
		*p = wupper(*p);
	return s;
}

EXPORT WCHAR *_wcsrev(WCHAR *s)
{
	size_t n = wcslen(s);

	for (size_t i = 0; i < n / 2; i++) {
		WCHAR c = s[i];
		s[i] = s[n - 1 - i];
		s[n - 1 - i] = c;
	}
	return s;
}

EXPORT int wcscpy_s(WCHAR *d, size_t size, const WCHAR *s)
{
	size_t n;

	if (!d || !size)
		return EINVAL;
	if (!s) {
		d[0] = 0;
		return EINVAL;
	}
	n = wcslen(s);
	if (n >= size) {
		d[0] = 0;
		return ERANGE;
	}
	memcpy(d, s, (n + 1) * sizeof(WCHAR));
	return 0;
}

EXPORT int wcscat_s(WCHAR *d, size_t size, const WCHAR *s)
{
	size_t have;

	if (!d || !size)
		return EINVAL;
	have = wcsnlen(d, size);
	if (have == size || !s) {
		d[0] = 0;
		return EINVAL;
	}
	return wcscpy_s(d + have, size - have, s) == 0 ? 0 : (d[0] = 0, ERANGE);
}

/* Multibyte <-> wide: the multibyte encoding is UTF-8 (the ANSI code page). */
EXPORT size_t mbstowcs(WCHAR *d, const char *s, size_t n)
{
	int len = MultiByteToWideChar(CP_UTF8, 8 /* MB_ERR_INVALID_CHARS */, s, -1, NULL, 0);
	WCHAR *tmp;

	if (len <= 0) {
		*_errno() = EILSEQ;
		return (size_t)-1;
	}
	if (!d)
		return (size_t)len - 1;
	tmp = malloc((size_t)len * sizeof(WCHAR));
	if (!tmp)
		return (size_t)-1;
	MultiByteToWideChar(CP_UTF8, 0, s, -1, tmp, len);
	if ((size_t)len - 1 < n)
		n = (size_t)len; /* with the terminator */
	memcpy(d, tmp, n * sizeof(WCHAR));
	free(tmp);
	return n == (size_t)len ? (size_t)len - 1 : n;
}

EXPORT size_t wcstombs(char *d, const WCHAR *s, size_t n)
{
	int len = WideCharToMultiByte(CP_UTF8, 0, s, -1, NULL, 0, NULL, NULL);
	char *tmp;
	size_t i;

	if (len <= 0) {
		*_errno() = EILSEQ;
		return (size_t)-1;
	}
	if (!d)
		return (size_t)len - 1;
	tmp = malloc((size_t)len);
	if (!tmp)
		return (size_t)-1;
	WideCharToMultiByte(CP_UTF8, 0, s, -1, tmp, len, NULL, NULL);
	/* never cut a character in two: stop before one that does not fit whole */
	for (i = 0; i < n && tmp[i];) {
		size_t step = 1;
		unsigned char c = (unsigned char)tmp[i];
		if (c >= 0xF0)
			step = 4;
		else if (c >= 0xE0)
			step = 3;
		else if (c >= 0xC0)
			step = 2;
		if (i + step > n)
			break;
		memcpy(d + i, tmp + i, step);
		i += step;
	}
	if (i < n && !tmp[i])
		d[i] = 0;
	free(tmp);
	return i;
}

/* UTF-8 byte lengths of a lead byte; 0 for a byte that cannot start a character. */
static int utf8_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c < 0xE0)
		return 2;
	if (c >= 0xE0 && c < 0xF0)
		return 3;
	if (c >= 0xF0 && c < 0xF5)
		return 4;
	return 0;
}

EXPORT int mblen(const char *s, size_t n)
{
	int len;

	if (!s || !n)
		return 0;
	if (!*s)
		return 0;
	len = utf8_len((unsigned char)*s);
	if (!len || (size_t)len > n)
		return -1;
	for (int i = 1; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			return -1;
	return len;
}

EXPORT int mbtowc(WCHAR *d, const char *s, size_t n)
{
	int len = mblen(s, n);
	WCHAR w[2];

	if (len <= 0) {
		if (len == 0 && s && n && d)
			*d = 0;
		if (len < 0)
			*_errno() = EILSEQ;
		return len;
	}
	if (MultiByteToWideChar(CP_UTF8, 0, s, len, w, 2) < 1)
		return -1;
	if (d)
		*d = w[0]; /* a character beyond the BMP does not fit one wchar_t: its first half */
	return len;
}

EXPORT int wctomb(char *d, WCHAR w)
{
	int n;

	if (!d)
		return 0;
	n = WideCharToMultiByte(CP_UTF8, 0, &w, 1, d, 3, NULL, NULL);
	if (n <= 0) {
		*_errno() = EILSEQ;
		return -1;
	}
	return n;
}

EXPORT WCHAR btowc(int c)
{
	return c >= 0 && c < 0x80 ? (WCHAR)c : (WCHAR)0xFFFF;
}

EXPORT size_t wcsxfrm(WCHAR *d, const WCHAR *s, size_t n)
{
	size_t len = wcslen(s);

	if (len < n)
		memcpy(d, s, (len + 1) * sizeof(WCHAR));
	return len;
}
