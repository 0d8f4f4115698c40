/* The alignment of diff: a shortest edit script, checked against a plain LCS table on random sequences. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tracer/trace/trace_diff.h"

static const char *const words[] = { "a", "b", "c", "d" };

static size_t lcs(char **a, size_t na, char **b, size_t nb)
{
	size_t *t = calloc((na + 1) * (nb + 1), sizeof(*t)), r;

	for (size_t i = 1; i <= na; i++)
		for (size_t j = 1; j <= nb; j++)
			t[i * (nb + 1) + j] = strcmp(a[i - 1], b[j - 1]) == 0 ? t[(i - 1) * (nb + 1) + j - 1] + 1
						: t[(i - 1) * (nb + 1) + j] > t[i * (nb + 1) + j - 1] ? t[(i - 1) * (nb + 1) + j]
						: t[i * (nb + 1) + j - 1];
	r = t[na * (nb + 1) + nb];
	free(t);
	return r;
}

Test(diff_align, shortest_and_faithful)
{
	srand(7);
	for (int round = 0; round < 400; round++) {
		size_t na = (size_t)rand() % 40, nb = (size_t)rand() % 40, nops, same = 0, ia = 0, ib = 0;
		char *a[40], *b[40];
		struct diff_op *ops;

		for (size_t i = 0; i < na; i++)
			a[i] = (char *)words[rand() % 4];
		for (size_t i = 0; i < nb; i++)
			b[i] = (char *)words[rand() % 4];
		ops = diff_align(a, na, b, nb, &nops);
		for (size_t k = 0; k < nops; k++) {
			/* walking the ops visits a and b in order, each line once */
			if (ops[k].op != '+') {
				cr_assert_eq(ops[k].a, ia, "round %d op %zu", round, k);
				ia++;
			}
			if (ops[k].op != '-') {
				cr_assert_eq(ops[k].b, ib, "round %d op %zu", round, k);
				ib++;
			}
			if (ops[k].op == ' ') {
				cr_assert_str_eq(a[ops[k].a], b[ops[k].b]);
				same++;
			}
		}
		cr_assert_eq(ia, na);
		cr_assert_eq(ib, nb);
		cr_assert_eq(same, lcs(a, na, b, nb), "round %d: %zu lines kept, the LCS has more", round, same);
		free(ops);
	}
}

Test(diff_align, too_different_is_still_a_valid_script)
{
	enum { N = 7000 };
	char **a = malloc(N * sizeof(*a)), **b = malloc(N * sizeof(*b));
	char (*text)[16] = malloc(2 * N * 16);
	size_t nops, minus = 0, plus = 0;
	struct diff_op *ops;

	for (int i = 0; i < N; i++) {
		snprintf(text[i], 16, "a%d", i);
		snprintf(text[N + i], 16, "b%d", i);
		a[i] = text[i];
		b[i] = text[N + i];
	}
	ops = diff_align(a, N, b, N, &nops);
	for (size_t k = 0; k < nops; k++)
		minus += ops[k].op == '-', plus += ops[k].op == '+';
	cr_expect_eq(minus, N);
	cr_expect_eq(plus, N);
	free(ops);
	free(a);
	free(b);
	free(text);
}
