/*
 * What NT can ask about a file and change in it: NtQueryInformationFile and
 * NtSetInformationFile (Basic, Standard, Internal, Access, Name, Position,
 * Mode, All, NetworkOpen; EndOfFile, Allocation, Disposition, Rename, Link),
 * NtQueryAttributesFile, NtQueryFullAttributesFile, NtDeleteFile,
 * NtFlushBuffersFile and NtQueryVolumeInformationFile (Volume, Size,
 * FullSize, Device, Attribute). Questions are answered by the supervisor from the file behind
 * the tracee's fd; changes are made by the thread.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nt_file.h"
#include "nt_internal.h"
#include "sandbox.h"
#include "util.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#endif

enum {
	FileBasicInformation = 4,
	FileStandardInformation = 5,
	FileInternalInformation = 6,
	FileAccessInformation = 8,
	FileNameInformation = 9,
	FileRenameInformation = 10,
	FileLinkInformation = 11,
	FileDispositionInformation = 13,
	FilePositionInformation = 14,
	FileModeInformation = 16,
	FileAlignmentInformation = 17,
	FileAllInformation = 18,
	FileAllocationInformation = 19,
	FileEndOfFileInformation = 20,
	FileNetworkOpenInformation = 34,
};

#define FILE_ATTRIBUTE_READONLY 0x1
#define FILE_ATTRIBUTE_HIDDEN 0x2
#define FILE_ATTRIBUTE_DIRECTORY 0x10
#define FILE_ATTRIBUTE_ARCHIVE 0x20

/* As Wine shows a Unix file: directories and archives, read-only without write bits, dot names hidden. */
uint32_t nt_file_attributes(const struct stat *st, const char *name)
{
	uint32_t a = S_ISDIR(st->st_mode) ? FILE_ATTRIBUTE_DIRECTORY : FILE_ATTRIBUTE_ARCHIVE;
	const char *base = name ? strrchr(name, '/') : NULL;

	if (!(st->st_mode & 0222))
		a |= FILE_ATTRIBUTE_READONLY;
	base = base ? base + 1 : name;
	if (base && base[0] == '.' && strcmp(base, ".") != 0 && strcmp(base, "..") != 0)
		a |= FILE_ATTRIBUTE_HIDDEN;
	return a;
}

static uint64_t ts(const struct timespec *t)
{
	return nt_time_of(t->tv_sec, t->tv_nsec);
}

static uint64_t end_of_file(const struct stat *st)
{
	return S_ISDIR(st->st_mode) ? 0 : (uint64_t)st->st_size;
}

static uint64_t allocation(const struct stat *st)
{
	return S_ISDIR(st->st_mode) ? 0 : (uint64_t)st->st_blocks * 512;
}

/* FILE_BASIC_INFORMATION (0x28). */
static void basic(unsigned char *b, const struct stat *st, const char *name)
{
	nt_le64(b, 0, ts(&st->st_mtim)); /* no birth time through stat: Wine too falls back to it */
	nt_le64(b, 8, ts(&st->st_atim));
	nt_le64(b, 0x10, ts(&st->st_mtim));
	nt_le64(b, 0x18, ts(&st->st_ctim));
	nt_le32(b, 0x20, nt_file_attributes(st, name));
}

/* FILE_STANDARD_INFORMATION (0x18). */
static void standard(unsigned char *b, const struct stat *st, bool delete_pending)
{
	nt_le64(b, 0, allocation(st));
	nt_le64(b, 8, end_of_file(st));
	nt_le32(b, 0x10, (uint32_t)st->st_nlink);
	b[0x14] = delete_pending;
	b[0x15] = S_ISDIR(st->st_mode);
}

