/* The x32 ABI: x86_64 numbers with bit 30 set. */
#include "hostile.h"

int main(int argc, char **argv)
{
	long fd;
	const char *path = outside(argc, argv, "secret");

	/* x32 open is 2 | 0x40000000 */
	__asm__ volatile("syscall" : "=a"(fd) : "a"(0x40000002L), "D"(path), "S"(0L) : "rcx", "r11", "memory");
	if (fd >= 0)
		escaped("x32 open of the secret");
	errno = (int)-fd;
	refused("x32 open of the secret", errno);
}
