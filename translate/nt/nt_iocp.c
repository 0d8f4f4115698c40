/*
 * I/O completion ports: NtCreateIoCompletion, NtSetIoCompletion,
 * NtRemoveIoCompletion, NtRemoveIoCompletionEx. A port is a queue of
 * packets (key, ApcContext, status, information), first in first out; a
 * thread that removes from an empty port waits for one (a wait of
 * nt_sync.c on the port that takes its packets when it is satisfied). A
 * file handle is bound to a port with FileCompletionInformation; an I/O on
 * it that names an ApcContext (kernel32's OVERLAPPED) queues its packet
 * when it is done (nt_iocp_io_done). The queue is bounded: what the
 * supervisor keeps for it is counted with the run's other objects.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nt_internal.h"
#include "util.h"

struct packet {
	uint64_t key, apc_context, information;
	ntstatus status;
	struct packet *next;
};

struct nt_io_completion {
	struct packet *head, *tail;
	uint32_t count;
};

bool nt_iocp_has_packet(const struct nt_object *o)
{
	return o->port && o->port->head;
}

static void queue(struct nt_object *o, uint64_t key, uint64_t apc, ntstatus st, uint64_t info)
{
	struct packet *p = xcalloc(1, sizeof(*p));

	nt_kept_add(sizeof(*p));
	p->key = key;
	p->apc_context = apc;
	p->status = st;
	p->information = info;
	if (o->port->tail)
		o->port->tail->next = p;
	else
		o->port->head = p;
	o->port->tail = p;
	o->port->count++;
}

static struct packet *dequeue(struct nt_object *o)
{
	struct packet *p = o->port->head;

	if (p) {
		o->port->head = p->next;
		if (!o->port->head)
			o->port->tail = NULL;
		o->port->count--;
		nt_kept_sub(sizeof(*p));
	}
	return p;
}

void nt_iocp_free(struct nt_object *o)
{
	struct packet *p;

	if (!o->port)
		return;
	while ((p = dequeue(o)))
		free(p);
	free(o->port);
	o->port = NULL;
}

static void init_port(struct nt_object *o, struct tracee *t)
{
	(void)t;
	o->port = xcalloc(1, sizeof(*o->port));
}

/* NtCreateIoCompletion(IoCompletionHandle, DesiredAccess, ObjectAttributes, NumberOfConcurrentThreads) */
void nt_serve_NtCreateIoCompletion(struct tracee *t)
{
	nt_create_object(t, NT_TYPE_IO_COMPLETION, init_port);
}

/* NtSetIoCompletion(IoCompletionHandle, KeyContext, ApcContext, IoStatus, IoStatusInformation) */
void nt_serve_NtSetIoCompletion(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_object *o;
	ntstatus st = nt_handle_get(nt_process_of(t), c->a[0], NT_TYPE_IO_COMPLETION, &o, NULL);

	if (st) {
		nt_done(t, st);
		return;
	}
	if (!nt_kept_fits(sizeof(struct packet))) {
		nt_done(t, STATUS_INSUFFICIENT_RESOURCES);
		return;
	}
	queue(o, c->a[1], c->a[2], (ntstatus)c->a[3], c->a[4]);
	nt_done(t, STATUS_SUCCESS);
	nt_waits_recheck();
}

#define FILE_SKIP_COMPLETION_PORT_ON_SUCCESS 0x1
#define FILE_SKIP_SET_EVENT_ON_HANDLE 0x2

/*
 * Every I/O here completes before its call returns: with FILE_SKIP_COMPLETION_PORT_ON_SUCCESS
 * the caller learns its result from the call itself, and no packet is queued.
 */
void nt_iocp_io_done(struct nt_object *f, uint64_t apc_context, ntstatus status, uint64_t information)
{
	if (!f->completion_port || !apc_context || !nt_kept_fits(sizeof(struct packet)))
		return;
	if ((f->completion_modes & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS) && (int32_t)status >= 0)
		return;
	queue(f->completion_port, f->completion_key, apc_context, status, information);
	nt_waits_recheck();
}

