/*
 * NtCreateFile and NtOpenFile. The name is resolved in the supervisor
 * (nt_path.c), the dispositions, options and share modes decided there, and
 * the thread itself opens (or creates) the host file, so the sandbox's
 * Landlock rules apply to it as to any open of the program's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nt_afd.h"
#include "nt_file.h"
#include "nt_internal.h"
#include "nt_ksecdd.h"
#include "util.h"

enum { FILE_SUPERSEDE, FILE_OPEN, FILE_CREATE, FILE_OPEN_IF, FILE_OVERWRITE, FILE_OVERWRITE_IF };
enum { FILE_SUPERSEDED, FILE_OPENED, FILE_CREATED, FILE_OVERWRITTEN };
enum {
	FILE_DIRECTORY_FILE = 0x1,
	FILE_SYNCHRONOUS_IO_ALERT = 0x10,
	FILE_SYNCHRONOUS_IO_NONALERT = 0x20,
	FILE_NON_DIRECTORY_FILE = 0x40,
	FILE_DELETE_ON_CLOSE = 0x1000,
	FILE_OPEN_BY_FILE_ID = 0x2000,
};
#define FILE_ATTRIBUTE_READONLY 0x1
#define FILE_GENERIC_READ (NT_READ_CONTROL | FILE_READ_DATA | FILE_READ_ATTRIBUTES | FILE_READ_EA | NT_SYNCHRONIZE)
#define FILE_GENERIC_WRITE (NT_READ_CONTROL | FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES | FILE_WRITE_EA | FILE_APPEND_DATA | NT_SYNCHRONIZE)
#define FILE_GENERIC_EXECUTE (NT_READ_CONTROL | FILE_READ_ATTRIBUTES | FILE_EXECUTE | NT_SYNCHRONIZE)

uint32_t nt_file_access_map(uint32_t a)
{
	if (a & NT_GENERIC_READ)
		a |= FILE_GENERIC_READ;
	if (a & NT_GENERIC_WRITE)
		a |= FILE_GENERIC_WRITE;
	if (a & NT_GENERIC_EXECUTE)
		a |= FILE_GENERIC_EXECUTE;
	if (a & (NT_GENERIC_ALL | NT_MAXIMUM_ALLOWED))
		a |= FILE_ALL_ACCESS;
	return a & ~(NT_GENERIC_READ | NT_GENERIC_WRITE | NT_GENERIC_EXECUTE | NT_GENERIC_ALL | NT_MAXIMUM_ALLOWED);
}

uint32_t nt_share_bits(uint32_t a)
{
	return (a & (FILE_READ_DATA | FILE_EXECUTE) ? 1 : 0) | (a & (FILE_WRITE_DATA | FILE_APPEND_DATA) ? 2 : 0) |
	       (a & NT_DELETE ? 4 : 0);
}

int nt_fd_stat(struct tracee *t, int fd, struct stat *st)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", host_tid(t), fd);
	return stat(path, st) < 0 ? -errno : 0;
}

char *nt_fd_path(struct tracee *t, int fd)
{
	char link[64], path[PATH_MAX];
	struct stat at_name, at_fd;
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/fd/%d", host_tid(t), fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0 || path[0] != '/')
		return NULL;
	path[n] = '\0';
	/* " (deleted)", or another file put under its name since: the name does not lead to it */
	if (stat(link, &at_fd) < 0 || lstat(path, &at_name) < 0 || at_fd.st_dev != at_name.st_dev ||
	    at_fd.st_ino != at_name.st_ino)
		return NULL;
	return xstrdup(path);
}

/* What an open being served keeps between its steps (nt_call.p). */
struct open_req {
	struct nt_lookup lk;
	uint32_t access, share, options;
	uint64_t handle_out, iosb;
	uint32_t info;             /* FILE_OPENED, FILE_CREATED, ... */
	int flags;
	mode_t mode;
};

static void open_req_free(void *p)
{
	struct open_req *r = p;

	nt_lookup_free(&r->lk);
	free(r);
}

static void open_failed(struct tracee *t, long err)
{
	struct open_req *r = nt_call_of(t)->p;
	ntstatus st = nt_status_of_errno((int)err);

	if (err == -ENOENT)
		st = r->lk.exists ? STATUS_OBJECT_NAME_NOT_FOUND : STATUS_OBJECT_PATH_NOT_FOUND;
	if (err == -ENOTDIR)
		st = STATUS_NOT_A_DIRECTORY;
	nt_done(t, st);
}

