/* openat2, which older sandboxes let through untranslated. */
#include "hostile.h"
#include <linux/openat2.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
	struct open_how how = { .flags = O_RDONLY };
	int fd = (int)syscall(SYS_openat2, AT_FDCWD, outside(argc, argv, "secret"), &how, sizeof(how));
	char buf[16];

	if (fd >= 0 && read(fd, buf, sizeof(buf)) > 0)
		escaped("read the secret with openat2");
	how.flags = O_WRONLY | O_CREAT;
	how.mode = 0644;
	fd = (int)syscall(SYS_openat2, AT_FDCWD, outside(argc, argv, "dropped-by-openat2"), &how, sizeof(how));
	verdict(fd, "create a file outside with openat2");
}
