/*
 * /proc entries that act on a process outside the run (argv[2]: its pid):
 * its memory opened for writing and for reading, and writable entries of the
 * process and of its thread (oom_score_adj, clear_refs). Each must be refused
 * (EACCES) in every mode, on-violation log included, as ptrace and
 * process_vm_writev are.
 */
#include "hostile.h"

static long open_entry(const char *pid, const char *entry, int flags)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/%s", pid, entry);
	fd = open(path, flags);
	if (fd < 0)
		return -1;
	if ((flags & O_ACCMODE) != O_RDONLY && strstr(entry, "mem") == NULL) {
		const char *v = strstr(entry, "clear_refs") ? "1" : "1000";
		if (write(fd, v, strlen(v)) < 0) { /* opened, but the kernel refused the change itself */
			int err = errno;
			close(fd);
			errno = err;
			return -1;
		}
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	char task[96];

	if (argc < 3)
		cannot("usage: procfs_outside OUTSIDE_DIR PID");
	snprintf(task, sizeof(task), "task/%s/oom_score_adj", argv[2]);
	attempt(open_entry(argv[2], "oom_score_adj", O_WRONLY), "changed the OOM score of a process outside");
	attempt(open_entry(argv[2], task, O_WRONLY), "changed the OOM score of a thread outside");
	attempt(open_entry(argv[2], "clear_refs", O_WRONLY), "cleared the page references of a process outside");
	attempt(open_entry(argv[2], "mem", O_RDWR), "opened the memory of a process outside for writing");
	attempt(open_entry(argv[2], "mem", O_RDONLY), "opened the memory of a process outside for reading");
	attempt(open_entry(argv[2], "fd/0", O_RDONLY | O_NONBLOCK), "reopened the stdin pipe of a process outside");
	refused_all("/proc entries that act on a process outside");
}
