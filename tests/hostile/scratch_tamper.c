/*
 * Path translation writes the paths it decided on into a read-only area of
 * the process (the scratch area, sealed): find it in /proc/self/maps (the
 * read-only anonymous mapping of its size) and try to make it writable,
 * unmap it, map over it, or write it through /proc/self/mem. Any success
 * would let a thread change a checked path before the kernel reads it.
 * Without path translation there is no such area: "cannot test".
 */
#include "hostile.h"

#include <sys/mman.h>

#define SCRATCH_SIZE (3 * 4096UL * 256)

int main(void)
{
	FILE *maps = fopen("/proc/self/maps", "re");
	unsigned long lo = 0, hi = 0, a, b;
	char perms[8], line[512];
	int fd;

	if (!maps)
		cannot("open /proc/self/maps");
	while (fgets(line, sizeof(line), maps))
		if (sscanf(line, "%lx-%lx %7s", &a, &b, perms) == 3 && b - a == SCRATCH_SIZE && strcmp(perms, "r--p") == 0)
			lo = a, hi = b;
	fclose(maps);
	if (!lo)
		cannot("no scratch area in this process");
	if (mprotect((void *)lo, 4096, PROT_READ | PROT_WRITE) == 0)
		escaped("mprotect made the scratch area writable");
	if (mmap((void *)lo, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED)
		escaped("mapped a writable page over the scratch area");
	if (mremap((void *)lo, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)(hi + 0x100000)) != MAP_FAILED)
		escaped("moved the scratch area");
	if (munmap((void *)lo, 4096) == 0)
		escaped("unmapped the scratch area");
	fd = open("/proc/self/mem", O_RDWR);
	if (fd >= 0 && pwrite(fd, "x", 1, (off_t)lo) == 1)
		escaped("wrote the scratch area through /proc/self/mem");
	fd = open("/proc/thread-self/mem", O_WRONLY);
	if (fd >= 0)
		escaped("opened /proc/thread-self/mem for writing");
	contained("the scratch area stays read-only and in place");
}
