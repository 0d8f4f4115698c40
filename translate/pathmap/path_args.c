/* The path arguments of a call and what it does with them (translate/pathmap/path_args.h). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>

#include "path_args.h"
#include "tracee.h"

/* The value of the call's first argument of this kind, and whether it has one. */
static bool arg_of_kind(const struct syscall_stop *s, enum arg_kind kind, uint64_t *value)
{
	for (int i = 0; i < syscall_nargs(s->entry); i++)
		if (s->entry->args[i].kind == kind) {
			*value = regs_arg(&s->regs, s->abi, i);
			return true;
		}
	return false;
}

uint64_t syscall_at_flags(const struct syscall_stop *s)
{
	uint64_t flags;

	return arg_of_kind(s, K_AT_FLAGS, &flags) ? flags : 0;
}

bool path_call_opens(const struct syscall_stop *s, uint64_t *open_flags)
{
	if (arg_of_kind(s, K_OPEN_FLAGS, open_flags))
		return true;
	if (s->entry->flags & SC_CREAT) {
		*open_flags = O_CREAT | O_WRONLY | O_TRUNC;
		return true;
	}
	*open_flags = 0;
	return false;
}

/*
 * Is a final symlink of the call's path followed? The table says how the call
 * takes one (the path's role: PATH_LINK_ITSELF, PATH_FOLLOW_ASKED; a flags
 * argument with its own don't-follow bit), the call's flags say the rest.
 */
static bool follows_last(const struct syscall_stop *s, uint64_t at_flags, unsigned role)
{
	uint64_t v;

	if (role & PATH_LINK_ITSELF)
		return false;
	if (role & PATH_FOLLOW_ASKED)
		return (at_flags & AT_SYMLINK_FOLLOW) != 0;
	if (arg_of_kind(s, K_INOTIFY_MASK, &v))
		return !(v & IN_DONT_FOLLOW);
	if (arg_of_kind(s, K_FANOTIFY_FLAGS, &v))
		return !(v & FAN_MARK_DONT_FOLLOW);
	return !(at_flags & AT_SYMLINK_NOFOLLOW);
}

int path_args_of(const struct syscall_stop *s, uint64_t open_flags, struct path_arg out[2])
{
	const struct syscall_entry *e = s->entry;
	uint64_t flags = syscall_at_flags(s), unused;
	bool opens = path_call_opens(s, &unused) || arg_of_kind(s, K_OPEN_HOW, &unused);
	int n = 0, dirfd = AT_FDCWD, nargs = syscall_nargs(e);

	for (int i = 0; i < nargs && n < 2; i++) {
		struct path_arg *a = &out[n];
		unsigned role = syscall_path_role(e, i);

		if (e->args[i].kind == K_DIRFD) {
			dirfd = (int)regs_arg(&s->regs, s->abi, i);
			continue;
		}
		if (e->args[i].kind != K_PATH)
			continue;
		memset(a, 0, sizeof(*a));
		a->index = i;
		a->dirfd = dirfd;
		a->follow = follows_last(s, flags, role);
		if (opens) {
			unsigned acc = (unsigned)(open_flags & O_ACCMODE);

			a->follow = !(open_flags & O_NOFOLLOW) && (open_flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);
			a->creates = (open_flags & O_CREAT) != 0;
			a->writes = (acc != O_RDONLY || (open_flags & (O_TRUNC | O_CREAT))) && !(open_flags & O_PATH);
		}
		if (role & PATH_CREATED)
			a->creates = true, a->follow = false;
		if (role & PATH_REMOVED)
			a->removes = true, a->follow = false;
		if ((role & PATH_WRITTEN) || (e->flags & FX_ATTR))
			a->writes = true;
		a->empty_is_fd = (flags & AT_EMPTY_PATH) || ((e->flags & FX_ATTR) && dirfd != AT_FDCWD) ||
				 arg_of_kind(s, K_FANOTIFY_FLAGS, &unused);
		n++;
	}
	return n;
}
