/*
 * Path translation's guest view of the filesystem (docs/policy.md, "Maps"):
 * the host's own tree, with host directories mapped over guest paths
 * (`map GUEST HOST [ro]`) and private empty directories seen at guest paths
 * (`tmp GUEST`). The longest guest prefix decides; every path outside the
 * mappings is the host path of the same name.
 *
 * Resolution in this view (translate/pathmap/guest_resolve.c) and the serving of
 * path-bearing calls (translate/pathmap/path_translate.c) are built on it.
 */
#ifndef PICOVISOR_GUEST_VIEW_H
#define PICOVISOR_GUEST_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "held_dir.h"

struct guest_mount {
	char *guest;       /* absolute, normalised, no trailing slash ("/" only for the root) */
	char *host;        /* absolute, without symlinks: a directory that existed at the start */
	size_t guest_len, host_len;
	bool read_only;    /* nothing under host is written through the run */
	bool tmp;          /* a private empty directory, removed at the end */
	struct held_dir held; /* tmp: the directory, held for its removal (held_dir.h) */
};

struct guest_view {
	struct guest_mount *mounts; /* longest guest path first */
	size_t n;
};

/* The run's view, or NULL when nothing is mapped (no translation at all). */
const struct guest_view *guest_view(void);

/*
 * Add a mapping (host relative to launch_dir; missing, not a directory or a
 * guest path of "/" used twice is an error) or a tmp (tmp_base: where the
 * private directory is made). 0, or -1 with err.
 */
int guest_view_add_map(const char *guest, const char *host, bool read_only, const char *launch_dir, char *err,
		       size_t errsize);
int guest_view_add_tmp(const char *guest, const char *tmp_base, char *err, size_t errsize);
/* After the last add: check each guest path's parent exists in the view; 0 or -1 with err. */
int guest_view_finish(char *err, size_t errsize);
/* Remove the tmp directories (unless keep), forget the view. */
void guest_view_cleanup(bool keep);

/* Lexically normalise an absolute path: no "." or "..", no double or trailing slash. 0 or -ENAMETOOLONG. */
int path_normalise(const char *in, char *out, size_t size);

/* The mount whose guest path is the longest prefix of guest (normalised), or NULL. */
const struct guest_mount *view_mount_of(const struct guest_view *v, const char *guest);
/* Host path of a normalised guest path (no symlinks looked at). 0 or -ENAMETOOLONG. */
int view_to_host(const struct guest_view *v, const char *guest, char *out, size_t size);
/* Guest name of a host path: the mapping with the longest host prefix, else the same name. 0 or -ENAMETOOLONG. */
int view_to_guest(const struct guest_view *v, const char *host, char *out, size_t size);
/* Is a host path under a read-only mapping's directory? */
bool view_host_read_only(const struct guest_view *v, const char *host);
/*
 * The mount points directly below guest directory dir (their last component),
 * for directory listings: up to max names; returns how many.
 */
size_t view_children(const struct guest_view *v, const char *dir, const struct guest_mount **out, size_t max);

#endif
