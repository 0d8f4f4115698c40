/*
 * The supervisor's side of a policy's path rules, for what Landlock does not
 * decide (no Landlock, rules that narrow, on-violation kill or log, exec
 * images, unix socket paths): resolving a tracee's path as the kernel would,
 * and finding the rule that decides it.
 */
#ifndef PICOVISOR_PATH_ACCESS_H
#define PICOVISOR_PATH_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "policy.h"

/* path_resolve's result for a name that is not a file in a filesystem (a pipe or socket through /proc/PID/fd). */
#define PATH_NOT_A_FILE 1

/*
 * Resolve path as thread tid of process tgid sees it: relative to dirfd (its
 * cwd for AT_FDCWD), every symlink followed (the last one only if
 * follow_last), /proc/self and /proc/PID/fd/N as that process's. Components
 * that do not exist are kept as written. out receives an absolute path
 * without symlinks. 0, PATH_NOT_A_FILE (out: the /proc magic link that leads to the pipe or
 * socket, or empty), or -errno (ELOOP, ENAMETOOLONG, EBADF, ENOTDIR).
 */
int path_resolve(pid_t tid, pid_t tgid, int dirfd, const char *path, bool follow_last, char *out, size_t size);

/* What a resolution went through, for what would make the same walk differ later. */
struct path_links {
	bool magic;     /* a /proc magic link was followed: what it names is an open file, a cwd or a root */
	bool unnamed;   /* one of them led to an object no path reaches (a pipe, a socket, a deleted file) */
	char link[64];  /* the last magic link followed, as /proc/PID[/task/TID]/KIND[/N] */
};
/* path_resolve, also saying what the walk went through (links may be NULL). */
int path_resolve_walk(pid_t tid, pid_t tgid, int dirfd, const char *path, bool follow_last, char *out, size_t size,
		      struct path_links *links);

/* Drop the last component of an absolute path ("/" stays). */
void path_pop(char *path);
/* A symlink's target goes in front of what is left to walk: rest becomes "target/rest". 0 or -ENAMETOOLONG. */
int path_prepend(char *rest, size_t size, const char *target);
/* Append a component of len bytes to an absolute path. 0 or -ENAMETOOLONG. */
int path_push(char *path, size_t size, const char *name, size_t len);

/* Is path one of /proc/PID's links (fd/N, cwd, root, exe, map_files/X) whose target is an open file, not text? */
bool proc_magic_link(const char *path);

/* Does pid belong to the run (for /proc/PID paths)? */
typedef bool (*pid_in_run_fn)(pid_t pid);

/*
 * The permissions the rules give an absolute, resolved path, and the rule
 * that decides (NULL: no rule covers it, so nothing is allowed). /proc/PID of
 * a process of the run matches the rules written for /proc/self.
 */
unsigned path_rules_lookup(const struct policy *p, const char *launch_dir, const char *path, pid_in_run_fn in_run,
			   const struct policy_path **rule);

/*
 * A rule that narrows what the rules above it give, whose path is path or
 * lies below it, or NULL. Renaming such a path would carry what the rule
 * protects out from under it (mv sub sub2 moves sub/secret to sub2/secret):
 * the names of narrowing rules and of their directories are pinned for the
 * run. path: absolute and resolved.
 */
const struct policy_path *path_rules_pinned(const struct policy *p, const char *launch_dir, const char *path);

/* "rwxc" letters of perms ("-" for none). buf holds at least 5 bytes. */
const char *perms_letters(unsigned perms, char *buf);

#endif
