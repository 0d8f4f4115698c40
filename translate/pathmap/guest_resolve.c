/*
 * Guest-view path resolution (translate/pathmap/guest_resolve.h). A fast path asks the
 * kernel whether the lexical host path holds any symlink at all (openat2 with
 * RESOLVE_NO_SYMLINKS): if not, the lexical answer is the answer. Otherwise
 * the walk goes one component at a time, as translate/pathmap/path_resolve.c does for
 * the host view, switching to the host path of each guest prefix.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "guest_resolve.h"
#include "path_access.h"
#include "util.h"

#define MAX_SYMLINKS 40 /* the kernel's limit */

int guest_name_of_fd(const struct guest_view *v, pid_t tid, int fd, char *out, size_t size)
{
	char link[64], target[PATH_MAX];
	ssize_t n;

	if (fd == AT_FDCWD)
		snprintf(link, sizeof(link), "/proc/%d/cwd", tid);
	else
		snprintf(link, sizeof(link), "/proc/%d/fd/%d", tid, fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return errno == ENOENT ? -EBADF : -errno;
	target[n] = '\0';
	if (target[0] != '/')
		return -ENOTDIR; /* a pipe, socket or anonymous inode */
	if (n > 10 && strcmp(target + n - 10, " (deleted)") == 0 && access(target, F_OK) < 0)
		return -ENOENT;
	return view_to_guest(v, target, out, size);
}

static long openat2_path(const char *path, int flags, unsigned long resolve)
{
	struct open_how how = { .flags = (unsigned long)(flags | O_PATH | O_CLOEXEC), .resolve = resolve };
	long fd = syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));

	if (fd >= 0)
		close((int)fd);
	return fd < 0 ? -errno : 0;
}

/* Does the path have "." or ".." components (which the lexical fast path cannot take)? */
static bool has_dots(const char *path)
{
	for (const char *p = path; *p;) {
		size_t len;

		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
			return true;
		p += len;
	}
	return false;
}

