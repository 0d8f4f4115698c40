/*
 * Resolving a tracee's path as the kernel would (include/path_access.h), one
 * component at a time, from the supervisor: /proc/self and the magic links
 * of /proc/PID (fd/N, cwd, root, exe) are the tracee's, not picovisor's.
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
#include "util.h"

#define MAX_SYMLINKS 40 /* the kernel's limit */

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

/* A magic link's target that names no file a path can reach: a pipe or socket, a deleted file, a memfd. */
static bool unnamed_target(const char *target)
{
	size_t n = strlen(target);

	return target[0] != '/' || (n > 10 && strcmp(target + n - 10, " (deleted)") == 0);
}

int path_resolve_walk(pid_t tid, pid_t tgid, int dirfd, const char *path, bool follow_last, char *out, size_t size,
		      struct path_walk *walk)
{
	/* rest: what is still to walk; it grows at the front when a symlink is followed. */
	char *rest = xmalloc(2 * PATH_MAX + 2), target[PATH_MAX], link[64];
	int links = 0, rc = 0;

	if (walk)
		memset(walk, 0, sizeof(*walk));

	if (strlen(path) >= PATH_MAX) {
		rc = -ENAMETOOLONG;
		goto out;
	}
	strcpy(rest, path);
	if (path[0] == '/') {
		strcpy(out, "/");
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
		strcpy(out, target);
	}
	for (;;) {
		char *s = rest, *comp, name[NAME_MAX + 1];
		size_t len;
		bool last;
		struct stat st;

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
		memcpy(name, comp, len);
		name[len] = '\0';
		s = comp + len;
		while (*s == '/')
			s++;
		last = *s == '\0';
		memmove(rest, s, strlen(s) + 1);
		if (strcmp(name, ".") == 0)
			continue;
		if (strcmp(name, "..") == 0) {
			path_pop(out);
			continue;
		}
		rc = path_push(out, size, name, len);
		if (rc < 0)
			goto out;
		if (last && !follow_last)
			break;
		/* /proc/self and /proc/thread-self name the looking process: the tracee, not us. */
		if (strcmp(out, "/proc/self") == 0) {
			snprintf(out, size, "/proc/%d", tgid);
			continue;
		}
		if (strcmp(out, "/proc/thread-self") == 0) {
			snprintf(out, size, "/proc/%d/task/%d", tgid, tid);
			continue;
		}
		if (lstat(out, &st) < 0 || !S_ISLNK(st.st_mode))
			continue; /* missing components are kept as written: the kernel will say ENOENT */
		if (++links > MAX_SYMLINKS) {
			rc = -ELOOP;
			goto out;
		}
		rc = read_link(out, target, sizeof(target));
		if (rc < 0)
			goto out;
		if (proc_magic_link(out)) {
			if (walk) {
				walk->magic = true;
				walk->unnamed |= unnamed_target(target);
				snprintf(walk->link, sizeof(walk->link), "%s", out);
			}
			/* The kernel jumps to the open file itself; its name is what readlink says. */
			if (target[0] != '/') {
				rc = last ? PATH_NOT_A_FILE : -ENOTDIR;
				goto out;
			}
			if (strlen(target) >= size) {
				rc = -ENAMETOOLONG;
				goto out;
			}
			strcpy(out, target);
			continue;
		}
		rc = path_prepend(rest, 2 * PATH_MAX, target);
		if (rc < 0)
			goto out;
		if (target[0] == '/')
			strcpy(out, "/");
		else
			path_pop(out);
	}
out:
	free(rest);
	return rc;
}
