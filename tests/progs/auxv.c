/* Reports what a correctly loaded process sees of itself: auxv, /proc/self, brk, comm. */
#define _GNU_SOURCE
#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char _start[];

static int phdr_ok;

static int check_phdr(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	if (info->dlpi_phdr == (const ElfW(Phdr) *)getauxval(AT_PHDR))
		phdr_ok = 1;
	return 0;
}

static void show_file(const char *path)
{
	char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;

	printf("%s:", path);
	for (size_t i = 0; i < n; i++)
		putchar(buf[i] ? buf[i] : ' ');
	putchar('\n');
	if (f)
		fclose(f);
}

int main(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *p1, *p2;

	exe[n > 0 ? n : 0] = '\0';
	dl_iterate_phdr(check_phdr, NULL);
	printf("AT_PHENT=%lu AT_PAGESZ=%lu AT_SECURE=%lu AT_FLAGS=%lu\n", getauxval(AT_PHENT), getauxval(AT_PAGESZ),
	       getauxval(AT_SECURE), getauxval(AT_FLAGS));
	printf("AT_PHDR matches the loaded headers: %d\n", phdr_ok);
	printf("AT_ENTRY is _start: %d\n", getauxval(AT_ENTRY) == (unsigned long)_start);
	printf("AT_EXECFN=%s\n", (char *)getauxval(AT_EXECFN));
	printf("AT_RANDOM set: %d AT_SYSINFO_EHDR set: %d AT_HWCAP set: %d AT_MINSIGSTKSZ set: %d\n",
	       getauxval(AT_RANDOM) != 0, getauxval(AT_SYSINFO_EHDR) != 0, getauxval(AT_HWCAP) != 0,
	       getauxval(AT_MINSIGSTKSZ) != 0);
	printf("exe=%s\n", exe);
	show_file("/proc/self/cmdline");
	show_file("/proc/self/comm");
	{
		/* /proc/self/auxv must equal the auxv on the initial stack, entry for entry. */
		extern char **environ;
		char **e = environ;
		unsigned long *stack_aux, v[2];
		int same = 1, count = 0;
		FILE *f = fopen("/proc/self/auxv", "r");

		while (*e)
			e++;
		stack_aux = (unsigned long *)(e + 1);
		while (f && fread(v, sizeof(v), 1, f) == 1) {
			if (v[0] != stack_aux[2 * count] || v[1] != stack_aux[2 * count + 1])
				same = 0;
			count++;
			if (v[0] == AT_NULL)
				break;
		}
		if (f)
			fclose(f);
		printf("/proc/self/auxv equals the stack's auxv: %d (%d entries)\n", same && count > 5, count);
	}
	p1 = sbrk(0);
	p2 = sbrk(1 << 20);
	memset(p2, 1, 1 << 20);
	printf("brk grows: %d\n", p1 == p2 && sbrk(0) == p1 + (1 << 20));
	return 0;
}
