/*
 * Virtual memory as NT hands it out: allocations reserved on 64 KiB
 * boundaries and committed page by page, each page's state and protection
 * remembered in the supervisor (Linux has no "reserved" state: a reserved
 * page is mapped PROT_NONE without backing). NtAllocateVirtualMemory,
 * NtFreeVirtualMemory, NtProtectVirtualMemory, NtQueryVirtualMemory, and
 * NtReadVirtualMemory / NtWriteVirtualMemory on the current process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "nt_internal.h"
#include "nt_memory.h"
#include "util.h"

#define PAGE 4096ULL
#define GRANULARITY 0x10000ULL
#define USER_MIN 0x10000ULL
#define USER_MAX 0x7ffffffeffffULL

enum {
	MEM_COMMIT = 0x1000,
	MEM_RESERVE = 0x2000,
	MEM_DECOMMIT = 0x4000,
	MEM_RELEASE = 0x8000,
	MEM_FREE = 0x10000,
	MEM_PRIVATE = 0x20000,
	MEM_RESET = 0x80000,
	MEM_TOP_DOWN = 0x100000,
};
#define STATUS_FREE_VM_NOT_AT_BASE 0xC000009F
#define STATUS_PARTIAL_COPY 0x8000000D

static uint64_t pdown(uint64_t v)
{
	return v & ~(PAGE - 1);
}

static uint64_t pup(uint64_t v)
{
	return (v + PAGE - 1) & ~(PAGE - 1);
}

/* PAGE_* as PROT_*; -1 for a protection NT refuses. */
int nt_prot_of(uint32_t protect)
{
	switch (protect & 0xff) {
	case 0x01: return PROT_NONE;
	case 0x02: return PROT_READ;
	case 0x04: return PROT_READ | PROT_WRITE;
	case 0x08: return PROT_READ | PROT_WRITE; /* WRITECOPY: only on private memory (a view: MAP_PRIVATE, nt_section.c) */
	case 0x10: return PROT_EXEC;
	case 0x20: return PROT_READ | PROT_EXEC;
	case 0x40: return PROT_READ | PROT_WRITE | PROT_EXEC;
	case 0x80: return PROT_READ | PROT_WRITE | PROT_EXEC;
	default: return -1;
	}
}

unsigned nt_page_rights(uint32_t protect)
{
	switch (protect & 0xff) {
	case 0x02: return NT_RIGHT_READ;
	case 0x04: return NT_RIGHT_READ | NT_RIGHT_WRITE;
	case 0x08: return NT_RIGHT_READ | NT_RIGHT_COPY;
	case 0x10: return NT_RIGHT_EXEC;
	case 0x20: return NT_RIGHT_READ | NT_RIGHT_EXEC;
	case 0x40: return NT_RIGHT_READ | NT_RIGHT_WRITE | NT_RIGHT_EXEC;
	case 0x80: return NT_RIGHT_READ | NT_RIGHT_COPY | NT_RIGHT_EXEC;
	default: return 0;
	}
}

bool nt_rights_within(unsigned want, uint32_t max)
{
	unsigned allowed = nt_page_rights(max);

	if (allowed & NT_RIGHT_WRITE)
		allowed |= NT_RIGHT_COPY;
	return (want & ~allowed) == 0;
}

static bool valid_protect(uint32_t protect)
{
	uint32_t base = protect & 0xff;

	return nt_prot_of(protect) >= 0 && !(protect & ~0x7ffu) && __builtin_popcount(base) == 1;
}

/* The list is sorted by address: a search stops at the first allocation past what it looks for. */
struct nt_alloc *nt_alloc_find(struct nt_process *p, uint64_t addr)
{
	for (struct nt_alloc *a = p->allocs; a && a->base <= addr; a = a->next)
		if (addr - a->base < a->size)
			return a;
	return NULL;
}

