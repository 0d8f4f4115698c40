/*
 * Sections: NtCreateSection (backed by a file, or by the page file: a memfd
 * of the process), NtMapViewOfSection (a shared mapping on NT's 64 KiB
 * granularity; WRITECOPY views private) and NtUnmapViewOfSection. A
 * section's protection needs the file handle's access to the data, and
 * bounds its views' protections (and NtProtectVirtualMemory's on them). The section holds its own fd in the
 * tracee, so the file handle it was made from may be closed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "nt_file.h"
#include "nt_internal.h"
#include "nt_memory.h"
#include "util.h"

#define SEC_IMAGE 0x1000000
#define STATUS_MAPPED_FILE_SIZE_ZERO 0xC000011E
#define STATUS_MAPPED_ALIGNMENT 0xC0000220
#define STATUS_NOT_MAPPED_VIEW 0xC0000019
#define STATUS_SECTION_TOO_BIG 0xC0000040
#define STATUS_INVALID_VIEW_SIZE 0xC000001F

enum {
	SECTION_QUERY = 0x1,
	SECTION_MAP_WRITE = 0x2,
	SECTION_MAP_READ = 0x4,
	SECTION_MAP_EXECUTE = 0x8,
	SECTION_ALL_ACCESS = 0xf001f,
};

/* A section handle's access: the GENERIC_* bits and MAXIMUM_ALLOWED as the section rights they stand for. */
static uint32_t section_access(uint32_t a)
{
	uint32_t r = a & ~(NT_GENERIC_READ | NT_GENERIC_WRITE | NT_GENERIC_EXECUTE | NT_GENERIC_ALL | NT_MAXIMUM_ALLOWED);

	if (a & NT_GENERIC_READ)
		r |= NT_READ_CONTROL | SECTION_QUERY | SECTION_MAP_READ;
	if (a & NT_GENERIC_WRITE)
		r |= NT_READ_CONTROL | SECTION_MAP_WRITE;
	if (a & NT_GENERIC_EXECUTE)
		r |= NT_READ_CONTROL | SECTION_MAP_EXECUTE;
	if (a & (NT_GENERIC_ALL | NT_MAXIMUM_ALLOWED))
		r |= SECTION_ALL_ACCESS;
	return r;
}

/*
 * What a view of this protection needs of the section handle (NT's
 * MmMakeSectionAccess): writing SECTION_MAP_WRITE, a private copy or reading
 * SECTION_MAP_READ, executing SECTION_MAP_EXECUTE besides.
 */
static uint32_t view_access(uint32_t protect)
{
	unsigned rights = nt_page_rights(protect);
	uint32_t need = rights & NT_RIGHT_COPY	  ? SECTION_MAP_READ
			: rights & NT_RIGHT_WRITE ? SECTION_MAP_WRITE
			: rights & NT_RIGHT_READ  ? SECTION_MAP_READ
						  : 0;

	return need | (rights & NT_RIGHT_EXEC ? SECTION_MAP_EXECUTE : 0);
}

/* st: 0 the section's fd, 1 size */
static void section_ready(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_object *o;

	if (ret < 0) {
		nt_done(t, nt_status_of_errno((int)ret));
		return;
	}
	o = nt_object_new(NT_TYPE_SECTION);
	o->section.fd = (int)c->st[0];
	o->section.size = c->st[1];
	o->section.protect = (uint32_t)c->a[4];
	nt_done(t, nt_handle_give(t, o, (uint32_t)c->a[1] ? section_access((uint32_t)c->a[1]) : SECTION_ALL_ACCESS,
				  c->a[0]));
}

static void after_memfd(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);

	if (ret < 0) {
		nt_done(t, nt_status_of_errno((int)ret));
		return;
	}
	c->st[0] = (uint64_t)ret;
	nt_linux(t, section_ready, SYS_ftruncate, (uint64_t)ret, c->st[1], 0, 0, 0, 0);
}

