/* UTF-16 string helpers the loader and the Rtl functions share, and a message to stderr. */
#include "ntdll_internal.h"

size_t pv_wcslen(const WCHAR *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

WCHAR pv_towlower(WCHAR c)
{
	return c >= 'A' && c <= 'Z' ? (WCHAR)(c + 32) : c;
}

int pv_wcsicmp(const WCHAR *a, const WCHAR *b)
{
	for (;; a++, b++) {
		WCHAR x = pv_towlower(*a), y = pv_towlower(*b);

		if (x != y || !x)
			return x - y;
	}
}

void pv_wcat_a(WCHAR *buf, size_t cap, size_t *n, const char *a)
{
	while (*a && *n + 1 < cap)
		buf[(*n)++] = (WCHAR)(unsigned char)*a++;
	buf[*n] = 0;
}

void pv_wcat_w(WCHAR *buf, size_t cap, size_t *n, const WCHAR *w)
{
	while (*w && *n + 1 < cap)
		buf[(*n)++] = *w++;
	buf[*n] = 0;
}

/* The process's standard error handle, from its parameters (PEB->ProcessParameters->StandardError). */
void pv_write_stderr(const char *s)
{
	unsigned char *params = PEB_FIELD(unsigned char *, 0x20);
	IO_STATUS_BLOCK iosb;

	if (params)
		NtWriteFile(*(HANDLE *)(params + 0x30), NULL, NULL, NULL, &iosb, s, (ULONG)strlen(s), NULL, NULL);
}
