/* The guest view's mount table (include/guest_view.h): built once before the run, then only read. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "guest_view.h"
#include "util.h"

static struct guest_view the_view;

const struct guest_view *guest_view(void)
{
	return the_view.n ? &the_view : NULL;
}

int path_normalise(const char *in, char *out, size_t size)
{
	size_t n = 0;
	const char *p = in;

	if (size < 2)
		return -ENAMETOOLONG;
	out[n++] = '/';
	out[n] = '\0';
	while (*p) {
		size_t len;

		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if (len == 0)
			break;
		if (len == 1 && p[0] == '.') {
			/* nothing */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (n > 1 && out[n - 1] != '/')
				n--;
			if (n > 1)
				n--; /* the slash before the dropped name */
			out[n] = '\0';
		} else {
			if (n + (n > 1) + len + 1 > size)
				return -ENAMETOOLONG;
			if (n > 1)
				out[n++] = '/';
			memcpy(out + n, p, len);
			n += len;
			out[n] = '\0';
		}
		p += len;
	}
	return 0;
}

/* Is path equal to prefix or below it (prefix normalised; "/" is everything's prefix)? */
static bool has_prefix(const char *path, const char *prefix, size_t len)
{
	if (len == 1 && prefix[0] == '/')
		return path[0] == '/';
	return strncmp(path, prefix, len) == 0 && (path[len] == '\0' || path[len] == '/');
}

/* path with its first len bytes replaced by with (a prefix swap at a component boundary). */
static int swap_prefix(const char *path, size_t len, const char *with, size_t with_len, char *out, size_t size)
{
	const char *rest = path + len;
	size_t rest_len = strlen(rest);

	if (with_len == 1 && with[0] == '/' && rest_len) /* "/" + "/x" is "/x" */
		with_len = 0;
	if (with_len + rest_len + 1 > size)
		return -ENAMETOOLONG;
	memmove(out + with_len, rest, rest_len + 1); /* out may be path */
	memcpy(out, with, with_len);
	if (!out[0])
		strcpy(out, "/");
	return 0;
}

const struct guest_mount *view_mount_of(const struct guest_view *v, const char *guest)
{
	for (size_t i = 0; i < v->n; i++) /* longest first */
		if (has_prefix(guest, v->mounts[i].guest, v->mounts[i].guest_len))
			return &v->mounts[i];
	return NULL;
}

int view_to_host(const struct guest_view *v, const char *guest, char *out, size_t size)
{
	const struct guest_mount *m = view_mount_of(v, guest);

	if (!m) {
		if (strlen(guest) + 1 > size)
			return -ENAMETOOLONG;
		if (out != guest)
			strcpy(out, guest);
		return 0;
	}
	return swap_prefix(guest, m->guest_len, m->host, m->host_len, out, size);
}

int view_to_guest(const struct guest_view *v, const char *host, char *out, size_t size)
{
	const struct guest_mount *best = NULL;

	for (size_t i = 0; i < v->n; i++)
		if (has_prefix(host, v->mounts[i].host, v->mounts[i].host_len) &&
		    (!best || v->mounts[i].host_len > best->host_len))
			best = &v->mounts[i];
	if (!best) {
		if (strlen(host) + 1 > size)
			return -ENAMETOOLONG;
		if (out != host)
			strcpy(out, host);
		return 0;
	}
	return swap_prefix(host, best->host_len, best->guest, best->guest_len, out, size);
}

bool view_host_read_only(const struct guest_view *v, const char *host)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->mounts[i].read_only && has_prefix(host, v->mounts[i].host, v->mounts[i].host_len))
			return true;
	return false;
}

size_t view_children(const struct guest_view *v, const char *dir, const struct guest_mount **out, size_t max)
{
	size_t dlen = strlen(dir), n = 0;

	for (size_t i = 0; i < v->n && n < max; i++) {
		const struct guest_mount *m = &v->mounts[i];
		const char *rest;

		if (m->guest_len <= dlen || !has_prefix(m->guest, dir, dlen))
			continue;
		rest = m->guest + (dlen == 1 ? 1 : dlen + 1);
		if (!strchr(rest, '/'))
			out[n++] = m;
	}
	return n;
}

