/*
 * A directory picovisor makes for a run (the tmpdir, a tmp's private
 * directory) and removes after it. The program may do anything inside it,
 * and under a policy that lets it, to the names around it: plant symlinks,
 * rename it away, mount over or inside it. So the directory and its parent
 * are held by descriptors opened before the program starts, the removal
 * works only through descriptors (openat2 without symlinks or mount
 * crossings, unlinkat in the directory it started in), and the name is
 * removed only if it still is that directory.
 */
#ifndef PICOVISOR_HELD_DIR_H
#define PICOVISOR_HELD_DIR_H

#include <sys/types.h>

struct held_dir {
	int parent_fd;  /* O_PATH of the directory it was made in; -1 when not held */
	int fd;         /* the directory itself */
	char *name;     /* its name in the parent */
	dev_t dev;
	ino_t ino;
};

/*
 * Make a fresh directory base/PREFIX-XXXXXX (mkdtemp) and hold it. Its path (malloc'd)
 * goes to *path. 0, or -errno (nothing made).
 */
int held_dir_make(struct held_dir *h, const char *base, const char *prefix, char **path);
/*
 * Remove everything in it and then the directory itself, never leaving it: symlinks are
 * removed, not followed; mount points inside are left alone (as are deeper levels than
 * picovisor walks), and so is the name if it no longer is this directory. Releases h.
 */
void held_dir_remove(struct held_dir *h);
/* Keep the directory (--keep-tmpdir): only release h. */
void held_dir_release(struct held_dir *h);

#endif
