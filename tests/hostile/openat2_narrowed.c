/*
 * openat2 without RESOLVE_* flags of ./secret/f, which a narrowing rule takes
 * away (the harness makes it): picovisor rewrites such a call into openat,
 * and must check it as that (it once let it through unchecked).
 */
#include "hostile.h"
#include <linux/openat2.h>
#include <sys/syscall.h>

int main(void)
{
	struct open_how how = { .flags = O_RDONLY };
	char buf[16];
	long fd = syscall(SYS_openat2, AT_FDCWD, "secret/f", &how, sizeof(how));

	if (fd >= 0 && read((int)fd, buf, sizeof(buf)) >= 6 && memcmp(buf, "secret", 6) == 0)
		escaped("openat2 read a file a narrowing rule takes away");
	verdict(fd, "openat2 of a narrowed-away file");
}
