/* The shortest edit script between two sequences of lines: Myers' O(ND) algorithm. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trace_diff.h"
#include "util.h"

/*
 * Past this many differences the middle is reported as replaced whole: the
 * memory kept to walk the path back grows as D squared (36 MB at 3000).
 */
enum { MAX_D = 3000 };

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

struct seqs {
	char *const *a, *const *b;
	uint64_t *ha, *hb;
};

static bool same(const struct seqs *s, size_t i, size_t j)
{
	return s->ha[i] == s->hb[j] && strcmp(s->a[i], s->b[j]) == 0;
}

static void push(struct diff_op **ops, size_t *n, size_t *cap, char op, size_t a, size_t b)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		*ops = xrealloc(*ops, *cap * sizeof(**ops));
	}
	(*ops)[(*n)++] = (struct diff_op){ op, a, b };
}

/*
 * Myers on a[lo_a, hi_a) and b[lo_b, hi_b): the furthest-reaching D-paths,
 * with each round's V kept to walk the path back. Returns false if D would
 * pass MAX_D.
 */
static bool myers(const struct seqs *s, size_t lo_a, size_t hi_a, size_t lo_b, size_t hi_b, struct diff_op **ops,
		  size_t *nops, size_t *cap)
{
	long n = (long)(hi_a - lo_a), m = (long)(hi_b - lo_b), max = n + m;
	int32_t **hist = NULL; /* hist[d][k + d]: the furthest x on diagonal k after d edits */
	long d, found = -1;
	struct diff_op *rev = NULL;
	size_t nrev = 0, revcap = 0;

	if (max > MAX_D)
		max = MAX_D;
	if (n >= INT32_MAX || m >= INT32_MAX)
		return false;
	hist = xcalloc((size_t)max + 1, sizeof(*hist));
	for (d = 0; d <= max && found < 0; d++) {
		int32_t *v = xmalloc((size_t)(2 * d + 1) * sizeof(*v)), *prev = d ? hist[d - 1] : NULL;

		hist[d] = v;
		for (long k = -d; k <= d; k += 2) {
			long x, y;

			if (d == 0)
				x = 0;
			else if (k == -d || (k != d && prev[k - 1 + d - 1] < prev[k + 1 + d - 1]))
				x = prev[k + 1 + d - 1]; /* down: a line of b */
			else
				x = prev[k - 1 + d - 1] + 1; /* right: a line of a */
			y = x - k;
			while (x < n && y < m && same(s, lo_a + (size_t)x, lo_b + (size_t)y))
				x++, y++;
			v[k + d] = (int32_t)x;
			if (x >= n && y >= m) {
				found = d;
				break;
			}
		}
	}
	if (found < 0) {
		for (long i = 0; i < d; i++)
			free(hist[i]);
		free(hist);
		return false;
	}
	/* Walk back from (n, m), collecting ops in reverse. */
	{
		long x = n, y = m;

		for (d = found; d > 0; d--) {
			const int32_t *prev = hist[d - 1];
			long k = x - y, pk, px, py;

			if (k == -d || (k != d && prev[k - 1 + d - 1] < prev[k + 1 + d - 1]))
				pk = k + 1; /* came down: a line of b */
			else
				pk = k - 1; /* came right: a line of a */
			px = prev[pk + d - 1];
			py = px - pk;
			while (x > px && y > py) /* the snake after the edit */
				push(&rev, &nrev, &revcap, ' ', lo_a + (size_t)--x, lo_b + (size_t)--y);
			if (pk == k + 1)
				push(&rev, &nrev, &revcap, '+', lo_a + (size_t)x, lo_b + (size_t)--y);
			else
				push(&rev, &nrev, &revcap, '-', lo_a + (size_t)--x, lo_b + (size_t)y);
		}
		while (x > 0 && y > 0)
			push(&rev, &nrev, &revcap, ' ', lo_a + (size_t)--x, lo_b + (size_t)--y);
	}
	for (size_t i = nrev; i-- > 0;)
		push(ops, nops, cap, rev[i].op, rev[i].a, rev[i].b);
	free(rev);
	for (long i = 0; i <= found; i++)
		free(hist[i]);
	free(hist);
	return true;
}

struct diff_op *diff_align(char *const *a, size_t na, char *const *b, size_t nb, size_t *nops)
{
	struct seqs s = { a, b, xmalloc((na + 1) * sizeof(uint64_t)), xmalloc((nb + 1) * sizeof(uint64_t)) };
	struct diff_op *ops = NULL;
	size_t n = 0, cap = 0, pre = 0, suf = 0;

	for (size_t i = 0; i < na; i++)
		s.ha[i] = hash(a[i]);
	for (size_t j = 0; j < nb; j++)
		s.hb[j] = hash(b[j]);
	while (pre < na && pre < nb && same(&s, pre, pre))
		pre++;
	while (suf < na - pre && suf < nb - pre && same(&s, na - 1 - suf, nb - 1 - suf))
		suf++;
	for (size_t i = 0; i < pre; i++)
		push(&ops, &n, &cap, ' ', i, i);
	if (!myers(&s, pre, na - suf, pre, nb - suf, &ops, &n, &cap)) {
		/* Too different to align: the middle of a, then the middle of b. */
		for (size_t i = pre; i < na - suf; i++)
			push(&ops, &n, &cap, '-', i, pre);
		for (size_t j = pre; j < nb - suf; j++)
			push(&ops, &n, &cap, '+', na - suf, j);
	}
	for (size_t i = 0; i < suf; i++)
		push(&ops, &n, &cap, ' ', na - suf + i, nb - suf + i);
	free(s.ha);
	free(s.hb);
	*nops = n;
	return ops;
}
