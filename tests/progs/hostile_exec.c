/* Execs with bad arguments; each must fail with the kernel's errno and leave the caller intact. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

static void report(const char *what, long rc)
{
	printf("%-40s %s\n", what, rc < 0 ? strerrorname_np(errno) : "succeeded?!");
	fflush(stdout);
}

static long execveat_(int dfd, const char *path, char **argv, char **envp, int flags)
{
	return syscall(SYS_execveat, dfd, path, argv, envp, flags);
}

int main(void)
{
	char *argv[] = { "true", NULL };
	char *bad_elem[] = { "true", (char *)8, NULL };
	char longpath[5000];
	char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	report("NULL path", syscall(SYS_execve, NULL, argv, environ));
	report("argv pointer 1", syscall(SYS_execve, "/bin/true", (char **)1, environ));
	report("bad argv element", execve("/bin/true", bad_elem, environ));
	report("bad envp pointer", syscall(SYS_execve, "/bin/true", argv, (char **)16));
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	report("path longer than PATH_MAX", execve(longpath, argv, environ));
	/* A path running into an unmapped page. */
	munmap(page + 4096, 4096);
	memset(page, 'b', 4096);
	report("path of PATH_MAX bytes, no NUL", execve(page, argv, environ));
	report("short path into an unmapped page", execve(page + 4096 - 100, argv, environ));
	report("empty path", execve("", argv, environ));
	report("/dev/null", execve("/dev/null", argv, environ));
	mkfifo("fifo", 0755);
	report("a FIFO", execve("./fifo", argv, environ));
	report("a directory", execve("/tmp", argv, environ));
	report("bogus execveat flags", execveat_(AT_FDCWD, "/bin/true", argv, environ, 0x8000));
	report("execveat on a bad dirfd", execveat_(1234, "true", argv, environ, 0));
	report("execveat on a file as dirfd", execveat_(1, "true", argv, environ, 0));
	{
		int d = open("/tmp", O_RDONLY | O_DIRECTORY);
		report("AT_EMPTY_PATH on a directory", execveat_(d, "", argv, environ, AT_EMPTY_PATH));
		close(d);
	}
	symlink("loop1", "loop2");
	symlink("loop2", "loop1");
	report("symlink loop", execve("./loop1", argv, environ));
	symlink("/bin/true", "link");
	report("AT_SYMLINK_NOFOLLOW on a symlink", execveat_(AT_FDCWD, "link", argv, environ, AT_SYMLINK_NOFOLLOW));
	{
		/* More argument bytes than the kernel takes. */
		size_t n = 4096, len = 100000;
		char **big = calloc(n + 1, sizeof(char *));
		char *s = malloc(len);
		memset(s, 'x', len - 1);
		s[len - 1] = '\0';
		for (size_t i = 0; i < n; i++)
			big[i] = s;
		report("argv over ARG_MAX", execve("/bin/true", big, environ));
	}
	printf("still alive after all of that\n");
	{
		/* fexecve of a close-on-exec memfd holding a program: this one works. */
		int src = open("/bin/echo", O_RDONLY), mfd = memfd_create("echo-copy", MFD_CLOEXEC);
		char buf[65536];
		ssize_t got;
		char *echo_argv[] = { "echo", "fexecve of a memfd works", NULL };

		while ((got = read(src, buf, sizeof(buf))) > 0)
			if (write(mfd, buf, (size_t)got) != got)
				return 3;
		fexecve(mfd, echo_argv, environ);
		report("fexecve", -1);
	}
	return 1;
}