bool nt_alloc_overlaps(struct nt_process *p, uint64_t base, uint64_t size)
{
	for (struct nt_alloc *a = p->allocs; a && a->base < base + size; a = a->next)
		if (base < a->base + a->size)
			return true;
	return false;
}

struct nt_alloc *nt_alloc_add(struct nt_process *p, uint64_t base, uint64_t size, uint32_t protect, uint32_t type)
{
	struct nt_alloc *a = xcalloc(1, sizeof(*a)), **pp = &p->allocs;

	a->base = base;
	a->size = size;
	a->alloc_protect = protect;
	a->type = type;
	while (*pp && (*pp)->base < base)
		pp = &(*pp)->next;
	a->next = *pp;
	*pp = a;
	return a;
}

static void run_push(struct nt_alloc *a, uint64_t start, uint64_t end, uint32_t protect)
{
	struct nt_run *last = a->nruns ? &a->runs[a->nruns - 1] : NULL;

	if (start >= end)
		return;
	if (last && last->end == start && last->protect == protect) {
		last->end = end;
		return;
	}
	if (a->nruns == a->capruns)
		a->runs = xrealloc(a->runs, (a->capruns = a->capruns ? a->capruns * 2 : 4) * sizeof(*a->runs));
	a->runs[a->nruns++] = (struct nt_run){ start, end, protect };
}

/* [from, to) becomes protect (0: reserved): the runs rebuilt in order, the new one in its place. */
void nt_alloc_set(struct nt_alloc *a, uint64_t from, uint64_t to, uint32_t protect)
{
	struct nt_run *old = a->runs;
	size_t n = a->nruns;
	bool placed = false;

	a->runs = NULL;
	a->nruns = a->capruns = 0;
	for (size_t i = 0; i < n; i++) {
		const struct nt_run *r = &old[i];

		if (!placed && r->start >= from) {
			if (protect)
				run_push(a, from, to, protect);
			placed = true;
		}
		if (r->end <= from || r->start >= to) {
			run_push(a, r->start, r->end, r->protect);
			continue;
		}
		run_push(a, r->start, from, r->protect); /* what is left of it on either side */
		if (!placed) {
			if (protect)
				run_push(a, from, to, protect);
			placed = true;
		}
		run_push(a, to, r->end, r->protect);
	}
	if (!placed && protect)
		run_push(a, from, to, protect);
	free(old);
}

uint32_t nt_alloc_protect_at(const struct nt_alloc *a, uint64_t addr, uint64_t *end)
{
	for (size_t i = 0; i < a->nruns; i++) {
		if (addr < a->runs[i].start) {
			*end = a->runs[i].start;
			return 0;
		}
		if (addr < a->runs[i].end) {
			*end = a->runs[i].end;
			return a->runs[i].protect;
		}
	}
	*end = a->base + a->size;
	return 0;
}

void nt_alloc_remove(struct nt_process *p, struct nt_alloc *a)
{
	struct nt_alloc **pp = &p->allocs;

	while (*pp != a)
		pp = &(*pp)->next;
	*pp = a->next;
	free(a->runs);
	free(a);
}

void nt_allocs_free(struct nt_process *p)
{
	while (p->allocs)
		nt_alloc_remove(p, p->allocs);
}

/*
 * A free range of size bytes on a 64 KiB boundary, as NT picks one (bottom-up
 * from 64 KiB, or top-down), avoiding NT's allocations and every Linux
 * mapping of the process. 0 if none.
 */
