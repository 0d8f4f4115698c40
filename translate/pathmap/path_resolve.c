/*
 * Resolving a tracee's path as the kernel would (include/path_access.h), one
 * component at a time, from the supervisor (the walker of include/path_walk.h
 * with the host view's policy): /proc/self and the magic links of /proc/PID
 * (fd/N, cwd, root, exe) are the tracee's, not picovisor's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path_access.h"
#include "path_walk.h"
#include "util.h"

_Static_assert(PATH_NOT_A_FILE == PATH_WALK_NOT_A_FILE, "the walker's result is path_resolve's");

bool proc_magic_link(const char *path)
{
	const char *p;
	char *end;

	if (strncmp(path, "/proc/", 6) != 0)
		return false;
	strtol(path + 6, &end, 10);
	if (end == path + 6 || *end != '/')
		return false;
	p = end + 1;
	if (strncmp(p, "task/", 5) == 0) {
		strtol(p + 5, &end, 10);
		if (end == p + 5 || *end != '/')
			return false;
		p = end + 1;
	}
	return strcmp(p, "cwd") == 0 || strcmp(p, "root") == 0 || strcmp(p, "exe") == 0 ||
	       (strncmp(p, "fd/", 3) == 0 && p[3]) || (strncmp(p, "map_files/", 10) == 0 && p[10]);
}

static int read_link(const char *path, char *buf, size_t size)
{
	ssize_t n = readlink(path, buf, size - 1);

	if (n < 0)
		return -errno;
	if ((size_t)n >= size - 1)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	return 0;
}

void path_pop(char *out)
{
	char *slash = strrchr(out, '/');

	if (slash == out)
		out[1] = '\0';
	else if (slash)
		*slash = '\0';
}

int path_prepend(char *rest, size_t size, const char *target)
{
	size_t tl = strlen(target), rl = strlen(rest);

	if (tl + 1 + rl >= size)
		return -ENAMETOOLONG;
	memmove(rest + tl + 1, rest, rl + 1);
	memcpy(rest, target, tl);
	rest[tl] = '/';
	return 0;
}

int path_push(char *out, size_t size, const char *name, size_t len)
{
	size_t n = strlen(out);

	if (n + 1 + len + 1 > size)
		return -ENAMETOOLONG;
	if (n > 1)
		out[n++] = '/';
	memcpy(out + n, name, len);
	out[n + len] = '\0';
	return 0;
}

int path_resolve(pid_t tid, pid_t tgid, int dirfd, const char *path, bool follow_last, char *out, size_t size)
{
	return path_resolve_walk(tid, tgid, dirfd, path, follow_last, out, size, NULL);
}

int path_resolve_walk(pid_t tid, pid_t tgid, int dirfd, const char *path, bool follow_last, char *out, size_t size,
		      struct path_links *links)
{
	/* rest: what is still to walk; it grows at the front when a symlink is followed. */
	char *rest = xmalloc(2 * PATH_MAX + 2), *name = xmalloc(PATH_MAX), target[PATH_MAX], link[64];
	/* The host view: every name as it is, what lstat cannot see kept for the kernel to judge. */
	struct path_walk w = {
		.root = "/", .flags = WALK_KEEP_MISSING | (follow_last ? WALK_FOLLOW_LAST : 0), .tid = tid, .tgid = tgid,
	};
	int rc = 0;

	if (links)
		memset(links, 0, sizeof(*links));

	if (strlen(path) >= PATH_MAX) {
		rc = -ENAMETOOLONG;
		goto out;
	}
	strcpy(rest, path);
	if (path[0] == '/') {
		strcpy(name, "/");
	} else {
		if (dirfd == AT_FDCWD)
			snprintf(link, sizeof(link), "/proc/%d/cwd", tid);
		else
			snprintf(link, sizeof(link), "/proc/%d/fd/%d", tid, dirfd);
		rc = read_link(link, target, sizeof(target));
		if (rc < 0) {
			rc = rc == -ENOENT ? -EBADF : rc;
			goto out;
		}
		if (target[0] != '/') { /* a pipe or socket as a directory */
			out[0] = '\0';
			rc = path[0] ? -ENOTDIR : PATH_NOT_A_FILE;
			goto out;
		}
		if (strlen(target) >= size) {
			rc = -ENAMETOOLONG;
			goto out;
		}
		strcpy(name, target);
	}
	rc = path_walk(&w, rest, name, NULL);
	if (links) {
		links->magic = w.via_magic;
		links->unnamed = w.via_unnamed;
		snprintf(links->link, sizeof(links->link), "%s", w.magic_link);
	}
	if (rc < 0)
		goto out;
	if (strlen(name) >= size) {
		rc = -ENAMETOOLONG;
		goto out;
	}
	strcpy(out, name);
out:
	free(rest);
	free(name);
	return rc;
}
