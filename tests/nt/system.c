/*
 * The process environment and system services: TEB and PEB fields, the
 * process parameters (standard handles, command line, image path, current
 * directory, environment with PATH through the drive map), time, the
 * information classes, delays, and bad pointers (STATUS_ACCESS_VIOLATION,
 * the process goes on). Prints the strings it was given for the test runner
 * to compare ("cmdline: ...", "image: ...", "curdir: ...", "path: ...").
 */
#include "nt_test.h"

static void out_w(const char *label, const WCHAR *s, SIZE_T n)
{
	char b[1024];
	SIZE_T i;

	for (i = 0; i < n && i < sizeof(b) - 1; i++)
		b[i] = s[i] < 128 ? (char)s[i] : '?';
	b[i] = 0;
	out(label);
	out(b);
	out("\n");
}

static int wstarts(const WCHAR *s, const char *p)
{
	while (*p)
		if (*s++ != (WCHAR)*p++)
			return 0;
	return 1;
}

int mainCRTStartup(void);

/* Absolute addresses in data: base relocations (DIR64) fix them when the image cannot load at its base. */
static const char *words[] = { "alpha", "beta" };
static int (*entry_ptr)(void) = mainCRTStartup;

/* Read through a pointer the compiler cannot see into, so the stored addresses are really used. */
static const char **opaque(const char **p)
{
	__asm__ volatile("" : "+r"(p));
	return p;
}

