/*
 * File objects of the NT personality: reading, writing and closing. A file
 * handle names a file object that holds an fd in the tracee; the data moves
 * by the thread's own read/write calls, so a blocking read blocks the
 * program, never the supervisor. The access a handle was opened with is
 * checked here, as NT's I/O manager does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "nt_file.h"
#include "nt_internal.h"

#ifndef RWF_APPEND
#define RWF_APPEND 0x10
#endif

/* ByteOffset values with a meaning of their own. */
#define FILE_WRITE_TO_END_OF_FILE ((int64_t)-1) /* LowPart 0xffffffff, HighPart -1 */
#define FILE_USE_FILE_POINTER_POSITION ((int64_t)-2)

static struct nt_fcb *fcbs;

struct nt_fcb *nt_fcb_get(dev_t dev, ino_t ino)
{
	for (struct nt_fcb *f = fcbs; f; f = f->next)
		if (f->dev == dev && f->ino == ino)
			return f;
	return NULL;
}

struct nt_fcb *nt_fcb_open(dev_t dev, ino_t ino, const char *host, bool is_dir)
{
	struct nt_fcb *f = nt_fcb_get(dev, ino);

	if (!f) {
		f = calloc(1, sizeof(*f));
		if (!f)
			return NULL;
		f->dev = dev;
		f->ino = ino;
		f->is_dir = is_dir;
		f->next = fcbs;
		fcbs = f;
	}
	if (host && (!f->host || strcmp(f->host, host) != 0)) {
		free(f->host);
		f->host = strdup(host);
	}
	f->opens++;
	return f;
}

static void fcb_close(struct nt_fcb *f, const struct nt_file *file)
{
	struct nt_fcb **pp = &fcbs;

	nt_share_take(f, file->share_access, file->share, -1);

	if (--f->opens > 0)
		return;
	while (*pp != f)
		pp = &(*pp)->next;
	*pp = f->next;
	free(f->host);
	free(f);
}

void nt_file_forget(struct nt_object *obj)
{
	struct nt_file *f = &obj->file;

	for (int i = 0; i < f->nnames; i++)
		free(f->names[i]);
	free(f->names);
	free(f->mask);
	free(f->host);
	free(f->nt_name);
	if (f->fcb)
		fcb_close(f->fcb, f);
	f->fcb = NULL;
}

/* Opens that hold read, write or delete access (1/2/4), and what they share. */
void nt_share_take(struct nt_fcb *f, uint32_t access, uint32_t share, int delta)
{
	if (!access)
		return; /* an open for attributes only takes no part in sharing */
	f->readers += access & 1 ? delta : 0;
	f->writers += access & 2 ? delta : 0;
	f->deleters += access & 4 ? delta : 0;
	f->deny_read += share & 1 ? 0 : delta;
	f->deny_write += share & 2 ? 0 : delta;
	f->deny_delete += share & 4 ? 0 : delta;
}

bool nt_share_conflict(const struct nt_fcb *f, uint32_t access, uint32_t share)
{
	if (!f || !access)
		return false;
	return ((access & 1) && f->deny_read) || ((access & 2) && f->deny_write) || ((access & 4) && f->deny_delete) ||
	       (!(share & 1) && f->readers) || (!(share & 2) && f->writers) || (!(share & 4) && f->deleters);
}

/* The file object of handle h with at least one of the access bits in need (0: none needed). */
ntstatus nt_file_of(struct tracee *t, uint64_t h, uint32_t need, struct nt_object **obj)
{
	uint32_t access;
	ntstatus st = nt_handle_get(nt_process_of(t), h, NT_TYPE_FILE, obj, &access);

	if (st)
		return st;
	if (need && !(access & need))
		return STATUS_ACCESS_DENIED;
	return STATUS_SUCCESS;
}

bool nt_file_protected(struct tracee *t, const struct nt_object *o)
{
	struct stat st;

	return nt_fd_stat(t, o->file.fd, &st) == 0 && nt_drive_protected(st.st_dev, st.st_ino);
}

/* ---- NtReadFile / NtWriteFile */

/* st: 0 handle, 1 write?, 2 iosb, 3 length, 4 buffer */

