/* 32-bit system calls (int 0x80) from 64-bit code: getpid, write, and an execve. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static long int80(long nr, long a, long b, long c)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return ret;
}

int main(int argc, char **argv)
{
	(void)argv;
	/* Pointers must fit 32 bits: put the strings in low memory. */
	char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	unsigned int *argv32 = (unsigned int *)(low + 1024);

	printf("int 0x80 getpid matches: %d\n", int80(20, 0, 0, 0) == getpid());
	fflush(stdout);
	strcpy(low, "int 0x80 write\n");
	int80(4, 1, (long)low, 15);
	if (argc > 1) {
		strcpy(low + 64, "/bin/echo");
		strcpy(low + 128, "echo");
		strcpy(low + 192, "exec through int 0x80");
		argv32[0] = (unsigned int)(unsigned long)(low + 128);
		argv32[1] = (unsigned int)(unsigned long)(low + 192);
		argv32[2] = 0;
		long r = int80(11, (long)(low + 64), (long)argv32, 0);
		printf("execve returned %ld\n", r);
	}
	return 0;
}
