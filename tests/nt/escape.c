/*
 * A hostile NT program: it tries to leave what the NT personality and the
 * sandbox allow. Creating C:\escape.txt (the runner maps C: somewhere the
 * policy forbids writing) must fail; Linux system-call numbers issued raw
 * (write, execve) must be NT services nobody serves; with "int80" on its
 * command line it tries the i386 entry, which kills it.
 */
#include "nt_test.h"

static long long raw(long long nr, long long a, long long b, long long c)
{
	long long ret;
	register long long r10 __asm__("r10") = c;

	/* Linux's registers (rdi, rsi, rdx) as a Linux program would set them */
	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
	return ret;
}

int mainCRTStartup(void)
{
	IO_STATUS_BLOCK io;
	HANDLE h;
	WCHAR nb[64];
	UNICODE_STRING u, *cmd = (UNICODE_STRING *)((char *)params() + 0x70);
	OBJECT_ATTRIBUTES oa;
	NTSTATUS st;
	static const char *const sh[] = { "/bin/sh", "-c", "echo ESCAPED", 0 };

	ustr(&u, nb, "\\??\\C:\\escape.txt");
	init_oa(&oa, &u, 0, 0);
	st = NtCreateFile(&h, 0x40000000 | 0x100000, &oa, &io, 0, 0, 0, 2, 0x20, 0, 0);
	check(st == (NTSTATUS)0xC0000022, "creating a file where the policy forbids it: ACCESS_DENIED", (ULONG)st);
	st = (NTSTATUS)raw(1, 1, (long long)"LINUX-WRITE\n", 12);
	check(st == (NTSTATUS)0xC000001C, "Linux write by number: not a service (INVALID_SYSTEM_SERVICE)", (ULONG)st);
	st = (NTSTATUS)raw(59, (long long)sh[0], (long long)sh, 0);
	check(st == (NTSTATUS)0xC000001C, "Linux execve by number: not a service", (ULONG)st);
	for (int i = 0; i + 4 < cmd->Length / 2; i++)
		if (cmd->Buffer[i] == 'i' && cmd->Buffer[i + 1] == 'n' && cmd->Buffer[i + 2] == 't' &&
		    cmd->Buffer[i + 3] == '8' && cmd->Buffer[i + 4] == '0') {
			out("trying int 0x80\n");
			__asm__ volatile("mov $4, %%eax\n\tint $0x80" ::: "rax", "memory");
			out("int 0x80 returned\n");
		}
	done();
	return 0;
}
