/*
 * What only the stopped thread can change (translate/sandbox_internal.h).
 * A descriptor number, a cwd or a mapping that the checks looked at can be
 * changed before the kernel uses it by any other task that shares the
 * thread's descriptor table, filesystem context (cwd, root, umask) or
 * memory. When no other task of the run shares it, nothing can: the thread
 * is stopped until the call, the table is its alone, and a new task can
 * share it only by a clone of this very thread. Every task of the run is a
 * tracee (CLONE_UNTRACED is refused), and one whose first stop came before
 * its parent's fork event has not run yet; tasks of the run are compared with
 * kcmp, and an answer kcmp cannot give counts as shared.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox_internal.h"

#ifndef KCMP_FILES
#define KCMP_VM 1
#define KCMP_FILES 2
#define KCMP_FS 3
#endif

struct share_search {
	const struct tracee *t;
	int type;
	bool shared;
};

/* Do tasks a and b share it? kcmp says 0 for the same object, 1 or 2 for an order; an error is a yes. */
static bool may_share(pid_t a, pid_t b, int type)
{
	long rc = syscall(SYS_kcmp, a, b, type, 0, 0);

	return rc != 1 && rc != 2;
}

static void compare(pid_t tid, void *ctx)
{
	struct share_search *s = ctx;

	if (!s->shared && tid != host_tid(s->t))
		s->shared = may_share(host_tid(s->t), tid, s->type);
}

static int kcmp_type(enum shared_state what)
{
	return what == SHARED_FILES ? KCMP_FILES : what == SHARED_FS ? KCMP_FS : KCMP_VM;
}

bool sandbox_state_private(const struct tracee *t, pid_t owner, enum shared_state what)
{
	struct share_search s = { t, kcmp_type(what), false };

	/* The table (or cwd) a /proc link names is its owner's: it must be the thread's own. */
	if (owner != host_tid(t) && syscall(SYS_kcmp, host_tid(t), owner, s.type, 0, 0) != 0)
		return false;
	host_for_each_task(compare, &s);
	return !s.shared;
}
