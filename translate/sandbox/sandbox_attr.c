/*
 * Mode, owner, time and xattr changes (FX_ATTR calls) under a sandbox. No
 * Landlock right covers them, so the supervisor decides them, and a decision
 * made on a name would not hold: another thread can flip the path buffer,
 * change the cwd, swap the descriptor, or rename a directory before the
 * kernel walks the name again. So the call is done on the object itself:
 *
 * 1. the arguments are copied once (path, name, value, times);
 * 2. the object becomes a descriptor of picovisor's own: the thread's
 *    descriptor taken with pidfd_getfd, or the path resolved as the thread
 *    sees it and opened O_PATH with the thread's filesystem credentials,
 *    without following any symlink the resolution did not expect;
 * 3. the rule is decided on that object (the name the kernel gives it);
 * 4. the change is made on that object, with the thread's credentials
 *    (include/thread_creds.h), and its result is the call's.
 *
 * Whatever the program changes after step 2, steps 3 and 4 see one object.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <utime.h>

#include "path_access.h"
#include "../pathmap/path_args.h"
#include "sandbox_internal.h"
#include "thread_creds.h"
#include "tracee.h"
#include "util.h"

/* struct xattr_args of setxattrat (Linux 6.13). */
struct xattr_args_copy {
	uint64_t value;
	uint32_t size;
	uint32_t flags;
};

/* The call's arguments, copied once. */
struct attr_change {
	enum attr_op op;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	bool times_null;
	struct timespec times[2];
	char name[XATTR_NAME_MAX + 1];
	char *value;
	size_t size;
	int xflags;
};

/* The argument index of the first argument of a kind, or -1. */
static int arg_of(const struct syscall_entry *e, enum arg_kind kind)
{
	for (int i = 0; i < syscall_nargs(e); i++)
		if (e->args[i].kind == kind)
			return i;
	return -1;
}

static uint64_t arg(const struct syscall_stop *s, int i)
{
	return regs_arg(&s->regs, s->abi, i);
}

/* The times, as a timespec pair; NULL means now. 0 or an errno. */
static int copy_times(struct tracee *t, const struct syscall_stop *s, int i, struct attr_change *c)
{
	uint64_t p = arg(s, i);

	c->times_null = p == 0;
	if (!p)
		return 0;
	if (c->op == ATTR_UTIMBUF) {
		struct utimbuf u;
		if (tracee_read(host_tid(t), p, &u, sizeof(u)) != (ssize_t)sizeof(u))
			return EFAULT;
		c->times[0] = (struct timespec){ u.actime, 0 };
		c->times[1] = (struct timespec){ u.modtime, 0 };
		return 0;
	}
	if (c->op == ATTR_TIMEVAL) {
		struct timeval tv[2];
		if (tracee_read(host_tid(t), p, tv, sizeof(tv)) != (ssize_t)sizeof(tv))
			return EFAULT;
		for (int k = 0; k < 2; k++) {
			if (tv[k].tv_usec < 0 || tv[k].tv_usec >= 1000000)
				return EINVAL;
			c->times[k] = (struct timespec){ tv[k].tv_sec, tv[k].tv_usec * 1000 };
		}
		return 0;
	}
	if (tracee_read(host_tid(t), p, c->times, sizeof(c->times)) != (ssize_t)sizeof(c->times))
		return EFAULT;
	return 0;
}

/* The xattr name (and value): 0 or the errno the kernel gives for them. */
static int copy_xattr(struct tracee *t, const struct syscall_stop *s, struct attr_change *c)
{
	const struct syscall_entry *e = s->entry;
	int n = arg_of(e, K_STR);
	ssize_t len;
	uint64_t value = 0;

	if (n < 0)
		return EINVAL;
	len = tracee_read_string(host_tid(t), arg(s, n), c->name, sizeof(c->name));
	if (len == -ENAMETOOLONG)
		return ERANGE;
	if (len < 0)
		return (int)-len;
	if (len == 0)
		return ERANGE;
	if (c->op == ATTR_SETXATTR) {
		value = arg(s, n + 1);
		c->size = arg(s, n + 2);
		c->xflags = (int)arg(s, n + 3);
	} else if (c->op == ATTR_XATTR_ARGS) {
		struct xattr_args_copy a;
		if (arg(s, n + 2) != sizeof(a))
			return EINVAL;
		if (tracee_read(host_tid(t), arg(s, n + 1), &a, sizeof(a)) != (ssize_t)sizeof(a))
			return EFAULT;
		value = a.value;
		c->size = a.size;
		c->xflags = (int)a.flags;
	} else {
		return 0;
	}
	if (c->size > XATTR_SIZE_MAX)
		return E2BIG;
	c->value = xmalloc(c->size ? c->size : 1);
	if (c->size && tracee_read(host_tid(t), value, c->value, c->size) != (ssize_t)c->size)
		return EFAULT;
	return 0;
}

