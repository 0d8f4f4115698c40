/* x32 system calls (syscall with bit 30 set): whatever this kernel does natively, picovisor must match. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define X32_BIT 0x40000000L

static long x32_syscall(long nr, long a, long b, long c)
{
	long ret;
	register long r10 __asm__("r10") = 0;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr | X32_BIT), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

int main(void)
{
	static char *argv[] = { "echo", "x32 exec ran", NULL };
	long r = x32_syscall(39, 0, 0, 0); /* getpid */

	printf("x32 getpid: %s\n", r == getpid() ? "works" : strerrorname_np((int)-r));
	fflush(stdout);
	/* x32 execve is 520; pointers are 32-bit there, so only the failure is portable. */
	r = x32_syscall(520, (long)"/bin/echo", (long)argv, 0);
	printf("x32 execve: %s\n", r >= 0 ? "returned?!" : strerrorname_np((int)-r));
	return 0;
}