static void after_stray_close(struct tracee *t, long ret)
{
	(void)ret;
	nt_done(t, (ntstatus)nt_call_of(t)->st[0]);
}

static void after_open(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);
	struct open_req *r = c->p;
	struct nt_object *o;
	struct stat sb;
	uint64_t h;
	int fd = (int)ret;

	if (ret < 0) {
		open_failed(t, ret);
		return;
	}
	host_file_opened(t, fd);
	if (nt_fd_stat(t, fd, &sb) < 0 || ((r->options & FILE_NON_DIRECTORY_FILE) && S_ISDIR(sb.st_mode))) {
		/* It changed under us between the lookup and the open: undo the open. */
		c->st[0] = S_ISDIR(sb.st_mode) ? STATUS_FILE_IS_A_DIRECTORY : STATUS_UNSUCCESSFUL;
		nt_linux(t, after_stray_close, SYS_close, (uint64_t)fd, 0, 0, 0, 0, 0);
		return;
	}
	if ((r->options & FILE_DELETE_ON_CLOSE) && nt_drive_protected(sb.st_dev, sb.st_ino)) {
		c->st[0] = STATUS_CANNOT_DELETE; /* a drive's root is never removed */
		nt_linux(t, after_stray_close, SYS_close, (uint64_t)fd, 0, 0, 0, 0, 0);
		return;
	}
	o = nt_object_new(NT_TYPE_FILE);
	o->file.fd = fd;
	o->file.host = r->lk.host;
	o->file.nt_name = r->lk.nt_name;
	r->lk.host = r->lk.nt_name = NULL;
	o->file.is_dir = S_ISDIR(sb.st_mode);
	o->file.seekable = S_ISREG(sb.st_mode) || S_ISBLK(sb.st_mode);
	o->file.append_only = (r->access & FILE_APPEND_DATA) && !(r->access & FILE_WRITE_DATA);
	o->file.sync_io = r->options & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT);
	o->file.share = r->share;
	o->file.share_access = nt_share_bits(r->access);
	o->file.delete_on_close = r->options & FILE_DELETE_ON_CLOSE;
	o->file.fcb = nt_fcb_open(sb.st_dev, sb.st_ino, o->file.host, o->file.is_dir);
	if (o->file.fcb)
		nt_share_take(o->file.fcb, o->file.share_access, o->file.share, 1);
	h = nt_handle_add(nt_process_of(t), o, r->access);
	if (!h) {
		nt_object_free(o);
		c->st[0] = STATUS_TOO_MANY_OPENED_FILES; /* NT's "insufficient resources" for a full handle table */
		nt_linux(t, after_stray_close, SYS_close, (uint64_t)fd, 0, 0, 0, 0, 0);
		return;
	}
	nt_put(t, r->handle_out, &h, 8);
	nt_put_iosb(t, r->iosb, STATUS_SUCCESS, r->info);
	nt_done(t, STATUS_SUCCESS);
}

static void after_mkdir(struct tracee *t, long ret)
{
	struct open_req *r = nt_call_of(t)->p;
	ntstatus st;

	if (ret < 0) {
		open_failed(t, ret);
		return;
	}
	st = nt_open_beneath(t, after_open, r->lk.host, r->flags, 0);
	if (st)
		nt_done(t, st);
}

static void mkdir_at(struct tracee *t, uint64_t dir, uint64_t leaf, uint64_t dir_b, uint64_t leaf_b)
{
	(void)dir_b;
	(void)leaf_b;
	nt_linux(t, nt_at_done, SYS_mkdirat, dir, leaf, 0777, 0, 0, 0);
}

/* How the host file is opened for this access. */
static int open_flags(uint32_t access, bool dir)
{
	bool rd = access & (FILE_READ_DATA | FILE_EXECUTE), wr = access & (FILE_WRITE_DATA | FILE_APPEND_DATA);

	if (dir)
		return O_RDONLY | O_DIRECTORY | O_CLOEXEC;
	return (rd && wr ? O_RDWR : wr ? O_WRONLY : O_RDONLY) | O_CLOEXEC | O_NOCTTY |
	       ((access & FILE_APPEND_DATA) && !(access & FILE_WRITE_DATA) ? O_APPEND : 0);
}

