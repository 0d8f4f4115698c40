/*
 * User APCs: NtQueueApcThread, NtTestAlert, and their delivery. An APC is
 * queued on its thread (first in, first out) and runs when the thread is in
 * an alertable wait (NtWaitForSingleObject, NtWaitForMultipleObjects,
 * NtRemoveIoCompletionEx and NtDelayExecution with Alertable), or calls
 * NtTestAlert: the wait ends with STATUS_USER_APC, but first the thread runs
 * ntdll's KiUserApcDispatcher with the APC, on its own stack below a CONTEXT
 * of the registers the wait returns with; the dispatcher calls the routine,
 * NtTestAlert for the next one, and restores that CONTEXT
 * (translate/nt/dlls/ntdll/apc.S). A wait that is not alertable leaves
 * APCs queued. What a thread's queue holds is counted with the run's objects.
 */
#include <stdlib.h>
#include <string.h>

#include "nt_context.h"
#include "nt_internal.h"
#include "util.h"

#define STATUS_USER_APC 0xC0
#define STATUS_THREAD_IS_TERMINATING 0xC000004B
#define CONTEXT_FULL 0x10000B

struct nt_apc {
	uint64_t routine, arg[3];
	struct nt_apc *next;
};

bool nt_apc_pending(struct tracee *t)
{
	return nt_thread_state(t) && nt_thread_state(t)->apcs;
}

void nt_apcs_free(struct tracee *t)
{
	struct nt_thread *th = nt_thread_state(t);

	while (th && th->apcs) {
		struct nt_apc *a = th->apcs;

		th->apcs = a->next;
		nt_kept_sub(sizeof(*a));
		free(a);
	}
}

void nt_apc_deliver(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_thread *th = nt_thread_of(t);
	struct nt_apc *a = th->apcs;
	unsigned char ctx[NT_CONTEXT_SIZE] = { 0 };
	uint32_t flags = CONTEXT_FULL;
	uint64_t dispatcher = nt_process_of(t)->start.ntdll_apc_dispatcher, at;
	tracee_regs back = c->regs;

	if (!a || !dispatcher) {
		nt_done(t, STATUS_USER_APC);
		return;
	}
	/* The registers the wait returns with: after its syscall instruction, rax = STATUS_USER_APC. */
	if (th->ctx_override) {
		back = th->ctx_regs;
		th->ctx_override = false;
	}
	regs_set_retval(&back, STATUS_USER_APC);
	memcpy(ctx + NT_CONTEXT_FLAGS_OFFSET, &flags, 4);
	memcpy(ctx, &a->arg[0], 8);
	memcpy(ctx + 8, &a->arg[1], 8);
	memcpy(ctx + 0x10, &a->arg[2], 8);
	memcpy(ctx + 0x18, &a->routine, 8);
	at = ((regs_sp(&back) - NT_CONTEXT_SIZE - 0x100) & ~15ULL);
	if (nt_context_from_regs(ctx, &back, host_tid(t)) < 0 || nt_put(t, at, ctx, sizeof(ctx))) {
		/* no room on its stack: the wait returns without running it (it stays queued) */
		nt_done(t, STATUS_USER_APC);
		return;
	}
	th->apcs = a->next;
	nt_kept_sub(sizeof(*a));
	free(a);
	regs_set_ip(&c->regs, dispatcher);
	regs_set_sp(&c->regs, at);
	nt_done(t, STATUS_USER_APC);
}

/* NtQueueApcThread(ThreadHandle, ApcRoutine, ApcArgument1, ApcArgument2, ApcArgument3) */
void nt_serve_NtQueueApcThread(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct tracee *target = t;
	struct nt_thread *th;
	struct nt_apc *a, **end;

	if (c->a[0] != (uint64_t)-2) {
		struct nt_object *o;
		ntstatus st = nt_handle_get(nt_process_of(t), c->a[0], NT_TYPE_THREAD, &o, NULL);

		if (st) {
			nt_done(t, st);
			return;
		}
		target = o->thread.tid && !o->thread.done ? host_find_thread(o->thread.tid) : NULL;
		if (!target || !nt_thread_state(target) || host_tgid(target) != host_tgid(t)) {
			nt_done(t, STATUS_THREAD_IS_TERMINATING);
			return;
		}
	}
	if (!c->a[1]) {
		nt_done(t, STATUS_INVALID_PARAMETER);
		return;
	}
	if (!nt_kept_fits(sizeof(*a))) {
		nt_done(t, STATUS_INSUFFICIENT_RESOURCES);
		return;
	}
	a = xcalloc(1, sizeof(*a));
	nt_kept_add(sizeof(*a));
	a->routine = c->a[1];
	memcpy(a->arg, &c->a[2], sizeof(a->arg));
	th = nt_thread_state(target);
	for (end = &th->apcs; *end; end = &(*end)->next)
		;
	*end = a;
	nt_done(t, STATUS_SUCCESS);
	if (target != t)
		nt_wait_alert(target); /* parked in an alertable wait: it runs the APC now */
}

/* NtTestAlert: the caller's queued APCs run now (through the dispatcher, one after another). */
void nt_serve_NtTestAlert(struct tracee *t)
{
	if (nt_apc_pending(t))
		nt_apc_deliver(t);
	else
		nt_done(t, STATUS_SUCCESS);
}
