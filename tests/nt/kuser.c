/*
 * KUSER_SHARED_DATA at 0x7FFE0000: the version, the build (as the PEB says),
 * the system time (as NtQuerySystemTime says), the interrupt time and tick
 * count going on while the program reads them in a loop without calling
 * anything, and the page read-only.
 */
#include "nt_test.h"

#define KUSER ((volatile unsigned char *)0x7ffe0000)

static ULONG64 ksystem_time(unsigned off)
{
	for (;;) {
		long hi1 = *(volatile long *)(KUSER + off + 4);
		ULONG lo = *(volatile ULONG *)(KUSER + off);
		long hi2 = *(volatile long *)(KUSER + off + 8);

		if (hi1 == hi2)
			return (ULONG64)(ULONG)hi1 << 32 | lo;
	}
}

int mainCRTStartup(void)
{
	unsigned char *peb;
	LARGE_INTEGER now;
	ULONG64 sys, it0, it1, tick0, spins = 0, mbi[6];
	long long diff;
	NTSTATUS st;

	__asm__("mov %%gs:0x60, %0" : "=r"(peb));
	check(*(volatile ULONG *)(KUSER + 0x26c) == 10 && *(volatile ULONG *)(KUSER + 0x270) == 0,
	      "NtMajorVersion 10, NtMinorVersion 0", *(volatile ULONG *)(KUSER + 0x26c));
	check(*(volatile ULONG *)(KUSER + 0x260) == *(unsigned short *)(peb + 0x120), "NtBuildNumber is the PEB's build",
	      *(volatile ULONG *)(KUSER + 0x260));
	check(*(volatile ULONG *)(KUSER + 0x3c0) == *(ULONG *)(peb + 0xb8), "ActiveProcessorCount is the PEB's count",
	      *(volatile ULONG *)(KUSER + 0x3c0));
	NtQuerySystemTime(&now);
	sys = ksystem_time(0x14);
	diff = (long long)(now.QuadPart - (long long)sys);
	check(diff > -200000 && diff < 200000, "SystemTime within 20 ms of NtQuerySystemTime", (ULONG64)diff);
	it0 = ksystem_time(0x08);
	tick0 = ksystem_time(0x320);
	/* no system call in this loop: only picovisor's updates move the clocks */
	while (ksystem_time(0x320) == tick0 && ++spins < 20000000000ULL)
		__builtin_ia32_pause();
	it1 = ksystem_time(0x08);
	check(ksystem_time(0x320) != tick0 && it1 > it0, "TickCount and InterruptTime go on while the program only reads them",
	      spins);
	check(((ksystem_time(0x320) * *(volatile ULONG *)(KUSER + 0x4)) >> 24) > 0, "GetTickCount's formula gives milliseconds",
	      0);
	st = NtQueryVirtualMemory(NtCurrentProcess(), (void *)0x7ffe0000, 0, mbi, sizeof(mbi), 0);
	check(st == 0 && (ULONG)mbi[4] == 0x1000 /* MEM_COMMIT */ && (mbi[4] >> 32) == 0x02 /* PAGE_READONLY */,
	      "the page is committed and read-only", mbi[4]);
	{
		void *base = (void *)0x7ffe0000;
		SIZE_T size = 0;

		st = NtFreeVirtualMemory(NtCurrentProcess(), &base, &size, 0x8000);
		check(st != 0 && *(volatile ULONG *)(KUSER + 0x26c) == 10, "it cannot be released", (ULONG64)st);
	}
	done();
	return 0;
}
