/*
 * The one path walker: a name resolved one component at a time from lstat
 * and readlink, as the kernel's path walk does, with a symlink budget and
 * ".." handling. What differs between the views picovisor resolves in is a
 * policy: the host view (translate/pathmap/path_resolve.c: what a tracee's
 * path names on the host), the guest view (translate/pathmap/guest_resolve.c:
 * mappings as mounts, openat2's RESOLVE_* flags) and the NT namespace
 * (translate/nt/nt_path.c: below a drive root, case folded, no symlinks).
 */
#ifndef PICOVISOR_PATH_WALK_H
#define PICOVISOR_PATH_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define PATH_WALK_MAX_SYMLINKS 40 /* the kernel's limit */

enum {
	WALK_FOLLOW_LAST = 1u << 0,     /* follow a final symlink */
	WALK_KEEP_MISSING = 1u << 1,    /* a component lstat cannot see is kept as written (the kernel will say why);
					 * else a missing directory on the way is -ENOENT, a file on the way -ENOTDIR,
					 * and a missing final name ends the walk with exists false */
	WALK_NO_SYMLINKS = 1u << 2,     /* any symlink it would follow fails the walk with -ELOOP */
	WALK_NO_MAGICLINKS = 1u << 3,   /* a /proc magic link fails the walk with -ELOOP */
	WALK_BENEATH = 1u << 4,         /* ".." above root, an absolute target or a magic link: -EXDEV */
	WALK_IN_ROOT = 1u << 5,         /* a magic link: -EXDEV (root is where "/" starts again) */
	WALK_NO_XDEV = 1u << 6,         /* crossing a mount (or a mapping): -EXDEV */
	WALK_KEEP_FINAL_MAGIC = 1u << 7, /* a final magic link is left for the kernel to follow (magic set) */
	WALK_PROC_SELF_LAST = 1u << 8,  /* /proc/self names the tracee even as an unfollowed final name */
	WALK_EVERY_SEPARATOR = 1u << 9, /* each '/' ends one component, an empty one too (check_name judges it),
					 * and nothing follows a final one (NT's "a\\" is "a" on the way to nothing) */
};

struct path_walk {
	/* The policy. */
	const char *root;   /* where ".." stops and an absolute symlink target starts again */
	unsigned flags;     /* WALK_* */
	pid_t tid, tgid;    /* /proc/self and /proc/thread-self name this thread (0: names are left alone) */
	void *ctx;
	/* The host name to lstat for a walked name (the guest view's mappings); NULL: the name itself. 0 or -errno. */
	int (*host_of)(void *ctx, const char *name, char *host, size_t size);
	/* The walked name of an absolute host name (a magic link's target); NULL: the host name itself. */
	int (*name_of_host)(void *ctx, const char *host, char *name, size_t size);
	/* What a walked name is mounted on (RESOLVE_NO_XDEV's mappings); NULL: nothing. */
	const void *(*mount_of)(void *ctx, const char *name);
	/* Is comp (len bytes, not NUL-terminated) a name at all? 0 or -errno ends the walk; NULL: every name is. */
	int (*check_name)(void *ctx, const char *comp, size_t len);
	/* The real name of the entry of host directory dir that comp names (NT's case folding), malloc'd; or NULL. */
	char *(*find_entry)(void *ctx, const char *dir, const char *comp);

	/* What the walk found. */
	bool exists;        /* the final name exists (without WALK_KEEP_MISSING) */
	bool is_dir;        /* it is a directory (nothing walked: true) */
	bool magic;         /* WALK_KEEP_FINAL_MAGIC: it is a /proc magic link the kernel follows */
	bool symlink;       /* WALK_NO_SYMLINKS: the walk stopped at a symlink (-ELOOP) */
	/* What would make the same walk differ later (the sandbox pins such names, translate/sandbox/). */
	bool via_magic;     /* a /proc magic link was followed (or left to the kernel): an open file, a cwd, a root */
	bool via_unnamed;   /* one of them led to what no path reaches (a pipe, a socket, a deleted file, a memfd) */
	char magic_link[64]; /* the last such link, as /proc/PID[/task/TID]/KIND[/N] */
};

/* A magic link on the way leads to a pipe or socket, not a file in a filesystem. */
#define PATH_WALK_NOT_A_FILE 1

/*
 * Walk rest (it is consumed, and grows at the front when a symlink is
 * followed: then its buffer holds 2*PATH_MAX+2 bytes) from the
 * directory whose walked name is in name (absolute, without symlinks). name
 * receives the walked name of the result, host (if not NULL) its host name;
 * both hold PATH_MAX bytes. 0, PATH_WALK_NOT_A_FILE (the final magic link
 * leads to a pipe or socket) or -errno (ELOOP, ENAMETOOLONG, ENOENT, ENOTDIR, EXDEV, ...).
 */
int path_walk(struct path_walk *w, char *rest, char *name, char *host);

#endif
