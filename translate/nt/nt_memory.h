/* The NT personality's record of a process's memory (translate/nt/nt_memory.c). */
#ifndef PICOVISOR_NT_MEMORY_H
#define PICOVISOR_NT_MEMORY_H

#include <stdbool.h>
#include <stdint.h>

#include "nt_internal.h"

/* A run of committed pages with one protection. */
struct nt_run {
	uint64_t start, end;
	uint32_t protect;
};

/*
 * One allocation as NT sees it: its committed pages as runs (sorted, apart,
 * neighbours of one protection merged); a page in no run is reserved. What
 * the supervisor keeps grows with the runs the program made, never with the
 * size it reserved (a 64 TiB reservation is one record).
 */
#define MEM_MAPPED 0x40000 /* a view of a section */

struct nt_alloc {
	uint64_t base, size;
	uint32_t alloc_protect;
	uint32_t type;            /* MEM_PRIVATE, MEM_IMAGE, MEM_MAPPED */
	uint32_t section_protect; /* MEM_MAPPED: its section's protection, which no page of the view may exceed */
	bool private_view;        /* MEM_MAPPED: a WRITECOPY view (MAP_PRIVATE): writes never reach the section */
	struct nt_run *runs;
	size_t nruns, capruns;
	struct nt_alloc *next;    /* by address */
};

int nt_prot_of(uint32_t protect);
/*
 * What a PAGE_* protection asks of the memory behind it: read, write to it
 * (shared), write a private copy (WRITECOPY), execute. A section's
 * protection is the most its views may ask (STATUS_SECTION_PROTECTION
 * beyond it): a WRITECOPY view needs a READWRITE or WRITECOPY section.
 */
enum { NT_RIGHT_READ = 1, NT_RIGHT_WRITE = 2, NT_RIGHT_COPY = 4, NT_RIGHT_EXEC = 8 };
unsigned nt_page_rights(uint32_t protect);
/* Are these NT_RIGHT_* within what protection max allows? */
bool nt_rights_within(unsigned want, uint32_t max);
struct nt_alloc *nt_alloc_find(struct nt_process *p, uint64_t addr);
struct nt_alloc *nt_alloc_add(struct nt_process *p, uint64_t base, uint64_t size, uint32_t protect, uint32_t type);
void nt_alloc_set(struct nt_alloc *a, uint64_t from, uint64_t to, uint32_t protect);
/* The protection of the page at addr (0: reserved); *end: where the pages of that protection end. */
uint32_t nt_alloc_protect_at(const struct nt_alloc *a, uint64_t addr, uint64_t *end);
void nt_allocs_free(struct nt_process *p);
void nt_alloc_remove(struct nt_process *p, struct nt_alloc *a);
bool nt_alloc_overlaps(struct nt_process *p, uint64_t base, uint64_t size);
/* A free range of size bytes on a 64 KiB boundary, bottom-up or top-down as NT picks; 0 if none. */
uint64_t nt_find_free(struct tracee *t, uint64_t size, bool top_down);

#endif
