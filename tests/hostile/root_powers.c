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
		if (setrlimit(RLIMIT_NOFILE, &r) == 0)
			escaped("raised a hard limit");
	}
	if (gethostname(host, sizeof(host)) == 0 && (fd = open("/proc/sys/kernel/hostname", O_WRONLY)) >= 0 &&
	    write(fd, host, strlen(host)) > 0)
		escaped("wrote /proc/sys");
	if (mount("none", ".", "tmpfs", 0, NULL) == 0)
		escaped("mounted a tmpfs");
	verdict(chown(outside(argc, argv, "secret"), 12345, 12345), "chown of a file outside");
}