int mainCRTStartup(void)
{
	char *teb, *pp = params();
	char *pb = peb();
	LARGE_INTEGER a, b, f;
	unsigned char info[0x100];
	NTSTATUS st;
	ULONG len = 0;
	const WCHAR *env;
	UNICODE_STRING *us;

	__asm__ volatile("mov %%gs:0x30, %0" : "=r"(teb));
	check(opaque(words)[0][0] == 'a' && opaque(words)[1][0] == 'b' &&
		      *(int (**)(void))opaque((const char **)&entry_ptr) == mainCRTStartup,
	      "pointers stored in data point where the image is", (ULONG64)words[1]);
	out("base: ");
	out_hex((ULONG64) * (char **)(peb() + 0x10));
	out("\n");
	check(*(char **)(teb + 0x30) == teb, "TEB Self at +0x30 is the TEB", (ULONG64)teb);
	check(*(char **)(teb + 0x60) == pb, "TEB Peb at +0x60", (ULONG64) * (char **)(teb + 0x60));
	check(*(ULONG64 *)(teb + 8) > *(ULONG64 *)(teb + 0x10) && (ULONG64)&st < *(ULONG64 *)(teb + 8),
	      "the stack lies below StackBase, StackLimit below it", *(ULONG64 *)(teb + 8));
	check(((ULONG64)__builtin_frame_address(0) & 0xf) == 0, "the entry's frame is 16-byte aligned",
	      (ULONG64)__builtin_frame_address(0));
	check(*(ULONG *)(pb + 0x118) == 10 && *(ULONG *)(pb + 0x11c) == 0, "PEB: OS version 10.0", *(ULONG *)(pb + 0x118));
	out("build: ");
	out_dec(*(USHORT *)(pb + 0x120));
	out("\n");
	check(*(ULONG *)(pb + 0xb8) >= 1, "PEB: NumberOfProcessors", *(ULONG *)(pb + 0xb8));
	check(*(char **)(pb + 0x10) != 0 && **(char **)(pb + 0x10) == 'M', "PEB: ImageBaseAddress points at MZ", 0);
	check(std_handle(0) == (HANDLE)4 && std_handle(1) == (HANDLE)8 && std_handle(2) == (HANDLE)12,
	      "standard handles 4, 8, 12", (ULONG64)std_handle(1));
	us = (UNICODE_STRING *)(pp + 0x70);
	out_w("cmdline: ", us->Buffer, us->Length / 2);
	us = (UNICODE_STRING *)(pp + 0x60);
	out_w("image: ", us->Buffer, us->Length / 2);
	us = (UNICODE_STRING *)(pp + 0x38);
	out_w("curdir: ", us->Buffer, us->Length / 2);
	for (env = *(const WCHAR **)(pp + 0x80); *env; env += 1) {
		SIZE_T n = 0;
		while (env[n])
			n++;
		if (wstarts(env, "PATH="))
			out_w("path: ", env + 5, n - 5);
		if (wstarts(env, "PV_TEST="))
			out_w("pv_test: ", env + 8, n - 8);
		env += n;
	}

	/* time */
	NtQuerySystemTime(&a);
	check(a.QuadPart > 130000000000000000LL, "NtQuerySystemTime: after 2012 in 100 ns ticks since 1601",
	      (ULONG64)a.QuadPart);
	CHECK_STATUS(NtQueryPerformanceCounter(&a, &f), 0, "NtQueryPerformanceCounter");
	check(f.QuadPart == 10000000, "frequency 10 MHz", (ULONG64)f.QuadPart);
	b.QuadPart = -100000; /* 10 ms */
	CHECK_STATUS(NtDelayExecution(0, &b), 0, "NtDelayExecution 10 ms");
	NtQueryPerformanceCounter(&b, 0);
	check(b.QuadPart - a.QuadPart >= 90000, "at least 9 ms went by", (ULONG64)(b.QuadPart - a.QuadPart));
	CHECK_STATUS(NtYieldExecution(), 0, "NtYieldExecution");

	/* information classes */
	st = NtQueryInformationProcess(NtCurrentProcess(), 0, info, 0x30, &len);
	check(st == 0 && *(char **)(info + 8) == pb && len == 0x30, "ProcessBasicInformation: PebBaseAddress",
	      (ULONG)st);
	check(*(ULONG64 *)(info + 0x20) == *(ULONG64 *)(teb + 0x40), "UniqueProcessId matches the TEB's ClientId",
	      *(ULONG64 *)(info + 0x20));
	CHECK_STATUS(NtQueryInformationProcess(NtCurrentProcess(), 0, info, 0x20, &len), 0xC0000004,
		     "ProcessBasicInformation, short: INFO_LENGTH_MISMATCH");
	st = NtQueryInformationThread(NtCurrentThread(), 0, info, 0x30, 0);
	check(st == 0 && *(char **)(info + 8) == teb && *(ULONG *)info == 0x103,
	      "ThreadBasicInformation: TebBaseAddress, still running (STATUS_PENDING)", (ULONG)st);
	st = NtQuerySystemInformation(0, info, 0x40, &len);
	check(st == 0 && *(ULONG *)(info + 8) == 4096 && *(ULONG *)(info + 0x18) == 0x10000 && info[0x38] >= 1,
	      "SystemBasicInformation: page size, granularity, processors", (ULONG)st);
	st = NtQuerySystemInformation(3, info, 0x30, &len);
	check(st == 0 && *(LONGLONG *)(info + 8) > *(LONGLONG *)info, "SystemTimeOfDayInformation: now after boot",
	      (ULONG)st);
	CHECK_STATUS(NtQuerySystemInformation(0x7777, info, 0x40, &len), 0xC0000003,
		     "an unknown system class: INVALID_INFO_CLASS");

	/* bad pointers: the call fails, the process goes on */
	CHECK_STATUS(NtQuerySystemTime((LARGE_INTEGER *)0x8), 0xC0000005, "NtQuerySystemTime(bad): ACCESS_VIOLATION");
	CHECK_STATUS(NtQueryPerformanceCounter((LARGE_INTEGER *)0x10, 0), 0xC0000005,
		     "NtQueryPerformanceCounter(bad): ACCESS_VIOLATION");
	{
		IO_STATUS_BLOCK io;
		CHECK_STATUS(NtWriteFile(std_handle(1), 0, 0, 0, &io, (void *)0x1000, 5, 0, 0), 0xC0000005,
			     "NtWriteFile from a bad buffer: ACCESS_VIOLATION");
		CHECK_STATUS(NtWriteFile(std_handle(1), 0, 0, 0, (IO_STATUS_BLOCK *)0x18, "x", 1, 0, 0), 0xC0000005,
			     "NtWriteFile with a bad IO_STATUS_BLOCK: ACCESS_VIOLATION");
		CHECK_STATUS(NtCreateFile((HANDLE *)0x20, 0, (OBJECT_ATTRIBUTES *)0x30, &io, 0, 0, 0, 1, 0, 0, 0),
			     0xC0000005, "NtCreateFile with bad pointers: ACCESS_VIOLATION");
		CHECK_STATUS(NtWaitForMultipleObjects(2, (HANDLE *)0x40, 1, 0, 0), 0xC0000005,
			     "NtWaitForMultipleObjects(bad handle array): ACCESS_VIOLATION");
	}
	done();
	return 0;
}