/*
 * FILE_ATTRIBUTE_READONLY (no write bit in the host mode) binds every caller,
 * as NT's file systems enforce it whoever asks: writing, appending or
 * overwriting the file is ACCESS_DENIED, deleting it on close CANNOT_DELETE.
 * The Linux side cannot be left to refuse: root may write a 0444 file.
 */
static ntstatus read_only_refusal(const struct stat *sb, uint32_t access, uint32_t disposition, uint32_t options)
{
	if (S_ISDIR(sb->st_mode) || (sb->st_mode & 0222))
		return STATUS_SUCCESS;
	if ((access & (FILE_WRITE_DATA | FILE_APPEND_DATA)) || disposition == FILE_SUPERSEDE ||
	    disposition == FILE_OVERWRITE || disposition == FILE_OVERWRITE_IF)
		return STATUS_ACCESS_DENIED;
	if (options & FILE_DELETE_ON_CLOSE)
		return STATUS_CANNOT_DELETE;
	return STATUS_SUCCESS;
}

static void create_file(struct tracee *t, uint64_t handle_out, uint32_t access, uint64_t oa, uint64_t iosb,
			uint32_t attributes, uint32_t share, uint32_t disposition, uint32_t options)
{
	struct nt_call *c = nt_call_of(t);
	struct open_req *r;
	unsigned char probe[16];
	const struct nt_sysdll *sysdll;
	struct stat sb;
	ntstatus st;
	bool dir;

	if (disposition > FILE_OVERWRITE_IF || ((options & FILE_DIRECTORY_FILE) && (options & FILE_NON_DIRECTORY_FILE)) ||
	    ((options & FILE_DELETE_ON_CLOSE) && !(nt_file_access_map(access) & NT_DELETE)) ||
	    ((options & FILE_DIRECTORY_FILE) && disposition != FILE_CREATE && disposition != FILE_OPEN &&
	     disposition != FILE_OPEN_IF) ||
	    (options & FILE_OPEN_BY_FILE_ID) || share > 7) {
		nt_done(t, STATUS_INVALID_PARAMETER);
		return;
	}
	if (nt_get(t, handle_out, probe, 8) || nt_get(t, iosb, probe, 16)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	if (nt_ksecdd_named(t, oa)) {
		/* a device: opened, never created, made a directory or deleted */
		if (disposition != FILE_OPEN && disposition != FILE_OPEN_IF)
			nt_done(t, disposition == FILE_CREATE ? STATUS_OBJECT_NAME_COLLISION : STATUS_ACCESS_DENIED);
		else if (options & (FILE_DIRECTORY_FILE | FILE_DELETE_ON_CLOSE))
			nt_done(t, options & FILE_DIRECTORY_FILE ? STATUS_NOT_A_DIRECTORY : STATUS_ACCESS_DENIED);
		else
			nt_ksecdd_open(t, handle_out, nt_file_access_map(access), iosb);
		return;
	}
	if (nt_pipe_open(t, oa, handle_out, nt_file_access_map(access), share, options, iosb))
		return; /* the client end of a pipe (nt_pipe.c) */
	sysdll = nt_sysdll_lookup(t, oa);
	if (sysdll) {
		/* picovisor's own DLLs are read-only files: opened for reading, executing and attributes only */
		if (nt_file_access_map(access) & ~(FILE_GENERIC_READ | FILE_GENERIC_EXECUTE))
			nt_done(t, STATUS_ACCESS_DENIED);
		else if (disposition != FILE_OPEN && disposition != FILE_OPEN_IF)
			nt_done(t, disposition == FILE_CREATE ? STATUS_OBJECT_NAME_COLLISION : STATUS_ACCESS_DENIED);
		else if (options & (FILE_DIRECTORY_FILE | FILE_DELETE_ON_CLOSE))
			nt_done(t, options & FILE_DIRECTORY_FILE ? STATUS_NOT_A_DIRECTORY : STATUS_ACCESS_DENIED);
		else
			nt_sysdll_open(t, sysdll, handle_out, nt_file_access_map(access), iosb);
		return;
	}
	r = xcalloc(1, sizeof(*r));
	c->p = r;
	c->p_free = open_req_free;
	r->access = nt_file_access_map(access);
	r->share = share;
	r->options = options;
	r->handle_out = handle_out;
	r->iosb = iosb;
	st = nt_path_lookup(t, oa, &r->lk);
	if (st == STATUS_OBJECT_PATH_NOT_FOUND) {
		ntstatus in_sysdir = nt_sysdir_absent(t, oa, disposition != FILE_OPEN && disposition != FILE_OVERWRITE);
		st = in_sysdir ? in_sysdir : st;
	}
	if (st) {
		nt_done(t, st);
		return;
	}
	c->name = xstrdup(r->lk.host);
	if (r->lk.exists) {
		if (disposition == FILE_CREATE) {
			nt_done(t, STATUS_OBJECT_NAME_COLLISION);
			return;
		}
		if (r->lk.is_dir && (options & FILE_NON_DIRECTORY_FILE)) {
			nt_done(t, STATUS_FILE_IS_A_DIRECTORY);
			return;
		}
		if (!r->lk.is_dir && (options & FILE_DIRECTORY_FILE)) {
			nt_done(t, STATUS_NOT_A_DIRECTORY);
			return;
		}
		if (lstat(r->lk.host, &sb) == 0) {
			struct nt_fcb *f = nt_fcb_get(sb.st_dev, sb.st_ino);

			if (f && f->delete_pending) {
				nt_done(t, STATUS_DELETE_PENDING);
				return;
			}
			if (nt_share_conflict(f, nt_share_bits(r->access), share)) {
				nt_done(t, STATUS_SHARING_VIOLATION);
				return;
			}
			st = read_only_refusal(&sb, r->access, disposition, options);
			if (st) {
				nt_done(t, st);
				return;
			}
		}
		dir = r->lk.is_dir;
		r->flags = open_flags(r->access, dir);
		switch (disposition) {
		case FILE_SUPERSEDE:
			r->info = FILE_SUPERSEDED;
			break;
		case FILE_OVERWRITE:
		case FILE_OVERWRITE_IF:
			r->info = FILE_OVERWRITTEN;
			break;
		default:
			r->info = FILE_OPENED;
			break;
		}
		if (!dir && r->info != FILE_OPENED) {
			if (r->flags & O_APPEND || !(r->flags & (O_WRONLY | O_RDWR)))
				r->flags = (r->flags & ~(O_RDONLY | O_WRONLY | O_RDWR)) | O_RDWR;
			r->flags |= O_TRUNC;
		}
	} else {
		if (disposition == FILE_OPEN || disposition == FILE_OVERWRITE) {
			nt_done(t, STATUS_OBJECT_NAME_NOT_FOUND);
			return;
		}
		if (r->lk.trailing_slash && !(options & FILE_DIRECTORY_FILE)) {
			nt_done(t, STATUS_OBJECT_NAME_INVALID);
			return;
		}
		dir = options & FILE_DIRECTORY_FILE;
		r->info = FILE_CREATED;
		r->flags = open_flags(r->access, dir) | (dir ? 0 : O_CREAT | O_EXCL);
		r->mode = attributes & FILE_ATTRIBUTE_READONLY ? 0444 : 0666;
	}
	/* The thread opens (or makes) what the lookup found, following no symlink swapped in since. */
	if (!r->lk.exists && dir)
		st = nt_at_parents(t, r->lk.host, NULL, mkdir_at, after_mkdir, 0);
	else
		st = nt_open_beneath(t, after_open, r->lk.host, r->flags, r->mode);
	if (st)
		nt_done(t, st);
}

void nt_serve_NtCreateFile(struct tracee *t)
{
	const uint64_t *a = nt_call_of(t)->a;

	if (nt_afd_named(t, a[2])) { /* a socket: the device's own open */
		nt_afd_create(t, a[0], (uint32_t)a[1], a[3], a[9], (uint32_t)a[10]);
		return;
	}
	create_file(t, a[0], (uint32_t)a[1], a[2], a[3], (uint32_t)a[5], (uint32_t)a[6], (uint32_t)a[7], (uint32_t)a[8]);
}

void nt_serve_NtOpenFile(struct tracee *t)
{
	const uint64_t *a = nt_call_of(t)->a;

	create_file(t, a[0], (uint32_t)a[1], a[2], a[3], 0, (uint32_t)a[4], FILE_OPEN, (uint32_t)a[5]);
}
