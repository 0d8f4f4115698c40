/* openat2, which older sandboxes let through untranslated. */
#include "hostile.h"
#include <linux/openat2.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
	struct open_how how = { .flags = O_RDONLY };
	int fd = (int)syscall(SYS_openat2, AT_FDCWD, outside(argc, argv, "secret"), &how, sizeof(how));
	char buf[16];

	attempt(fd < 0 ? -1 : read(fd, buf, sizeof(buf)), "read the secret with openat2");
	how.flags = O_WRONLY | O_CREAT;
	how.mode = 0644;
	fd = (int)syscall(SYS_openat2, AT_FDCWD, outside(argc, argv, "dropped-by-openat2"), &how, sizeof(how));
	attempt(fd, "create a file outside with openat2");
	refused_all("read the secret and create a file outside with openat2");
}
