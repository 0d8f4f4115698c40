/*
 * Pinning what the supervisor checked (paths under the supervisor's checks:
 * no Landlock, narrowing rules, kill or log). The kernel must walk what was
 * decided, not the program's memory again, nor its cwd or dirfd:
 *
 * - each checked path goes into the thread's slot of the sealed scratch area
 *   (tracer/run/scratch.h), which no thread of the program can write, and the
 *   argument register points there (the program's registers come back at the
 *   exit stop);
 * - what goes there is the absolute path the check resolved (its cwd, dirfd
 *   and symlinks already walked), so a chdir, a dup2 onto the dirfd or a
 *   symlink planted on the way afterwards does not change what is reached;
 * - an open goes to the kernel as openat2 with RESOLVE_NO_SYMLINKS, so that
 *   a directory swapped for a symlink after the check fails (ELOOP) instead
 *   of leading elsewhere; other calls have no such flag (docs/policy.md).
 *
 * A path through a /proc magic link (/proc/self/fd/N/..., cwd, root;
 * /dev/fd/N) is pinned like any other: by the name of what the link led
 * to when it was checked, so a dup2 or chdir afterwards leads nowhere new. A
 * name ending in . or .. gets its resolved directory with that component
 * after it. What has no name (a pipe, a socket, a deleted file reached
 * through such a link) is passed as given only while nothing but the thread
 * can change what the link names (sandbox_checks.c), and refused otherwise;
 * so is "" (the open file itself), and /proc's own names (/proc/self/status).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "../pathmap/path_translate.h"
#include "sandbox_internal.h"
#include "tracee.h"
#include "util.h"

enum { PIN_STRUCT_OFFSET = 2 * 4096 }; /* in a slot: two paths, then a structure (as path translation) */

/* The open flags openat accepts (it ignores others; openat2 refuses them): the kernel's values. */
#define OPEN_FLAGS_VALID 037777703ULL
#define KERNEL_O_LARGEFILE 0100000ULL   /* openat forces it on 64-bit; openat2 does not */
#define KERNEL_O_TMPFILE 020000000ULL
#define KERNEL_O_PATH 010000000ULL
#define KERNEL_O_PATH_FLAGS (KERNEL_O_PATH | 0200000ULL | 0400000ULL | 02000000ULL) /* +O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC */

bool path_ends_in_dots(const char *path)
{
	size_t len = strlen(path);
	const char *last;

	while (len > 1 && path[len - 1] == '/')
		len--;
	last = path + len;
	while (last > path && last[-1] != '/')
		last--;
	return (path + len - last == 1 && last[0] == '.') || (path + len - last == 2 && last[0] == '.' && last[1] == '.');
}

static bool under_proc(const char *path)
{
	return strncmp(path, "/proc/", 6) == 0 || strcmp(path, "/proc") == 0;
}

/*
 * The text the kernel gets for one checked path. *canonical: it is resolved
 * and outside /proc, so an open may walk it following no symlink at all.
 */
static const char *pin_text(const struct pinned_path *p, char *buf, size_t size, bool *canonical)
{
	size_t len = strlen(p->given);

	*canonical = false;
	if (p->as_given)
		return p->given;
	if (p->dots[0]) { /* its resolved directory, then the . or .. itself */
		*canonical = !under_proc(p->dots);
		return p->dots;
	}
	/* /proc's own names (/proc/self is whoever looks) stay as given; what a magic link led to is pinned. */
	if (!p->via_link && under_proc(p->given))
		return p->given;
	if (under_proc(p->resolved))
		return p->via_link ? p->resolved : p->given;
	*canonical = true;
	/* "file/" stays ENOTDIR, "dir/" a directory. */
	snprintf(buf, size, "%s%s", p->resolved,
		 len && p->given[len - 1] == '/' && strcmp(p->resolved, "/") != 0 ? "/" : "");
	return buf;
}

