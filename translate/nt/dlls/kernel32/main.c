/*
 * picovisor's kernel32.dll: the Win32 functions console programs import,
 * written over picovisor's ntdll. What it does not export is absent, never a
 * stub (docs/nt.md lists the exports). The ANSI code page is UTF-8.
 */
#include "k32.h"

BOOL WINAPI DllMainCRTStartup(HMODULE self, DWORD reason, void *reserved);
BOOL WINAPI DllMainCRTStartup(HMODULE self, DWORD reason, void *reserved)
{
	(void)self;
	(void)reserved;
	if (reason == 3 /* DLL_THREAD_DETACH */ || reason == 0 /* DLL_PROCESS_DETACH */)
		k32_fls_thread_end();
	return 1;
}

EXPORT DWORD WINAPI GetLastError(void)
{
	return LAST_ERROR();
}

EXPORT void WINAPI SetLastError(DWORD e)
{
	LAST_ERROR() = e;
}

BOOL k32_fail(DWORD err)
{
	LAST_ERROR() = err;
	return 0;
}

BOOL k32_fail_nt(NTSTATUS st)
{
	return k32_fail(RtlNtStatusToDosError(st));
}

int k32_a_to_w(const char *a, WCHAR *buf, size_t cap)
{
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)a;

	while (*p) {
		uint32_t c = *p++;
		int more = 0;

		if (c >= 0xf0 && c < 0xf8)
			c &= 7, more = 3;
		else if (c >= 0xe0)
			c &= 15, more = 2;
		else if (c >= 0xc0)
			c &= 31, more = 1;
		else if (c >= 0x80)
			c = 0xfffd;
		for (; more && (*p & 0xc0) == 0x80; more--)
			c = c << 6 | (*p++ & 0x3f);
		if (more)
			c = 0xfffd;
		if (c >= 0x10000) {
			if (n + 2 >= cap)
				return -1;
			c -= 0x10000;
			buf[n++] = (WCHAR)(0xd800 | c >> 10);
			buf[n++] = (WCHAR)(0xdc00 | (c & 0x3ff));
		} else {
			if (n + 1 >= cap)
				return -1;
			buf[n++] = (WCHAR)c;
		}
	}
	buf[n] = 0;
	return (int)n;
}

EXPORT void WINAPI ExitProcess(UINT code)
{
	RtlExitUserProcess((NTSTATUS)code);
}
