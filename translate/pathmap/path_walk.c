/*
 * The one path walker (include/path_walk.h). Its callers differ in policy
 * only: the host view keeps what it cannot see for the kernel to judge, the
 * guest view and the NT namespace fail where the kernel would, the NT
 * namespace never follows a symlink and finds names ignoring case.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path_access.h"
#include "path_walk.h"

static int host_of(struct path_walk *w, const char *name, char *host)
{
	if (w->host_of)
		return w->host_of(w->ctx, name, host, PATH_MAX);
	if (strlen(name) >= PATH_MAX)
		return -ENAMETOOLONG;
	strcpy(host, name);
	return 0;
}

static int name_of_host(struct path_walk *w, const char *host, char *name)
{
	if (w->name_of_host)
		return w->name_of_host(w->ctx, host, name, PATH_MAX);
	if (strlen(host) >= PATH_MAX)
		return -ENAMETOOLONG;
	strcpy(name, host);
	return 0;
}

static const void *mount_of(struct path_walk *w, const char *name)
{
	return w->mount_of ? w->mount_of(w->ctx, name) : NULL;
}

/* lstat the walked name's host file; where it is missing, the entry find_entry knows under another name. */
static int look(struct path_walk *w, char *name, char *host, struct stat *st)
{
	char *slash, *real;
	int rc;

	if (lstat(host, st) == 0)
		return 0;
	rc = -errno;
	if (rc != -ENOENT || !w->find_entry || !(slash = strrchr(host, '/')))
		return rc;
	*slash = '\0';
	real = w->find_entry(w->ctx, slash == host ? "/" : host, slash + 1);
	*slash = '/';
	if (!real)
		return rc;
	path_pop(name);
	rc = path_push(name, PATH_MAX, real, strlen(real));
	free(real);
	if (rc < 0 || (rc = host_of(w, name, host)) < 0)
		return rc;
	return lstat(host, st) == 0 ? 0 : -errno;
}

/* A magic link's target that names no file a path can reach: a pipe or socket, a deleted file, a memfd. */
static bool unnamed_target(const char *target)
{
	size_t n = strlen(target);

	return target[0] != '/' || (n > 10 && strcmp(target + n - 10, " (deleted)") == 0);
}

int path_walk(struct path_walk *w, char *rest, char *name, char *host_out)
{
	char target[PATH_MAX + 1], hostbuf[PATH_MAX];
	char *host = host_out ? host_out : hostbuf;
	bool keep = w->flags & WALK_KEEP_MISSING;
	int links = 0, rc = 0;
	dev_t start_dev = 0;
	struct stat st;

	w->exists = true;
	w->is_dir = true;
	w->magic = false;
	w->via_magic = w->via_unnamed = false;
	w->magic_link[0] = '\0';
	w->symlink = false;
	if ((w->flags & WALK_NO_XDEV) && host_of(w, name, host) == 0 && stat(host, &st) == 0)
		start_dev = st.st_dev;
	for (;;) {
		char *s = rest, *comp;
		size_t len;
		bool last, dotdot;
		const void *before, *after;

		if (w->flags & WALK_EVERY_SEPARATOR) {
			if (!*s)
				break;
			comp = s;
			len = strcspn(comp, "/");
			s = comp + len;
			last = !*s;
			if (*s)
				s++;
		} else {
			while (*s == '/')
				s++;
			if (!*s)
				break;
			comp = s;
			len = strcspn(comp, "/");
			s = comp + len;
			last = true;
			for (const char *p = s; *p; p++)
				if (*p != '/')
					last = false;
		}
		if (w->check_name && (rc = w->check_name(w->ctx, comp, len)) < 0)
			return rc;
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		if (len == 1 && comp[0] == '.') {
			memmove(rest, s, strlen(s) + 1);
			continue;
		}
		before = mount_of(w, name);
		dotdot = len == 2 && comp[0] == '.' && comp[1] == '.';
		if (dotdot) {
			memmove(rest, s, strlen(s) + 1);
			if (strcmp(name, w->root) == 0) {
				if (w->flags & WALK_BENEATH)
					return -EXDEV;
				continue; /* ".." of the root is the root */
			}
			path_pop(name);
			if (keep)
				continue; /* the host view looks again at nothing it walked */
		} else {
			rc = path_push(name, PATH_MAX, comp, len);
			memmove(rest, s, strlen(s) + 1);
			if (rc < 0)
				return rc;
		}
		after = mount_of(w, name);
		if ((w->flags & WALK_NO_XDEV) && before != after)
			return -EXDEV;
		/* /proc/self and /proc/thread-self name the looking process: the tracee, not us. */
		if (w->tgid && !after && (!last || (w->flags & (WALK_FOLLOW_LAST | WALK_PROC_SELF_LAST)))) {
			if (strcmp(name, "/proc/self") == 0) {
				snprintf(name, PATH_MAX, "/proc/%d", w->tgid);
				if (keep)
					continue;
			} else if (strcmp(name, "/proc/thread-self") == 0) {
				snprintf(name, PATH_MAX, "/proc/%d/task/%d", w->tgid, w->tid);
				if (keep)
					continue;
			}
		}
		rc = host_of(w, name, host);
		if (rc < 0)
			return rc;
		rc = look(w, name, host, &st);
		if (rc < 0) {
			if (keep)
				continue; /* kept as written: the kernel will say ENOENT */
			if (rc == -ENOENT && last) {
				w->exists = false; /* a name to create, or ENOENT from the kernel */
				w->is_dir = false;
				break;
			}
			return rc; /* a missing directory on the way: ENOENT, as the kernel says */
		}
		w->is_dir = S_ISDIR(st.st_mode);
		if (!keep && !last && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode))
			return -ENOTDIR;
		if (start_dev && st.st_dev != start_dev)
			return -EXDEV;
		if (!S_ISLNK(st.st_mode))
			continue;
		if (last && !(w->flags & WALK_FOLLOW_LAST))
			break;
		if (w->flags & WALK_NO_SYMLINKS) {
			w->symlink = true;
			return -ELOOP;
		}
		if (++links > PATH_WALK_MAX_SYMLINKS)
			return -ELOOP;
		{
			ssize_t n = readlink(host, target, PATH_MAX);

			if (n < 0)
				return -errno;
			if (n >= PATH_MAX)
				return -ENAMETOOLONG; /* longer than a symlink can be: a magic link's name */
			target[n] = '\0';
		}
		if (proc_magic_link(host)) {
			if (w->flags & (WALK_NO_MAGICLINKS | WALK_BENEATH | WALK_IN_ROOT))
				return (w->flags & WALK_NO_MAGICLINKS) ? -ELOOP : -EXDEV;
			w->via_magic = true;
			w->via_unnamed |= unnamed_target(target);
			snprintf(w->magic_link, sizeof(w->magic_link), "%s", host);
			if (last && (w->flags & WALK_KEEP_FINAL_MAGIC)) {
				w->magic = true; /* the kernel jumps to the open file itself */
				break;
			}
			/* The kernel jumps to the open file itself; its name is what readlink says. */
			if (target[0] != '/')
				return last ? PATH_WALK_NOT_A_FILE : -ENOTDIR;
			rc = name_of_host(w, target, name);
			if (rc < 0)
				return rc;
			continue;
		}
		if (target[0] == '/' && (w->flags & WALK_BENEATH))
			return -EXDEV;
		rc = path_prepend(rest, 2 * PATH_MAX, target);
		if (rc < 0)
			return rc;
		if (target[0] == '/')
			strcpy(name, w->root); /* an absolute target starts again at the root */
		else
			path_pop(name);
	}
	return host_of(w, name, host);
}
