/*
 * A hostile NT program against picovisor's gate (the page at 0x7FFE1000 from
 * whose `syscall` the NT filter lets ntdll's time, yield and sleep calls
 * through: docs/nt.md, "Served in the process"). It jumps there with its own
 * registers and tries Linux calls the NT personality never lets it make: a
 * write to its stdout, an execve, an open, a clock that reads another
 * process's CPU time. Each must come back as an NT service's status, with no
 * Linux effect (the runner checks no GATE-ESCAPED line reached stdout). The
 * calls the gate does let through run, and can write only where the program
 * may (KUSER_SHARED_DATA and read-only data stay as they are). The same
 * `syscall; ret` copied into the program's own memory is an NT service there.
 * The gate itself can be neither freed, reprotected nor allocated over.
 */
#include "nt_test.h"

#define GATE 0x7ffe1000ULL
#define KUSER 0x7ffe0000ULL
#define INVALID_SYSTEM_SERVICE 0xC000001C

struct lts {
	long long sec, nsec;
};

/* A Linux call with Linux's registers, made from the instruction pair at `at` (syscall; ret). */
static long long call_at(unsigned long long at, long long nr, long long a, long long b, long long c)
{
	long long ret;
	register long long r10 __asm__("r10") = 0;

	__asm__ volatile("call *%[at]"
			 : "=a"(ret)
			 : [at] "r"(at), "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

static const char rodata_word[8] = "RODATA!";

int mainCRTStartup(void)
{
	static const char *const sh[] = { "/bin/sh", "-c", "echo GATE-ESCAPED", 0 };
	struct lts ts = { -1, -1 };
	unsigned long long kuser_before, kuser_after;
	void *mem = 0, *base;
	SIZE_T size = 4096;
	ULONG old;
	long long r;

	/* The control: the calls the gate is for do run there (else nothing below would mean anything). */
	r = call_at(GATE, 228 /* clock_gettime */, 1 /* CLOCK_MONOTONIC */, (long long)&ts, 0);
	check(r == 0 && ts.sec >= 0 && ts.nsec >= 0 && ts.nsec < 1000000000, "clock_gettime(MONOTONIC) at the gate runs", (unsigned long long)r);
	check(call_at(GATE, 24 /* sched_yield */, 0, 0, 0) == 0, "sched_yield at the gate runs", 0);

	/* What the gate is not for: NT services, not Linux calls. */
	r = call_at(GATE, 1 /* write */, 1, (long long)"GATE-ESCAPED write\n", 19);
	check(r == (long long)INVALID_SYSTEM_SERVICE, "write(1, ...) at the gate: not a Linux call", (unsigned long long)r);
	r = call_at(GATE, 59 /* execve */, (long long)sh[0], (long long)sh, 0);
	check(r == (long long)INVALID_SYSTEM_SERVICE, "execve at the gate: not a Linux call", (unsigned long long)r);
	r = call_at(GATE, 2 /* open */, (long long)"/etc/hostname", 0, 0);
	check(r < 0 || r > 0xffff, "open at the gate: no file descriptor", (unsigned long long)r);
	ts.sec = ts.nsec = 0x5a5a;
	r = call_at(GATE, 228, 2 /* CLOCK_PROCESS_CPUTIME_ID */, (long long)&ts, 0);
	check(r != 0 && ts.sec == 0x5a5a, "clock_gettime of a CPU clock at the gate: not a Linux call", (unsigned long long)r);
	r = call_at(GATE, 228, -6 /* the CPU clock of pid 1 */, (long long)&ts, 0);
	check(r != 0 && ts.sec == 0x5a5a, "clock_gettime of another process's CPU clock: not a Linux call", (unsigned long long)r);
	r = call_at(GATE, 228, 1 | (1LL << 32), (long long)&ts, 0);
	check(r != 0 && ts.sec == 0x5a5a, "a clock id with a high word: not a Linux call", (unsigned long long)r);

	/* What it lets through writes only where the program may. */
	kuser_before = *(volatile unsigned long long *)(KUSER + 0x260);
	r = call_at(GATE, 228, 1, (long long)(KUSER + 0x260), 0);
	kuser_after = *(volatile unsigned long long *)(KUSER + 0x260);
	check(r == -14 && kuser_before == kuser_after, "clock_gettime into KUSER_SHARED_DATA: EFAULT, unchanged", (unsigned long long)r);
	r = call_at(GATE, 201 /* time */, (long long)rodata_word, 0, 0);
	check(r == -14 && rodata_word[0] == 'R', "time() into read-only data: EFAULT, unchanged", (unsigned long long)r);
	r = call_at(GATE, 228, 1, (long long)(GATE + 0x10), 0);
	check(r == -14, "clock_gettime into the gate itself: EFAULT", (unsigned long long)r);

	/* The same instructions anywhere else are the program's: their numbers are NT services there. */
	CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &mem, 0, &size, 0x3000, 0x40 /* EXECUTE_READWRITE */), 0,
		     "executable memory of the program's own");
	if (mem) {
		((unsigned char *)mem)[0] = 0x0f;
		((unsigned char *)mem)[1] = 0x05;
		((unsigned char *)mem)[2] = 0xc3;
		r = call_at((unsigned long long)mem, 1, 1, (long long)"GATE-ESCAPED copy\n", 18);
		check(r == (long long)INVALID_SYSTEM_SERVICE, "write from a copy of the gate: an NT service", (unsigned long long)r);
		ts.sec = 0x5a5a;
		r = call_at((unsigned long long)mem, 228, 1, (long long)&ts, 0);
		check(r != 0 && ts.sec == 0x5a5a, "clock_gettime from a copy of the gate: an NT service", (unsigned long long)r);
	}

	/* The gate stays what it is. */
	base = (void *)GATE;
	size = 4096;
	check(NtProtectVirtualMemory(NtCurrentProcess(), &base, &size, 0x40, &old) != 0, "the gate cannot be made writable", 0);
	base = (void *)GATE;
	size = 0;
	check(NtFreeVirtualMemory(NtCurrentProcess(), &base, &size, 0x8000 /* MEM_RELEASE */) != 0, "nor freed", 0);
	base = (void *)GATE;
	size = 4096;
	check(NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size, 0x3000, 0x40) != 0, "nor allocated over", 0);
	check(*(volatile unsigned char *)GATE == 0x0f && *(volatile unsigned char *)(GATE + 1) == 0x05,
	      "it still holds its syscall instruction", *(volatile unsigned char *)GATE);
	done();
	return 0;
}