/* FILE_NETWORK_OPEN_INFORMATION (0x38). */
static void network_open(unsigned char *b, const struct stat *st, const char *name)
{
	nt_le64(b, 0, ts(&st->st_mtim));
	nt_le64(b, 8, ts(&st->st_atim));
	nt_le64(b, 0x10, ts(&st->st_mtim));
	nt_le64(b, 0x18, ts(&st->st_ctim));
	nt_le64(b, 0x20, allocation(st));
	nt_le64(b, 0x28, end_of_file(st));
	nt_le32(b, 0x30, nt_file_attributes(st, name));
}

/* The file's name as UTF-16 for FileNameInformation: \dir\file under its drive. */
static uint16_t *name_units(const struct nt_file *f, size_t *n)
{
	const char *name = f->nt_name ? f->nt_name : "\\";
	size_t len = strlen(name), units = nt_utf8_to_utf16(name, len, NULL, 0);
	uint16_t *u = xmalloc((units + 1) * 2);

	nt_utf8_to_utf16(name, len, u, units);
	*n = units;
	return u;
}

/* The file's current position, from the kernel's fdinfo (the thread need not run for it). */
static int64_t position_of(struct tracee *t, int fd)
{
	char path[64], line[128];
	long long pos = -1;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", host_tid(t), fd);
	fp = fopen(path, "re");
	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "pos: %lld", &pos) == 1)
			break;
	fclose(fp);
	return pos;
}

void nt_serve_NtQueryInformationFile(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	uint64_t iosb = c->a[1], buf = c->a[2];
	uint32_t len = (uint32_t)c->a[3], cls = (uint32_t)c->a[4], access, size = 0;
	unsigned char b[0x400] = { 0 };
	struct nt_object *o;
	struct stat st;
	ntstatus status = STATUS_SUCCESS, ret;
	uint16_t *name = NULL;
	size_t nunits = 0;

	ret = nt_handle_get(nt_process_of(t), c->a[0], NT_TYPE_FILE, &o, &access);
	if (ret) {
		nt_done(t, ret);
		return;
	}
	if (nt_fd_stat(t, o->file.fd, &st) < 0) {
		nt_done(t, STATUS_INVALID_HANDLE);
		return;
	}
	switch (cls) {
	case FileBasicInformation:
		size = 0x28;
		basic(b, &st, o->file.host);
		break;
	case FileStandardInformation:
		size = 0x18;
		standard(b, &st, o->file.fcb && o->file.fcb->delete_pending);
		break;
	case FileInternalInformation:
		size = 8;
		nt_le64(b, 0, st.st_ino);
		break;
	case FileAccessInformation:
		size = 4;
		nt_le32(b, 0, access);
		break;
	case FilePositionInformation:
		size = 8;
		nt_le64(b, 0, o->file.seekable ? (uint64_t)position_of(t, o->file.fd) : 0);
		break;
	case FileModeInformation:
		size = 4;
		nt_le32(b, 0, (o->file.sync_io ? 0x20 : 0) | (o->file.delete_on_close ? 0x1000 : 0));
		break;
	case FileAlignmentInformation:
		size = 4;
		break;
	case FileNetworkOpenInformation:
		size = 0x38;
		network_open(b, &st, o->file.host);
		break;
	case FileNameInformation:
	case FileAllInformation: {
		size_t at = cls == FileNameInformation ? 0 : 0x60, fixed = at + 4;
		if (len < fixed + (cls == FileAllInformation ? 4 : 0)) {
			nt_done(t, STATUS_INFO_LENGTH_MISMATCH);
			return;
		}
		if (cls == FileAllInformation) {
			basic(b, &st, o->file.host);
			standard(b + 0x28, &st, o->file.fcb && o->file.fcb->delete_pending);
			nt_le64(b, 0x40, st.st_ino);
			nt_le32(b, 0x4c, access);
			nt_le64(b, 0x50, o->file.seekable ? (uint64_t)position_of(t, o->file.fd) : 0);
			nt_le32(b, 0x58, (o->file.sync_io ? 0x20 : 0) | (o->file.delete_on_close ? 0x1000 : 0));
		}
		name = name_units(&o->file, &nunits);
		nt_le32(b, at, (uint32_t)(nunits * 2));
		size = (uint32_t)(fixed + nunits * 2);
		if (size > len) {
			status = STATUS_BUFFER_OVERFLOW;
			size = len;
		}
		if (size > sizeof(b)) { /* a long name: write the fixed part, then the name */
			if (nt_put(t, buf, b, fixed) || nt_put(t, buf + fixed, name, size - fixed))
				status = STATUS_ACCESS_VIOLATION;
			free(name);
			goto written;
		}
		memcpy(b + fixed, name, size - fixed);
		free(name);
		break;
	}
	default:
		nt_done(t, STATUS_INVALID_INFO_CLASS);
		return;
	}
	if (len < size) {
		nt_done(t, STATUS_INFO_LENGTH_MISMATCH);
		return;
	}
	if (nt_put(t, buf, b, size)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
written:
	if (status == STATUS_ACCESS_VIOLATION) {
		nt_done(t, status);
		return;
	}
	nt_put_iosb(t, iosb, status, size);
	nt_done(t, status);
}

/* ---- NtSetInformationFile */

static void set_result(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);

	if (ret < 0) {
		nt_done(t, nt_status_of_errno((int)ret));
		return;
	}
	nt_put_iosb(t, c->a[1], STATUS_SUCCESS, 0);
	nt_done(t, STATUS_SUCCESS);
}