uint64_t nt_find_free(struct tracee *t, uint64_t size, bool top_down)
{
	char path[64], line[512];
	uint64_t lo[4096], hi[4096];
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", host_tgid(t));
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (n < 4096 && fgets(line, sizeof(line), f)) {
		unsigned long long a, b;
		if (sscanf(line, "%llx-%llx", &a, &b) == 2)
			lo[n] = a, hi[n++] = b;
	}
	fclose(f);
	if (top_down) {
		uint64_t end = (USER_MAX + 1) & ~(GRANULARITY - 1);
		for (int i = n; i >= 0; i--) {
			uint64_t gap_lo = i > 0 ? hi[i - 1] : USER_MIN, gap_hi = i < n ? lo[i] : end;
			uint64_t at;
			if (gap_hi > end)
				gap_hi = end;
			if (gap_hi < size)
				continue;
			at = (gap_hi - size) & ~(GRANULARITY - 1);
			if (at >= gap_lo && at >= USER_MIN && gap_hi > gap_lo && !nt_alloc_overlaps(nt_process_of(t), at, size))
				return at;
		}
		return 0;
	}
	for (int i = 0; i <= n; i++) {
		uint64_t gap_lo = i > 0 ? hi[i - 1] : USER_MIN, gap_hi = i < n ? lo[i] : USER_MAX;
		uint64_t at = (gap_lo + GRANULARITY - 1) & ~(GRANULARITY - 1);
		if (at < USER_MIN)
			at = USER_MIN;
		if (at + size <= gap_hi && at + size > at && !nt_alloc_overlaps(nt_process_of(t), at, size))
			return at;
	}
	return 0;
}

