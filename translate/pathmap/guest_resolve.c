/*
 * Guest-view path resolution (translate/pathmap/guest_resolve.h). A fast path asks the
 * kernel whether the lexical host path holds any symlink at all (openat2 with
 * RESOLVE_NO_SYMLINKS): if not, the lexical answer is the answer. Otherwise
 * the walk goes one component at a time (the walker of include/path_walk.h,
 * as for the host view), switching to the host path of each guest prefix.
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
#include "path_walk.h"
#include "util.h"

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

/* The guest view's policy for the walker (include/path_walk.h): names are guest names, files the host's. */
static int view_host_of(void *ctx, const char *guest, char *host, size_t size)
{
	return view_to_host(ctx, guest, host, size);
}

static int view_guest_of(void *ctx, const char *host, char *guest, size_t size)
{
	return view_to_guest(ctx, host, guest, size);
}

static const void *view_mount(void *ctx, const char *guest)
{
	return view_mount_of(ctx, guest);
}

/*
 * The component walk. guest holds the starting directory's guest name; rest
 * the path still to walk. root: where "/" and ".." stop (the guest root, or
 * the dirfd's directory for RESOLVE_IN_ROOT / RESOLVE_BENEATH).
 */
static int walk(const struct guest_view *v, const struct guest_lookup *q, const char *root, char *rest,
		struct guest_resolved *out)
{
	struct path_walk w = {
		.root = root, .tid = q->tid, .tgid = q->tgid, .ctx = (void *)v,
		.host_of = view_host_of, .name_of_host = view_guest_of, .mount_of = view_mount,
		.flags = WALK_KEEP_FINAL_MAGIC | WALK_PROC_SELF_LAST | (q->follow_last ? WALK_FOLLOW_LAST : 0) |
			 ((q->resolve & RESOLVE_NO_SYMLINKS) ? WALK_NO_SYMLINKS : 0) |
			 ((q->resolve & RESOLVE_NO_MAGICLINKS) ? WALK_NO_MAGICLINKS : 0) |
			 ((q->resolve & RESOLVE_BENEATH) ? WALK_BENEATH : 0) |
			 ((q->resolve & RESOLVE_IN_ROOT) ? WALK_IN_ROOT : 0) |
			 ((q->resolve & RESOLVE_NO_XDEV) ? WALK_NO_XDEV : 0),
	};
	int rc = path_walk(&w, rest, out->guest, out->host);

	out->magic = w.magic;
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
