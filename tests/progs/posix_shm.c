/*
 * POSIX shared memory and named semaphores across a fork, as Python's
 * multiprocessing and test frameworks use them: sem_open, shm_open,
 * ftruncate, mmap, then both names removed. Prints what it saw, and
 * whether the names were in /dev/shm while they existed. argv[1] makes the
 * names unique; argv[2] "keep" leaves both names behind (for the test that
 * the run's /dev/shm is removed at the end).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int listed(const char *name)
{
	DIR *d = opendir("/dev/shm");
	struct dirent *e;
	int found = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, name) == 0)
			found = 1;
	closedir(d);
	return found;
}

int main(int argc, char **argv)
{
	char shm_name[128], sem_name[128], sem_file[160];
	const char *tag = argc > 1 ? argv[1] : "x";
	int keep = argc > 2 && strcmp(argv[2], "keep") == 0;
	sem_t *sem;
	char *mem;
	int fd, status;
	pid_t pid;

	snprintf(shm_name, sizeof(shm_name), "/pv-shm-%s", tag);
	snprintf(sem_name, sizeof(sem_name), "/pv-sem-%s", tag);
	snprintf(sem_file, sizeof(sem_file), "sem.pv-sem-%s", tag);
	sem = sem_open(sem_name, O_CREAT | O_EXCL, 0600, 0);
	if (sem == SEM_FAILED) {
		printf("sem_open: %s\n", strerror(errno));
		return 1;
	}
	fd = shm_open(shm_name, O_CREAT | O_EXCL | O_RDWR, 0600);
	if (fd < 0) {
		printf("shm_open: %s\n", strerror(errno));
		return 1;
	}
	if (ftruncate(fd, 65536) < 0 || (mem = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)) == MAP_FAILED) {
		printf("ftruncate/mmap: %s\n", strerror(errno));
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		/* The child opens both by name again, as an unrelated process would. */
		sem_t *s = sem_open(sem_name, 0);
		int f = shm_open(shm_name, O_RDWR, 0);
		char *m = f >= 0 ? mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0) : MAP_FAILED;

		if (s == SEM_FAILED || m == MAP_FAILED)
			_exit(3);
		strcpy(m + 100, "written by the child");
		sem_post(s);
		_exit(0);
	}
	sem_wait(sem);
	waitpid(pid, &status, 0);
	printf("child: %d, shared memory: %s\n", WEXITSTATUS(status), mem + 100);
	printf("in /dev/shm: %s %d, %s %d\n", shm_name + 1, listed(shm_name + 1), sem_file, listed(sem_file));
	if (!keep) {
		printf("shm_unlink: %d, sem_unlink: %d\n", shm_unlink(shm_name), sem_unlink(sem_name));
		printf("after: %d %d\n", listed(shm_name + 1), listed(sem_file));
	}
	return 0;
}
