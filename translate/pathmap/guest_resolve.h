/*
 * Resolving a tracee's path in the guest view (include/guest_view.h), as the
 * kernel would resolve it if the mappings were mounts: relative to the guest
 * name of the thread's cwd or of the dirfd, symlinks followed in the guest
 * view (an absolute target starts again at the guest root), ".." of a mapping
 * root is its guest parent, openat2's RESOLVE_* flags honoured.
 */
#ifndef PICOVISOR_GUEST_RESOLVE_H
#define PICOVISOR_GUEST_RESOLVE_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "guest_view.h"

struct guest_lookup {
	pid_t tid, tgid;
	int dirfd;        /* AT_FDCWD or the tracee's fd */
	const char *path; /* not empty: an empty path is the caller's (AT_EMPTY_PATH) */
	bool follow_last; /* follow a final symlink (a trailing slash always does) */
	unsigned resolve; /* openat2's RESOLVE_* flags, 0 for the other calls */
};

struct guest_resolved {
	char guest[PATH_MAX]; /* the guest's name for it, without symlinks (the last one if not followed) */
	char host[PATH_MAX];  /* what the kernel is to be given: absolute */
	bool magic;           /* host is a /proc magic link the kernel must follow itself (the file it is open on) */
};

/* 0 or -errno (ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG, EBADF, EXDEV, EACCES) as the kernel would fail. */
int guest_resolve(const struct guest_view *v, const struct guest_lookup *q, struct guest_resolved *out);

/* The guest name of a tracee fd's file or of its cwd (fd AT_FDCWD). 0, -EBADF, -ENOTDIR (not a file), -ENOENT (deleted). */
int guest_name_of_fd(const struct guest_view *v, pid_t tid, int fd, char *out, size_t size);

#endif
