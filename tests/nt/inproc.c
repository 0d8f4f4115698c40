/*
 * The services ntdll serves in the process (translate/nt/dlls/ntdll/gate.c):
 * NtQueryPerformanceCounter and NtQuerySystemTime agree with the
 * supervisor's answer to the same service made as a system call (numbers
 * 0x31 and 0x5A in both builds); out-parameters on the heap and in .data
 * work; relative, absolute and zero delays sleep as long as asked.
 * With "count N" it makes each of them N times and exits 0, for the runner
 * to see in a trace that none of them stopped.
 */
#include "nt_test.h"

static LARGE_INTEGER in_data;

static NTSTATUS service2(unsigned nr, void *a, void *b)
{
	NTSTATUS ret;
	register void *r10 __asm__("r10") = a;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "r"(r10), "d"(b) : "rcx", "r11", "r8", "r9", "memory");
	return ret;
}

static long long qpc(void)
{
	LARGE_INTEGER c;

	NtQueryPerformanceCounter(&c, 0);
	return c.QuadPart;
}

static int counting(void)
{
	UNICODE_STRING *cmd = (UNICODE_STRING *)((char *)params() + 0x70);
	WCHAR *s = cmd->Buffer;
	int n = cmd->Length / 2;

	for (int i = 0; i + 5 < n; i++)
		if (s[i] == 'c' && s[i + 1] == 'o' && s[i + 2] == 'u' && s[i + 3] == 'n' && s[i + 4] == 't' && s[i + 5] == ' ') {
			int v = 0;
			for (i += 6; i < n && s[i] >= '0' && s[i] <= '9'; i++)
				v = v * 10 + (s[i] - '0');
			return v;
		}
	return -1;
}

int mainCRTStartup(void)
{
	LARGE_INTEGER a, b, c, f, d;
	void *heap = 0;
	SIZE_T size = 4096;
	long long t0, t1;
	int n = counting();

	if (n >= 0) {
		for (int i = 0; i < n; i++) {
			NtQueryPerformanceCounter(&a, &f);
			NtQuerySystemTime(&b);
			NtYieldExecution();
			d.QuadPart = -1;
			NtDelayExecution(0, &d);
		}
		NtTerminateProcess(NtCurrentProcess(), 0);
	}
	CHECK_STATUS(NtQueryPerformanceCounter(&a, &f), 0, "NtQueryPerformanceCounter");
	CHECK_STATUS(service2(0x31, &b, 0), 0, "the same as a system call");
	NtQueryPerformanceCounter(&c, 0);
	check(a.QuadPart <= b.QuadPart && b.QuadPart <= c.QuadPart, "one clock: in-process <= supervisor's <= in-process",
	      (unsigned long long)(b.QuadPart - a.QuadPart));
	check(f.QuadPart == 10000000, "frequency 10 MHz", (unsigned long long)f.QuadPart);
	CHECK_STATUS(NtQuerySystemTime(&a), 0, "NtQuerySystemTime");
	CHECK_STATUS(service2(0x5A, &b, 0), 0, "the same as a system call");
	check(b.QuadPart - a.QuadPart >= 0 && b.QuadPart - a.QuadPart < 10000000, "within a second of each other",
	      (unsigned long long)(b.QuadPart - a.QuadPart));
	CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &heap, 0, &size, 0x3000, 0x04), 0, "a page of memory");
	CHECK_STATUS(NtQueryPerformanceCounter((LARGE_INTEGER *)heap, &in_data), 0, "counter on the heap, frequency in .data");
	check(in_data.QuadPart == 10000000 && ((LARGE_INTEGER *)heap)->QuadPart > 0, "  both written",
	      (unsigned long long)in_data.QuadPart);
	t0 = qpc();
	d.QuadPart = -200000; /* 20 ms */
	CHECK_STATUS(NtDelayExecution(0, &d), 0, "a relative delay of 20 ms");
	t1 = qpc();
	check(t1 - t0 >= 200000 && t1 - t0 < 20000000, "  sleeps 20 ms (less than 2 s)", (unsigned long long)(t1 - t0));
	NtQuerySystemTime(&d);
	d.QuadPart += 200000;
	t0 = qpc();
	CHECK_STATUS(NtDelayExecution(0, &d), 0, "an absolute delay to 20 ms from now");
	t1 = qpc();
	check(t1 - t0 >= 150000 && t1 - t0 < 20000000, "  sleeps about 20 ms", (unsigned long long)(t1 - t0));
	d.QuadPart = 0;
	CHECK_STATUS(NtDelayExecution(0, &d), 0, "a zero delay");
	CHECK_STATUS(NtYieldExecution(), 0, "NtYieldExecution");
	done();
	return 0;
}