/* A file-backed section longer than its writable file makes the file that long, as NT does. */
static void after_dup(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);

	if (ret < 0) {
		nt_done(t, nt_status_of_errno((int)ret));
		return;
	}
	c->st[0] = (uint64_t)ret;
	if (c->st[2])
		nt_linux(t, section_ready, SYS_ftruncate, (uint64_t)ret, c->st[1], 0, 0, 0, 0);
	else
		section_ready(t, 0);
}

void nt_serve_NtCreateSection(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	uint64_t probe, max = 0;
	uint32_t attrs = (uint32_t)c->a[5];
	struct nt_object *f;
	struct stat st;
	ntstatus s;
	int prot = nt_prot_of((uint32_t)c->a[4]);
	unsigned rights = nt_page_rights((uint32_t)c->a[4]);
	static const char name[] = "nt-section";
	uint64_t at;

	if (nt_get(t, c->a[0], &probe, 8) || (c->a[3] && nt_get(t, c->a[3], &max, 8))) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	if (prot < 0) {
		nt_done(t, STATUS_INVALID_PAGE_PROTECTION);
		return;
	}
	if (attrs & SEC_IMAGE) {
		nt_done(t, STATUS_NOT_SUPPORTED); /* image sections: the loader's business, not served */
		return;
	}
	if (max > (1ULL << 40)) {
		nt_done(t, STATUS_SECTION_TOO_BIG);
		return;
	}
	if (!c->a[6]) {
		if (!max) {
			nt_done(t, STATUS_INVALID_PARAMETER);
			return;
		}
		c->st[1] = max;
		at = nt_scratch_put(t, 0, name, sizeof(name));
		nt_linux(t, after_memfd, SYS_memfd_create, at, MFD_CLOEXEC, 0, 0, 0, 0);
		return;
	}
	/* What the section allows its views needs the handle's access to the file's data, as NT asks: reading
	 * (and executing, and private copies) FILE_READ_DATA, writing the file FILE_WRITE_DATA too. */
	s = nt_file_of(t, c->a[6], 0, &f);
	if (!s && !(rights & (NT_RIGHT_READ | NT_RIGHT_EXEC | NT_RIGHT_COPY)))
		s = STATUS_INVALID_PAGE_PROTECTION;
	if (!s)
		s = nt_file_of(t, c->a[6], FILE_READ_DATA, &f);
	if (!s && (rights & NT_RIGHT_WRITE))
		s = nt_file_of(t, c->a[6], FILE_WRITE_DATA, &f);
	if (s) {
		nt_done(t, s);
		return;
	}
	if (nt_fd_stat(t, f->file.fd, &st) < 0 || f->file.is_dir) {
		nt_done(t, STATUS_INVALID_PARAMETER);
		return;
	}
	if (!max)
		max = (uint64_t)st.st_size;
	if (!max) {
		nt_done(t, STATUS_MAPPED_FILE_SIZE_ZERO);
		return;
	}
	c->st[1] = max;
	c->st[2] = max > (uint64_t)st.st_size && (rights & NT_RIGHT_WRITE);
	if (max > (uint64_t)st.st_size && !(rights & NT_RIGHT_WRITE)) {
		nt_done(t, STATUS_SECTION_TOO_BIG);
		return;
	}
	nt_linux(t, after_dup, SYS_fcntl, (uint64_t)f->file.fd, F_DUPFD_CLOEXEC, 3, 0, 0, 0);
}