static void after_rename(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_lookup *to = c->p;
	struct nt_object *o;

	if (ret < 0) {
		nt_done(t, ret == -EEXIST ? STATUS_OBJECT_NAME_COLLISION : nt_status_of_errno((int)ret));
		return;
	}
	if (nt_handle_get(nt_process_of(t), c->a[0], NT_TYPE_FILE, &o, NULL) == STATUS_SUCCESS) {
		free(o->file.host);
		free(o->file.nt_name);
		o->file.host = to->host;
		o->file.nt_name = to->nt_name;
		to->host = to->nt_name = NULL;
		if (o->file.fcb) {
			free(o->file.fcb->host);
			o->file.fcb->host = xstrdup(o->file.host);
		}
	}
	set_result(t, 0);
}

static void rename_at(struct tracee *t, uint64_t dir, uint64_t leaf, uint64_t dir_b, uint64_t leaf_b)
{
	nt_linux(t, nt_at_done, SYS_renameat2, dir, leaf, dir_b, leaf_b, nt_call_of(t)->at.arg, 0);
}

static void after_link(struct tracee *t, long ret)
{
	if (ret < 0) {
		nt_done(t, ret == -EEXIST ? STATUS_OBJECT_NAME_COLLISION : nt_status_of_errno((int)ret));
		return;
	}
	set_result(t, 0);
}

/* A new name for the file: both names relative to their parents, the existing one not followed if a symlink. */
static void link_at(struct tracee *t, uint64_t dir, uint64_t leaf, uint64_t dir_b, uint64_t leaf_b)
{
	nt_linux(t, nt_at_done, SYS_linkat, dir, leaf, dir_b, leaf_b, 0, 0);
}

static void lookup_free(void *p)
{
	nt_lookup_free(p);
	free(p);
}

/*
 * FILE_RENAME_INFORMATION (and FILE_LINK_INFORMATION, the same layout, when link): a full NT name, a name
 * relative to RootDirectory, or a bare name in the same directory.
 */
