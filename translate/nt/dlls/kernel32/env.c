/* The environment block (the process parameters' Environment, UTF-16) and its variables. */
#include "k32.h"

#define ERROR_ENVVAR_NOT_FOUND 203
#define ERROR_INVALID_PARAMETER 87
#define ERROR_NOT_ENOUGH_MEMORY 8

static RTL_CRITICAL_SECTION_K env_lock = { NULL, -1, 0, NULL, NULL, 0 };

static WCHAR **env_slot(void)
{
	return (WCHAR **)(PROCESS_PARAMS() + 0x80);
}

static size_t block_len(const WCHAR *e)
{
	size_t n = 0;

	if (!e)
		return 0;
	while (e[n] || e[n + 1])
		n++;
	return n + 2; /* with both NULs */
}

static size_t wlen(const WCHAR *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static WCHAR wlower(WCHAR c)
{
	return c >= 'A' && c <= 'Z' ? (WCHAR)(c + 32) : c;
}

/* The entry "name=..." of the block (names compare ignoring case), or NULL. */
static WCHAR *find(WCHAR *e, const WCHAR *name, size_t nlen)
{
	for (; e && *e; e += wlen(e) + 1) {
		size_t i;

		for (i = 0; i < nlen && wlower(e[i]) == wlower(name[i]); i++)
			;
		if (i == nlen && e[i] == '=' && !(nlen == 0))
			return e;
	}
	return NULL;
}

EXPORT WCHAR *WINAPI GetEnvironmentStringsW(void)
{
	WCHAR *copy;
	size_t n;

	RtlEnterCriticalSection(&env_lock);
	n = block_len(*env_slot());
	copy = k32_alloc((n ? n : 2) * 2);
	if (copy) {
		if (n)
			memcpy(copy, *env_slot(), n * 2);
		else
			copy[0] = copy[1] = 0;
	}
	RtlLeaveCriticalSection(&env_lock);
	if (!copy)
		k32_fail(ERROR_NOT_ENOUGH_MEMORY);
	return copy;
}

EXPORT BOOL WINAPI FreeEnvironmentStringsW(WCHAR *block)
{
	k32_free(block);
	return 1;
}

EXPORT DWORD WINAPI GetEnvironmentVariableW(const WCHAR *name, WCHAR *buf, DWORD size)
{
	WCHAR *e;
	DWORD n = 0;

	if (!name)
		return k32_fail(ERROR_INVALID_PARAMETER);
	RtlEnterCriticalSection(&env_lock);
	e = find(*env_slot(), name, wlen(name));
	if (e) {
		e += wlen(name) + 1;
		n = (DWORD)wlen(e);
		if (n + 1 <= size) {
			memcpy(buf, e, (n + 1) * 2);
			LAST_ERROR() = 0;
		} else {
			n++; /* the size needed, with the NUL */
		}
	}
	RtlLeaveCriticalSection(&env_lock);
	if (!e)
		k32_fail(ERROR_ENVVAR_NOT_FOUND);
	return n;
}

EXPORT BOOL WINAPI SetEnvironmentVariableW(const WCHAR *name, const WCHAR *value)
{
	size_t nlen, vlen, old_len, keep, need;
	WCHAR *old, *hit, *nb, *p;

	if (!name || !name[0])
		return k32_fail(ERROR_INVALID_PARAMETER);
	nlen = wlen(name);
	for (size_t i = 1; i < nlen; i++)
		if (name[i] == '=')
			return k32_fail(ERROR_INVALID_PARAMETER);
	vlen = value ? wlen(value) : 0;
	RtlEnterCriticalSection(&env_lock);
	old = *env_slot();
	old_len = block_len(old);
	hit = find(old, name, nlen);
	if (!hit && !value) {
		RtlLeaveCriticalSection(&env_lock);
		return 1; /* removing what is not there */
	}
	keep = old_len - (hit ? wlen(hit) + 1 : 0);
	need = keep + (value ? nlen + 1 + vlen + 1 : 0) + 2;
	nb = k32_alloc(need * 2);
	if (!nb) {
		RtlLeaveCriticalSection(&env_lock);
		return k32_fail(ERROR_NOT_ENOUGH_MEMORY);
	}
	/* the new block: every other entry, then this one; a new block each time, the old one stays (pointers to it
	 * taken before stay valid) */
	p = nb;
	for (WCHAR *e = old; e && *e; e += wlen(e) + 1) {
		if (e == hit)
			continue;
		memcpy(p, e, (wlen(e) + 1) * 2);
		p += wlen(e) + 1;
	}
	if (value) {
		memcpy(p, name, nlen * 2);
		p += nlen;
		*p++ = '=';
		memcpy(p, value, vlen * 2);
		p += vlen;
		*p++ = 0;
	}
	*p++ = 0;
	if (p == nb + 1)
		*p++ = 0;
	*env_slot() = nb;
	*(uint64_t *)(PROCESS_PARAMS() + 0x3f0) = (uint64_t)(p - nb) * 2; /* EnvironmentSize */
	RtlLeaveCriticalSection(&env_lock);
	return 1;
}

EXPORT DWORD WINAPI GetEnvironmentVariableA(const char *name, char *buf, DWORD size)
{
	WCHAR *w = k32_a_path(name), *val = w ? k32_alloc(32768 * sizeof(WCHAR)) : NULL; /* not on a small stack */
	DWORD n = 0;
	int len = -1;

	if (w && !val)
		k32_fail(ERROR_NOT_ENOUGH_MEMORY);
	if (val)
		n = GetEnvironmentVariableW(w, val, 32768);
	if (n && n < 32768) {
		len = k32_w_to_a(val, n, NULL, 0);
		if ((DWORD)len + 1 <= size) {
			k32_w_to_a(val, n, buf, size);
			buf[len] = 0;
		}
	}
	k32_free(w);
	k32_free(val);
	if (len < 0)
		return 0;
	return (DWORD)len + 1 > size ? (DWORD)len + 1 : (DWORD)len;
}

EXPORT BOOL WINAPI SetEnvironmentVariableA(const char *name, const char *value)
{
	WCHAR *n = k32_a_path(name), *v = value ? k32_a_path(value) : NULL;
	BOOL ok = n && (!value || v) && SetEnvironmentVariableW(n, v);

	k32_free(n);
	k32_free(v);
	return ok;
}

/*
 * %NAME% replaced by the variable's value (names compare ignoring case). A name that is no variable is left as it
 * is, with both its '%' (so "%UNKNOWN%PATH%" stays as it is, as under Wine). The result goes into buf when it fits in size units (with its NUL); the return
 * value is the units the whole result takes with its NUL either way, 0 on failure.
 */
EXPORT DWORD WINAPI ExpandEnvironmentStringsW(const WCHAR *src, WCHAR *buf, DWORD size)
{
	size_t out = 0;

	if (!src)
		return k32_fail(ERROR_INVALID_PARAMETER);
	RtlEnterCriticalSection(&env_lock);
	while (*src) {
		const WCHAR *from = src, *close = NULL;
		size_t len = 1;

		if (*src == '%') {
			for (close = src + 1; *close && *close != '%'; close++)
				;
			if (!*close)
				close = NULL;
		}
		if (close) {
			WCHAR *e = find(*env_slot(), src + 1, (size_t)(close - src - 1));

			if (e) {
				from = e + (close - src); /* the value, after "name=" */
				len = wlen(from);
				src = close + 1;
			} else {
				len = (size_t)(close - src) + 1; /* "%name%" stays as it is */
				src = close + 1;
			}
		} else {
			src++;
		}
		if (out + len < size)
			memcpy(buf + out, from, len * sizeof(WCHAR));
		out += len;
	}
	RtlLeaveCriticalSection(&env_lock);
	if (out < size)
		buf[out] = 0;
	if (out + 1 > 0xffffffffu)
		return k32_fail(ERROR_NOT_ENOUGH_MEMORY);
	return (DWORD)(out + 1);
}

/* The same in the ANSI code page (UTF-8): the return value counts bytes, with the NUL. */
EXPORT DWORD WINAPI ExpandEnvironmentStringsA(const char *src, char *buf, DWORD size)
{
	WCHAR *w = k32_a_path(src), *res = NULL;
	DWORD n = 0, cap = 0;
	int len;

	if (!w)
		return 0;
	/* the result's size, then the result: again while another thread grew the environment in between */
	for (DWORD need = ExpandEnvironmentStringsW(w, NULL, 0); need > cap;
	     need = ExpandEnvironmentStringsW(w, res, cap)) {
		k32_free(res);
		cap = need;
		res = k32_alloc((size_t)cap * sizeof(WCHAR));
		if (!res) {
			k32_fail(ERROR_NOT_ENOUGH_MEMORY);
			cap = 0;
			break;
		}
	}
	if (res) {
		len = k32_w_to_a(res, wlen(res), NULL, 0);
		if (len >= 0) {
			n = (DWORD)len + 1;
			if (n <= size) {
				k32_w_to_a(res, wlen(res), buf, size);
				buf[len] = 0;
			}
		}
	}
	k32_free(w);
	k32_free(res);
	return n;
}
