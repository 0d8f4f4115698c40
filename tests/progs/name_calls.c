/*
 * Making and removing names (and truncate), with their results and errnos, in the working
 * directory: under the supervisor's path checks the sandbox does these in
 * the directory it checked, and the program must not see the difference.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#endif

static void show(const char *what, long rc)
{
	printf("%-40s %ld %s\n", what, rc, rc < 0 ? strerrorname_np(errno) : "");
}

static void mode_of(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == 0)
		printf("  %s: mode %o links %lu\n", path, st.st_mode & 07777, (unsigned long)st.st_nlink);
	else
		printf("  %s: %s\n", path, strerrorname_np(errno));
}

int main(void)
{
	int dir;

	setvbuf(stdout, NULL, _IONBF, 0);
	umask(022);
	show("mkdir d", mkdir("d", 0777));
	mode_of("d");
	show("mkdir d again", mkdir("d", 0777));
	show("mkdir missing/x", mkdir("missing/x", 0777));
	show("mkdir e/ (trailing slash)", mkdir("e/", 0777));
	umask(027);
	show("mkdir d/u under umask 027", mkdir("d/u", 0777));
	mode_of("d/u");
	show("mkdir .", mkdir(".", 0777));
	show("rmdir d (not empty)", rmdir("d"));
	show("rmdir d/u/.", rmdir("d/u/."));
	show("rmdir .", rmdir("."));
	show("rmdir d/u", rmdir("d/u"));
	close(open("f", O_CREAT | O_WRONLY, 0666));
	mode_of("f");
	show("unlink f/ (not a directory)", unlink("f/"));
	show("unlink d (a directory)", unlink("d"));
	show("unlink missing", unlink("missing"));
	show("link f g", link("f", "g"));
	mode_of("f");
	show("link f g again", link("f", "g"));
	show("symlink f s", symlink("f", "s"));
	show("symlink '' t", symlink("", "t"));
	show("link s h (the symlink itself)", link("s", "h"));
	mode_of("h");
	show("linkat s k AT_SYMLINK_FOLLOW", linkat(AT_FDCWD, "s", AT_FDCWD, "k", AT_SYMLINK_FOLLOW));
	mode_of("k");
	show("linkat bad flags", linkat(AT_FDCWD, "f", AT_FDCWD, "z", 0x4));
	show("rename g d2", rename("g", "d2"));
	show("rename d2 d (onto a directory)", rename("d2", "d"));
	show("renameat2 NOREPLACE f k", syscall(SYS_renameat2, AT_FDCWD, "f", AT_FDCWD, "k", RENAME_NOREPLACE));
	show("renameat2 EXCHANGE f d", syscall(SYS_renameat2, AT_FDCWD, "f", AT_FDCWD, "d", RENAME_EXCHANGE));
	mode_of("f");
	mode_of("d");
	show("renameat2 EXCHANGE f d back", syscall(SYS_renameat2, AT_FDCWD, "f", AT_FDCWD, "d", RENAME_EXCHANGE));
	show("mknod fifo p", mknod("p", S_IFIFO | 0666, 0));
	mode_of("p");
	show("truncate f 3", truncate("f", 3));
	{
		struct stat st;
		printf("  f: size %ld\n", stat("f", &st) == 0 ? (long)st.st_size : -1L);
	}
	show("truncate d (a directory)", truncate("d", 0));
	show("truncate p (a FIFO)", truncate("p", 0));
	show("truncate missing", truncate("missing", 0));
	show("truncate f negative", truncate("f", -1));
	show("truncate through a symlink", truncate("s", 1));
	dir = open("d", O_PATH | O_DIRECTORY);
	show("mkdirat dirfd x", mkdirat(dir, "x", 0700));
	show("unlinkat dirfd x AT_REMOVEDIR", unlinkat(dir, "x", AT_REMOVEDIR));
	show("unlinkat bad flags", unlinkat(AT_FDCWD, "k", 0x1));
	show("unlinkat bad dirfd", unlinkat(999, "k", 0));
	show("unlink k", unlink("k"));
	show("unlink h", unlink("h"));
	show("unlink s", unlink("s"));
	show("unlink p", unlink("p"));
	show("rmdir e", rmdir("e"));
	return 0;
}
