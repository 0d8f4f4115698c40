/*
 * Pipes: NtCreateNamedPipeFile makes the server end of a pipe whose name is
 * under \Device\NamedPipe\ (or \??\pipe\), and the first NtCreateFile or
 * NtOpenFile of that name by the same process opens its client end
 * (kernel32's CreatePipe does exactly this). Both ends are one Linux
 * socketpair made by the thread itself (a named pipe carries bytes both
 * ways; each handle's access decides which way it may use), so a read of an
 * end whose other end is closed ends like a pipe's. One instance per name;
 * byte mode only; a name is not reachable from other processes of the run.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "nt_file.h"
#include "nt_internal.h"
#include "util.h"

#define STATUS_INSTANCE_NOT_AVAILABLE 0xC00000AB
#define STATUS_OBJECT_NAME_INVALID 0xC0000033
#define FILE_PIPE_BYTE_STREAM_TYPE 0
#define MAX_PIPE_NAME 256
#define FILE_SYNCHRONOUS_IO_ALERT 0x10
#define FILE_SYNCHRONOUS_IO_NONALERT 0x20

/* A server end made whose client end is not opened yet: its fd waits in the process. */
struct pending_pipe {
	pid_t tgid;
	uint16_t name[MAX_PIPE_NAME];
	size_t n;
	int fd;
	struct pending_pipe *next;
};
static struct pending_pipe *pending;

static uint16_t fold(uint16_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint16_t)(c + 32) : c;
}

/* The pipe's own name (after the prefix) in units of u, or NULL when the name is no pipe's. */
static const uint16_t *pipe_name(const uint16_t *u, size_t n, size_t *len)
{
	static const char *const prefixes[] = { "\\Device\\NamedPipe\\", "\\??\\pipe\\" };

	for (size_t p = 0; p < ARRAY_SIZE(prefixes); p++) {
		size_t k = strlen(prefixes[p]), i;

		if (n <= k)
			continue;
		for (i = 0; i < k && fold(u[i]) == fold((uint16_t)prefixes[p][i]); i++)
			;
		if (i == k) {
			*len = n - k;
			return u + k;
		}
	}
	return NULL;
}

static bool same_name(const struct pending_pipe *pp, const uint16_t *name, size_t len)
{
	if (pp->n != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (fold(pp->name[i]) != fold(name[i]))
			return false;
	return true;
}

/* The name of the OBJECT_ATTRIBUTES at oa (no RootDirectory): 0 and *u, or a status. */
static struct nt_object *pipe_end(int fd, uint32_t options, uint32_t share)
{
	struct nt_object *o = nt_object_new(NT_TYPE_FILE);

	o->file.fd = fd;
	o->file.pipe_end = true;
	o->file.sync_io = options & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT);
	o->file.share = share;
	return o;
}

/* st: 0 the name's slot in p */
static void after_socketpair(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);
	struct pending_pipe *pp = c->p;
	int fds[2];
	ntstatus st;

	if (ret < 0 || nt_get(t, nt_work(t), fds, sizeof(fds))) {
		nt_done(t, ret < 0 ? nt_status_of_errno((int)ret) : STATUS_INTERNAL_ERROR);
		return;
	}
	st = nt_handle_give(t, pipe_end(fds[0], (uint32_t)c->a[6], (uint32_t)c->a[4]), nt_file_access_map((uint32_t)c->a[1]),
			    c->a[0]);
	if (st) {
		nt_done(t, st); /* the fds stay in the process, as a failed open's would */
		return;
	}
	pp->fd = fds[1];
	c->p = NULL;
	pp->next = pending;
	pending = pp;
	nt_put_iosb(t, c->a[3], STATUS_SUCCESS, 2 /* FILE_CREATED */);
	nt_done(t, STATUS_SUCCESS);
}

/*
 * NtCreateNamedPipeFile(FileHandle, DesiredAccess, ObjectAttributes, IoStatusBlock, ShareAccess,
 * CreateDisposition, CreateOptions, NamedPipeType, ReadMode, CompletionMode, MaximumInstances,
 * InboundQuota, OutboundQuota, DefaultTimeout)
 */
void nt_serve_NtCreateNamedPipeFile(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct pending_pipe *pp;
	const uint16_t *name;
	uint16_t *u;
	size_t n, len;
	uint64_t probe;
	ntstatus st = nt_oa_plain_name(t, c->a[2], &u, &n);

	if (st || nt_get(t, c->a[0], &probe, 8)) {
		free(u);
		nt_done(t, st ? st : STATUS_ACCESS_VIOLATION);
		return;
	}
	name = pipe_name(u, n, &len);
	if (!name || len >= MAX_PIPE_NAME || (uint32_t)c->a[7] != FILE_PIPE_BYTE_STREAM_TYPE) {
		free(u);
		nt_done(t, !name || len >= MAX_PIPE_NAME ? STATUS_OBJECT_NAME_INVALID : STATUS_NOT_SUPPORTED);
		return;
	}
	for (pp = pending; pp; pp = pp->next)
		if (pp->tgid == host_tgid(t) && same_name(pp, name, len)) {
			free(u);
			nt_done(t, STATUS_INSTANCE_NOT_AVAILABLE);
			return;
		}
	pp = xcalloc(1, sizeof(*pp));
	pp->tgid = host_tgid(t);
	memcpy(pp->name, name, len * 2);
	pp->n = len;
	free(u);
	c->p = pp;
	nt_linux(t, after_socketpair, SYS_socketpair, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, nt_work(t), 0, 0);
}

bool nt_pipe_open(struct tracee *t, uint64_t oa, uint64_t handle_out, uint32_t access, uint32_t share, uint32_t options,
		  uint64_t iosb)
{
	struct pending_pipe **pp;
	const uint16_t *name;
	uint16_t *u;
	size_t n, len;

	if (nt_oa_plain_name(t, oa, &u, &n))
		return false; /* not readable here: the usual open says what is wrong */
	name = pipe_name(u, n, &len);
	if (!name) {
		free(u);
		return false;
	}
	for (pp = &pending; *pp; pp = &(*pp)->next)
		if ((*pp)->tgid == host_tgid(t) && same_name(*pp, name, len))
			break;
	free(u);
	if (!*pp) {
		nt_done(t, STATUS_OBJECT_NAME_NOT_FOUND);
		return true;
	}
	{
		struct pending_pipe *found = *pp;
		ntstatus st = nt_handle_give(t, pipe_end(found->fd, options, share), access, handle_out);

		if (st == STATUS_SUCCESS) {
			*pp = found->next;
			free(found);
			nt_put_iosb(t, iosb, STATUS_SUCCESS, 1 /* FILE_OPENED */);
		}
		nt_done(t, st);
	}
	return true;
}

/* A process ended: the client ends it never opened are forgotten (their fds went with it). */
void nt_pipes_forget(pid_t tgid)
{
	for (struct pending_pipe **pp = &pending; *pp;)
		if ((*pp)->tgid == tgid) {
			struct pending_pipe *gone = *pp;
			*pp = gone->next;
			free(gone);
		} else {
			pp = &(*pp)->next;
		}
}
