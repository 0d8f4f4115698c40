/*
 * linkat(AT_SYMLINK_FOLLOW) hard-links the file a symlink names, not the
 * symlink: run with a rule that makes ro (holding ro/file) read-only inside
 * a writable launch directory. A symlink to ro/file, linked with
 * AT_SYMLINK_FOLLOW, gives ro/file a writable name; writing through it is
 * the escape.
 */
#include "hostile.h"

int main(int argc, char **argv)
{
	int fd;

	(void)outside(argc, argv, "");
	if (access("ro/file", F_OK) < 0)
		cannot("ro/file must be there");
	unlink("lnk");
	unlink("copy");
	if (symlink("ro/file", "lnk") < 0)
		cannot("symlink");
	if (linkat(AT_FDCWD, "lnk", AT_FDCWD, "copy", AT_SYMLINK_FOLLOW) < 0)
		refused("linkat(AT_SYMLINK_FOLLOW) of a symlink to a read-only file", errno);
	/* Linked: the new name must not be writable (the harness expects the link's refusal, so this still fails). */
	fd = open("copy", O_WRONLY | O_APPEND);
	if (fd >= 0 && write(fd, "x", 1) == 1)
		escaped("hard-linked ro/file through a symlink and wrote it");
	refused("linked, but the new name is not writable", fd < 0 ? errno : EBADMSG);
}
