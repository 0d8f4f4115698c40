/*
 * The thread's Linux calls on the host names NT names resolved to. The
 * supervisor resolves a name component by component without following
 * symlinks (nt_path.c), but the program may swap a directory of the name
 * for a symlink before the thread's call walks it again: so every such
 * call walks with openat2's RESOLVE_NO_SYMLINKS (the whole name for an
 * open; the parent directory for removals, renames and new directories,
 * which then act on a final name relative to it). The names and open_how
 * are in the thread's sealed scratch slot, never in memory the program
 * can write.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>

#include "nt_internal.h"

#define PARENT_MAX 4096
#define LEAF_MAX 1024
#define SLOT_PARENT(i) ((size_t)(i) * (PARENT_MAX + LEAF_MAX))
#define SLOT_LEAF(i) (SLOT_PARENT(i) + PARENT_MAX)
#define SLOT_HOW (2 * (PARENT_MAX + LEAF_MAX))
_Static_assert(SLOT_HOW + sizeof(struct open_how) <= SCRATCH_SLOT_SIZE, "two names and an open_how fit a slot");

#define RESOLVE_CONFINED (RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)

static uint64_t put_how(struct tracee *t, int flags, mode_t mode)
{
	struct open_how how = { .flags = (uint64_t)(unsigned)flags, .mode = mode, .resolve = RESOLVE_CONFINED };

	return nt_scratch_put(t, SLOT_HOW, &how, sizeof(how));
}

ntstatus nt_open_beneath(struct tracee *t, nt_then_fn then, const char *host, int flags, mode_t mode)
{
	size_t len = strlen(host) + 1;
	uint64_t path, how;

	if (host[0] != '/' || len > PARENT_MAX + LEAF_MAX)
		return STATUS_NAME_TOO_LONG;
	path = nt_scratch_put(t, 0, host, len);
	how = put_how(t, flags, (flags & O_CREAT) ? mode : 0);
	if (!path || !how)
		return STATUS_NAME_TOO_LONG;
	nt_linux(t, then, SYS_openat2, (uint64_t)AT_FDCWD, path, how, sizeof(struct open_how), 0, 0);
	return STATUS_SUCCESS;
}

/* host's parent directory and final name into slot i. */
static ntstatus put_parent(struct tracee *t, int i, const char *host)
{
	struct nt_at *at = &nt_call_of(t)->at;
	const char *slash = strrchr(host, '/');
	size_t plen = slash ? (size_t)(slash - host) : 0, llen = slash ? strlen(slash + 1) : 0;
	char parent[PARENT_MAX];

	if (host[0] != '/' || plen >= PARENT_MAX || llen == 0 || llen >= LEAF_MAX)
		return STATUS_OBJECT_NAME_INVALID;
	memcpy(parent, host, plen);
	if (plen == 0)
		parent[plen++] = '/';
	parent[plen] = '\0';
	at->parent[i] = nt_scratch_put(t, SLOT_PARENT(i), parent, plen + 1);
	at->leaf[i] = nt_scratch_put(t, SLOT_LEAF(i), slash + 1, llen + 1);
	return at->parent[i] && at->leaf[i] ? STATUS_SUCCESS : STATUS_NAME_TOO_LONG;
}

static void close_next(struct tracee *t, long ret)
{
	struct nt_at *at = &nt_call_of(t)->at;

	(void)ret;
	while (at->opened > 0) {
		long fd = at->fd[--at->opened];

		if (fd >= 0) {
			nt_linux(t, close_next, SYS_close, (uint64_t)fd, 0, 0, 0, 0, 0);
			return;
		}
	}
	at->finished(t, at->ret);
}

static void finish(struct tracee *t, long ret)
{
	struct nt_at *at = &nt_call_of(t)->at;

	at->ret = ret;
	close_next(t, 0);
}

void nt_at_done(struct tracee *t, long ret)
{
	finish(t, ret);
}

static void open_next(struct tracee *t, long ret);

static void parent_opened(struct tracee *t, long ret)
{
	struct nt_at *at = &nt_call_of(t)->at;

	if (ret < 0) {
		finish(t, ret);
		return;
	}
	at->fd[at->opened++] = ret;
	open_next(t, 0);
}

static void open_next(struct tracee *t, long ret)
{
	struct nt_at *at = &nt_call_of(t)->at;

	(void)ret;
	if (at->opened < at->n) {
		nt_linux(t, parent_opened, SYS_openat2, (uint64_t)AT_FDCWD, at->parent[at->opened], at->how,
			 sizeof(struct open_how), 0, 0);
		return;
	}
	at->op(t, (uint64_t)at->fd[0], at->leaf[0], at->n > 1 ? (uint64_t)at->fd[1] : 0, at->n > 1 ? at->leaf[1] : 0);
}

ntstatus nt_at_parents(struct tracee *t, const char *a, const char *b, nt_at_fn op, nt_then_fn finished, uint64_t arg)
{
	struct nt_at *at = &nt_call_of(t)->at;
	ntstatus st;

	memset(at, 0, sizeof(*at));
	at->op = op;
	at->finished = finished;
	at->arg = arg;
	at->fd[0] = at->fd[1] = -1;
	at->n = b ? 2 : 1;
	if ((st = put_parent(t, 0, a)) || (b && (st = put_parent(t, 1, b))))
		return st;
	at->how = put_how(t, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (!at->how)
		return STATUS_NAME_TOO_LONG;
	open_next(t, 0);
	return STATUS_SUCCESS;
}
