/*
 * The scratch area: memory in each tracee process that its own threads can
 * read but never change. picovisor maps it read-only at every load and seals
 * it (mseal: no mprotect, munmap, mremap or mapping over it); the supervisor
 * writes it through /proc/PID/mem, which reaches read-only pages as ptrace
 * may. A call whose path picovisor decided on is given that decision from
 * here, so no other thread can change it between the decision and the
 * kernel's reading it (docs/architecture.md, "Path translation").
 *
 * Each thread that needs it gets a slot of its own for as long as it lives.
 */
#ifndef PICOVISOR_SCRATCH_H
#define PICOVISOR_SCRATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "host.h" /* the layout: SCRATCH_SLOT_SIZE, SCRATCH_SLOTS, SCRATCH_SIZE */

/* One area, shared by the processes that share an address space (threads, vfork children). */
struct scratch_area {
	uint64_t addr;      /* 0: this image has none */
	bool sealed;        /* mseal took: no thread of the process can make it writable */
	uint64_t used[SCRATCH_SLOTS / 64];
	int refs;
	int mem_fd;         /* /proc/PID/mem of the address space, opened on first write; -1 */
};

struct tracee;
struct pico_process;

/* A new area for a freshly loaded image (addr 0: none). */
struct scratch_area *scratch_new(uint64_t addr, bool sealed);
struct scratch_area *scratch_ref(struct scratch_area *a);
void scratch_unref(struct scratch_area *a);
/* A process image forked from one with area a: same address, slots of its own. */
struct scratch_area *scratch_fork(const struct scratch_area *a);

/*
 * The thread's slot (allocated on first use): its address, or 0 with *err set
 * (-ENOMEM, -ENOSYS). sp: the thread's stack pointer, for the one process that
 * has no area yet (the program's own first exec, single-threaded).
 */
uint64_t scratch_slot(struct tracee *t, uint64_t sp, int *err);
/*
 * The thread's slot grown to len bytes of consecutive slots (a seccomp filter
 * of up to 4096 instructions), kept like its slot: its address, or 0 with
 * *err set. Only in an image that has an area.
 */
uint64_t scratch_span(struct tracee *t, size_t len, int *err);
/* The thread is gone or its image replaced: its slot is free again. */
void scratch_release(struct tracee *t);
/* Does addr lie in the process's area (a call already given scratch pointers, restarted)? */
bool scratch_contains(const struct tracee *t, uint64_t addr);
/* Write into t's area. 0 or -errno. */
int scratch_write(struct tracee *t, uint64_t addr, const void *buf, size_t len);

#endif