/* st: 0 base, 1 size, 2 protect, 3 new allocation (1) or commit in one (0), 4 type, 5 tries of a base picked here (0: given) */
static void after_allocate(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_process *p = nt_process_of(t);
	uint64_t base = c->st[0], size = c->st[1];
	uint32_t protect = (uint32_t)c->st[2], type = (uint32_t)c->st[4];
	struct nt_alloc *a;

	if (ret == -EEXIST && c->st[5] && c->st[5] < 16) {
		/*
		 * The range we picked for an allocation without a base was taken meanwhile: another thread's
		 * allocation picked it too before either was mapped (Go's runtime allocates from many threads).
		 * Pick again, now that the winner's mapping is there.
		 */
		uint64_t at = nt_find_free(t, size, type & MEM_TOP_DOWN);

		if (at) {
			c->st[0] = at;
			c->st[5]++;
			nt_linux(t, after_allocate, SYS_mmap, at, size,
				 (uint64_t)((type & MEM_COMMIT) ? nt_prot_of(protect) : PROT_NONE),
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | ((type & MEM_COMMIT) ? 0 : MAP_NORESERVE),
				 (uint64_t)-1, 0);
			return;
		}
	}
	if (ret < 0 || (c->st[3] && (uint64_t)ret != base)) {
		nt_done(t, ret == -EEXIST ? STATUS_CONFLICTING_ADDRESSES : STATUS_NO_MEMORY);
		return;
	}
	if (c->st[3]) {
		a = nt_alloc_add(p, base, size, protect, MEM_PRIVATE);
		if (type & MEM_COMMIT)
			nt_alloc_set(a, base, base + size, protect);
	} else {
		a = nt_alloc_find(p, base);
		if (a)
			nt_alloc_set(a, base, base + size, protect);
	}
	if (nt_put(t, c->a[1], &base, 8) || nt_put(t, c->a[3], &size, 8)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	nt_done(t, STATUS_SUCCESS);
}

void nt_serve_NtAllocateVirtualMemory(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_process *p = nt_process_of(t);
	uint32_t type = (uint32_t)c->a[4], protect = (uint32_t)c->a[5];
	uint64_t base, size, start, end;
	struct nt_alloc *a;
	int prot;

	if (!nt_is_current_process(t, c->a[0])) {
		nt_done(t, STATUS_INVALID_HANDLE);
		return;
	}
	if (nt_get(t, c->a[1], &base, 8) || nt_get(t, c->a[3], &size, 8)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	if (!(type & (MEM_COMMIT | MEM_RESERVE | MEM_RESET)) || (type & ~(uint32_t)(MEM_COMMIT | MEM_RESERVE | MEM_RESET | MEM_TOP_DOWN)) ||
	    size == 0 || size > USER_MAX || base > USER_MAX || c->a[2] > 21) {
		nt_done(t, STATUS_INVALID_PARAMETER);
		return;
	}
	if (!valid_protect(protect)) {
		nt_done(t, STATUS_INVALID_PAGE_PROTECTION);
		return;
	}
	prot = nt_prot_of(protect);
	if (type & MEM_RESET) { /* contents may go: nothing to do for anonymous memory we do not track */
		nt_done(t, nt_alloc_find(p, base) ? STATUS_SUCCESS : STATUS_MEMORY_NOT_ALLOCATED);
		return;
	}
	a = base ? nt_alloc_find(p, base) : NULL;
	if (a && !(type & MEM_RESERVE)) {
		/* Committing pages of a reservation: whole pages covering [base, base+size). */
		start = pdown(base);
		end = pup(base + size);
		if (end > a->base + a->size) {
			nt_done(t, STATUS_CONFLICTING_ADDRESSES);
			return;
		}
		c->st[0] = start;
		c->st[1] = end - start;
		c->st[2] = protect;
		c->st[3] = 0;
		c->st[4] = type;
		nt_linux(t, after_allocate, SYS_mprotect, start, end - start, (uint64_t)prot, 0, 0, 0);
		return;
	}
	/* A new allocation: its base on a 64 KiB boundary, its size whole pages. */
	if (base) {
		start = base & ~(GRANULARITY - 1);
		end = pup(base + size);
		if (nt_alloc_overlaps(p, start, end - start)) {
			nt_done(t, STATUS_CONFLICTING_ADDRESSES);
			return;
		}
	} else {
		start = 0;
		end = pup(size);
		start = nt_find_free(t, end, type & MEM_TOP_DOWN);
		if (!start) {
			nt_done(t, STATUS_NO_MEMORY);
			return;
		}
		end += start;
		c->st[5] = 1; /* picked here: picked again if another thread's allocation takes it first */
	}
	c->st[0] = start;
	c->st[1] = end - start;
	c->st[2] = protect;
	c->st[3] = 1;
	c->st[4] = type;
	nt_linux(t, after_allocate, SYS_mmap, start, end - start, (uint64_t)((type & MEM_COMMIT) ? prot : PROT_NONE),
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | ((type & MEM_COMMIT) ? 0 : MAP_NORESERVE),
		 (uint64_t)-1, 0);
}

/* st: 0 base, 1 size, 2 release? */
static void after_free(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_process *p = nt_process_of(t);
	struct nt_alloc *a = nt_alloc_find(p, c->st[0]);

	if (ret < 0) {
		nt_done(t, nt_status_of_errno((int)ret));
		return;
	}
	if (a && c->st[2])
		nt_alloc_remove(p, a);
	else if (a)
		nt_alloc_set(a, c->st[0], c->st[0] + c->st[1], 0);
	nt_put(t, c->a[1], &c->st[0], 8);
	nt_put(t, c->a[2], &c->st[1], 8);
	nt_done(t, STATUS_SUCCESS);
}

void nt_serve_NtFreeVirtualMemory(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	uint32_t type = (uint32_t)c->a[3];
	uint64_t base, size, start, end;
	struct nt_alloc *a;

	if (!nt_is_current_process(t, c->a[0])) {
		nt_done(t, STATUS_INVALID_HANDLE);
		return;
	}
	if (nt_get(t, c->a[1], &base, 8) || nt_get(t, c->a[2], &size, 8)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	if ((type != MEM_RELEASE && type != MEM_DECOMMIT)) {
		nt_done(t, STATUS_INVALID_PARAMETER);
		return;
	}
	a = nt_alloc_find(nt_process_of(t), base);
	if (!a || a->type != MEM_PRIVATE) {
		nt_done(t, STATUS_MEMORY_NOT_ALLOCATED);
		return;
	}
	if (type == MEM_RELEASE) {
		if (size != 0) {
			nt_done(t, STATUS_INVALID_PARAMETER);
			return;
		}
		if (base != a->base) {
			nt_done(t, STATUS_FREE_VM_NOT_AT_BASE);
			return;
		}
		c->st[0] = a->base;
		c->st[1] = a->size;
		c->st[2] = 1;
		nt_linux(t, after_free, SYS_munmap, a->base, a->size, 0, 0, 0, 0);
		return;
	}
	start = pdown(base);
	end = size ? pup(base + size) : a->base + a->size;
	if (end > a->base + a->size) {
		nt_done(t, STATUS_INVALID_PARAMETER);
		return;
	}
	c->st[0] = start;
	c->st[1] = end - start;
	c->st[2] = 0;
	/* Decommitted pages read as zero when committed again: map fresh inaccessible memory over them. */
	nt_linux(t, after_free, SYS_mmap, start, end - start, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, (uint64_t)-1, 0);
}

/* st: 0 start, 1 size, 2 new protect, 3 old protect */
static void after_protect(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_alloc *a = nt_alloc_find(nt_process_of(t), c->st[0]);
	uint32_t old = (uint32_t)c->st[3];

	if (ret < 0) {
		nt_done(t, nt_status_of_errno((int)ret));
		return;
	}
	if (a)
		nt_alloc_set(a, c->st[0], c->st[0] + c->st[1], (uint32_t)c->st[2]);
	if (nt_put(t, c->a[1], &c->st[0], 8) || nt_put(t, c->a[2], &c->st[1], 8) || nt_put(t, c->a[4], &old, 4)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	nt_done(t, STATUS_SUCCESS);
}

void nt_serve_NtProtectVirtualMemory(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	uint32_t protect = (uint32_t)c->a[3];
	uint64_t base, size, start, end, probe;
	struct nt_alloc *a;

	if (!nt_is_current_process(t, c->a[0])) {
		nt_done(t, STATUS_INVALID_HANDLE);
		return;
	}
	if (nt_get(t, c->a[1], &base, 8) || nt_get(t, c->a[2], &size, 8) || nt_get(t, c->a[4], &probe, 4)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	if (!valid_protect(protect)) {
		nt_done(t, STATUS_INVALID_PAGE_PROTECTION);
		return;
	}
	start = pdown(base);
	end = pup(base + (size ? size : 1));
	a = nt_alloc_find(nt_process_of(t), start);
	if (!a || end > a->base + a->size) {
		nt_done(t, STATUS_CONFLICTING_ADDRESSES);
		return;
	}
	for (uint64_t x = start, run_end; x < end; x = run_end)
		if (!nt_alloc_protect_at(a, x, &run_end)) {
			nt_done(t, STATUS_NOT_COMMITTED);
			return;
		}
	if (a->type == MEM_MAPPED) {
		/* A view's pages never exceed its section: a shared view cannot become copy-on-write (its
		 * writes would reach the section), a private one writes only its copies. */
		unsigned want = nt_page_rights(protect);

		if (!a->private_view && (want & NT_RIGHT_COPY)) {
			nt_done(t, STATUS_INVALID_PAGE_PROTECTION);
			return;
		}
		if (a->private_view && (want & NT_RIGHT_WRITE))
			want = (want & ~(unsigned)NT_RIGHT_WRITE) | NT_RIGHT_COPY;
		if (!nt_rights_within(want, a->section_protect)) {
			nt_done(t, STATUS_SECTION_PROTECTION);
			return;
		}
	}
	c->st[0] = start;
	c->st[1] = end - start;
	c->st[2] = protect;
	c->st[3] = nt_alloc_protect_at(a, start, &probe);
	nt_linux(t, after_protect, SYS_mprotect, start, end - start, (uint64_t)nt_prot_of(protect), 0, 0, 0);
}

void nt_serve_NtQueryVirtualMemory(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_process *p = nt_process_of(t);
	uint64_t addr = c->a[1], len = c->a[4], retlen = 0x30;
	unsigned char b[0x30] = { 0 };
	struct nt_alloc *a;
	uint64_t base = pdown(addr), size;
	uint32_t state, protect = 0, v;

	if (!nt_is_current_process(t, c->a[0])) {
		nt_done(t, STATUS_INVALID_HANDLE);
		return;
	}
	if ((uint32_t)c->a[2] != 0) { /* MemoryBasicInformation only */
		nt_done(t, STATUS_INVALID_INFO_CLASS);
		return;
	}
	if (len < 0x30) {
		nt_done(t, STATUS_INFO_LENGTH_MISMATCH);
		return;
	}
	if (addr > USER_MAX) {
		nt_done(t, STATUS_INVALID_PARAMETER);
		return;
	}
	a = nt_alloc_find(p, addr);
	if (a) {
		uint64_t end;

		protect = nt_alloc_protect_at(a, base, &end);
		size = end - base;
		state = protect ? MEM_COMMIT : MEM_RESERVE;
		memcpy(b + 8, &a->base, 8);
		memcpy(b + 0x10, &a->alloc_protect, 4);
		v = a->type;
		memcpy(b + 0x28, &v, 4);
	} else {
		struct nt_alloc *next = NULL;
		for (struct nt_alloc *x = p->allocs; x; x = x->next)
			if (x->base > addr) {
				next = x;
				break;
			}
		size = (next ? next->base : (USER_MAX + 1)) - base;
		state = MEM_FREE;
		protect = 0x01; /* PAGE_NOACCESS */
	}
	memcpy(b, &base, 8);
	memcpy(b + 0x18, &size, 8);
	memcpy(b + 0x20, &state, 4);
	memcpy(b + 0x24, &protect, 4);
	if (nt_put(t, c->a[3], b, sizeof(b)) || (c->a[5] && nt_put(t, c->a[5], &retlen, 8))) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	nt_done(t, STATUS_SUCCESS);
}

/*
 * Copy within the process, honouring its protections (no /proc/PID/mem here):
 * the bytes moved, at most COPY_MAX a call so that no call holds the
 * supervisor for long (more is STATUS_PARTIAL_COPY with the count).
 */
#define COPY_MAX (64ULL << 20)
static uint64_t copy_within(struct tracee *t, uint64_t dst, uint64_t src, uint64_t len)
{
	static unsigned char buf[65536];
	uint64_t done = 0;

	if (len > COPY_MAX)
		len = COPY_MAX;

	while (done < len) {
		size_t n = len - done > sizeof(buf) ? sizeof(buf) : (size_t)(len - done);
		struct iovec l = { buf, n }, r = { (void *)(uintptr_t)(src + done), n };
		ssize_t got = process_vm_readv(host_tid(t), &l, 1, &r, 1, 0), put;

		if (got <= 0)
			break;
		l.iov_len = (size_t)got;
		r.iov_base = (void *)(uintptr_t)(dst + done);
		r.iov_len = (size_t)got;
		put = process_vm_writev(host_tid(t), &l, 1, &r, 1, 0);
		if (put <= 0)
			break;
		done += (uint64_t)put;
		if (put < got)
			break;
	}
	return done;
}

static void read_write_memory(struct tracee *t, bool write)
{
	struct nt_call *c = nt_call_of(t);
	uint64_t addr = c->a[1], buf = c->a[2], len = c->a[3], moved;

	if (!nt_is_current_process(t, c->a[0])) {
		nt_done(t, STATUS_INVALID_HANDLE);
		return;
	}
	moved = write ? copy_within(t, addr, buf, len) : copy_within(t, buf, addr, len);
	if (c->a[4] && nt_put(t, c->a[4], &moved, 8)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	nt_done(t, moved == len ? STATUS_SUCCESS : STATUS_PARTIAL_COPY);
}

void nt_serve_NtReadVirtualMemory(struct tracee *t)
{
	read_write_memory(t, false);
}

void nt_serve_NtWriteVirtualMemory(struct tracee *t)
{
	read_write_memory(t, true);
}
