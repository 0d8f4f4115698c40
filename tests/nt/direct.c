/*
 * System calls issued directly, without ntdll: the program imports nothing.
 * It writes through NtWriteFile (0x8 in every build), creates a mutant with
 * the number of the build its PEB names (0xB4 in 19045, 0xB8 in 22631), and
 * calls a number no service has. Exits with NtTerminateProcess (0x2C).
 */
typedef unsigned long long u64;

static long nt_syscall(unsigned nr, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, u64 a6, u64 a7, u64 a8, u64 a9)
{
	long ret;
	register u64 r10 __asm__("r10") = a1;
	register u64 rdx __asm__("rdx") = a2;
	register u64 r8 __asm__("r8") = a3;
	register u64 r9 __asm__("r9") = a4;
	/* arguments 5+ at rsp+0x28 at the syscall instruction: a frame as a call into a stub would leave it */
	u64 frame[10] = { 0, 0, 0, 0, 0, a5, a6, a7, a8, a9 };

	/* rsp is kept in rbx: syscall itself clobbers rcx and r11 */
	__asm__ volatile("mov %%rsp, %%rbx\n\t"
			 "mov %[frame], %%rsp\n\t"
			 "mov %[nr], %%eax\n\t"
			 "syscall\n\t"
			 "mov %%rbx, %%rsp"
			 : "=a"(ret), "+r"(r10), "+r"(rdx), "+r"(r8), "+r"(r9)
			 : [frame] "r"(frame), [nr] "r"(nr)
			 : "rbx", "rcx", "r11", "memory");
	return ret;
}

static void say(const char *s)
{
	u64 io[2], n = 0;
	void *pp, *out;

	while (s[n])
		n++;
	__asm__ volatile("mov %%gs:0x60, %0" : "=r"(pp));
	pp = *(void **)((char *)pp + 0x20);
	out = *(void **)((char *)pp + 0x28);
	nt_syscall(0x8, (u64)out, 0, 0, 0, (u64)io, (u64)s, n, 0, 0);
}

int mainCRTStartup(void)
{
	void *peb;
	unsigned short build;
	u64 h = 0;
	long st;

	__asm__ volatile("mov %%gs:0x60, %0" : "=r"(peb));
	build = *(unsigned short *)((char *)peb + 0x120);
	say(build == 22631 ? "build 22631\n" : build == 19045 ? "build 19045\n" : "build unknown\n");
	st = nt_syscall(build == 22631 ? 0xB8 : 0xB4, (u64)&h, 0x1f0001, 0, 1, 0, 0, 0, 0, 0);
	say(st == 0 && h ? "ok - NtCreateMutant by its number in this build\n" : "not ok - NtCreateMutant\n");
	st = nt_syscall(0x1ff, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	say(st == (long)0xC000001C ? "ok - an unknown number: INVALID_SYSTEM_SERVICE\n"
				   : "not ok - an unknown number\n");
	st = nt_syscall(0x1001, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	say(st == (long)0xC000001C ? "ok - a win32k number: INVALID_SYSTEM_SERVICE\n" : "not ok - a win32k number\n");
	nt_syscall(0x2C, (u64)-1, 0x2A, 0, 0, 0, 0, 0, 0, 0);
	return 0;
}
