/*
 * Mode, owner, time and xattr changes with their results and errnos, in the
 * working directory: the sandbox performs these itself on the object it
 * checked, and the program must not see the difference.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <utime.h>

static void show(const char *what, long rc)
{
	printf("%-44s %ld %s\n", what, rc, rc < 0 ? strerrorname_np(errno) : "");
}

static void mode_of(const char *path, int times)
{
	struct stat st;

	if (lstat(path, &st) == 0)
		printf("  %s: mode %o mtime %ld.%09ld\n", path, st.st_mode & 07777, times ? (long)st.st_mtim.tv_sec : 0,
		       times ? (long)st.st_mtim.tv_nsec : 0);
	else
		printf("  %s: %s\n", path, strerrorname_np(errno));
}

int main(void)
{
	struct timespec ts[2] = { { 1000000000, 5 }, { 1100000000, 7 } };
	struct timeval tv[2] = { { 1200000000, 1 }, { 1300000000, 2 } }, bad[2] = { { 1, 1000000 }, { 1, 0 } };
	struct utimbuf ub = { 1400000000, 1500000000 };
	char proc[64], value[16] = "";
	int fd, opath;

	setvbuf(stdout, NULL, _IONBF, 0);
	close(open("file", O_CREAT | O_WRONLY, 0644));
	mkdir("dir", 0755);
	symlink("file", "link");
	symlink("missing", "dangling");
	fd = open("file", O_RDONLY);
	opath = open("file", O_PATH);

	show("chmod file 0600", chmod("file", 0600));
	show("chmod missing", chmod("missing", 0600));
	show("chmod file/ (not a directory)", chmod("file/", 0600));
	show("chmod dir/", chmod("dir/", 0700));
	show("chmod through a symlink", chmod("link", 0640));
	show("chmod a dangling symlink", chmod("dangling", 0640));
	show("chmod of an empty path", chmod("", 0640));
	show("chmod of a NULL path", syscall(SYS_chmod, NULL, 0640));
	show("fchmod O_RDONLY", fchmod(fd, 0604));
	show("fchmod O_PATH", fchmod(opath, 0604));
	show("fchmod of a closed fd", fchmod(999, 0604));
	show("fchmodat dirfd", syscall(SYS_fchmodat, open(".", O_PATH), "file", 0620));
	show("fchmodat bad dirfd", syscall(SYS_fchmodat, 999, "file", 0620));
	show("fchmodat2 O_PATH AT_EMPTY_PATH", syscall(452, opath, "", 0622, AT_EMPTY_PATH));
	show("fchmodat2 symlink NOFOLLOW", syscall(452, AT_FDCWD, "link", 0622, AT_SYMLINK_NOFOLLOW));
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", opath);
	show("chmod /proc/self/fd/N (O_PATH)", chmod(proc, 0644));
	mode_of("file", 0);
	show("chown file -1 -1", chown("file", -1, -1));
	show("chown file to its own ids", chown("file", getuid(), getgid()));
	show("lchown symlink", lchown("link", getuid(), getgid()));
	show("fchownat O_PATH AT_EMPTY_PATH", fchownat(opath, "", -1, -1, AT_EMPTY_PATH));
	show("fchownat empty path without AT_EMPTY_PATH", fchownat(opath, "", -1, -1, 0));
	show("fchown O_PATH", fchown(opath, -1, -1));
	show("utimensat times", utimensat(AT_FDCWD, "file", ts, 0));
	mode_of("file", 1);
	show("utimensat bad flags", utimensat(AT_FDCWD, "file", ts, 0x4));
	show("utimensat symlink NOFOLLOW", utimensat(AT_FDCWD, "link", ts, AT_SYMLINK_NOFOLLOW));
	show("utimensat fd NULL (O_RDONLY)", syscall(SYS_utimensat, fd, NULL, ts, 0));
	show("utimensat fd NULL (O_PATH)", syscall(SYS_utimensat, opath, NULL, ts, 0));
	show("utimensat AT_FDCWD NULL", syscall(SYS_utimensat, AT_FDCWD, NULL, ts, 0));
	show("utimensat bad nsec", utimensat(AT_FDCWD, "file", (struct timespec[2]){ { 1, -5 }, { 1, 0 } }, 0));
	show("utimensat bad pointer", syscall(SYS_utimensat, AT_FDCWD, "file", (void *)8, 0));
	show("utimes", utimes("file", tv));
	mode_of("file", 1);
	show("utimes bad usec", utimes("file", bad));
	show("utime", utime("file", &ub));
	mode_of("file", 1);
	show("futimesat dirfd", syscall(SYS_futimesat, open(".", O_PATH), "file", tv));
	show("setxattr user.t", setxattr("file", "user.t", "v1", 2, 0));
	show("getxattr user.t", getxattr("file", "user.t", value, sizeof(value)));
	show("setxattr XATTR_CREATE again", setxattr("file", "user.t", "v2", 2, XATTR_CREATE));
	show("fsetxattr O_RDONLY", fsetxattr(fd, "user.u", "v3", 2, 0));
	show("fsetxattr O_PATH", fsetxattr(opath, "user.u", "v3", 2, 0));
	show("lsetxattr user. on a symlink", lsetxattr("link", "user.t", "v", 1, 0));
	show("setxattr empty name", setxattr("file", "", "v", 1, 0));
	show("setxattr name too long", setxattr("file", "user.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "v", 1, 0));
	show("removexattr user.t", removexattr("file", "user.t"));
	show("removexattr user.t again", removexattr("file", "user.t"));
	show("fremovexattr user.u", fremovexattr(fd, "user.u"));
	return 0;
}
