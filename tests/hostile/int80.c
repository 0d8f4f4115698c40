/* The i386 system call ABI from 64-bit code (int 0x80): another numbering a filter might forget. */
#include "hostile.h"
#include <sys/mman.h>

int main(int argc, char **argv)
{
	/* i386 open is 5; its path must be below 4 GiB. */
	char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	long fd;

	if (low == MAP_FAILED)
		cannot("mmap below 4 GiB");
	snprintf(low, 4096, "%s", outside(argc, argv, "secret"));
	__asm__ volatile("int $0x80" : "=a"(fd) : "a"(5L), "b"(low), "c"(0L), "d"(0L) : "memory");
	if (fd >= 0)
		escaped("int 0x80 open of the secret");
	errno = (int)-fd;
	refused("int 0x80 open of the secret", errno);
}
