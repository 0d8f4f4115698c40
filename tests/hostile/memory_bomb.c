/* Allocate and touch memory until something stops it (argv[2]: MiB that would be an escape). */
#include "hostile.h"
#include <sys/mman.h>

int main(int argc, char **argv)
{
	long limit = argc > 2 ? atol(argv[2]) : 4096, got = 0;
	int err;

	for (;;) {
		char *p = mmap(NULL, 16 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			break;
		memset(p, 1, 16 << 20);
		got += 16;
		if (got > limit)
			escaped("more memory than the limit");
	}
	err = errno;
	printf("%ld MiB, then %s\n", got, strerror(errno));
	refused("allocation before the limit", err);
}
