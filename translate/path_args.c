/* The path arguments of a call and what it does with them (include/path_args.h). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>

#include "path_args.h"
#include "tracee.h"

uint64_t syscall_at_flags(const struct syscall_stop *s)
{
	for (int i = 0; i < syscall_nargs(s->entry); i++)
		if (s->entry->args[i].kind == K_AT_FLAGS)
			return regs_arg(&s->regs, s->abi, i);
	return 0;
}

bool path_call_opens(const struct syscall_stop *s, uint64_t *open_flags)
{
	const struct syscall_entry *e = s->entry;

	for (int i = 0; i < syscall_nargs(e); i++)
		if (e->args[i].kind == K_OPEN_FLAGS) {
			*open_flags = regs_arg(&s->regs, s->abi, i);
			return true;
		}
	if (strcmp(e->name, "creat") == 0) {
		*open_flags = O_CREAT | O_WRONLY | O_TRUNC;
		return true;
	}
	*open_flags = 0;
	return false;
}

/*
 * Calls whose table entry alone does not say how a final symlink is taken:
 * the l* family and readlink act on the link; link(2) does not follow;
 * linkat and name_to_handle_at follow only when asked; inotify and fanotify
 * follow unless asked not to.
 */
static bool follows_last(const struct syscall_stop *s, uint64_t flags, bool first)
{
	const struct syscall_entry *e = s->entry;

	/* linkat before the l* rule: it follows its source when asked (AT_SYMLINK_FOLLOW). */
	if ((strcmp(e->name, "linkat") == 0 && first) || strcmp(e->name, "name_to_handle_at") == 0)
		return (flags & AT_SYMLINK_FOLLOW) != 0;
	if (e->name[0] == 'l' || (e->flags & SC_READLINK))
		return false;
	if (strcmp(e->name, "link") == 0)
		return false;
	if (strcmp(e->name, "inotify_add_watch") == 0)
		return !(regs_arg(&s->regs, s->abi, 2) & IN_DONT_FOLLOW);
	if (strcmp(e->name, "fanotify_mark") == 0)
		return !(regs_arg(&s->regs, s->abi, 1) & FAN_MARK_DONT_FOLLOW);
	return !(flags & AT_SYMLINK_NOFOLLOW);
}

int path_args_of(const struct syscall_stop *s, uint64_t open_flags, struct path_arg out[2])
{
	const struct syscall_entry *e = s->entry;
	uint64_t flags = syscall_at_flags(s), unused;
	bool opens = path_call_opens(s, &unused) || strcmp(e->name, "openat2") == 0;
	int n = 0, dirfd = AT_FDCWD, nargs = syscall_nargs(e), first = -1, last = -1;

	for (int i = 0; i < nargs; i++)
		if (e->args[i].kind == K_PATH) {
			if (first < 0)
				first = i;
			last = i;
		}
	for (int i = 0; i < nargs && n < 2; i++) {
		struct path_arg *a = &out[n];

		if (e->args[i].kind == K_DIRFD) {
			dirfd = (int)regs_arg(&s->regs, s->abi, i);
			continue;
		}
		if (e->args[i].kind != K_PATH)
			continue;
		memset(a, 0, sizeof(*a));
		a->index = i;
		a->dirfd = dirfd;
		a->follow = follows_last(s, flags, i == first);
		if (opens) {
			unsigned acc = (unsigned)(open_flags & O_ACCMODE);

			a->follow = !(open_flags & O_NOFOLLOW) && (open_flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);
			a->creates = (open_flags & O_CREAT) != 0;
			a->writes = (acc != O_RDONLY || (open_flags & (O_TRUNC | O_CREAT))) && !(open_flags & O_PATH);
		}
		if ((e->flags & FX_CREATE) && i == last)
			a->creates = true, a->follow = false;
		if ((e->flags & FX_REMOVE) && i == first)
			a->removes = true, a->follow = false;
		if (e->flags & (FX_WRITE | FX_ATTR))
			a->writes = true;
		a->empty_is_fd = (flags & AT_EMPTY_PATH) || ((e->flags & FX_ATTR) && dirfd != AT_FDCWD) ||
				 strcmp(e->name, "fanotify_mark") == 0;
		n++;
	}
	return n;
}
