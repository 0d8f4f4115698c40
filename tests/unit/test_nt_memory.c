/*
 * The NT personality's memory bookkeeping (translate/nt/nt_memory.c): runs of
 * committed pages give the same answers as a protection per page, whatever
 * the order of commits, protections and decommits, and a reservation of any
 * size costs one record.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "../../translate/nt/nt_memory.h"

#define PAGES 64
#define BASE 0x100000ULL

static uint32_t model[PAGES];

/* Every page as the runs say: its protection, and where pages of that protection end. */
static void expect_same(const struct nt_alloc *a, int step)
{
	for (int i = 0; i < PAGES; i++) {
		uint64_t end, want_end = (uint64_t)i;
		uint32_t got = nt_alloc_protect_at(a, BASE + (uint64_t)i * 4096, &end);

		while (want_end < PAGES && model[want_end] == model[i])
			want_end++;
		cr_assert_eq(got, model[i], "step %d, page %d: protect %#x, the pages say %#x", step, i, got, model[i]);
		cr_assert_eq(end, BASE + want_end * 4096, "step %d, page %d: its region ends at page %llu, not %llu",
			     step, i, (unsigned long long)((end - BASE) / 4096), (unsigned long long)want_end);
	}
	for (size_t r = 1; r < a->nruns; r++) {
		cr_assert_leq(a->runs[r - 1].end, a->runs[r].start, "step %d: runs in order, apart", step);
		cr_assert(a->runs[r - 1].end != a->runs[r].start || a->runs[r - 1].protect != a->runs[r].protect,
			  "step %d: neighbours of one protection are merged", step);
	}
}

Test(nt_memory, runs_agree_with_a_protection_per_page)
{
	static const uint32_t protects[] = { 0, 0x02, 0x04, 0x20, 0x40 };
	struct nt_process p = { 0 };
	struct nt_alloc *a = nt_alloc_add(&p, BASE, PAGES * 4096, 0x04, 0x20000);

	srand(22);
	for (int step = 0; step < 20000; step++) {
		int from = rand() % PAGES, to = from + 1 + rand() % (PAGES - from);
		uint32_t protect = protects[rand() % 5];

		nt_alloc_set(a, BASE + (uint64_t)from * 4096, BASE + (uint64_t)to * 4096, protect);
		for (int i = from; i < to; i++)
			model[i] = protect;
		expect_same(a, step);
	}
	nt_allocs_free(&p);
}

Test(nt_memory, a_huge_reservation_is_one_record)
{
	struct nt_process p = { 0 };
	struct nt_alloc *a = nt_alloc_add(&p, 1ULL << 30, 64ULL << 40, 0x04, 0x20000);
	uint64_t end, mid = (1ULL << 30) + (32ULL << 40);

	cr_assert_eq(a->nruns, 0);
	cr_assert_eq(nt_alloc_protect_at(a, 1ULL << 30, &end), 0);
	cr_assert_eq(end, (1ULL << 30) + (64ULL << 40), "reserved to its end");
	nt_alloc_set(a, mid, mid + 4096, 0x04);
	cr_assert_eq(a->nruns, 1);
	cr_assert_eq(nt_alloc_protect_at(a, 1ULL << 30, &end), 0);
	cr_assert_eq(end, mid);
	nt_alloc_set(a, 1ULL << 30, (1ULL << 30) + (64ULL << 40), 0x02); /* all of it committed read-only */
	cr_assert_eq(a->nruns, 1, "one run, not 2^34 pages");
	nt_allocs_free(&p);
}
