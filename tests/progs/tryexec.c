/* execve(argv[1], argv+1) and report the errno if it fails: how the kernel (or loader) refused. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	execve(argv[1], argv + 1, environ);
	printf("execve %s: %s\n", argv[1], strerrorname_np(errno));
	return 1;
}
