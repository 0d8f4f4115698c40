/* Byte and string functions of <string.h> (narrow). Case folding is ASCII: the C locale. */
#include "crt.h"

EXPORT void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

EXPORT void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || !n)
		return dst;
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	/* overlapping with the destination above: copy backwards */
	d += n - 1;
	s += n - 1;
	__asm__ volatile("std\n\trep movsb\n\tcld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	return dst;
}

EXPORT void *memset(void *dst, int c, size_t n)
{
	void *d = dst;
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

EXPORT int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

EXPORT void *memchr(const void *p, int c, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++)
		if (s[i] == (unsigned char)c)
			return (void *)(s + i);
	return NULL;
}

EXPORT int _memicmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++) {
		int p = tolower(x[i]), q = tolower(y[i]);
		if (p != q)
			return p - q;
	}
	return 0;
}

EXPORT void *_memccpy(void *dst, const void *src, int c, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	for (size_t i = 0; i < n; i++) {
		d[i] = s[i];
		if (s[i] == (unsigned char)c)
			return d + i + 1;
	}
	return NULL;
}

EXPORT size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

EXPORT size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

EXPORT char *strcpy(char *d, const char *s)
{
	char *r = d;

	while ((*d++ = *s++))
		;
	return r;
}

EXPORT char *strncpy(char *d, const char *s, size_t n)
{
	size_t i = 0;

	for (; i < n && s[i]; i++)
		d[i] = s[i];
	for (; i < n; i++)
		d[i] = 0;
	return d;
}

EXPORT char *strcat(char *d, const char *s)
{
	strcpy(d + strlen(d), s);
	return d;
}

EXPORT char *strncat(char *d, const char *s, size_t n)
{
	char *e = d + strlen(d);
	size_t i = 0;

	for (; i < n && s[i]; i++)
		e[i] = s[i];
	e[i] = 0;
	return d;
}

EXPORT int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a < (unsigned char)*b ? -1 : (unsigned char)*a > (unsigned char)*b;
}

EXPORT int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		if (!*a)
			break;
	}
	return 0;
}

EXPORT int strcoll(const char *a, const char *b)
{
	return strcmp(a, b);
}

EXPORT int _stricoll(const char *a, const char *b)
{
	return _stricmp(a, b);
}

EXPORT size_t strxfrm(char *d, const char *s, size_t n)
{
	size_t len = strlen(s);

	if (len < n)
		memcpy(d, s, len + 1);
	return len;
}

EXPORT int _stricmp(const char *a, const char *b)
{
	int p, q;

	do {
		p = tolower((unsigned char)*a++);
		q = tolower((unsigned char)*b++);
	} while (p && p == q);
	return p - q;
}

EXPORT int _strnicmp(const char *a, const char *b, size_t n)
{
	int p = 0, q = 0;

	while (n--) {
		p = tolower((unsigned char)*a++);
		q = tolower((unsigned char)*b++);
		if (!p || p != q)
			break;
	}
	return p - q;
}

EXPORT int _strcmpi(const char *a, const char *b) __attribute__((alias("_stricmp")));

EXPORT char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

EXPORT char *strrchr(const char *s, int c)
{
	const char *r = NULL;

	for (;; s++) {
		if (*s == (char)c)
			r = s;
		if (!*s)
			return (char *)r;
	}
}

EXPORT char *strstr(const char *h, const char *n)
{
	size_t len = strlen(n);

	if (!len)
		return (char *)h;
	for (; *h; h++)
		if (*h == *n && !strncmp(h, n, len))
			return (char *)h;
	return NULL;
}

EXPORT size_t strspn(const char *s, const char *set)
{
	size_t n = 0;

	while (s[n] && strchr(set, s[n]))
		n++;
	return n;
}

EXPORT size_t strcspn(const char *s, const char *set)
{
	size_t n = 0;

	while (s[n] && !strchr(set, s[n]))
		n++;
	return n;
}

EXPORT char *strpbrk(const char *s, const char *set)
{
	s += strcspn(s, set);
	return *s ? (char *)s : NULL;
}

EXPORT char *strtok(char *s, const char *delim)
{
	struct crt_thread *t = crt_self();
	char *end;

	if (!s)
		s = t->strtok_next;
	if (!s)
		return NULL;
	s += strspn(s, delim);
	if (!*s) {
		t->strtok_next = NULL;
		return NULL;
	}
	end = s + strcspn(s, delim);
	if (*end)
		*end++ = 0;
	else
		end = NULL;
	t->strtok_next = end;
	return s;
}

EXPORT char *strtok_s(char *s, const char *delim, char **ctx)
{
	char *end;

	if (!s)
		s = *ctx;
	if (!s)
		return NULL;
	s += strspn(s, delim);
	if (!*s) {
		*ctx = s;
		return NULL;
	}
	end = s + strcspn(s, delim);
	if (*end)
		*end++ = 0;
	*ctx = end;
	return s;
}

EXPORT char *_strdup(const char *s)
{
	size_t n;
	char *d;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

EXPORT char *_strlwr(char *s)
{
	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

EXPORT char *_strupr(char *s)
{
	for (char *p = s; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return s;
}

EXPORT char *_strrev(char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n / 2; i++) {
		char c = s[i];
		s[i] = s[n - 1 - i];
		s[n - 1 - i] = c;
	}
	return s;
}

EXPORT char *_strset(char *s, int c)
{
	for (char *p = s; *p; p++)
		*p = (char)c;
	return s;
}

EXPORT char *_strnset(char *s, int c, size_t n)
{
	for (char *p = s; *p && n; p++, n--)
		*p = (char)c;
	return s;
}

EXPORT int strcpy_s(char *d, size_t size, const char *s)
{
	size_t n;

	if (!d || !size)
		return EINVAL;
	if (!s) {
		d[0] = 0;
		return EINVAL;
	}
	n = strlen(s);
	if (n >= size) {
		d[0] = 0;
		return ERANGE;
	}
	memcpy(d, s, n + 1);
	return 0;
}

EXPORT int strcat_s(char *d, size_t size, const char *s)
{
	size_t have;

	if (!d || !size)
		return EINVAL;
	have = strnlen(d, size);
	if (have == size || !s) {
		d[0] = 0;
		return EINVAL;
	}
	return strcpy_s(d + have, size - have, s) == 0 ? 0 : (d[0] = 0, ERANGE);
}

EXPORT int strncpy_s(char *d, size_t size, const char *s, size_t count)
{
	size_t n;

	if (!d || !size)
		return EINVAL;
	if (!s) {
		d[0] = 0;
		return count ? EINVAL : 0;
	}
	n = strnlen(s, count);
	if (n >= size) {
		if (count == (size_t)-1) { /* _TRUNCATE */
			memcpy(d, s, size - 1);
			d[size - 1] = 0;
			return 80; /* STRUNCATE */
		}
		d[0] = 0;
		return ERANGE;
	}
	memcpy(d, s, n);
	d[n] = 0;
	return 0;
}

EXPORT int memcpy_s(void *d, size_t size, const void *s, size_t n)
{
	if (!n)
		return 0;
	if (!d)
		return EINVAL;
	if (!s || size < n) {
		memset(d, 0, size);
		return !s ? EINVAL : ERANGE;
	}
	memcpy(d, s, n);
	return 0;
}

EXPORT int memmove_s(void *d, size_t size, const void *s, size_t n)
{
	if (!n)
		return 0;
	if (!d || !s)
		return EINVAL;
	if (size < n)
		return ERANGE;
	memmove(d, s, n);
	return 0;
}
