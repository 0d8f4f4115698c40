/*
 * The sandbox's own state of a thread (sandbox_internal.h), kept behind the
 * thread's opaque personality pointer (host.h) while a call of it needs it.
 */
#include <stdlib.h>

#include "sandbox_internal.h"
#include "util.h"

static struct sandbox_thread *state_of(const struct tracee *t)
{
	return host_thread_state(t);
}

/* Set a field of t's state (made on first use); the state goes once nothing is in flight. */
static void state_update(struct tracee *t, struct path_exit *pe, bool counted)
{
	struct sandbox_thread *st = state_of(t);

	if (!pe && !counted) {
		free(st);
		host_set_thread_state(t, NULL);
		return;
	}
	if (!st) {
		st = xcalloc(1, sizeof(*st));
		host_set_thread_state(t, st);
	}
	st->path_exit = pe;
	st->fork_counted = counted;
}

struct path_exit *sandbox_path_exit(const struct tracee *t)
{
	return state_of(t) ? state_of(t)->path_exit : NULL;
}

void sandbox_set_path_exit(struct tracee *t, struct path_exit *pe)
{
	state_update(t, pe, sandbox_fork_counted(t));
}

bool sandbox_fork_counted(const struct tracee *t)
{
	return state_of(t) && state_of(t)->fork_counted;
}

void sandbox_set_fork_counted(struct tracee *t, bool counted)
{
	state_update(t, sandbox_path_exit(t), counted);
}