enum check_result sandbox_pin_paths(struct tracee *t, struct syscall_stop *s, const struct pinned_path *pins, int n,
				    bool opens, uint64_t open_flags)
{
	char buf[PATH_MAX + 2];
	tracee_regs r = s->regs;
	bool any = false, all_canonical = true;
	uint64_t slot;
	int err = 0;

	for (int k = 0; k < n; k++)
		any |= pins[k].set;
	if (!any)
		return CHECK_PASS;
	slot = host_scratch_slot(t, regs_sp(&s->regs), &err);
	if (!slot) {
		warn("process %d has no scratch area slot (%s): its checked %s fails", host_tgid(t),
		     err == -ENOMEM ? "more threads than slots" : "no scratch area", s->entry->name);
		sandbox_fail_call(t, s, err == -ENOMEM ? EAGAIN : ENOSYS);
		return CHECK_DONE;
	}
	for (int k = 0; k < n; k++) {
		uint64_t dest = slot + (uint64_t)k * 4096;
		bool canonical;
		const char *text;

		if (!pins[k].set)
			continue;
		text = pin_text(&pins[k], buf, sizeof(buf), &canonical);
		all_canonical &= canonical;
		if (host_scratch_write(t, dest, text, strlen(text) + 1) < 0) {
			sandbox_fail_call(t, s, EFAULT);
			return CHECK_DONE;
		}
		regs_set_arg(&r, s->abi, pins[k].index, dest);
	}
	if (opens && n == 1 && all_canonical) {
		struct open_how how = { .flags = (open_flags & OPEN_FLAGS_VALID) | KERNEL_O_LARGEFILE,
					.resolve = RESOLVE_NO_SYMLINKS };
		uint64_t at = slot + PIN_STRUCT_OFFSET;

		/* As openat builds them: O_LARGEFILE, then only O_PATH's own flags for an O_PATH open. */
		if (how.flags & KERNEL_O_PATH)
			how.flags &= KERNEL_O_PATH_FLAGS;
		if (open_flags & (O_CREAT | KERNEL_O_TMPFILE)) {
			for (int i = 0; i < syscall_nargs(s->entry); i++)
				if (s->entry->args[i].kind == K_MODE)
					how.mode = regs_arg(&s->regs, s->abi, i) & 07777;
		}
		if (host_scratch_write(t, at, &how, sizeof(how)) < 0) {
			sandbox_fail_call(t, s, EFAULT);
			return CHECK_DONE;
		}
		regs_set_syscall_nr(&r, syscall_number(ABI_NATIVE, "openat2"));
		regs_set_arg(&r, s->abi, 0, (uint64_t)(int64_t)AT_FDCWD);
		regs_set_arg(&r, s->abi, 1, slot);
		regs_set_arg(&r, s->abi, 2, at);
		regs_set_arg(&r, s->abi, 3, sizeof(how));
	}
	path_exit_begin(t, s);
	verdict_set_regs(s, &r);
	s->regs = r;
	return CHECK_PASS;
}

enum check_result sandbox_pin_sockaddr(struct tracee *t, struct syscall_stop *s, int index, const void *addr,
				       size_t len)
{
	tracee_regs r = s->regs;
	uint64_t slot;
	int err = 0;

	if (!sandbox_get()->supervisor_paths)
		return CHECK_PASS; /* Landlock decides where a socket file may be made */
	slot = host_scratch_slot(t, regs_sp(&s->regs), &err);
	if (!slot || host_scratch_write(t, slot + PIN_STRUCT_OFFSET, addr, len) < 0) {
		sandbox_fail_call(t, s, !slot && err == -ENOMEM ? EAGAIN : EFAULT);
		return CHECK_DONE;
	}
	regs_set_arg(&r, s->abi, index, slot + PIN_STRUCT_OFFSET);
	regs_set_arg(&r, s->abi, index + 1, len);
	path_exit_begin(t, s);
	verdict_set_regs(s, &r);
	s->regs = r;
	return CHECK_PASS;
}
