/* Code pages: the ANSI and OEM code pages are UTF-8 (65001); MultiByteToWideChar and WideCharToMultiByte convert it. */
#include "k32.h"

#define CP_ACP 0
#define CP_OEMCP 1
#define CP_THREAD_ACP 3
#define CP_UTF8 65001
#define MB_ERR_INVALID_CHARS 0x8
#define ERROR_INSUFFICIENT_BUFFER 122
#define ERROR_INVALID_PARAMETER 87
#define ERROR_NO_UNICODE_TRANSLATION 1113
#define ERROR_INVALID_FLAGS 1004

static BOOL utf8_page(UINT cp)
{
	return cp == CP_ACP || cp == CP_OEMCP || cp == CP_THREAD_ACP || cp == CP_UTF8;
}

EXPORT UINT WINAPI GetACP(void)
{
	return CP_UTF8;
}

EXPORT UINT WINAPI GetOEMCP(void)
{
	return CP_UTF8;
}

EXPORT UINT WINAPI GetConsoleOutputCP(void)
{
	return CP_UTF8;
}

EXPORT UINT WINAPI GetConsoleCP(void)
{
	return CP_UTF8;
}

/* UTF-8 has no lead bytes in Windows' sense (IsDBCSLeadByteEx is FALSE for every byte of code page 65001). */
EXPORT BOOL WINAPI IsDBCSLeadByteEx(UINT cp, BYTE c)
{
	(void)c;
	if (!utf8_page(cp))
		return k32_fail(ERROR_INVALID_PARAMETER);
	return 0;
}

EXPORT BOOL WINAPI IsDBCSLeadByte(BYTE c)
{
	(void)c;
	return 0;
}

typedef struct {
	UINT MaxCharSize;
	BYTE DefaultChar[2];
	BYTE LeadByte[12];
} CPINFO;

EXPORT BOOL WINAPI GetCPInfo(UINT cp, CPINFO *ci)
{
	if (!utf8_page(cp) || !ci)
		return k32_fail(ERROR_INVALID_PARAMETER);
	memset(ci, 0, sizeof(*ci));
	ci->MaxCharSize = 4;
	ci->DefaultChar[0] = '?';
	return 1;
}

/* One code point from UTF-8 at s (n bytes left): its length, or 0 for an invalid sequence (one byte skipped). */
static int utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c = s[0];
	int len, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	len = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
	if (!len || (size_t)len > n || c >= 0xf5)
		return 0;
	c &= 0x3f >> (len - 1);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c < 0xe000))) || (len == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	*cp = c;
	return len;
}

EXPORT int WINAPI MultiByteToWideChar(UINT cp, DWORD flags, const char *src, int srclen, WCHAR *dst, int dstlen)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t n, i = 0;
	int out = 0;

	if (!utf8_page(cp) || !src || dstlen < 0 || (dstlen && !dst) || srclen == 0 || srclen < -1) {
		k32_fail(ERROR_INVALID_PARAMETER);
		return 0;
	}
	if (flags & ~(DWORD)MB_ERR_INVALID_CHARS) {
		k32_fail(ERROR_INVALID_FLAGS);
		return 0;
	}
	n = srclen == -1 ? strlen(src) + 1 : (size_t)srclen;
	while (i < n) {
		uint32_t c;
		int len = utf8_next(s + i, n - i, &c);
		int units;

		if (!len) {
			if (flags & MB_ERR_INVALID_CHARS) {
				k32_fail(ERROR_NO_UNICODE_TRANSLATION);
				return 0;
			}
			c = 0xfffd;
			len = 1;
		}
		units = c >= 0x10000 ? 2 : 1;
		if (dstlen) {
			if (out + units > dstlen) {
				k32_fail(ERROR_INSUFFICIENT_BUFFER);
				return 0;
			}
			if (units == 2) {
				dst[out] = (WCHAR)(0xd800 | (c - 0x10000) >> 10);
				dst[out + 1] = (WCHAR)(0xdc00 | ((c - 0x10000) & 0x3ff));
			} else {
				dst[out] = (WCHAR)c;
			}
		}
		out += units;
		i += (size_t)len;
	}
	return out;
}

int k32_w_to_a(const WCHAR *w, size_t n, char *buf, size_t cap)
{
	size_t out = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t c = w[i];
		char t[4];
		int len;

		if (c >= 0xd800 && c < 0xdc00 && i + 1 < n && w[i + 1] >= 0xdc00 && w[i + 1] < 0xe000)
			c = 0x10000 + ((c - 0xd800) << 10) + (w[++i] - 0xdc00u);
		else if (c >= 0xd800 && c < 0xe000)
			c = 0xfffd; /* a lone surrogate */
		len = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
		if (len == 1) {
			t[0] = (char)c;
		} else {
			for (int j = len - 1; j > 0; j--, c >>= 6)
				t[j] = (char)(0x80 | (c & 0x3f));
			t[0] = (char)((len == 2 ? 0xc0 : len == 3 ? 0xe0 : 0xf0) | c);
		}
		if (buf) {
			if (out + (size_t)len > cap)
				return -1;
			memcpy(buf + out, t, (size_t)len);
		}
		out += (size_t)len;
	}
	return (int)out;
}

EXPORT int WINAPI WideCharToMultiByte(UINT cp, DWORD flags, const WCHAR *src, int srclen, char *dst, int dstlen,
				      const char *defchar, BOOL *used_default)
{
	size_t n;
	int out;

	if (!utf8_page(cp) || !src || dstlen < 0 || (dstlen && !dst) || srclen == 0 || srclen < -1) {
		k32_fail(ERROR_INVALID_PARAMETER);
		return 0;
	}
	/* for UTF-8, Windows refuses a default character and the flag asking about it */
	if (cp == CP_UTF8 && (defchar || used_default)) {
		k32_fail(ERROR_INVALID_PARAMETER);
		return 0;
	}
	if (flags & ~(DWORD)0x80 /* WC_ERR_INVALID_CHARS */) {
		k32_fail(ERROR_INVALID_FLAGS);
		return 0;
	}
	if (used_default)
		*used_default = 0;
	if (srclen == -1) {
		for (n = 0; src[n]; n++)
			;
		n++;
	} else {
		n = (size_t)srclen;
	}
	out = k32_w_to_a(src, n, dstlen ? dst : NULL, (size_t)dstlen);
	if (out < 0) {
		k32_fail(ERROR_INSUFFICIENT_BUFFER);
		return 0;
	}
	return out;
}

/* The code pages MultiByteToWideChar and WideCharToMultiByte convert by number: UTF-8 only (CP_ACP and the other
 * aliases are no code page of their own, as on Windows). */
EXPORT BOOL WINAPI IsValidCodePage(UINT cp)
{
	return cp == CP_UTF8;
}

/* Every thread's locale is English (United States), the one locale picovisor's DLLs format for. */
#define LCID_EN_US 0x0409

EXPORT DWORD WINAPI GetThreadLocale(void)
{
	return LCID_EN_US;
}
