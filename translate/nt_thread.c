/*
 * Threads of an NT process as objects: a thread handle is signalled when the
 * thread ends, and keeps its exit status for NtQueryInformationThread.
 */
#include "event_loop.h"
#include "nt_internal.h"

void nt_thread_exited(struct tracee *t, ntstatus status)
{
	struct nt_process *np = nt_process_of(t);

	for (int i = 1; np && i < np->nhandles; i++) {
		struct nt_object *o = np->handles[i].obj;

		if (o && o->type == NT_TYPE_THREAD && o->thread.tid == t->tid) {
			o->thread.done = true;
			o->thread.exit_status = status;
		}
	}
}