static void set_rename(struct tracee *t, struct nt_object *o, const unsigned char *b, uint32_t len, bool link)
{
	struct nt_call *c = nt_call_of(t);
	uint32_t name_len;
	uint64_t root;
	bool replace = b[0];
	uint16_t *u;
	size_t n;
	struct nt_lookup *to;
	struct stat sb;
	char *here;
	ntstatus st;

	memcpy(&root, b + 8, 8);
	memcpy(&name_len, b + 0x10, 4);
	if (name_len % 2 || len < 0x14 || name_len > len - 0x14 || !o->file.host) {
		nt_done(t, STATUS_INVALID_PARAMETER);
		return;
	}
	if (!link && nt_file_protected(t, o)) { /* a drive's root (or a parent of one) stays where it is */
		nt_done(t, STATUS_ACCESS_DENIED);
		return;
	}
	if (link && nt_fd_stat(t, o->file.fd, &sb) == 0 && S_ISDIR(sb.st_mode)) { /* NT links files only */
		nt_done(t, STATUS_FILE_IS_A_DIRECTORY);
		return;
	}
	/* The handle's file where it is now (renamed since by anyone), not the name it was opened by. */
	here = nt_fd_path(t, o->file.fd);
	if (!here) {
		nt_done(t, STATUS_OBJECT_NAME_NOT_FOUND);
		return;
	}
	free(o->file.host);
	o->file.host = here;
	n = name_len / 2;
	u = xmalloc(name_len + 2u);
	memcpy(u, b + 0x14, name_len);
	to = xcalloc(1, sizeof(*to));
	c->p = to;
	c->p_free = lookup_free;
	if (!root && n && u[0] != '\\') {
		/* a bare name: beside the file */
		bool bad = false;
		for (size_t i = 0; i < n; i++)
			bad |= u[i] == '\\' || u[i] < 32 || u[i] == '*' || u[i] == '?' || u[i] == '/' || u[i] == ':';
		if (bad) {
			free(u);
			nt_done(t, STATUS_OBJECT_NAME_INVALID);
			return;
		}
		{
			size_t len8 = nt_utf16_to_utf8(u, n, NULL, 0);
			char *name = xmalloc(len8 + 1), *slash = strrchr(o->file.host, '/'),
			     *ntslash = o->file.nt_name ? strrchr(o->file.nt_name, '\\') : NULL;

			nt_utf16_to_utf8(u, n, name, len8);
			name[len8] = 0;
			to->host = xasprintf("%.*s/%s", (int)(slash ? slash - o->file.host : 0), o->file.host, name);
			to->nt_name = xasprintf("%.*s\\%s", (int)(ntslash ? ntslash - o->file.nt_name : 0),
						o->file.nt_name ? o->file.nt_name : "", name);
			free(name);
		}
	} else {
		st = nt_path_resolve(t, root, u, n, true, to);
		if (st) {
			free(u);
			nt_done(t, st);
			return;
		}
		if (to->exists && (!replace || link)) {
			/* replacing a name by a link would take an unlink and a link, not one call: not done */
			free(u);
			nt_done(t, replace ? STATUS_NOT_SUPPORTED : STATUS_OBJECT_NAME_COLLISION);
			return;
		}
		if (to->exists && lstat(to->host, &sb) == 0 && nt_drive_protected(sb.st_dev, sb.st_ino)) {
			free(u); /* replacing a drive's root is removing it */
			nt_done(t, STATUS_ACCESS_DENIED);
			return;
		}
	}
	free(u);
	/* Both names relative to their parents opened without symlinks: one swapped in since leads nowhere. */
	if (link)
		st = nt_at_parents(t, o->file.host, to->host, link_at, after_link, 0);
	else
		st = nt_at_parents(t, o->file.host, to->host, rename_at, after_rename, replace ? 0 : RENAME_NOREPLACE);
	if (st)
		nt_done(t, st);
}

/* A name resolved beneath a drive is opened without following a symlink swapped in since; a handle's
 * /proc/PID/fd/N link is followed (it is the directory the handle holds). */
static bool dir_is_empty(const char *path, bool beneath)
{
	struct open_how how = { .flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
				.resolve = beneath ? RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS : 0 };
	int fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
	char buf[1024];
	long n;
	bool empty = true;

	if (fd < 0)
		return true;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			const char *name = buf + off + 19;
			unsigned short reclen;

			memcpy(&reclen, buf + off + 16, 2);
			if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0)
				empty = false;
			off += reclen;
		}
		if (!empty)
			break;
	}
	close(fd);
	return empty;
}

