/*
 * Out of the run's private /dev/shm (a tmpfs in a mount namespace, under a
 * user namespace for an ordinary user): reach the host's /dev/shm (argv[2]
 * names a file the test planted there, with "secret" in it; argv[3] is a
 * process outside the run, whose root is the host's), then use the
 * namespace the run lives in: mount, unmount, unshare, setns, hold a
 * capability; and fill the tmpfs past its size. Natively the planted file
 * is read at once.
 */
#include "hostile.h"
#include <sched.h>
#include <sys/mount.h>

/* Any capability in any set (the bounding set too): the namespace's powers kept. capget is no promise's: the
 * kernel's own account in /proc/self/status says the same. */
static int holds_a_capability(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	int sets = 0, any = 0;

	if (!f)
		cannot("opening /proc/self/status");
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "Cap", 3) == 0 && strchr(line, ':')) {
			sets++;
			if (strtoull(strchr(line, ':') + 1, NULL, 16) != 0)
				any = 1;
		}
	fclose(f);
	if (sets < 5)
		cannot("reading the capability sets");
	return any;
}

/* Write into /dev/shm until it is full: the tmpfs's size must stop it (ENOSPC), not a limit of the host's. */
static void fill(void)
{
	static char chunk[1 << 20];
	int fd = open("/dev/shm/pv-fill", O_CREAT | O_TRUNC | O_WRONLY, 0600);
	long long total = 0;

	if (fd < 0)
		cannot("creating a file in the run's /dev/shm");
	memset(chunk, 'x', sizeof(chunk));
	for (;;) {
		ssize_t n = write(fd, chunk, sizeof(chunk));
		if (n <= 0)
			break;
		total += n;
		if (total > (4LL << 30)) {
			unlink("/dev/shm/pv-fill");
			escaped("wrote 4 GiB into /dev/shm: no size limit");
		}
	}
	note_refusal(errno);
	printf("filled /dev/shm with %lld bytes\n", total);
	close(fd);
	unlink("/dev/shm/pv-fill");
}

int main(int argc, char **argv)
{
	int fd;

	char through[4096];

	if (argc < 4 || strncmp(argv[2], "/dev/shm/", 9) != 0)
		cannot("usage: shm_namespace OUTSIDE_DIR /dev/shm/PLANTED PID");
	if (reads_secret(argv[2]))
		escaped("read the file planted in the host's /dev/shm");
	note_refusal(errno);
	/* The outside process's root is the host's tree, with the host's /dev/shm in it. */
	snprintf(through, sizeof(through), "/proc/%s/root%s", argv[3], argv[2]);
	if (reads_secret(through))
		escaped("read the host's /dev/shm through /proc/PID/root of a process outside the run");
	note_refusal(errno);
	attempt(mount("none", "/dev/shm", "tmpfs", 0, "size=1G"), "mount a bigger tmpfs on /dev/shm");
	attempt(umount2("/dev/shm", MNT_DETACH), "unmount the run's /dev/shm (the host's is below)");
	attempt(unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)");
	attempt(unshare(CLONE_NEWUSER), "unshare(CLONE_NEWUSER)");
	fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		cannot("opening /proc/self/ns/mnt");
	attempt(setns(fd, CLONE_NEWNS), "setns into the run's mount namespace");
	close(fd);
	if (holds_a_capability())
		escaped("a capability is held (the namespace's powers)");
	fill();
	refused_all("the host's /dev/shm unseen, the namespace unusable, the tmpfs bounded");
}
