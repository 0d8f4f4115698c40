/*
 * Change the mode and owner of a system file the run may only read (its own
 * mode and owner again, so that the native run harms nothing): Landlock has no
 * right for these, and uid 0 without capabilities still owns root's files.
 */
#include "hostile.h"
#include <sys/stat.h>

int main(void)
{
	struct stat st;
	int fd;

	if (stat("/etc/hostname", &st) < 0)
		cannot("stat /etc/hostname");
	attempt(chmod("/etc/hostname", st.st_mode & 07777), "chmod of a read-only system file");
	fd = open("/etc/hostname", O_RDONLY);
	if (fd < 0)
		cannot("open /etc/hostname for reading");
	attempt(fchmod(fd, st.st_mode & 07777), "fchmod through a descriptor opened for reading");
	attempt(fchown(fd, st.st_uid, st.st_gid), "fchown through a descriptor opened for reading");
	attempt(chown("/etc/hostname", st.st_uid, st.st_gid), "chown of a read-only system file");
	refused_all("chmod, fchmod, fchown and chown of a read-only system file");
}
