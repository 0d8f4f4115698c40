/*
 * What a call does with each of its path arguments, from the syscall table's
 * kinds and effect flags and the call's flag arguments: which dirfd it is
 * relative to, whether a final symlink is followed, whether it creates,
 * removes or writes. The sandbox's path checks and path translation both ask
 * here, so the two never disagree.
 */
#ifndef PICOVISOR_PATH_ARGS_H
#define PICOVISOR_PATH_ARGS_H

#include <stdbool.h>
#include <stdint.h>

#include "personality.h"

struct path_arg {
	int index;        /* the argument holding the path */
	int dirfd;        /* AT_FDCWD or the call's dirfd argument */
	bool follow;      /* a final symlink is followed */
	bool creates;     /* makes the name (mkdir, link's new name, rename's target, O_CREAT) */
	bool removes;     /* takes the name away (unlink, rmdir, rename's source) */
	bool writes;      /* changes the file or its attributes (an open for writing, truncate, chmod) */
	bool empty_is_fd; /* "" (or NULL) names the dirfd's own file: AT_EMPTY_PATH and its kin */
};

/*
 * The path arguments of s (at most 2; open_flags: an open's flags, taken from
 * the registers or from openat2's open_how by the caller). Their number.
 */
int path_args_of(const struct syscall_stop *s, uint64_t open_flags, struct path_arg out[2]);
/* The AT_* flags argument of the call, 0 if it has none. */
uint64_t syscall_at_flags(const struct syscall_stop *s);
/* The open flags of an open-family call from its registers (creat's implied ones), and whether it is one. */
bool path_call_opens(const struct syscall_stop *s, uint64_t *open_flags);

#endif