/*
 * The times are set: now the read-only attribute, as the file's write bits.
 * Both act on the file the handle holds (its fd), never on a name: a name
 * walked again could lead anywhere a symlink or a rename put it since.
 */
static void after_times(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_object *o;
	struct stat st;
	mode_t mode;

	if (ret < 0 || nt_handle_get(nt_process_of(t), c->a[0], NT_TYPE_FILE, &o, NULL) || o->file.fd < 0 ||
	    nt_fd_stat(t, o->file.fd, &st) < 0) {
		set_result(t, ret < 0 ? ret : 0);
		return;
	}
	mode = st.st_mode & 07777;
	if (c->st[0] & FILE_ATTRIBUTE_READONLY)
		mode &= (mode_t)~0222;
	else if (!(mode & 0222))
		mode |= 0200;
	nt_linux(t, set_result, SYS_fchmod, (uint64_t)o->file.fd, mode, 0, 0, 0, 0);
}

void nt_serve_NtSetInformationFile(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	uint64_t buf = c->a[2];
	uint32_t len = (uint32_t)c->a[3], cls = (uint32_t)c->a[4], access, need = 0, min = 0;
	unsigned char b[0x10000 + 0x14];
	struct nt_object *o;
	struct stat st;
	ntstatus ret;
	int64_t v;

	ret = nt_handle_get(nt_process_of(t), c->a[0], NT_TYPE_FILE, &o, &access);
	if (ret) {
		nt_done(t, ret);
		return;
	}
	if (cls == 30) { /* FileCompletionInformation: the handle's completion port (nt_iocp.c) */
		nt_done(t, nt_file_bind_port(t, o, buf, len));
		return;
	}
	if (cls == 41) { /* FileIoCompletionNotificationInformation (nt_iocp.c) */
		nt_done(t, nt_file_completion_modes(t, o, buf, len));
		return;
	}
	switch (cls) {
	case FileBasicInformation: need = FILE_WRITE_ATTRIBUTES; min = 0x28; break;
	case FilePositionInformation: min = 8; break;
	case FileEndOfFileInformation:
	case FileAllocationInformation: need = FILE_WRITE_DATA; min = 8; break;
	case FileDispositionInformation: need = NT_DELETE; min = 1; break;
	case FileRenameInformation: need = NT_DELETE; min = 0x18; break;
	case FileLinkInformation: min = 0x18; break;
	default:
		nt_done(t, STATUS_INVALID_INFO_CLASS);
		return;
	}
	if (len < min) {
		nt_done(t, STATUS_INFO_LENGTH_MISMATCH);
		return;
	}
	if (len > sizeof(b))
		len = sizeof(b);
	if (nt_get(t, buf, b, len) || nt_get(t, c->a[1], &v, 8)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	if (need && !(access & need)) {
		nt_done(t, STATUS_ACCESS_DENIED);
		return;
	}
	memcpy(&v, b, 8);
	switch (cls) {
	case FilePositionInformation:
		if (v < 0) {
			nt_done(t, STATUS_INVALID_PARAMETER);
			return;
		}
		nt_linux(t, set_result, SYS_lseek, (uint64_t)o->file.fd, (uint64_t)v, SEEK_SET, 0, 0, 0);
		return;
	case FileEndOfFileInformation:
	case FileAllocationInformation:
		if (v < 0) {
			nt_done(t, STATUS_INVALID_PARAMETER);
			return;
		}
		if (cls == FileAllocationInformation && nt_fd_stat(t, o->file.fd, &st) == 0 && v >= st.st_size) {
			set_result(t, 0); /* allocation only ever shrinks the file here */
			return;
		}
		nt_linux(t, set_result, SYS_ftruncate, (uint64_t)o->file.fd, (uint64_t)v, 0, 0, 0, 0);
		return;
	case FileDispositionInformation:
		if (!o->file.fcb || !o->file.host) {
			nt_done(t, STATUS_INVALID_PARAMETER);
			return;
		}
		if (b[0] && nt_file_protected(t, o)) {
			nt_done(t, STATUS_CANNOT_DELETE);
			return;
		}
		if (b[0] && nt_fd_stat(t, o->file.fd, &st) == 0) {
			if (!S_ISDIR(st.st_mode) && !(st.st_mode & 0222)) {
				nt_done(t, STATUS_CANNOT_DELETE);
				return;
			}
			char fdpath[64];

			/* the directory the handle holds, through its fd: not a name walked again */
			snprintf(fdpath, sizeof(fdpath), "/proc/%d/fd/%d", host_tid(t), o->file.fd);
			if (S_ISDIR(st.st_mode) && !dir_is_empty(fdpath, false)) {
				nt_done(t, STATUS_DIRECTORY_NOT_EMPTY);
				return;
			}
		}
		o->file.fcb->delete_pending = b[0] != 0;
		set_result(t, 0);
		return;
	case FileRenameInformation:
	case FileLinkInformation:
		set_rename(t, o, b, len, cls == FileLinkInformation);
		return;
	case FileBasicInformation: {
		/* 0 leaves a time as it is; times as timespecs for utimensat, then the read-only attribute. */
		struct timespec tsv[2];
		int64_t at, wr;
		uint32_t attrs;
		uint64_t times;

		/* a device (NUL is the host's /dev/null, a console a tty) has no times or attributes to set: its mode
		 * is the host's, whatever drives the run maps */
		if (nt_fd_stat(t, o->file.fd, &st) == 0 && (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))) {
			nt_done(t, STATUS_INVALID_DEVICE_REQUEST);
			return;
		}

		memcpy(&at, b + 8, 8);
		memcpy(&wr, b + 0x10, 8);
		memcpy(&attrs, b + 0x20, 4);
		for (int i = 0; i < 2; i++) {
			int64_t x = i ? wr : at;
			if (x <= 0) {
				tsv[i].tv_sec = 0;
				tsv[i].tv_nsec = UTIME_OMIT;
			} else {
				tsv[i].tv_sec = (time_t)(x / (int64_t)NT_TICKS_PER_SECOND - (int64_t)NT_EPOCH_1601_TO_1970);
				tsv[i].tv_nsec = (long)(x % (int64_t)NT_TICKS_PER_SECOND) * 100;
			}
		}
		if (!o->file.host || o->file.fd < 0) {
			set_result(t, 0);
			return;
		}
		/* Landlock has no right for a file's mode and times: the policy's rules are checked here. */
		if (!sandbox_fd_may_change(t, o->file.fd)) {
			nt_done(t, STATUS_ACCESS_DENIED);
			return;
		}
		c->st[0] = attrs;
		times = nt_scratch_put(t, SCRATCH_SLOT_HALF, tsv, sizeof(tsv));
		if (!times) {
			nt_done(t, STATUS_NO_MEMORY);
			return;
		}
		nt_linux(t, attrs ? after_times : set_result, SYS_utimensat, (uint64_t)o->file.fd, 0, times, 0, 0, 0);
		return;
	}
	default:
		break;
	}
	nt_done(t, STATUS_INVALID_INFO_CLASS);
}

