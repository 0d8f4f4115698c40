/*
 * Hostile: out-parameters aimed where the program cannot write itself. An
 * NT service must not write into read-only memory (the image's .rdata,
 * ntdll's code) nor into the scratch area picovisor builds other calls'
 * arguments in (found here by its content: the host path of a file this
 * thread just created). Each must be STATUS_ACCESS_VIOLATION, as on
 * Windows, with the bytes unchanged. Exit 2: the scratch area was not found.
 */
#include "nt_test.h"

extern void *__imp_NtClose; /* ntdll's NtClose, through the import table */

static const unsigned char rdata[16] = { 'r', 'e', 'a', 'd', '-', 'o', 'n', 'l', 'y' };

static int same(const volatile unsigned char *a, const unsigned char *b, int n)
{
	for (int i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

static int has(const unsigned char *p, int n, const char *s)
{
	int k = (int)slen(s);
	for (int i = 0; i + k <= n; i++)
		if (same(p + i, (const unsigned char *)s, k))
			return i;
	return -1;
}

int mainCRTStartup(void)
{
	static unsigned char page[4096];
	unsigned char before[16], fni[64];
	unsigned char *code = (unsigned char *)__imp_NtClose, *stack_base, *scratch = 0;
	IO_STATUS_BLOCK io;
	UNICODE_STRING u;
	WCHAR nb[64];
	OBJECT_ATTRIBUTES oa;
	HANDLE h;
	SIZE_T got;
	NTSTATUS st;

	memcpy(before, rdata, 16);
	CHECK_STATUS(NtQuerySystemTime((LARGE_INTEGER *)(void *)rdata), 0xC0000005,
		     "NtQuerySystemTime into .rdata: ACCESS_VIOLATION");
	check(same(rdata, before, 16), "and .rdata is unchanged", rdata[0]);
	memcpy(before, code, 16);
	CHECK_STATUS(NtQuerySystemTime((LARGE_INTEGER *)(void *)code), 0xC0000005,
		     "NtQuerySystemTime into ntdll's code: ACCESS_VIOLATION");
	check(same(code, before, 16), "and the code is unchanged", code[0]);
	CHECK_STATUS(NtQueryPerformanceCounter((LARGE_INTEGER *)(void *)(code + 8), 0), 0xC0000005,
		     "NtQueryPerformanceCounter into code: ACCESS_VIOLATION");

	/* The scratch area: read-only, below the first thread's stack; this thread's slot holds its last path. */
	ustr(&u, nb, "\\??\\C:\\scratch-marker-5q7.txt");
	init_oa(&oa, &u, 0, 0);
	if (NtCreateFile(&h, 0x80000000 | 0x100000, &oa, &io, 0, 0, 0, 5, 0x20, 0, 0))
		goto cannot;
	__asm__ volatile("mov %%gs:0x8, %0" : "=r"(stack_base));
	for (unsigned char *p = (unsigned char *)((ULONG64)stack_base & ~4095ULL) - 4096;
	     p > stack_base - (64 << 20) && !scratch; p -= 4096) {
		int at;
		if (NtReadVirtualMemory(NtCurrentProcess(), p, page, 4096, &got) || got != 4096)
			continue;
		at = has(page, 4096, "scratch-marker-5q7.txt");
		if (at >= 0)
			scratch = p + at;
	}
	if (!scratch)
		goto cannot;
	memcpy(before, scratch, 16);
	CHECK_STATUS(NtQuerySystemTime((LARGE_INTEGER *)(void *)scratch), 0xC0000005,
		     "NtQuerySystemTime into the scratch area: ACCESS_VIOLATION");
	st = NtQueryInformationFile(h, &io, scratch, sizeof(fni), 9 /* FileNameInformation */);
	check(st == (NTSTATUS)0xC0000005, "FileNameInformation into the scratch area: ACCESS_VIOLATION", (ULONG)st);
	CHECK_STATUS(NtWriteVirtualMemory(NtCurrentProcess(), scratch, "XXXXXXXX", 8, &got), 0x8000000D,
		     "NtWriteVirtualMemory into the scratch area: PARTIAL_COPY");
	check(same(scratch, before, 16), "and the scratch area is unchanged", scratch[0]);
	st = NtQueryInformationFile(h, &io, fni, sizeof(fni), 9);
	check(st == 0 && fni[4] == '\\', "the same query into the program's own memory works", (ULONG)st);
	NtClose(h);
	done();
	return 0;
cannot:
	out("# cannot test: the scratch area was not found\n");
	NtTerminateProcess(NtCurrentProcess(), 2);
	return 2;
}
