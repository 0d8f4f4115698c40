/* The tracees' sealed scratch areas (tracer/run/scratch.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event_loop.h"
#include "scratch.h"
#include "tracee.h"
#include "util.h"

struct scratch_area *scratch_new(uint64_t addr, bool sealed)
{
	struct scratch_area *a = xcalloc(1, sizeof(*a));

	a->addr = addr;
	a->sealed = sealed;
	a->refs = 1;
	a->mem_fd = -1;
	return a;
}

struct scratch_area *scratch_ref(struct scratch_area *a)
{
	if (a)
		a->refs++;
	return a;
}

void scratch_unref(struct scratch_area *a)
{
	if (!a || --a->refs > 0)
		return;
	if (a->mem_fd >= 0)
		close(a->mem_fd);
	free(a);
}

struct scratch_area *scratch_fork(const struct scratch_area *a)
{
	return a ? scratch_new(a->addr, a->sealed) : NULL;
}

uint64_t scratch_slot(struct tracee *t, uint64_t sp, int *err)
{
	struct scratch_area *a = t->proc->scratch;

	if (!a || !a->addr) {
		/*
		 * Before picovisor's first load (the program's own exec) the process is
		 * the one thread spawn made: nothing else can write below its stack.
		 */
		if (t->proc->nthreads == 1 && !t->proc->loaded)
			return (sp - 128 - SCRATCH_SLOT_SIZE) & ~15UL;
		*err = -ENOSYS;
		return 0;
	}
	if (t->scratch_slot < 0 || t->scratch_area != a) {
		int slot = -1;

		for (int i = 0; i < SCRATCH_SLOTS && slot < 0; i++)
			if (!(a->used[i / 64] & (1ULL << (i % 64))))
				slot = i;
		if (slot < 0) {
			*err = -ENOMEM;
			return 0;
		}
		scratch_release(t);
		a->used[slot / 64] |= 1ULL << (slot % 64);
		t->scratch_slot = slot;
		t->scratch_area = scratch_ref(a);
	}
	return a->addr + (uint64_t)t->scratch_slot * SCRATCH_SLOT_SIZE;
}

static bool slot_used(const struct scratch_area *a, int i)
{
	return (a->used[i / 64] & (1ULL << (i % 64))) != 0;
}

static void slot_mark(struct scratch_area *a, int i, bool used)
{
	if (used)
		a->used[i / 64] |= 1ULL << (i % 64);
	else
		a->used[i / 64] &= ~(1ULL << (i % 64));
}

uint64_t scratch_span(struct tracee *t, size_t len, int *err)
{
	struct scratch_area *a = t->proc->scratch;
	int n = (int)((len + SCRATCH_SLOT_SIZE - 1) / SCRATCH_SLOT_SIZE), first = -1;

	if (!a || !a->addr) {
		*err = -ENOSYS;
		return 0;
	}
	if (n <= 1)
		return scratch_slot(t, 0, err);
	if (t->scratch_slot >= 0 && t->scratch_area == a && t->scratch_nslots >= n)
		return a->addr + (uint64_t)t->scratch_slot * SCRATCH_SLOT_SIZE;
	scratch_release(t); /* its slot is taken back and a run of n is looked for */
	for (int i = 0; i + n <= SCRATCH_SLOTS && first < 0; i++) {
		int k = 0;

		while (k < n && !slot_used(a, i + k))
			k++;
		if (k == n)
			first = i;
		else
			i += k;
	}
	if (first < 0) {
		*err = -ENOMEM;
		return 0;
	}
	for (int k = 0; k < n; k++)
		slot_mark(a, first + k, true);
	t->scratch_slot = first;
	t->scratch_nslots = n;
	t->scratch_area = scratch_ref(a);
	return a->addr + (uint64_t)first * SCRATCH_SLOT_SIZE;
}

void scratch_release(struct tracee *t)
{
	struct scratch_area *a = t->scratch_area;

	if (a && t->scratch_slot >= 0)
		for (int k = 0; k < (t->scratch_nslots > 1 ? t->scratch_nslots : 1); k++)
			slot_mark(a, t->scratch_slot + k, false);
	scratch_unref(a);
	t->scratch_area = NULL;
	t->scratch_slot = -1;
	t->scratch_nslots = 0;
}

bool scratch_contains(const struct tracee *t, uint64_t addr)
{
	const struct scratch_area *a = t->proc->scratch;

	return a && a->addr && addr >= a->addr && addr - a->addr < SCRATCH_SIZE;
}

int scratch_write(struct tracee *t, uint64_t addr, const void *buf, size_t len)
{
	struct scratch_area *a = t->proc->scratch;
	ssize_t n;

	if (!a || !scratch_contains(t, addr))
		return tracee_write(t->tid, addr, buf, len) == (ssize_t)len ? 0 : -EFAULT; /* the stack, before the first load */
	if (a->mem_fd < 0) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/%d/mem", t->tid);
		a->mem_fd = open(path, O_WRONLY | O_CLOEXEC);
		if (a->mem_fd < 0)
			return -errno;
	}
	n = pwrite(a->mem_fd, buf, len, (off_t)addr);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EFAULT;
}
