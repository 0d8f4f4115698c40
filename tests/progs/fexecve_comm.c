/* fexecve of a file, or of a memfd copy of it ("memfd" argument): the task name the new image gets. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	char *cat[] = { "cat", "/proc/self/comm", NULL };
	int fd;

	(void)argv;
	if (argc > 1) {
		char buf[65536];
		ssize_t n;
		int src = open("/bin/cat", O_RDONLY);

		fd = memfd_create("copy-of-cat", 0);
		while ((n = read(src, buf, sizeof(buf))) > 0)
			if (write(fd, buf, (size_t)n) != n)
				return 2;
	} else {
		fd = open("/bin/cat", O_RDONLY);
	}
	fexecve(fd, cat, environ);
	perror("fexecve");
	return 1;
}
