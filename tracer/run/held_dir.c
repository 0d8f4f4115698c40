/* A directory made for the run and removed after it, without following what the program planted (held_dir.h). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "held_dir.h"
#include "util.h"

/* Deeper directories are left (each level holds a descriptor and a stack frame of picovisor's). */
#define MAX_DEPTH 128

int held_dir_make(struct held_dir *h, const char *base, const char *prefix, char **path)
{
	char *tmpl = xasprintf("%s/%s-XXXXXX", base, prefix);
	struct stat st;
	int err;

	h->parent_fd = h->fd = -1;
	h->name = NULL;
	if (!mkdtemp(tmpl)) {
		err = -errno;
		free(tmpl);
		return err;
	}
	h->parent_fd = open(base, O_PATH | O_DIRECTORY | O_CLOEXEC);
	h->name = xstrdup(strrchr(tmpl, '/') + 1);
	if (h->parent_fd >= 0)
		h->fd = openat(h->parent_fd, h->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (h->fd < 0 || fstat(h->fd, &st) < 0) {
		err = -errno;
		rmdir(tmpl);
		held_dir_release(h);
		free(tmpl);
		return err;
	}
	h->dev = st.st_dev;
	h->ino = st.st_ino;
	*path = tmpl;
	return 0;
}

/*
 * A subdirectory of dfd, opened only if it is one: no symlink anywhere, no mount
 * crossed (openat2, Linux 5.6; before it, the device number must match, which a
 * bind mount of the same filesystem passes: docs/architecture.md says so).
 */
static int open_subdir(int dfd, const char *name, dev_t dev)
{
	struct open_how how = { .flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC,
				.resolve = RESOLVE_NO_XDEV | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_BENEATH };
	struct stat st;
	long fd = syscall(SYS_openat2, dfd, name, &how, sizeof(how));

	if (fd < 0 && errno == ENOSYS)
		fd = openat(dfd, name, (int)how.flags);
	if (fd < 0)
		return -1;
	if (fstat((int)fd, &st) < 0 || st.st_dev != dev || !S_ISDIR(st.st_mode)) {
		close((int)fd);
		return -1;
	}
	return (int)fd;
}

static void empty_dir(int dfd, dev_t dev, int depth);

/* One pass over dfd's entries, removing what may go: how many went. */
static int empty_pass(int dfd, DIR *d, dev_t dev, int depth)
{
	struct dirent *e;
	int removed = 0;

	while ((e = readdir(d))) {
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			int sub;

			if (depth >= MAX_DEPTH || st.st_dev != dev)
				continue;
			sub = open_subdir(dfd, e->d_name, dev);
			if (sub < 0)
				continue; /* a mount point, or swapped meanwhile: left alone */
			empty_dir(sub, dev, depth + 1);
			close(sub);
			removed += unlinkat(dfd, e->d_name, AT_REMOVEDIR) == 0;
		} else {
			removed += unlinkat(dfd, e->d_name, 0) == 0; /* a symlink goes, its target stays */
		}
	}
	return removed;
}

/* Remove what dfd holds (dfd stays open; the caller closes it). */
static void empty_dir(int dfd, dev_t dev, int depth)
{
	int lister = dup(dfd);
	DIR *d = lister >= 0 ? fdopendir(lister) : NULL;

	if (!d) {
		if (lister >= 0)
			close(lister);
		return;
	}
	/* A listing need not show every name when names go meanwhile: again, until a pass removes nothing. */
	while (empty_pass(dfd, d, dev, depth) > 0)
		rewinddir(d);
	closedir(d);
}

void held_dir_remove(struct held_dir *h)
{
	struct stat st;

	if (h->fd < 0)
		return;
	empty_dir(h->fd, h->dev, 0);
	/* The name goes only if it still is our directory (not something renamed or planted there). */
	if (fstatat(h->parent_fd, h->name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode) &&
	    st.st_dev == h->dev && st.st_ino == h->ino)
		unlinkat(h->parent_fd, h->name, AT_REMOVEDIR);
	held_dir_release(h);
}

void held_dir_release(struct held_dir *h)
{
	if (h->fd >= 0)
		close(h->fd);
	if (h->parent_fd >= 0)
		close(h->parent_fd);
	free(h->name);
	h->fd = h->parent_fd = -1;
	h->name = NULL;
}
