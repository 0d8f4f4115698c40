/* The run's private /dev/shm: a tmpfs in a mount namespace of picovisor's own (private_shm.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps_drop.h"
#include "private_shm.h"
#include "util.h"

#define SHM_DIR "/dev/shm"

static bool has_cap(int cap)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) < 0)
		return false;
	return data[cap / 32].effective & (1u << (cap % 32));
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;
	size_t n = strlen(text);

	if (fd < 0)
		return -errno;
	if (write(fd, text, n) != (ssize_t)n)
		err = -errno;
	close(fd);
	return err;
}

/* The steps of making it, for saying which one the kernel refused. */
enum step { STEP_UNSHARE, STEP_SETGROUPS, STEP_UID_MAP, STEP_GID_MAP, STEP_SLAVE, STEP_MOUNT, STEP_PRIVATE, STEP_FORK };

static const char *const step_names[] = {
	[STEP_UNSHARE] = "unsharing the namespaces",
	[STEP_SETGROUPS] = "writing /proc/self/setgroups",
	[STEP_UID_MAP] = "writing /proc/self/uid_map",
	[STEP_GID_MAP] = "writing /proc/self/gid_map",
	[STEP_SLAVE] = "making / a slave mount",
	[STEP_MOUNT] = "mounting a tmpfs on " SHM_DIR,
	[STEP_PRIVATE] = "making the tmpfs private",
	[STEP_FORK] = "forking a child to try it in",
};

/*
 * The namespaces and the mount, in the calling process. / becomes a slave
 * of the host's tree (host mounts still show; nothing made here goes back),
 * and the tmpfs private. 0, or -errno with *step saying what failed.
 */