static int copy_args(struct tracee *t, const struct syscall_stop *s, struct attr_change *c)
{
	const struct syscall_entry *e = s->entry;
	int first = arg_of(e, K_FD) >= 0 ? arg_of(e, K_FD) : arg_of(e, K_PATH);

	c->op = attr_op_of(e->flags);
	switch (c->op) {
	case ATTR_MODE:
		c->mode = (mode_t)arg(s, arg_of(e, K_MODE));
		return 0;
	case ATTR_OWNER:
		c->uid = (uid_t)arg(s, first + 1);
		c->gid = (gid_t)arg(s, first + 2);
		return 0;
	case ATTR_UTIMBUF:
	case ATTR_TIMEVAL:
	case ATTR_TIMESPEC:
		if (c->op == ATTR_TIMESPEC && (syscall_at_flags(s) & ~(uint64_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)))
			return EINVAL;
		return copy_times(t, s, arg_of(e, K_PTR), c);
	case ATTR_SETXATTR:
	case ATTR_REMOVEXATTR:
	case ATTR_XATTR_ARGS:
		return copy_xattr(t, s, c);
	case ATTR_NONE:
		break;
	}
	return ENOSYS;
}

/* The thread's cwd as an object (AT_FDCWD with an empty path). */
static int take_cwd(struct tracee *t)
{
	char link[64];
	int fd;

	snprintf(link, sizeof(link), "/proc/%d/cwd", host_tid(t));
	fd = open(link, O_PATH | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int sandbox_as_thread(struct tracee *t, const struct thread_creds *c, struct creds_saved *saved)
{
	static bool said;
	int rc = creds_take_on(host_tid(t), c, saved);

	if (rc < 0 && !said) {
		said = true;
		warn("process %d has credentials picovisor cannot take on (it needs CAP_SETUID, CAP_SETGID and every "
		     "capability the thread has): the calls picovisor makes for it (attribute changes, unix socket "
		     "paths) fail with EPERM",
		     host_tgid(t));
	}
	return rc < 0 ? -EPERM : 0;
}

/*
 * Open the resolved path O_PATH as the thread: with its credentials, following
 * no symlink (the resolution followed those it meant to; one that appeared
 * since is a race, and the walk is tried again). The descriptor or -errno.
 */
static int open_resolved(struct tracee *t, const struct thread_creds *c, const char *resolved, bool follow)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW),
				.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
	struct creds_saved saved;
	int rc = sandbox_as_thread(t, c, &saved), fd;

	if (rc < 0)
		return rc;
	fd = (int)syscall(SYS_openat2, AT_FDCWD, resolved, &how, sizeof(how));
	fd = fd < 0 ? -errno : fd;
	creds_restore(&saved);
	return fd;
}

int sandbox_take_path(struct tracee *t, const struct thread_creds *c, int dirfd, const char *path, bool follow)
{
	char *resolved = xmalloc(PATH_MAX + 2);
	size_t len = strlen(path);
	int fd = -ELOOP;

	for (int attempt = 0; attempt < 3 && fd == -ELOOP; attempt++) {
		int rc = path_resolve(host_tid(t), host_tgid(t), dirfd, path, follow, resolved, PATH_MAX);

		if (rc == PATH_NOT_A_FILE)
			rc = -EOPNOTSUPP; /* a pipe or socket through /proc/PID/fd: not served */
		if (rc < 0) {
			fd = rc;
			break;
		}
		if (path[len - 1] == '/' && strcmp(resolved, "/") != 0)
			strcat(resolved, "/"); /* "file/" is ENOTDIR, as the kernel says */
		fd = open_resolved(t, c, resolved, follow);
	}
	free(resolved);
	return fd;
}

/*
 * The object the call names: a descriptor of picovisor's (by_fd: the call
 * names an open file, not a path; -errno otherwise).
 */
static int take_object(struct tracee *t, const struct thread_creds *c, const struct syscall_stop *s, bool *by_fd)
{
	const struct syscall_entry *e = s->entry;
	struct path_arg a[2];
	int fdarg = arg_of(e, K_FD);
	char path[PATH_MAX];
	ssize_t len;
	uint64_t ptr;

	*by_fd = fdarg >= 0;
	if (*by_fd)
		return tracee_take_fd(host_tid(t), host_tgid(t), (int)arg(s, fdarg));
	if (path_args_of(s, 0, a) < 1)
		return -EINVAL;
	ptr = arg(s, a[0].index);
	if (ptr == 0 && a[0].dirfd != AT_FDCWD && (attr_op_of(e->flags) == ATTR_TIMESPEC || attr_op_of(e->flags) == ATTR_TIMEVAL)) {
		*by_fd = true; /* utimensat(fd, NULL), futimesat(fd, NULL): the open file */
		return tracee_take_fd(host_tid(t), host_tgid(t), a[0].dirfd);
	}
	len = tracee_read_string(host_tid(t), ptr, path, sizeof(path));
	if (len < 0)
		return (int)len;
	if (len == 0 && a[0].empty_is_fd && (syscall_at_flags(s) & AT_EMPTY_PATH))
		return a[0].dirfd == AT_FDCWD ? take_cwd(t) : tracee_take_fd(host_tid(t), host_tgid(t), a[0].dirfd);
	if (len == 0)
		return -ENOENT;
	return sandbox_take_path(t, c, a[0].dirfd, path, a[0].follow);
}