/* held: a tmp's directory (NULL for a map). */
static int add_mount(const char *guest, const char *host, bool read_only, const struct held_dir *held, char *err,
		     size_t errsize)
{
	char norm[PATH_MAX];
	struct guest_mount *m;

	if (guest[0] != '/' || path_normalise(guest, norm, sizeof(norm)) < 0) {
		snprintf(err, errsize, "guest path '%s' must be absolute (and shorter than PATH_MAX)", guest);
		return -1;
	}
	for (size_t i = 0; i < the_view.n; i++)
		if (strcmp(the_view.mounts[i].guest, norm) == 0) {
			snprintf(err, errsize, "guest path %s is mapped twice (to %s and %s): keep one", norm,
				 the_view.mounts[i].host, host);
			return -1;
		}
	the_view.mounts = xrealloc(the_view.mounts, (the_view.n + 1) * sizeof(*the_view.mounts));
	m = &the_view.mounts[the_view.n++];
	m->guest = xstrdup(norm);
	m->host = xstrdup(host);
	m->guest_len = strlen(m->guest);
	m->host_len = strlen(m->host);
	m->read_only = read_only;
	m->tmp = held != NULL;
	if (held)
		m->held = *held;
	else
		m->held = (struct held_dir){ .parent_fd = -1, .fd = -1 };
	/* Longest guest path first: the first prefix found is the deciding mapping. */
	for (size_t i = the_view.n - 1; i > 0 && the_view.mounts[i - 1].guest_len < the_view.mounts[i].guest_len; i--) {
		struct guest_mount swap = the_view.mounts[i - 1];
		the_view.mounts[i - 1] = the_view.mounts[i];
		the_view.mounts[i] = swap;
	}
	return 0;
}

int guest_view_add_map(const char *guest, const char *host, bool read_only, const char *launch_dir, char *err,
		       size_t errsize)
{
	char *joined = host[0] == '/' ? xstrdup(host) : xasprintf("%s/%s", launch_dir, host);
	char real[PATH_MAX];
	struct stat st;
	int rc = -1;

	if (!realpath(joined, real) || stat(real, &st) < 0) {
		snprintf(err, errsize, "map %s %s: the host directory %s: %s", guest, host, joined, strerror(errno));
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errsize, "map %s %s: the host path %s is not a directory (only directories can be mapped)",
			 guest, host, real);
		goto out;
	}
	rc = add_mount(guest, real, read_only, NULL, err, errsize);
out:
	free(joined);
	return rc;
}

int guest_view_add_tmp(const char *guest, const char *tmp_base, char *err, size_t errsize)
{
	struct held_dir held;
	char *dir = NULL, real[PATH_MAX];
	int rc = held_dir_make(&held, tmp_base, "picovisor-tmp", &dir);

	if (rc < 0 || !realpath(dir, real)) {
		snprintf(err, errsize, "tmp %s: cannot make its private directory in %s: %s", guest, tmp_base,
			 strerror(rc < 0 ? -rc : errno));
		if (rc == 0)
			held_dir_remove(&held);
		free(dir);
		return -1;
	}
	free(dir);
	rc = add_mount(guest, real, false, &held, err, errsize);
	if (rc < 0)
		held_dir_remove(&held);
	return rc;
}

int guest_view_finish(char *err, size_t errsize)
{
	for (size_t i = 0; i < the_view.n; i++) {
		const struct guest_mount *m = &the_view.mounts[i];
		char parent[PATH_MAX], host[PATH_MAX];
		struct stat st;
		char *slash;

		if (m->guest_len == 1)
			continue;
		strcpy(parent, m->guest);
		slash = strrchr(parent, '/');
		slash[slash == parent ? 1 : 0] = '\0';
		if (view_to_host(&the_view, parent, host, sizeof(host)) < 0 || stat(host, &st) < 0 ||
		    !S_ISDIR(st.st_mode)) {
			snprintf(err, errsize,
				 "%s %s: its guest parent %s is not a directory in the guest view (host %s); "
				 "map a directory there too or choose a guest path whose parent exists",
				 m->tmp ? "tmp" : "map", m->guest, parent, host);
			return -1;
		}
	}
	return 0;
}

void guest_view_cleanup(bool keep)
{
	for (size_t i = 0; i < the_view.n; i++) {
		if (the_view.mounts[i].tmp) {
			if (keep) {
				warn("the private directory of tmp %s is kept: %s", the_view.mounts[i].guest,
				     the_view.mounts[i].host);
				held_dir_release(&the_view.mounts[i].held);
			} else {
				held_dir_remove(&the_view.mounts[i].held);
			}
		}
		free(the_view.mounts[i].guest);
		free(the_view.mounts[i].host);
	}
	free(the_view.mounts);
	memset(&the_view, 0, sizeof(the_view));
}
