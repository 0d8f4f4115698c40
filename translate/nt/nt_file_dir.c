/*
 * NtQueryDirectoryFile and NtQueryDirectoryFileEx: a directory handle lists
 * its entries (".", ".." below a drive's root, then the names sorted as NTFS
 * sorts them, ignoring case), filtered by the first call's wildcard mask, in
 * the Directory, FullDirectory, BothDirectory, IdBoth, IdFull and Names
 * layouts, entries aligned to 8 bytes. The listing is read once per scan
 * (RestartScan starts another, with the same mask).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nt_file.h"
#include "nt_internal.h"
#include "util.h"

enum {
	FileDirectoryInformation = 1,
	FileFullDirectoryInformation = 2,
	FileBothDirectoryInformation = 3,
	FileNamesInformation = 12,
	FileIdBothDirectoryInformation = 37,
	FileIdFullDirectoryInformation = 38,
};

#define SL_RESTART_SCAN 0x1
#define DIR_BUFFER_MAX (1u << 20) /* one call returns what fits in this much at most (a name is at most 510 bytes) */
#define SL_RETURN_SINGLE_ENTRY 0x2

/* Where the name starts in each layout (the FILE_*_INFORMATION layouts; the Id forms: FileId before the name). */
static int name_offset(uint32_t cls)
{
	switch (cls) {
	case FileDirectoryInformation: return 0x40;
	case FileFullDirectoryInformation: return 0x44;
	case FileBothDirectoryInformation: return 0x5e;
	case FileNamesInformation: return 0xc;
	case FileIdBothDirectoryInformation: return 0x68;
	case FileIdFullDirectoryInformation: return 0x50;
	default: return -1;
	}
}

static int by_name(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int r = nt_name_casecmp(x, y);

	return r ? r : strcmp(x, y);
}

static bool is_drive_root(const char *host)
{
	char dos[8];

	return nt_dos_path_of_host(host, dos, sizeof(dos)) == 0 && strlen(dos) == 3; /* "X:\" */
}

/* The directory the handle holds, opened again through its fd (never its name, which may lead elsewhere now). */
static int open_held(struct tracee *t, const struct nt_file *f)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", host_tid(t), f->fd);
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static void list(struct nt_file *f, int dirfd)
{
	int fd = dirfd >= 0 ? dup(dirfd) : -1;
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	int cap = 64, first;

	for (int i = 0; i < f->nnames; i++)
		free(f->names[i]);
	free(f->names);
	f->names = xmalloc((size_t)cap * sizeof(char *));
	f->nnames = 0;
	f->next_name = 0;
	f->listed = true;
	f->scan_returned = false;
	if (!is_drive_root(f->host)) {
		f->names[f->nnames++] = xstrdup(".");
		f->names[f->nnames++] = xstrdup("..");
	}
	first = f->nnames;
	if (!d && fd >= 0)
		close(fd);
	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (f->nnames == cap)
			f->names = xrealloc(f->names, (size_t)(cap *= 2) * sizeof(char *));
		f->names[f->nnames++] = xstrdup(e->d_name);
	}
	if (d)
		closedir(d);
	qsort(f->names + first, (size_t)(f->nnames - first), sizeof(char *), by_name);
}