static void io_result(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);
	bool writing = c->st[1];

	if (ret < 0) {
		nt_done(t, ret == -EFAULT ? STATUS_ACCESS_VIOLATION : nt_status_of_errno((int)ret));
		return;
	}
	if (!writing && ret == 0 && c->st[3] > 0) {
		struct nt_object *o;
		/* a pipe whose other end is closed is broken (ERROR_BROKEN_PIPE), a file ends */
		ntstatus end = nt_handle_get(nt_process_of(t), c->st[0], NT_TYPE_FILE, &o, NULL) == STATUS_SUCCESS &&
					       o->file.pipe_end
				       ? STATUS_PIPE_BROKEN
				       : STATUS_END_OF_FILE;

		nt_put_iosb(t, c->st[2], end, 0);
		nt_done(t, end);
		return;
	}
	nt_put_iosb(t, c->st[2], STATUS_SUCCESS, (uint64_t)ret);
	nt_done(t, STATUS_SUCCESS);
	nt_event_signal(t, c->a[1]); /* the I/O is complete: its event, if it has one, is set */
	{
		/* and its packet goes to the file's completion port, if it has one (nt_iocp.c) */
		struct nt_object *o;

		if (nt_handle_get(nt_process_of(t), c->st[0], NT_TYPE_FILE, &o, NULL) == STATUS_SUCCESS)
			nt_iocp_io_done(o, c->a[3], STATUS_SUCCESS, (uint64_t)ret);
	}
}

static void io_at_position(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_object *o;

	if (ret < 0) {
		nt_done(t, nt_status_of_errno((int)ret));
		return;
	}
	if (nt_file_of(t, c->st[0], 0, &o)) {
		nt_done(t, STATUS_INVALID_HANDLE);
		return;
	}
	nt_linux(t, io_result, c->st[1] ? SYS_write : SYS_read, (uint64_t)o->file.fd, c->st[4], c->st[3], 0, 0, 0);
}

static void read_or_write(struct tracee *t, bool writing)
{
	struct nt_call *c = nt_call_of(t);
	uint64_t h = c->a[0], iosb = c->a[4], buf = c->a[5], len = (uint32_t)c->a[6], offp = c->a[7];
	unsigned char probe[16];
	struct nt_object *o;
	int64_t off = FILE_USE_FILE_POINTER_POSITION;
	ntstatus st;

	st = nt_file_of(t, h, writing ? FILE_WRITE_DATA | FILE_APPEND_DATA : FILE_READ_DATA, &o);
	if (st) {
		nt_done(t, st);
		return;
	}
	if (nt_get(t, iosb, probe, sizeof(probe)) || (offp && nt_get(t, offp, &off, 8))) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	if (o->file.is_dir || o->file.is_random) { /* a device answering control codes only */
		nt_done(t, STATUS_INVALID_DEVICE_REQUEST);
		return;
	}
	c->st[0] = h;
	c->st[1] = writing;
	c->st[2] = iosb;
	c->st[3] = len;
	c->st[4] = buf;
	if (o->file.pipe_end && writing) {
		/* a pipe whose reading end is closed fails the write (EPIPE: PIPE_BROKEN), never with SIGPIPE */
		nt_linux(t, io_result, SYS_sendto, (uint64_t)o->file.fd, buf, len, MSG_NOSIGNAL, 0, 0);
		return;
	}
	if (!o->file.seekable || off == FILE_USE_FILE_POINTER_POSITION || (o->file.append_only && writing)) {
		nt_linux(t, io_result, writing ? SYS_write : SYS_read, (uint64_t)o->file.fd, buf, len, 0, 0, 0);
		return;
	}
	if (off == FILE_WRITE_TO_END_OF_FILE && writing) {
		struct iovec iov = { (void *)(uintptr_t)buf, len };
		uint64_t at = nt_scratch_put(t, 0, &iov, sizeof(iov));

		if (!at) {
			nt_done(t, STATUS_NO_MEMORY);
			return;
		}
		nt_linux(t, io_result, SYS_pwritev2, (uint64_t)o->file.fd, at, 1, (uint64_t)-1, (uint64_t)-1, RWF_APPEND);
		return;
	}
	if (off < 0) {
		nt_done(t, STATUS_INVALID_PARAMETER);
		return;
	}
	/* NT moves the position of a synchronous file past what it transferred: seek, then read or write. */
	nt_linux(t, io_at_position, SYS_lseek, (uint64_t)o->file.fd, (uint64_t)off, SEEK_SET, 0, 0, 0);
}