/* NtRemoveIoCompletion(IoCompletionHandle, KeyContext, ApcContext, IoStatusBlock, Timeout) */
void nt_serve_NtRemoveIoCompletion(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_object *o;
	ntstatus st = nt_handle_get(nt_process_of(t), c->a[0], NT_TYPE_IO_COMPLETION, &o, NULL);
	uint64_t probe[2];

	if (st) {
		nt_done(t, st);
		return;
	}
	/* the out-parameters are looked at before the wait, as NT probes them */
	if (nt_get(t, c->a[1], probe, 8) || nt_get(t, c->a[2], probe, 8) || nt_get(t, c->a[3], probe, 16)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	nt_wait_for_packets(t, c->a[0], c->a[4], false);
}

/*
 * NtRemoveIoCompletionEx(IoCompletionHandle, IoCompletionInformation, Count, NumEntriesRemoved, Timeout,
 * Alertable): up to Count FILE_IO_COMPLETION_INFORMATION entries (key, ApcContext, IO_STATUS_BLOCK).
 */
void nt_serve_NtRemoveIoCompletionEx(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_object *o;
	ntstatus st = nt_handle_get(nt_process_of(t), c->a[0], NT_TYPE_IO_COMPLETION, &o, NULL);
	uint32_t n = (uint32_t)c->a[2], probe;

	if (st) {
		nt_done(t, st);
		return;
	}
	if (n == 0 || n > 0x1000000) {
		nt_done(t, STATUS_INVALID_PARAMETER);
		return;
	}
	if (nt_get(t, c->a[1], &probe, 4) || nt_get(t, c->a[1] + (uint64_t)n * 32 - 4, &probe, 4) ||
	    nt_get(t, c->a[3], &probe, 4)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	nt_wait_for_packets(t, c->a[0], c->a[4], (uint8_t)c->a[5] != 0);
}

ntstatus nt_iocp_deliver(struct tracee *t, struct nt_object *o)
{
	struct nt_call *c = nt_call_of(t);
	bool ex = c->svc == &nt_services[NT_ID_NtRemoveIoCompletionEx];
	uint32_t max = ex ? (uint32_t)c->a[2] : 1, n = 0;
	ntstatus st = STATUS_SUCCESS;
	struct packet *p;

	while (n < max && (p = dequeue(o))) {
		unsigned char e[32];
		int bad;

		memcpy(e, &p->key, 8);
		memcpy(e + 8, &p->apc_context, 8);
		memset(e + 16, 0, 8);
		memcpy(e + 16, &p->status, 4);
		memcpy(e + 24, &p->information, 8);
		if (ex)
			bad = nt_put(t, c->a[1] + (uint64_t)n * 32, e, 32);
		else
			bad = nt_put(t, c->a[1], e, 8) || nt_put(t, c->a[2], e + 8, 8) || nt_put(t, c->a[3], e + 16, 16);
		if (!ex)
			st = bad ? STATUS_ACCESS_VIOLATION : STATUS_SUCCESS;
		else if (bad)
			st = STATUS_ACCESS_VIOLATION;
		free(p);
		n++;
		if (bad)
			break;
	}
	if (ex && nt_put(t, c->a[3], &n, 4))
		st = STATUS_ACCESS_VIOLATION;
	return st;
}

ntstatus nt_file_bind_port(struct tracee *t, struct nt_object *f, uint64_t buf, uint32_t len)
{
	uint64_t info[2];
	struct nt_object *port;
	ntstatus st;

	if (len < sizeof(info))
		return STATUS_INFO_LENGTH_MISMATCH;
	if (nt_get(t, buf, info, sizeof(info)))
		return STATUS_ACCESS_VIOLATION;
	st = nt_handle_get(nt_process_of(t), info[0], NT_TYPE_IO_COMPLETION, &port, NULL);
	if (st)
		return st;
	if (f->completion_port) /* a handle is bound once, as on NT */
		return STATUS_INVALID_PARAMETER;
	port->refs++;
	f->completion_port = port;
	f->completion_key = info[1];
	return STATUS_SUCCESS;
}

ntstatus nt_file_completion_modes(struct tracee *t, struct nt_object *f, uint64_t buf, uint32_t len)
{
	uint32_t flags;

	if (len < 4)
		return STATUS_INFO_LENGTH_MISMATCH;
	if (nt_get(t, buf, &flags, 4))
		return STATUS_ACCESS_VIOLATION;
	if (flags & ~(uint32_t)(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE | 0x4))
		return STATUS_INVALID_PARAMETER;
	f->completion_modes |= flags; /* NT never clears one once set */
	return STATUS_SUCCESS;
}

/*
 * NtCancelIoFile(FileHandle, IoStatusBlock), NtCancelIoFileEx(FileHandle, IoRequestToCancel, IoStatusBlock):
 * every I/O here completes within its own call, so none is ever pending on a handle for another call
 * to cancel (a read blocked in its Linux call is the calling thread's synchronous I/O: docs/nt.md).
 */
void nt_serve_NtCancelIoFile(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_object *o;
	ntstatus st = nt_handle_get(nt_process_of(t), c->a[0], NT_TYPE_FILE, &o, NULL);

	if (!st)
		nt_put_iosb(t, c->a[1], STATUS_SUCCESS, 0);
	nt_done(t, st);
}

void nt_serve_NtCancelIoFileEx(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_object *o;
	ntstatus st = nt_handle_get(nt_process_of(t), c->a[0], NT_TYPE_FILE, &o, NULL);

	nt_done(t, st ? st : 0xC0000225 /* STATUS_NOT_FOUND: nothing to cancel */);
}