/*
 * An xattr through a path: on the object through /proc/self/fd/N (xattr calls
 * refuse O_PATH descriptors). A symlink's own xattrs are not served: EPERM,
 * what the kernel says for user.* on a symlink.
 */
static long xattr_on_path(int obj, bool is_link, const struct attr_change *c)
{
	char proc[64];
	long rc;

	if (is_link)
		return -EPERM;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", obj);
	rc = c->op == ATTR_REMOVEXATTR ? removexattr(proc, c->name) : setxattr(proc, c->name, c->value, c->size, c->xflags);
	return rc < 0 ? -errno : 0;
}

/* Make the change on the object (with the thread's credentials in force): 0 or -errno. */
static long perform(int obj, bool by_fd, const struct attr_change *c)
{
	const struct timespec *ts = c->times_null ? NULL : c->times;
	struct stat st;
	bool is_link = fstat(obj, &st) == 0 && S_ISLNK(st.st_mode);
	char proc[64];
	long rc;

	/* An O_PATH descriptor names no open file for fchmod and its kin: EBADF, as the kernel says. */
	if (by_fd && (fcntl(obj, F_GETFL) & O_PATH))
		return -EBADF;
	switch (c->op) {
	case ATTR_MODE:
		if (by_fd) {
			rc = fchmod(obj, c->mode);
		} else if (is_link) {
			return -EOPNOTSUPP; /* a symlink's mode does not change */
		} else {
			snprintf(proc, sizeof(proc), "/proc/self/fd/%d", obj);
			rc = chmod(proc, c->mode);
		}
		break;
	case ATTR_OWNER:
		rc = by_fd ? fchown(obj, c->uid, c->gid) : fchownat(obj, "", c->uid, c->gid, AT_EMPTY_PATH);
		break;
	case ATTR_UTIMBUF:
	case ATTR_TIMEVAL:
	case ATTR_TIMESPEC:
		rc = by_fd ? futimens(obj, ts) : utimensat(obj, "", ts, AT_EMPTY_PATH);
		break;
	case ATTR_SETXATTR:
	case ATTR_XATTR_ARGS:
		if (!by_fd)
			return xattr_on_path(obj, is_link, c);
		rc = fsetxattr(obj, c->name, c->value, c->size, c->xflags);
		break;
	case ATTR_REMOVEXATTR:
		if (!by_fd)
			return xattr_on_path(obj, is_link, c);
		rc = fremovexattr(obj, c->name);
		break;
	case ATTR_NONE:
	default:
		return -ENOSYS;
	}
	return rc < 0 ? -errno : 0;
}

enum check_result sandbox_decide_object(struct tracee *t, const struct syscall_stop *s, int obj, unsigned need)
{
	char link[64], path[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", obj);
	n = readlink(link, path, sizeof(path) - 1);
	if (n < 0)
		return sandbox_refuse(t, s, EACCES, false, NULL, "the object has no name to decide a rule by");
	path[n] = '\0';
	if (path[0] != '/')
		return CHECK_PASS;
	if (n > 10 && strcmp(path + n - 10, " (deleted)") == 0)
		path[n - 10] = '\0';
	return sandbox_check_resolved(t, s, path, need, NULL);
}

void sandbox_serve_attr(struct tracee *t, const struct syscall_stop *s)
{
	struct attr_change c;
	struct thread_creds *creds = xmalloc(sizeof(*creds)); /* read once: a stopped thread's do not change */
	struct creds_saved saved;
	bool by_fd = false;
	int obj, err;
	long ret;

	memset(&c, 0, sizeof(c));
	err = copy_args(t, s, &c);
	if (!err)
		err = -thread_creds_read(host_tid(t), creds);
	if (err) {
		sandbox_fail_call(t, s, err);
		goto out;
	}
	obj = take_object(t, creds, s, &by_fd);
	if (obj < 0) {
		sandbox_fail_call(t, s, -obj);
		goto out;
	}
	if (sandbox_decide_object(t, s, obj, PERM_W) == CHECK_DONE) {
		close(obj);
		goto out;
	}
	ret = sandbox_as_thread(t, creds, &saved);
	if (ret == 0) {
		ret = perform(obj, by_fd, &c);
		creds_restore(&saved);
	}
	close(obj);
	sandbox_answer(t, s, ret);
out:
	free(creds);
	free(c.value);
}
