/*
 * Hold argv[2] MiB in shared memory that no process's resident set shows,
 * then keep it long enough for a sampler to see. argv[3], the way:
 *   memfd      written into a memfd with write(), never mapped;
 *   mapclose   1 MiB memfds, each written, mapped one page, closed: only a
 *              one-page mapping holds each;
 *   sharedanon shared anonymous mappings of 16 MiB touched by a child that
 *              exits, then all but one page unmapped by the parent;
 *   tmpfs      a file written under argv[4] (a tmpfs directory).
 * A run with a smaller memory limit must end before "ESCAPED".
 */
#include "hostile.h"
#include <sys/mman.h>
#include <sys/wait.h>

enum { MIB = 1 << 20 };

static char chunk[MIB];

static void write_mib(int fd, long mib)
{
	for (long i = 0; i < mib; i++)
		if (write(fd, chunk, MIB) != MIB)
			cannot("write");
}

int main(int argc, char **argv)
{
	long mib = argc > 2 ? atol(argv[2]) : 256;
	const char *way = argc > 3 ? argv[3] : "memfd";

	(void)outside(argc, argv, "");
	memset(chunk, 7, sizeof(chunk));
	if (strcmp(way, "memfd") == 0) {
		int fd = memfd_create("hoard", 0);
		if (fd < 0)
			cannot("memfd_create");
		write_mib(fd, mib);
	} else if (strcmp(way, "mapclose") == 0) {
		for (long i = 0; i < mib; i++) {
			int fd = memfd_create("hoard", 0);
			if (fd < 0)
				cannot("memfd_create");
			write_mib(fd, 1);
			if (mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED)
				cannot("mmap");
			close(fd);
		}
	} else if (strcmp(way, "sharedanon") == 0) {
		for (long done = 0; done < mib; done += 16) {
			char *p = mmap(NULL, 16 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
			pid_t kid;
			int status;

			if (p == MAP_FAILED)
				cannot("mmap");
			kid = fork();
			if (kid < 0)
				cannot("fork");
			if (kid == 0) {
				memset(p, 7, 16 * MIB);
				_exit(0);
			}
			if (waitpid(kid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
				cannot("the child touching the pages");
			if (munmap(p + 4096, 16 * MIB - 4096) < 0)
				cannot("munmap");
		}
	} else if (strcmp(way, "tmpfs") == 0) {
		char path[4096];
		int fd;

		if (argc < 5)
			cannot("tmpfs needs a directory");
		snprintf(path, sizeof(path), "%s/hoard", argv[4]);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0)
			cannot("open under the tmpfs directory");
		write_mib(fd, mib);
		close(fd);
	} else {
		errno = EINVAL;
		cannot("unknown way");
	}
	printf("%ld MiB held in shared memory (%s)\n", mib, way);
	fflush(stdout);
	usleep(500 * 1000);
	escaped("shared memory beyond the limit, held");
}