/* Is path the root or below it (both normalised)? */
static bool within(const char *path, const char *root)
{
	size_t n = strlen(root);

	if (n == 1)
		return true;
	return strncmp(path, root, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/*
 * The component walk. guest holds the starting directory's guest name; rest
 * the path still to walk. root: where "/" and ".." stop (the guest root, or
 * the dirfd's directory for RESOLVE_IN_ROOT / RESOLVE_BENEATH).
 */
static int walk(const struct guest_view *v, const struct guest_lookup *q, const char *root, char *rest,
		struct guest_resolved *out)
{
	char target[PATH_MAX];
	char *guest = out->guest, *host = out->host;
	int links = 0, rc = 0;
	dev_t start_dev = 0;
	struct stat st;

	if ((q->resolve & RESOLVE_NO_XDEV) && view_to_host(v, guest, host, PATH_MAX) == 0 && stat(host, &st) == 0)
		start_dev = st.st_dev;
	for (;;) {
		char *s = rest, *comp;
		size_t len;
		bool last;
		const struct guest_mount *before, *after;

		while (*s == '/')
			s++;
		if (!*s)
			break;
		comp = s;
		len = strcspn(comp, "/");
		if (len > NAME_MAX) {
			rc = -ENAMETOOLONG;
			goto out;
		}
		s = comp + len;
		last = true;
		for (const char *p = s; *p; p++)
			if (*p != '/')
				last = false;
		if (len == 1 && comp[0] == '.') {
			memmove(rest, s, strlen(s) + 1);
			continue;
		}
		before = view_mount_of(v, guest);
		if (len == 2 && comp[0] == '.' && comp[1] == '.') {
			memmove(rest, s, strlen(s) + 1);
			if (strcmp(guest, root) == 0) {
				if (q->resolve & RESOLVE_BENEATH) {
					rc = -EXDEV;
					goto out;
				}
				continue; /* ".." of the root is the root */
			}
			path_pop(guest);
		} else {
			rc = path_push(guest, PATH_MAX, comp, len);
			memmove(rest, s, strlen(s) + 1);
			if (rc < 0)
				goto out;
		}
		after = view_mount_of(v, guest);
		if ((q->resolve & RESOLVE_NO_XDEV) && before != after) {
			rc = -EXDEV;
			goto out;
		}
		/* /proc/self and /proc/thread-self name the looking process: the tracee, not us. */
		if (!after && strcmp(guest, "/proc/self") == 0)
			snprintf(guest, PATH_MAX, "/proc/%d", q->tgid);
		else if (!after && strcmp(guest, "/proc/thread-self") == 0)
			snprintf(guest, PATH_MAX, "/proc/%d/task/%d", q->tgid, q->tid);
		rc = view_to_host(v, guest, host, PATH_MAX);
		if (rc < 0)
			goto out;
		if (lstat(host, &st) < 0) {
			if (errno == ENOENT && last)
				break; /* a name to create, or ENOENT from the kernel */
			rc = -errno; /* a missing directory on the way: ENOENT, as the kernel says */
			goto out;
		}
		if (!last && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode)) {
			rc = -ENOTDIR;
			goto out;
		}
		if (start_dev && st.st_dev != start_dev) {
			rc = -EXDEV;
			goto out;
		}
		if (!S_ISLNK(st.st_mode))
			continue;
		if (last && !q->follow_last)
			break;
		if (q->resolve & RESOLVE_NO_SYMLINKS) {
			rc = -ELOOP;
			goto out;
		}
		if (++links > MAX_SYMLINKS) {
			rc = -ELOOP;
			goto out;
		}
		{
			ssize_t n = readlink(host, target, sizeof(target) - 1);
			if (n < 0) {
				rc = -errno;
				goto out;
			}
			target[n] = '\0';
		}
		if (proc_magic_link(host)) {
			if (q->resolve & (RESOLVE_NO_MAGICLINKS | RESOLVE_BENEATH | RESOLVE_IN_ROOT)) {
				rc = (q->resolve & RESOLVE_NO_MAGICLINKS) ? -ELOOP : -EXDEV;
				goto out;
			}
			if (last) {
				out->magic = true; /* the kernel jumps to the open file itself */
				break;
			}
			if (target[0] != '/') {
				rc = -ENOTDIR;
				goto out;
			}
			rc = view_to_guest(v, target, guest, PATH_MAX);
			if (rc < 0)
				goto out;
			continue;
		}
		if (target[0] == '/' && (q->resolve & RESOLVE_BENEATH)) {
			rc = -EXDEV;
			goto out;
		}
		rc = path_prepend(rest, 2 * PATH_MAX, target);
		if (rc < 0)
			goto out;
		if (target[0] == '/')
			strcpy(guest, root); /* an absolute target starts again at the guest root */
		else
			path_pop(guest);
	}
	rc = view_to_host(v, guest, host, PATH_MAX);
out:
	return rc;
}

/* The lexical answer, if the kernel confirms that no symlink is on the way: 1 if it stands, 0 to walk, -errno. */
static int fast_path(const struct guest_view *v, const struct guest_lookup *q, struct guest_resolved *out)
{
	char joined[PATH_MAX], parent[PATH_MAX];
	long rc;

	if (q->path[0] == '/') {
		if (path_normalise(q->path, out->guest, PATH_MAX) < 0)
			return 0;
	} else {
		if (snprintf(joined, sizeof(joined), "%s/%s", out->guest, q->path) >= (int)sizeof(joined) ||
		    path_normalise(joined, out->guest, PATH_MAX) < 0)
			return 0;
	}
	if (strncmp(out->guest, "/proc/", 6) == 0 || view_to_host(v, out->guest, out->host, PATH_MAX) < 0)
		return 0;
	rc = openat2_path(out->host, q->follow_last ? 0 : O_NOFOLLOW, RESOLVE_NO_SYMLINKS);
	if (rc == 0 || rc == -ENOTDIR || rc == -EACCES)
		return 1; /* the kernel will say the same of the same path */
	if (rc != -ENOENT)
		return 0;
	strcpy(parent, out->host);
	path_pop(parent);
	return openat2_path(parent, O_DIRECTORY, RESOLVE_NO_SYMLINKS) == 0 ? 1 : 0;
}

int guest_resolve(const struct guest_view *v, const struct guest_lookup *q, struct guest_resolved *out)
{
	char *rest;
	char root[PATH_MAX], base[PATH_MAX];
	size_t plen = strlen(q->path);
	bool trailing_slash = plen > 1 && q->path[plen - 1] == '/';
	struct guest_lookup lq = *q;
	int rc;

	out->magic = false;
	if (plen >= PATH_MAX)
		return -ENAMETOOLONG;
	if (trailing_slash)
		lq.follow_last = true; /* "link/" is the directory it points to */
	/* The directory a relative path (or RESOLVE_BENEATH/IN_ROOT) starts from, by its guest name. */
	strcpy(base, "/");
	if (q->path[0] != '/' || (q->resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT))) {
		rc = guest_name_of_fd(v, q->tid, q->dirfd, base, sizeof(base));
		if (rc < 0)
			return rc;
	}
	strcpy(out->guest, base);
	if (!q->resolve && !has_dots(q->path)) {
		rc = fast_path(v, &lq, out);
		if (rc != 0)
			goto done;
		strcpy(out->guest, base);
	}
	strcpy(root, (q->resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)) ? base : "/");
	if (q->path[0] == '/') {
		if (q->resolve & RESOLVE_BENEATH)
			return -EXDEV;
		strcpy(out->guest, root);
	}
	rest = xmalloc(2 * PATH_MAX + 2);
	strcpy(rest, q->path);
	rc = walk(v, &lq, root, rest, out);
	free(rest);
	if (rc < 0)
		return rc;
	if ((q->resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)) && !within(out->guest, root))
		return -EXDEV;
done:
	if (trailing_slash && !out->magic && strcmp(out->host, "/") != 0) {
		size_t n = strlen(out->host);
		if (n + 2 > PATH_MAX)
			return -ENAMETOOLONG;
		strcpy(out->host + n, "/"); /* the kernel's check that it is a directory */
	}
	return 0;
}