void nt_serve_NtReadFile(struct tracee *t)
{
	read_or_write(t, false);
}

void nt_serve_NtWriteFile(struct tracee *t)
{
	read_or_write(t, true);
}

/* ---- NtClose */

static void after_close(struct tracee *t, long ret)
{
	(void)ret;
	nt_done(t, STATUS_SUCCESS);
}

void nt_unlink_at(struct tracee *t, uint64_t dir, uint64_t leaf, uint64_t dir_b, uint64_t leaf_b)
{
	(void)dir_b;
	(void)leaf_b;
	nt_linux(t, nt_at_done, SYS_unlinkat, dir, leaf, nt_call_of(t)->at.arg, 0, 0, 0);
}

static void after_unlink(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);
	int fd = (int)c->st[5];

	(void)ret;
	if (fd >= 0)
		nt_linux(t, after_close, SYS_close, (uint64_t)fd, 0, 0, 0, 0, 0);
	else
		nt_done(t, STATUS_SUCCESS);
}

/*
 * The last handle of a file object is gone: close its fd in the tracee and,
 * when this was the last open of a file marked for deletion, remove it (by
 * the thread, so the sandbox's Landlock rules apply to the removal too).
 */
void nt_file_closed(struct tracee *t, struct nt_object *obj)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_file *f = &obj->file;
	struct nt_fcb *fcb = f->fcb;
	int fd = f->fd;
	struct stat st;
	bool remove = fcb && fcb->opens == 1 && (fcb->delete_pending || f->delete_on_close) && fcb->host;
	bool dir = fcb && fcb->is_dir;
	char *here = remove && fd >= 0 ? nt_fd_path(t, fd) : NULL; /* the file where it is now, not its old name */

	if (here && lstat(here, &st) == 0 && nt_drive_protected(st.st_dev, st.st_ino)) {
		free(here);
		here = NULL;
	}

	nt_object_free(obj);
	c->st[5] = (uint64_t)(int64_t)fd;
	if (here && nt_at_parents(t, here, NULL, nt_unlink_at, after_unlink, dir ? AT_REMOVEDIR : 0) == 0) {
		free(here);
		return;
	}
	free(here);
	if (fd >= 0)
		nt_linux(t, after_close, SYS_close, (uint64_t)fd, 0, 0, 0, 0, 0);
	else
		nt_done(t, STATUS_SUCCESS);
}

void nt_serve_NtClose(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_object *o;

	if (c->a[0] == (uint64_t)-1 || c->a[0] == (uint64_t)-2) { /* pseudo-handles: nothing to close */
		nt_done(t, STATUS_SUCCESS);
		return;
	}
	if (nt_handle_protected(nt_process_of(t), c->a[0])) { /* SetHandleInformation(HANDLE_FLAG_PROTECT_FROM_CLOSE) */
		nt_done(t, STATUS_HANDLE_NOT_CLOSABLE);
		return;
	}
	o = nt_handle_remove(nt_process_of(t), c->a[0]);
	if (!o) {
		nt_done(t, STATUS_INVALID_HANDLE);
		return;
	}
	if (!nt_object_release(o)) {
		nt_done(t, STATUS_SUCCESS);
		return;
	}
	if (o->type == NT_TYPE_FILE) {
		nt_file_closed(t, o);
		return;
	}
	if (o->type == NT_TYPE_SECTION && o->section.fd >= 0) {
		/* the section's own fd; views mapped from it stay */
		c->st[5] = (uint64_t)o->section.fd;
		nt_object_free(o);
		nt_linux(t, after_close, SYS_close, c->st[5], 0, 0, 0, 0, 0);
		return;
	}
	nt_object_free(o);
	nt_done(t, STATUS_SUCCESS);
}