static int enter(uint64_t size, bool user_ns, enum step *step)
{
	char map[64], opts[128];
	uid_t uid = getuid();
	gid_t gid = getgid();
	uint64_t inodes = size / 4096 < 1024 ? 1024 : size / 4096;
	int rc;

	*step = STEP_UNSHARE;
	if (unshare(user_ns ? CLONE_NEWUSER | CLONE_NEWNS : CLONE_NEWNS) < 0)
		return -errno;
	if (user_ns) {
		/* The kernel lets an unprivileged namespace map only its creator's ids, setgroups denied. */
		*step = STEP_SETGROUPS;
		if ((rc = write_file("/proc/self/setgroups", "deny")) < 0)
			return rc;
		*step = STEP_UID_MAP;
		snprintf(map, sizeof(map), "%u %u 1", (unsigned)uid, (unsigned)uid);
		if ((rc = write_file("/proc/self/uid_map", map)) < 0)
			return rc;
		*step = STEP_GID_MAP;
		snprintf(map, sizeof(map), "%u %u 1", (unsigned)gid, (unsigned)gid);
		if ((rc = write_file("/proc/self/gid_map", map)) < 0)
			return rc;
	}
	*step = STEP_SLAVE;
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		return -errno;
	*step = STEP_MOUNT;
	snprintf(opts, sizeof(opts), "size=%" PRIu64 ",nr_inodes=%" PRIu64 ",mode=1777", size, inodes);
	if (mount("picovisor-shm", SHM_DIR, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0)
		return -errno;
	*step = STEP_PRIVATE;
	if (mount(NULL, SHM_DIR, NULL, MS_PRIVATE, NULL) < 0)
		return -errno;
	return 0;
}

/*
 * A user namespace cannot be left again: try it all in a child first, so that
 * where the kernel refuses a step (the mount, under AppArmor's
 * restrict_unprivileged_userns) picovisor stays where it was.
 */
static int try_in_child(uint64_t size, enum step *step)
{
	int fds[2], answer[2] = { -ECHILD, STEP_FORK }, status;
	pid_t pid;

	*step = STEP_FORK;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		int err = -errno;
		close(fds[0]);
		close(fds[1]);
		return err;
	}
	if (pid == 0) {
		enum step s = STEP_UNSHARE;
		int out[2];

		out[0] = enter(size, true, &s);
		out[1] = (int)s;
		_exit(write(fds[1], out, sizeof(out)) == sizeof(out) ? 0 : 1);
	}
	close(fds[1]);
	if (read(fds[0], answer, sizeof(answer)) != sizeof(answer)) {
		answer[0] = -ECHILD;
		answer[1] = STEP_FORK;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	*step = answer[1] >= STEP_UNSHARE && answer[1] <= STEP_FORK ? (enum step)answer[1] : STEP_FORK;
	return answer[0];
}

/* Is path (resolved) /dev/shm or below it? */
static bool under(const char *path, const char *shm)
{
	char real[PATH_MAX];
	size_t n = strlen(shm);

	if (!realpath(path, real))
		return false;
	return strncmp(real, shm, n) == 0 && (real[n] == '\0' || real[n] == '/');
}

bool private_shm_hides(const char *path)
{
	char shm[PATH_MAX];

	return realpath(SHM_DIR, shm) && under(path, shm);
}

static void explain(struct private_shm *r, bool user_ns, enum step step, int err)
{
	const char *hint;

	if (!user_ns)
		hint = "something around picovisor (a container's seccomp profile or LSM) refuses mount namespaces";
	else if (step == STEP_UNSHARE)
		hint = "unprivileged user namespaces are off here (sysctl user.max_user_namespaces, or "
		       "kernel.unprivileged_userns_clone on Debian's older kernels) or a container's seccomp profile "
		       "refuses them";
	else if (step >= STEP_SLAVE && step <= STEP_PRIVATE)
		hint = "the user namespace has no capabilities to mount with (AppArmor's "
		       "kernel.apparmor_restrict_unprivileged_userns, as on Ubuntu 24.04, or another LSM)";
	else
		hint = "the kernel refused a step of making it";
	snprintf(r->why_not, sizeof(r->why_not),
		 "%s (%s: %s); run as root, allow %s, or give the run a private directory there with --tmp /dev/shm "
		 "(the guest view: slower); --shm-size none says no /dev/shm is meant",
		 hint, step_names[step], strerror(-err), user_ns ? "unprivileged user namespaces" : "mount namespaces");
}

void private_shm_make(uint64_t size, const char *const *blockers, struct private_shm *r)
{
	char shm[PATH_MAX];
	enum step step = STEP_UNSHARE;
	bool user_ns;
	int rc;

	memset(r, 0, sizeof(*r));
	r->size = size;
	if (!size)
		return;
	if (!realpath(SHM_DIR, shm)) {
		snprintf(r->why_not, sizeof(r->why_not), "this machine has no %s to mount on (%s)", SHM_DIR,
			 strerror(errno));
		return;
	}
	for (int i = 0; blockers && blockers[i]; i++)
		if (under(blockers[i], shm)) {
			snprintf(r->why_not, sizeof(r->why_not),
				 "%s is under %s, which the run's own tmpfs would hide; keep the run's files elsewhere, or say "
				 "--shm-size none",
				 blockers[i], SHM_DIR);
			return;
		}
	user_ns = !has_cap(CAP_SYS_ADMIN);
	if (user_ns && (getuid() != geteuid() || getgid() != getegid())) {
		snprintf(r->why_not, sizeof(r->why_not),
			 "picovisor runs with a real id that is not its effective one, and a user namespace maps one "
			 "id each");
		return;
	}
	if (user_ns && (rc = try_in_child(size, &step)) < 0) {
		explain(r, true, step, rc);
		return;
	}
	rc = enter(size, user_ns, &step);
	if (rc < 0) {
		explain(r, user_ns, step, rc);
		return;
	}
	if (user_ns) {
		/* Whatever the namespace gave picovisor, it keeps nothing, and neither does the run it forks. */
		const char *what = "";
		if ((rc = caps_drop_all(&what)) < 0) {
			/* Too late to go back: the run must not start with powers in the namespace. */
			die("the private /dev/shm's user namespace: %s: %s", what, strerror(-rc));
		}
	}
	r->made = true;
	r->user_namespace = user_ns;
}
