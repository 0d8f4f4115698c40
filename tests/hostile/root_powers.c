/* What root could do: raise a hard limit, write /proc/sys, mount, chown a file outside. */
#include "hostile.h"
#include <sys/mount.h>
#include <sys/resource.h>

int main(int argc, char **argv)
{
	struct rlimit r;
	char host[256];
	int fd;

	getrlimit(RLIMIT_NOFILE, &r);
	if (r.rlim_max != RLIM_INFINITY) {
		r.rlim_max += 1;
		attempt(setrlimit(RLIMIT_NOFILE, &r), "raised a hard limit");
	}
	if (gethostname(host, sizeof(host)) < 0)
		cannot("gethostname");
	fd = open("/proc/sys/kernel/hostname", O_WRONLY);
	attempt(fd < 0 ? -1 : write(fd, host, strlen(host)), "wrote /proc/sys");
	attempt(mount("none", ".", "tmpfs", 0, NULL), "mounted a tmpfs");
	attempt(chown(outside(argc, argv, "secret"), 12345, 12345), "chown of a file outside");
	refused_all("a hard limit, /proc/sys, mount and chown of a file outside");
}