/* One entry at b (room bytes): its size without alignment, or 0 if even its fixed part does not fit. */
static size_t entry(unsigned char *b, size_t room, uint32_t cls, int dirfd, const char *name, bool *truncated)
{
	size_t at = (size_t)name_offset(cls), len8 = strlen(name), units = nt_utf8_to_utf16(name, len8, NULL, 0);
	size_t bytes = units * 2;
	uint16_t *u;
	struct stat st;

	if (room < at)
		return 0;
	memset(b, 0, at);
	*truncated = at + bytes > room;
	if (*truncated)
		bytes = (room - at) & ~1UL;
	if (cls == FileNamesInformation) {
		nt_le32(b, 8, (uint32_t)(units * 2));
	} else {
		if (fstatat(dirfd, name, &st, 0) < 0 && fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			memset(&st, 0, sizeof(st));
		nt_le64(b, 0x8, nt_time_of(st.st_mtim.tv_sec, st.st_mtim.tv_nsec));
		nt_le64(b, 0x10, nt_time_of(st.st_atim.tv_sec, st.st_atim.tv_nsec));
		nt_le64(b, 0x18, nt_time_of(st.st_mtim.tv_sec, st.st_mtim.tv_nsec));
		nt_le64(b, 0x20, nt_time_of(st.st_ctim.tv_sec, st.st_ctim.tv_nsec));
		nt_le64(b, 0x28, S_ISDIR(st.st_mode) ? 0 : (uint64_t)st.st_size);
		nt_le64(b, 0x30, S_ISDIR(st.st_mode) ? 0 : (uint64_t)st.st_blocks * 512);
		nt_le32(b, 0x38, nt_file_attributes(&st, name));
		nt_le32(b, 0x3c, (uint32_t)(units * 2));
		if (cls == FileIdBothDirectoryInformation)
			nt_le64(b, 0x60, st.st_ino);
		if (cls == FileIdFullDirectoryInformation)
			nt_le64(b, 0x48, st.st_ino);
	}
	u = xmalloc(units * 2 + 2);
	nt_utf8_to_utf16(name, len8, u, units);
	memcpy(b + at, u, bytes);
	free(u);
	return at + bytes;
}

static void query_directory(struct tracee *t, uint64_t h, uint64_t iosb, uint64_t buf, uint32_t len, uint32_t cls,
			    bool single, uint64_t mask_ustr, bool restart)
{
	struct nt_object *o;
	struct nt_file *f;
	unsigned char *b = NULL, probe[16];
	size_t used = 0, last = 0;
	int dirfd, first_name;
	bool any = false, truncated = false;
	ntstatus st = nt_file_of(t, h, FILE_READ_DATA, &o);

	if (st) {
		nt_done(t, st);
		return;
	}
	f = &o->file;
	if (!f->is_dir || !f->host) {
		nt_done(t, STATUS_INVALID_PARAMETER);
		return;
	}
	if (name_offset(cls) < 0) {
		nt_done(t, STATUS_INVALID_INFO_CLASS);
		return;
	}
	/* The I/O manager asks for room for the class's whole structure: its name's first character, aligned. */
	if (len < (((uint32_t)name_offset(cls) + 2 + 7) & ~7U)) {
		nt_done(t, STATUS_INFO_LENGTH_MISMATCH);
		return;
	}
	if (nt_get(t, iosb, probe, sizeof(probe))) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	dirfd = open_held(t, f);
	if (dirfd < 0) {
		nt_done(t, STATUS_INVALID_HANDLE);
		return;
	}
	if (restart || !f->listed) {
		bool first_scan = !f->listed;

		/* The mask is the first call's: later ones, RestartScan or not, keep it (as NTFS and Wine do). */
		if (mask_ustr && first_scan) {
			uint16_t *u;
			size_t n;

			st = nt_get_ustr(t, mask_ustr, &u, &n);
			if (st)
				goto out;
			free(f->mask);
			f->mask = nt_units_utf8(u, n);
			free(u);
		}
		list(f, dirfd);
	}
	first_name = f->next_name;
	/* The program's Length may say 4 GiB: the entries of one call are built in at most DIR_BUFFER_MAX bytes. */
	if (len > DIR_BUFFER_MAX)
		len = DIR_BUFFER_MAX;
	b = xcalloc(1, len);
	while (f->next_name < f->nnames) {
		const char *name = f->names[f->next_name];
		size_t at = (used + 7) & ~7UL, n;

		if (!nt_wildcard_match(f->mask, name)) {
			f->next_name++;
			continue;
		}
		if (at >= len)
			break;
		n = entry(b + at, len - at, cls, dirfd, name, &truncated);
		if (!n || (truncated && any)) {
			truncated = false;
			break; /* the next call returns it */
		}
		if (any)
			nt_le32(b, last, (uint32_t)(at - last));
		last = at;
		used = at + n;
		any = true;
		if (truncated)
			break; /* only part of its name fitted: STATUS_BUFFER_OVERFLOW, and it stays next */
		f->next_name++;
		if (single)
			break;
	}
	if (!any) {
		/* A scan that never matched anything says so (an error: the IO_STATUS_BLOCK is not written);
		 * one that did has run out (a warning: it is, with nothing transferred). */
		st = f->scan_returned ? STATUS_NO_MORE_FILES : STATUS_NO_SUCH_FILE;
		if (st == STATUS_NO_MORE_FILES)
			nt_put_iosb(t, iosb, st, 0);
		goto out;
	}
	if (nt_put(t, buf, b, used)) {
		/* NT probes the buffer before it lists anything: the listing stays where it was */
		f->next_name = first_name;
		st = STATUS_ACCESS_VIOLATION;
		goto out;
	}
	f->scan_returned = true;
	st = truncated ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
	nt_put_iosb(t, iosb, st, used);
out:
	free(b);
	close(dirfd);
	nt_done(t, st);
}

void nt_serve_NtQueryDirectoryFile(struct tracee *t)
{
	const uint64_t *a = nt_call_of(t)->a;

	query_directory(t, a[0], a[4], a[5], (uint32_t)a[6], (uint32_t)a[7], (uint8_t)a[8], a[9], (uint8_t)a[10]);
}

void nt_serve_NtQueryDirectoryFileEx(struct tracee *t)
{
	const uint64_t *a = nt_call_of(t)->a;
	uint32_t flags = (uint32_t)a[8];

	query_directory(t, a[0], a[4], a[5], (uint32_t)a[6], (uint32_t)a[7], flags & SL_RETURN_SINGLE_ENTRY, a[9],
			flags & SL_RESTART_SCAN);
}