/* ---- By name: NtQueryAttributesFile, NtQueryFullAttributesFile, NtDeleteFile */

/* The file OBJECT_ATTRIBUTES at oa names, which must exist: its lookup and stat (the call's trace name set). */
static ntstatus existing_file(struct tracee *t, uint64_t oa, struct nt_lookup *lk, struct stat *st)
{
	ntstatus status = nt_path_lookup(t, oa, lk);

	if (status)
		return status;
	nt_call_of(t)->name = xstrdup(lk->host);
	if (!lk->exists || lstat(lk->host, st) < 0) {
		nt_lookup_free(lk);
		return STATUS_OBJECT_NAME_NOT_FOUND;
	}
	return STATUS_SUCCESS;
}

static void attributes_by_name(struct tracee *t, bool full)
{
	struct nt_call *c = nt_call_of(t);
	unsigned char b[0x38] = { 0 };
	struct nt_lookup lk;
	struct stat st;
	ntstatus status = existing_file(t, c->a[0], &lk, &st);

	if (status) {
		nt_done(t, status);
		return;
	}
	if (full)
		network_open(b, &st, lk.host);
	else
		basic(b, &st, lk.host);
	nt_lookup_free(&lk);
	nt_done(t, nt_put(t, c->a[1], b, full ? 0x38 : 0x28) ? STATUS_ACCESS_VIOLATION : STATUS_SUCCESS);
}

