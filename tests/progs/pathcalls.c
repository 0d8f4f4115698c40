/*
 * Every path-bearing system call of the translation's list, on paths under
 * BASE (argv[1]), printing results and every path the kernel hands back. The
 * end-to-end tests run it natively with BASE a scratch directory and under
 * `picovisor run --map /work=scratch` with BASE=/work: with BASE written as
 * <BASE>, both must print the same. Raw syscalls: no libc emulation between.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

static const char *base;
static char buf[8192];

static const char *P(const char *rel)
{
	static char paths[4][4096];
	static int n;
	char *p = paths[n++ % 4];

	snprintf(p, 4096, "%s%s%s", base, rel[0] ? "/" : "", rel);
	return p;
}

static void show(const char *what, long rc)
{
	if (rc < 0)
		printf("%s: -1 %s\n", what, strerrorname_np(errno));
	else
		printf("%s: %ld\n", what, rc);
}

static void show_path(const char *what, long rc, const char *text)
{
	if (rc < 0)
		printf("%s: -1 %s\n", what, strerrorname_np(errno));
	else
		printf("%s: %.*s\n", what, (int)rc, text);
}

static void show_link(const char *what, const char *path)
{
	long n = syscall(SYS_readlink, path, buf, sizeof(buf));
	show_path(what, n, buf);
}

int main(int argc, char **argv)
{
	struct stat st, st2;
	struct statx stx;
	struct statfs sfs;
	struct open_how how = { 0 };
	struct timeval tv[2] = { { 1, 0 }, { 2, 0 } };
	struct timespec ts[2] = { { 3, 0 }, { 4, 0 } };
	int fd, dfd;
	long rc;

	if (argc > 2 && strcmp(argv[1], "--execfn") == 0) {
		printf("AT_EXECFN: %s\n", (const char *)getauxval(AT_EXECFN));
		show_link("child /proc/self/exe", "/proc/self/exe");
		return 0;
	}
	if (argc < 3)
		return 2;
	base = argv[1];
	setvbuf(stdout, NULL, _IONBF, 0);

	/* The open family and what names it back. */
	fd = (int)syscall(SYS_open, P("f"), O_CREAT | O_WRONLY, 0644);
	show("open create", fd);
	show("write", write(fd, "data\n", 5));
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", fd);
	show_link("readlink /proc/self/fd/N", buf);
	close(fd);
	show("creat", fd = (int)syscall(SYS_creat, P("g"), 0600));
	close(fd);
	dfd = (int)syscall(SYS_openat, AT_FDCWD, P("d0"), O_RDONLY | O_DIRECTORY);
	show("openat missing dir", dfd);
	show("mkdir", syscall(SYS_mkdir, P("d0"), 0755));
	dfd = (int)syscall(SYS_openat, AT_FDCWD, P("d0"), O_RDONLY | O_DIRECTORY);
	show("openat dir", dfd >= 0 ? 0 : -1);
	show("mkdirat", syscall(SYS_mkdirat, dfd, "sub", 0755));
	show("mknodat fifo", syscall(SYS_mknodat, dfd, "fifo", S_IFIFO | 0644, 0));
	show("mknod fifo", syscall(SYS_mknod, P("fifo2"), S_IFIFO | 0644, 0));
	how.flags = O_RDONLY;
	how.resolve = RESOLVE_BENEATH;
	show("openat2 beneath ok", (fd = (int)syscall(SYS_openat2, dfd, "sub", &how, sizeof(how))) >= 0 ? 0 : -1);
	close(fd);
	show("openat2 beneath ..", syscall(SYS_openat2, dfd, "../f", &how, sizeof(how)));
	show("openat2 beneath absolute", syscall(SYS_openat2, dfd, P("f"), &how, sizeof(how)));
	how.resolve = RESOLVE_IN_ROOT;
	show("openat2 in_root ../../sub", (fd = (int)syscall(SYS_openat2, dfd, "../../sub", &how, sizeof(how))) >= 0 ? 0 : -1);
	close(fd);
	how.resolve = 0;
	fd = (int)syscall(SYS_openat2, AT_FDCWD, P("f"), &how, sizeof(how));
	show("openat2 plain", fd >= 0 ? 0 : -1);
	show("read", read(fd, buf, 5));
	close(fd);
	show("symlink abs", syscall(SYS_symlink, P("f"), P("abs")));
	show("symlinkat rel", syscall(SYS_symlinkat, "../f", dfd, "rel"));
	show_link("readlink abs (text as given)", P("abs"));
	rc = syscall(SYS_readlinkat, dfd, "rel", buf, sizeof(buf));
	show_path("readlinkat rel", rc, buf);
	how.resolve = RESOLVE_NO_SYMLINKS;
	show("openat2 no_symlinks", syscall(SYS_openat2, AT_FDCWD, P("abs"), &how, sizeof(how)));
	how.resolve = 0;
	fd = (int)syscall(SYS_open, P("abs"), O_RDONLY);
	show("open through abs symlink", fd >= 0 ? 0 : -1);
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", fd);
	show_link("  its /proc/self/fd", buf);
	close(fd);
	show("open O_NOFOLLOW symlink", syscall(SYS_open, P("abs"), O_RDONLY | O_NOFOLLOW));
	show("open trailing slash on file", syscall(SYS_open, P("f/"), O_RDONLY));
	show("open d0/rel (relative link)", (fd = (int)syscall(SYS_open, P("d0/rel"), O_RDONLY)) >= 0 ? 0 : -1);
	close(fd);

	/* The stat family. */
	show("stat", syscall(SYS_stat, P("f"), &st));
	show("  size", (long)st.st_size);
	show("lstat symlink is link", syscall(SYS_lstat, P("abs"), &st2) == 0 && S_ISLNK(st2.st_mode));
	show("newfstatat follow same inode", syscall(SYS_newfstatat, AT_FDCWD, P("abs"), &st2, 0) == 0 && st2.st_ino == st.st_ino);
	show("newfstatat nofollow", syscall(SYS_newfstatat, dfd, "rel", &st2, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st2.st_mode));
	show("newfstatat empty path", syscall(SYS_newfstatat, dfd, "", &st2, AT_EMPTY_PATH) == 0 && S_ISDIR(st2.st_mode));
	show("statx", syscall(SYS_statx, AT_FDCWD, P("f"), 0, STATX_SIZE, &stx) == 0 ? (long)stx.stx_size : -1);
	show("access", syscall(SYS_access, P("f"), R_OK));
	show("access missing", syscall(SYS_access, P("nope"), F_OK));
	show("faccessat", syscall(SYS_faccessat, dfd, "sub", X_OK));
	show("faccessat2", syscall(SYS_faccessat2, dfd, "rel", F_OK, AT_SYMLINK_NOFOLLOW));
	show("statfs", syscall(SYS_statfs, P(""), &sfs));
	show("truncate", syscall(SYS_truncate, P("f"), 2));
	show("  size", syscall(SYS_stat, P("f"), &st) == 0 ? (long)st.st_size : -1);

	/* Attributes. */
	show("chmod", syscall(SYS_chmod, P("f"), 0640));
	show("fchmodat", syscall(SYS_fchmodat, dfd, "sub", 0700));
	show("fchmodat2 nofollow on link", syscall(SYS_fchmodat2, dfd, "rel", 0600, AT_SYMLINK_NOFOLLOW));
	show("  mode", syscall(SYS_stat, P("f"), &st) == 0 ? (long)(st.st_mode & 07777) : -1);
	show("chown (to self)", syscall(SYS_chown, P("f"), getuid(), getgid()));
	show("lchown", syscall(SYS_lchown, P("abs"), getuid(), getgid()));
	show("fchownat", syscall(SYS_fchownat, dfd, "sub", getuid(), getgid(), 0));
	show("utimes", syscall(SYS_utimes, P("f"), tv));
	show("futimesat", syscall(SYS_futimesat, dfd, "sub", tv));
	show("utimensat", syscall(SYS_utimensat, AT_FDCWD, P("f"), ts, 0));
	show("  mtime", syscall(SYS_stat, P("f"), &st) == 0 ? (long)st.st_mtime : -1);
	/* Absolute paths beside a dirfd (which the kernel then ignores), and utime: each must be translated. */
	show("mkdirat absolute beside a dirfd", syscall(SYS_mkdirat, dfd, P("d1"), 0755));
	show("mkdirat absolute, AT_FDCWD", syscall(SYS_mkdirat, AT_FDCWD, P("d1/d2"), 0755));
	show("  d1/d2 is a directory", syscall(SYS_stat, P("d1/d2"), &st) == 0 && S_ISDIR(st.st_mode));
	{
		struct utimbuf { long actime, modtime; } ut = { 5, 6 };
		show("utime", syscall(SYS_utime, P("f"), &ut));
		show("  mtime", syscall(SYS_stat, P("f"), &st) == 0 ? (long)st.st_mtime : -1);
	}
	show("futimesat absolute beside a dirfd", syscall(SYS_futimesat, dfd, P("g"), tv));
	show("  mtime of g", syscall(SYS_stat, P("g"), &st) == 0 ? (long)st.st_mtime : -1);
	show("utimensat absolute beside a dirfd", syscall(SYS_utimensat, dfd, P("d1"), ts, 0));
	show("  mtime of d1", syscall(SYS_stat, P("d1"), &st) == 0 ? (long)st.st_mtime : -1);
	rc = syscall(SYS_setxattr, P("f"), "user.pv", "v", 1, 0);
	show("setxattr", rc);
	show("getxattr", syscall(SYS_getxattr, P("f"), "user.pv", buf, sizeof(buf)));
	show("lgetxattr on link", syscall(SYS_lgetxattr, P("abs"), "user.pv", buf, sizeof(buf)));
	show("listxattr", syscall(SYS_listxattr, P("f"), buf, sizeof(buf)));
	show("removexattr", syscall(SYS_removexattr, P("f"), "user.pv"));

	/* Names: link, rename, unlink. */
	show("link", syscall(SYS_link, P("f"), P("hard")));
	show("linkat", syscall(SYS_linkat, AT_FDCWD, P("f"), dfd, "hard2", 0));
	show("  nlink", syscall(SYS_stat, P("f"), &st) == 0 ? (long)st.st_nlink : -1);
	show("rename", syscall(SYS_rename, P("hard"), P("hard3")));
	show("renameat", syscall(SYS_renameat, dfd, "hard2", AT_FDCWD, P("hard4")));
	show("renameat2 noreplace existing", syscall(SYS_renameat2, AT_FDCWD, P("hard3"), AT_FDCWD, P("hard4"), RENAME_NOREPLACE));
	show("unlink", syscall(SYS_unlink, P("hard3")));
	show("unlinkat", syscall(SYS_unlinkat, AT_FDCWD, P("hard4"), 0));
	show("unlinkat dir", syscall(SYS_unlinkat, dfd, "sub", AT_REMOVEDIR));
	show("rmdir not empty", syscall(SYS_rmdir, P("d0")));

	/* cwd in both directions. */
	show("chdir", syscall(SYS_chdir, P("d0")));
	rc = syscall(SYS_getcwd, buf, sizeof(buf));
	show_path("getcwd", rc > 0 ? rc - 1 : rc, buf);
	show_link("readlink /proc/self/cwd", "/proc/self/cwd");
	show("open relative ../f", (fd = (int)syscall(SYS_open, "../f", O_RDONLY)) >= 0 ? 0 : -1);
	close(fd);
	show("chdir ..", syscall(SYS_chdir, ".."));
	rc = syscall(SYS_getcwd, buf, sizeof(buf));
	show_path("getcwd after ..", rc > 0 ? rc - 1 : rc, buf);
	show("fchdir", syscall(SYS_fchdir, dfd));
	rc = syscall(SYS_getcwd, buf, sizeof(buf));
	show_path("getcwd after fchdir", rc > 0 ? rc - 1 : rc, buf);
	show("getcwd too small", syscall(SYS_getcwd, buf, 2));
	show_link("readlink /proc/self/root", "/proc/self/root");

	/* inotify, handles. */
	fd = inotify_init1(IN_CLOEXEC);
	show("inotify_add_watch", syscall(SYS_inotify_add_watch, fd, P("f"), IN_MODIFY) > 0 ? 1 : -1);
	show("inotify_add_watch missing", syscall(SYS_inotify_add_watch, fd, P("nope"), IN_MODIFY));
	close(fd);
	{
		struct file_handle *fh = malloc(sizeof(*fh) + 128);
		int mnt;
		fh->handle_bytes = 128;
		rc = syscall(SYS_name_to_handle_at, AT_FDCWD, P("f"), fh, &mnt, 0);
		show("name_to_handle_at", rc);
		free(fh);
	}

	/* Unix sockets: bind, connect, accept, getsockname, getpeername. */
	{
		struct sockaddr_un a = { AF_UNIX, "" }, got;
		socklen_t len;
		int srv = socket(AF_UNIX, SOCK_STREAM, 0), cli = socket(AF_UNIX, SOCK_STREAM, 0), acc;

		snprintf(a.sun_path, sizeof(a.sun_path), "%s", P("sock"));
		show("bind", syscall(SYS_bind, srv, &a, sizeof(a)));
		show("listen", listen(srv, 1));
		show("connect", syscall(SYS_connect, cli, &a, sizeof(a)));
		len = sizeof(got);
		acc = (int)syscall(SYS_accept, srv, &got, &len);
		show("accept", acc >= 0 ? 0 : -1);
		len = sizeof(got);
		show("getsockname", syscall(SYS_getsockname, srv, &got, &len));
		printf("  name %s, len - strlen(name) %d\n", got.sun_path, (int)(len - strlen(got.sun_path)));
		len = sizeof(got);
		show("getpeername", syscall(SYS_getpeername, cli, &got, &len));
		printf("  name %s, len - strlen(name) %d\n", got.sun_path, (int)(len - strlen(got.sun_path)));
		len = 8; /* too small: the kernel's truncation rules */
		memset(&got, 0, sizeof(got));
		show("getsockname short buffer", syscall(SYS_getsockname, srv, &got, &len));
		printf("  len - strlen(name) %d\n", (int)(len - strlen(P("sock"))));
		show("stat socket", syscall(SYS_stat, P("sock"), &st) == 0 && S_ISSOCK(st.st_mode));
		close(acc);
		close(cli);
		close(srv);
	}

	/* exec: the program copied under BASE, execve and execveat; AT_EXECFN and /proc/self/exe are guest names. */
	show_link("readlink /proc/self/exe", "/proc/self/exe");
	{
		char *args[] = { argv[2], "--execfn", "x", NULL };
		pid_t pid = fork();
		int status;

		if (pid == 0) {
			syscall(SYS_execve, argv[2], args, environ);
			_exit(127);
		}
		waitpid(pid, &status, 0);
		show("execve status", WEXITSTATUS(status));
		pid = fork();
		if (pid == 0) {
			syscall(SYS_execveat, dfd, "../prog", args, environ, 0);
			_exit(127);
		}
		waitpid(pid, &status, 0);
		show("execveat status", WEXITSTATUS(status));
	}
	show("rmdir", syscall(SYS_rmdir, P("d0/missing")));
	return 0;
}
