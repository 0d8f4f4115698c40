/*
 * The NT side of bench/run's nt table (built with mingw-w64, ntdll only):
 *   ntbench.exe time N        N x NtQuerySystemTime
 *   ntbench.exe qpc N         N x NtQueryPerformanceCounter
 *   ntbench.exe yield N       N x NtYieldExecution
 *   ntbench.exe write N FILE  N x NtWriteFile of 16 bytes to FILE
 *   ntbench.exe read FILE     NtReadFile of FILE in 64 KiB chunks to its end
 *   ntbench.exe pread N FILE  N x NtReadFile of FILE's first 4 KiB
 * FILE is C:\FILE, or Z:\... for an absolute Linux path (/...: Wine's Z: and picovisor's are the whole tree).
 * It runs the same under Wine (its ntdll has every one of these). bench/linuxbench.c does the same with the
 * Linux calls.
 */
#include "../tests/nt/nt_test.h"

static WCHAR *arg(int i, SIZE_T *len)
{
	UNICODE_STRING *cmd = (UNICODE_STRING *)((char *)params() + 0x70);
	WCHAR *p = cmd->Buffer, *end = p + cmd->Length / 2;

	for (;;) {
		WCHAR *s;
		while (p < end && *p == ' ')
			p++;
		s = p;
		while (p < end && *p != ' ')
			p++;
		if (i-- == 0) {
			*len = (SIZE_T)(p - s);
			return s;
		}
		if (p >= end) {
			*len = 0;
			return p;
		}
	}
}

static long number(int i)
{
	SIZE_T n;
	WCHAR *s = arg(i, &n);
	long v = 0;

	while (n--)
		v = v * 10 + (*s++ - '0');
	return v;
}

static HANDLE open_file(int i, ULONG access, ULONG disposition)
{
	WCHAR buf[300] = { '\\', '?', '?', '\\', 'C', ':', '\\' };
	SIZE_T n, at = 7;
	WCHAR *s = arg(i, &n);
	UNICODE_STRING u;
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK io;
	HANDLE h = 0;

	if (n && s[0] == '/') { /* a Linux path: Z:\ and the rest with backslashes */
		buf[4] = 'Z';
		at = 6;
	}
	for (SIZE_T k = 0; k < n && k < 290; k++)
		buf[at + k] = s[k] == '/' ? '\\' : s[k];
	u.Buffer = buf;
	u.Length = (USHORT)((at + n) * 2);
	u.MaximumLength = u.Length;
	init_oa(&oa, &u, 0, 0);
	NtCreateFile(&h, access | 0x100000, &oa, &io, 0, 0, 1, disposition, 0x20, 0, 0);
	return h;
}

int mainCRTStartup(void)
{
	static char chunk[65536];
	SIZE_T n;
	WCHAR *mode = arg(1, &n);
	IO_STATUS_BLOCK io;
	LARGE_INTEGER t;

	if (mode[0] == 't') {
		for (long i = number(2); i > 0; i--)
			NtQuerySystemTime(&t);
	} else if (mode[0] == 'q') {
		for (long i = number(2); i > 0; i--)
			NtQueryPerformanceCounter(&t, 0);
	} else if (mode[0] == 'y') {
		for (long i = number(2); i > 0; i--)
			NtYieldExecution();
	} else if (mode[0] == 'p') {
		HANDLE h = open_file(3, 0x80000000, 1);
		LARGE_INTEGER at = { 0 };
		for (long i = number(2); i > 0; i--)
			NtReadFile(h, 0, 0, 0, &io, chunk, 4096, &at, 0);
		NtClose(h);
	} else if (mode[0] == 'w') {
		HANDLE h = open_file(3, 0x40000000, 5);
		for (long i = number(2); i > 0; i--)
			NtWriteFile(h, 0, 0, 0, &io, "0123456789abcdef", 16, 0, 0);
		NtClose(h);
	} else {
		HANDLE h = open_file(2, 0x80000000, 1);
		while (NtReadFile(h, 0, 0, 0, &io, chunk, sizeof(chunk), 0, 0) == 0)
			;
		NtClose(h);
	}
	NtTerminateProcess(NtCurrentProcess(), 0);
	return 0;
}