void nt_serve_NtQueryAttributesFile(struct tracee *t)
{
	attributes_by_name(t, false);
}

void nt_serve_NtQueryFullAttributesFile(struct tracee *t)
{
	attributes_by_name(t, true);
}

static void after_delete(struct tracee *t, long ret)
{
	nt_done(t, ret < 0 ? nt_status_of_errno((int)ret) : STATUS_SUCCESS);
}

/* As if opened for DELETE with FILE_DELETE_ON_CLOSE and closed: removed now, or when the last open handle goes. */
void nt_serve_NtDeleteFile(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_lookup lk;
	struct nt_fcb *f;
	struct stat st;
	ntstatus status = existing_file(t, c->a[0], &lk, &st);

	if (status) {
		nt_done(t, status);
		return;
	}
	if ((!S_ISDIR(st.st_mode) && !(st.st_mode & 0222)) || nt_drive_protected(st.st_dev, st.st_ino)) {
		nt_lookup_free(&lk);
		nt_done(t, STATUS_CANNOT_DELETE);
		return;
	}
	f = nt_fcb_get(st.st_dev, st.st_ino);
	if (f) {
		status = nt_share_conflict(f, 4, 7) ? STATUS_SHARING_VIOLATION
			 : S_ISDIR(st.st_mode) && !dir_is_empty(lk.host, true) ? STATUS_DIRECTORY_NOT_EMPTY
									 : STATUS_SUCCESS;
		if (!status)
			f->delete_pending = true;
		nt_lookup_free(&lk);
		nt_done(t, status);
		return;
	}
	status = nt_at_parents(t, lk.host, NULL, nt_unlink_at, after_delete, S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0);
	nt_lookup_free(&lk);
	if (status)
		nt_done(t, status);
}

/* ---- NtFlushBuffersFile, NtQueryVolumeInformationFile */

static void after_flush(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);

	if (ret == -EINVAL || ret == -EROFS) /* pipes and terminals have nothing to flush */
		ret = 0;
	if (ret < 0) {
		nt_done(t, nt_status_of_errno((int)ret));
		return;
	}
	nt_put_iosb(t, c->a[1], STATUS_SUCCESS, 0);
	nt_done(t, STATUS_SUCCESS);
}

void nt_serve_NtFlushBuffersFile(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_object *o;
	unsigned char probe[16];
	ntstatus st = nt_file_of(t, c->a[0], FILE_WRITE_DATA | FILE_APPEND_DATA, &o);

	if (st) {
		nt_done(t, st);
		return;
	}
	if (nt_get(t, c->a[1], probe, sizeof(probe))) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	nt_linux(t, after_flush, SYS_fsync, (uint64_t)o->file.fd, 0, 0, 0, 0, 0);
}