/* st: 0 base, 1 size, 2 protect */
static void after_map(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_alloc *a;

	if (ret < 0) {
		nt_done(t, ret == -EEXIST ? STATUS_CONFLICTING_ADDRESSES : nt_status_of_errno((int)ret));
		return;
	}
	a = nt_alloc_add(nt_process_of(t), c->st[0], c->st[1], (uint32_t)c->st[2], MEM_MAPPED);
	a->section_protect = (uint32_t)c->st[3];
	a->private_view = (nt_page_rights((uint32_t)c->st[2]) & NT_RIGHT_COPY) != 0;
	nt_alloc_set(a, c->st[0], c->st[0] + c->st[1], (uint32_t)c->st[2]);
	if (nt_put(t, c->a[2], &c->st[0], 8) || nt_put(t, c->a[6], &c->st[1], 8)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	nt_done(t, STATUS_SUCCESS);
}

void nt_serve_NtMapViewOfSection(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_process *p = nt_process_of(t);
	struct nt_object *o;
	uint64_t base, view, off = 0, size;
	uint32_t protect = (uint32_t)c->a[9];
	int prot = nt_prot_of(protect);
	uint32_t access;
	ntstatus s = nt_handle_get(p, c->a[0], NT_TYPE_SECTION, &o, &access);

	if (s) {
		nt_done(t, s);
		return;
	}
	if (prot >= 0 && (view_access(protect) & ~access)) {
		nt_done(t, STATUS_ACCESS_DENIED); /* the handle does not grant what the view would do */
		return;
	}
	if (c->a[1] != (uint64_t)-1) {
		nt_done(t, STATUS_INVALID_HANDLE);
		return;
	}
	if (nt_get(t, c->a[2], &base, 8) || nt_get(t, c->a[6], &view, 8) || (c->a[5] && nt_get(t, c->a[5], &off, 8))) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	if (prot < 0) {
		nt_done(t, STATUS_INVALID_PAGE_PROTECTION);
		return;
	}
	if (!nt_rights_within(nt_page_rights(protect), o->section.protect)) {
		nt_done(t, STATUS_SECTION_PROTECTION); /* a view asks no more than its section allows */
		return;
	}
	if ((off & 0xffff) || (base & 0xffff)) {
		nt_done(t, STATUS_MAPPED_ALIGNMENT);
		return;
	}
	if (off >= o->section.size || (view && view > o->section.size - off)) {
		nt_done(t, STATUS_INVALID_VIEW_SIZE);
		return;
	}
	size = view ? view : o->section.size - off;
	size = (size + 4095) & ~4095ULL;
	if (!base)
		base = nt_find_free(t, size, false);
	else if (nt_alloc_overlaps(p, base, size)) {
		nt_done(t, STATUS_CONFLICTING_ADDRESSES);
		return;
	}
	if (!base) {
		nt_done(t, STATUS_NO_MEMORY);
		return;
	}
	c->st[0] = base;
	c->st[1] = size;
	c->st[2] = protect;
	c->st[3] = o->section.protect;
	/* WRITECOPY views are private: their writes are copies, never the section's (or its file's) */
	nt_linux(t, after_map, SYS_mmap, base, size, (uint64_t)prot,
		 ((nt_page_rights(protect) & NT_RIGHT_COPY) ? MAP_PRIVATE : MAP_SHARED) | MAP_FIXED_NOREPLACE,
		 (uint64_t)o->section.fd, off);
}

static void after_unmap(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_process *p = nt_process_of(t);
	struct nt_alloc *a = nt_alloc_find(p, c->st[0]);

	if (ret < 0) {
		nt_done(t, nt_status_of_errno((int)ret));
		return;
	}
	if (a)
		nt_alloc_remove(p, a);
	nt_done(t, STATUS_SUCCESS);
}

void nt_serve_NtUnmapViewOfSection(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_alloc *a;

	if (c->a[0] != (uint64_t)-1) {
		nt_done(t, STATUS_INVALID_HANDLE);
		return;
	}
	a = nt_alloc_find(nt_process_of(t), c->a[1]);
	if (!a || a->type != MEM_MAPPED) {
		nt_done(t, STATUS_NOT_MAPPED_VIEW);
		return;
	}
	c->st[0] = a->base;
	nt_linux(t, after_unmap, SYS_munmap, a->base, a->size, 0, 0, 0, 0);
}
