/* The errors of execveat that the kernel gives before it loads anything: picovisor's loader must give the same. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void try(const char *what, int fd, const char *path, int flags)
{
	char *argv[] = { "true", NULL }, *envp[] = { NULL };
	long rc = syscall(SYS_execveat, fd, path, argv, envp, flags);

	printf("%s: %ld %s\n", what, rc, rc < 0 ? strerrorname_np(errno) : "");
}

int main(void)
{
	int dir = open(".", O_RDONLY | O_DIRECTORY), dev = open("/dev/null", O_RDONLY);

	setvbuf(stdout, NULL, _IONBF, 0);
	try("fd -1, empty path", -1, "", AT_EMPTY_PATH);
	try("fd not open, empty path", 977, "", AT_EMPTY_PATH);
	try("fd -100 (AT_FDCWD), empty path", AT_FDCWD, "", AT_EMPTY_PATH);
	try("empty path without AT_EMPTY_PATH", dev, "", 0);
	try("unknown flag", dev, "", AT_EMPTY_PATH | 0x4);
	try("a directory", dir, "", AT_EMPTY_PATH);
	try("a device", dev, "", AT_EMPTY_PATH);
	try("relative to a bad fd", 977, "true", 0);
	try("missing", AT_FDCWD, "/nonexistent/true", 0);
	return 0;
}