enum {
	FileFsVolumeInformation = 1,
	FileFsSizeInformation = 3,
	FileFsDeviceInformation = 4,
	FileFsAttributeInformation = 5,
	FileFsFullSizeInformation = 7,
};
#define FILE_DEVICE_DISK 0x7
#define FILE_DEVICE_NAMED_PIPE 0x11
#define FILE_DEVICE_NULL 0x15
#define FILE_DEVICE_CONSOLE 0x50

void nt_serve_NtQueryVolumeInformationFile(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	uint32_t len = (uint32_t)c->a[3], size = 0, min = 0;
	unsigned char b[64] = { 0 };
	struct nt_object *o;
	struct stat st;
	struct statvfs vfs;
	char path[64];
	ntstatus status = nt_file_of(t, c->a[0], 0, &o);

	if (status) {
		nt_done(t, status);
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", host_tid(t), o->file.fd);
	if (stat(path, &st) < 0) {
		nt_done(t, STATUS_INVALID_HANDLE);
		return;
	}
	switch (c->a[4]) {
	case FileFsSizeInformation:
	case FileFsFullSizeInformation: {
		/* units of the file system's fragment size; the caller's free units are what an unprivileged user
		 * may take (f_bavail), FullSize adds all that is free (f_bfree) */
		uint64_t unit;
		size_t at = 8;
		size = min = c->a[4] == FileFsSizeInformation ? 0x18 : 0x20;
		if (statvfs(path, &vfs) < 0) {
			nt_done(t, nt_status_of_errno(-errno));
			return;
		}
		unit = vfs.f_frsize ? vfs.f_frsize : vfs.f_bsize;
		if (unit < 512)
			unit = 512;
		nt_le64(b, 0, vfs.f_blocks);
		nt_le64(b, 8, vfs.f_bavail);
		if (c->a[4] == FileFsFullSizeInformation)
			nt_le64(b, at += 8, vfs.f_bfree);
		nt_le32(b, at + 8, (uint32_t)(unit / 512));
		nt_le32(b, at + 12, 512);
		break;
	}
	case FileFsVolumeInformation:
		/* no label, no creation time kept; the serial number tells the host's file systems apart */
		size = 0x12;
		min = 0x18;
		nt_le32(b, 8, (uint32_t)st.st_dev ^ (uint32_t)((uint64_t)st.st_dev >> 32));
		break;
	case FileFsDeviceInformation: {
		uint32_t type = FILE_DEVICE_DISK, chars = 0;
		size = min = 8;
		if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))
			type = FILE_DEVICE_NAMED_PIPE;
		else if (S_ISCHR(st.st_mode))
			type = major(st.st_rdev) == 1 && minor(st.st_rdev) == 3 ? FILE_DEVICE_NULL : FILE_DEVICE_CONSOLE;
		else
			chars = 0x20; /* FILE_DEVICE_IS_MOUNTED */
		nt_le32(b, 0, type);
		nt_le32(b, 4, chars);
		break;
	}
	case FileFsAttributeInformation: {
		static const char fs[] = "NTFS";
		/* case-preserved and Unicode names, 255-character components, as a Windows volume says */
		min = 0xc;
		nt_le32(b, 0, 0x2 | 0x4);
		nt_le32(b, 4, 255);
		nt_le32(b, 8, (uint32_t)(sizeof(fs) - 1) * 2);
		for (size_t i = 0; i < sizeof(fs) - 1; i++)
			b[0xc + 2 * i] = (unsigned char)fs[i];
		size = 0xc + (uint32_t)(sizeof(fs) - 1) * 2;
		if (len >= min && len < size) {
			status = STATUS_BUFFER_OVERFLOW;
			size = len;
		}
		break;
	}
	default:
		nt_done(t, STATUS_INVALID_INFO_CLASS);
		return;
	}
	if (len < min) {
		nt_done(t, STATUS_INFO_LENGTH_MISMATCH);
		return;
	}
	if (nt_put(t, c->a[2], b, size)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	nt_put_iosb(t, c->a[1], status, size);
	nt_done(t, status);
}
