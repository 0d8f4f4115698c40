/*
 * picovisor diff A B: match the processes of two traced runs by their place in
 * the process tree and what they ran, align each matched pair's normalised
 * calls, and report the differences like a unified diff, then what the runs
 * did differently to the world. Exit status 0 same, 1 different, 2 trouble.
 */
#define _GNU_SOURCE
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../run/options.h"
#include "trace_diff.h"
#include "util.h"

enum { CONTEXT = 3 };

static const char *const behaviour_names[B_COUNT] = {
	[B_READ] = "files read",           [B_WRITTEN] = "files written",
	[B_CREATED] = "files created",     [B_DELETED] = "files deleted",
	[B_EXECUTED] = "files executed",   [B_ENDPOINTS] = "network endpoints",
	[B_SPAWNED] = "processes spawned",
};

static const char *const behaviour_keys[B_COUNT] = {
	[B_READ] = "files_read",         [B_WRITTEN] = "files_written",  [B_CREATED] = "files_created",
	[B_DELETED] = "files_deleted",   [B_EXECUTED] = "files_executed", [B_ENDPOINTS] = "network_endpoints",
	[B_SPAWNED] = "processes_spawned",
};

/* Children sorted by signature, then in creation order: the k-th of a signature pairs with the other's k-th. */
static int by_signature(const void *x, const void *y, void *ctx)
{
	const struct diff_run *run = ctx;
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	int c = strcmp(run->procs[i].signature, run->procs[j].signature);

	return c ? c : (i > j) - (i < j);
}

/*
 * Match the two trees from their roots down, breadth first with a queue of
 * matched pairs (no recursion: a fork chain can be as deep as the run made
 * it). Children of a matched pair: the k-th child that ran X matches the
 * other run's k-th child that ran X.
 */
static void match_trees(struct diff_run *a, struct diff_run *b)
{
	size_t *queue = xmalloc(2 * (a->nprocs + 1) * sizeof(*queue)), head = 0, tail = 0;
	size_t *xs = NULL, *ys = NULL, cap = 0;

	a->procs[0].match = 0;
	b->procs[0].match = 0;
	queue[tail++] = 0;
	queue[tail++] = 0;
	while (head < tail) {
		struct diff_proc *x = &a->procs[queue[head++]], *y = &b->procs[queue[head++]];
		size_t i = 0, j = 0, n = x->nchildren > y->nchildren ? x->nchildren : y->nchildren;

		if (n > cap) {
			cap = n;
			xs = xrealloc(xs, cap * sizeof(*xs));
			ys = xrealloc(ys, cap * sizeof(*ys));
		}
		memcpy(xs, x->children, x->nchildren * sizeof(*xs));
		memcpy(ys, y->children, y->nchildren * sizeof(*ys));
		qsort_r(xs, x->nchildren, sizeof(*xs), by_signature, a);
		qsort_r(ys, y->nchildren, sizeof(*ys), by_signature, b);
		while (i < x->nchildren && j < y->nchildren) {
			int c = strcmp(a->procs[xs[i]].signature, b->procs[ys[j]].signature);

			if (c < 0) {
				i++;
			} else if (c > 0) {
				j++;
			} else {
				a->procs[xs[i]].match = (long)ys[j];
				b->procs[ys[j]].match = (long)xs[i];
				queue[tail++] = xs[i++];
				queue[tail++] = ys[j++];
			}
		}
	}
	free(xs);
	free(ys);
	free(queue);
}

struct report {
	bool json;
	struct strbuf *out;  /* text, or the JSON document */
	bool different;
	bool first_proc;
};

static void json_str_out(struct strbuf *b, const char *s)
{
	sb_putc(b, '"');
	json_escape(b, s, strlen(s));
	sb_putc(b, '"');
}

/* The hunks of one matched pair, with CONTEXT lines around each change. */
static bool report_calls(struct report *r, const struct diff_proc *x, const struct diff_proc *y)
{
	size_t nops, i = 0;
	struct diff_op *ops = diff_align(x->lines, x->ncalls, y->lines, y->ncalls, &nops);
	bool first_hunk = true;

	while (i < nops) {
		size_t start, end, a0, b0, na = 0, nb = 0;

		while (i < nops && ops[i].op == ' ')
			i++;
		if (i == nops)
			break;
		/* Extend the hunk while changes are closer than two contexts apart. */
		start = i > CONTEXT ? i - CONTEXT : 0;
		end = i;
		for (;;) {
			size_t gap = 0;
			while (end < nops && ops[end].op != ' ')
				end++;
			while (end + gap < nops && ops[end + gap].op == ' ' && gap <= 2 * CONTEXT)
				gap++;
			if (end + gap < nops && gap <= 2 * CONTEXT)
				end += gap;
			else {
				end = end + (gap < CONTEXT ? gap : CONTEXT);
				break;
			}
		}
		a0 = ops[start].op == '+' ? ops[start].a : ops[start].a;
		b0 = ops[start].b;
		for (size_t k = start; k < end; k++) {
			na += ops[k].op != '+';
			nb += ops[k].op != '-';
		}
		if (r->json) {
			sb_printf(r->out, "%s{\"a_start\":%zu,\"a_len\":%zu,\"b_start\":%zu,\"b_len\":%zu,\"lines\":[",
				  first_hunk ? "" : ",", a0 + 1, na, b0 + 1, nb);
			for (size_t k = start; k < end; k++) {
				sb_printf(r->out, "%s[\"%c\",", k == start ? "" : ",", ops[k].op);
				json_str_out(r->out, ops[k].op == '+' ? y->lines[ops[k].b] : x->lines[ops[k].a]);
				sb_putc(r->out, ']');
			}
			sb_puts(r->out, "]}");
		} else {
			sb_printf(r->out, "@@ -%zu,%zu +%zu,%zu @@\n", a0 + 1, na, b0 + 1, nb);
			for (size_t k = start; k < end; k++)
				sb_printf(r->out, "%c %s\n", ops[k].op,
					  ops[k].op == '+' ? y->lines[ops[k].b] : x->lines[ops[k].a]);
		}
		first_hunk = false;
		r->different = true;
		i = end;
	}
	free(ops);
	return !first_hunk;
}

static int cmp_line(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/*
 * A process that reaps whichever child ends does what follows each reaping
 * in the order its children ended (make -j stats each finished target): its
 * calls compare as a multiset. What only one side has is one hunk, '-' lines
 * then '+' lines, in sorted order. Returns whether there was any.
 */
static bool report_any_order(struct report *r, const struct diff_proc *x, const struct diff_proc *y)
{
	char **sx = xmalloc((x->ncalls + 1) * sizeof(*sx)), **sy = xmalloc((y->ncalls + 1) * sizeof(*sy));
	struct str_set only[2] = { { 0 }, { 0 } };
	size_t i = 0, j = 0;
	bool any;

	memcpy(sx, x->lines, x->ncalls * sizeof(*sx));
	memcpy(sy, y->lines, y->ncalls * sizeof(*sy));
	qsort(sx, x->ncalls, sizeof(*sx), cmp_line);
	qsort(sy, y->ncalls, sizeof(*sy), cmp_line);
	while (i < x->ncalls || j < y->ncalls) {
		int c = i == x->ncalls ? 1 : j == y->ncalls ? -1 : strcmp(sx[i], sy[j]);

		if (c == 0)
			i++, j++;
		else if (c < 0)
			str_set_add(&only[0], sx[i++]);
		else
			str_set_add(&only[1], sy[j++]);
	}
	any = only[0].n || only[1].n;
	if (any && r->json) {
		sb_printf(r->out, "{\"any_order\":true,\"a_len\":%zu,\"b_len\":%zu,\"lines\":[", only[0].n, only[1].n);
		for (int side = 0; side < 2; side++)
			for (size_t k = 0; k < only[side].n; k++) {
				sb_printf(r->out, "%s[\"%c\",", side || k ? "," : "", side ? '+' : '-');
				json_str_out(r->out, only[side].items[k]);
				sb_putc(r->out, ']');
			}
		sb_puts(r->out, "]}");
	} else if (any) {
		sb_printf(r->out, "@@ in any order (it reaps children as they end): -%zu +%zu @@\n", only[0].n, only[1].n);
		for (int side = 0; side < 2; side++)
			for (size_t k = 0; k < only[side].n; k++)
				sb_printf(r->out, "%c %s\n", side ? '+' : '-', only[side].items[k]);
	}
	r->different |= any;
	for (int side = 0; side < 2; side++) {
		for (size_t k = 0; k < only[side].n; k++)
			free(only[side].items[k]);
		free(only[side].items);
	}
	free(sx);
	free(sy);
	return any;
}

/* The pair's calls: aligned in order, or as multisets for processes that reap any child. */
static bool report_pair_calls(struct report *r, const struct diff_proc *x, const struct diff_proc *y)
{
	if (x->reaps_any && y->reaps_any)
		return report_any_order(r, x, y);
	return report_calls(r, x, y);
}

static void report_pair(struct report *r, const struct diff_run *b, const struct diff_proc *x)
{
	const struct diff_proc *y = &b->procs[x->match];
	const char *ea = x->exit_desc, *eb = y->exit_desc;
	bool exit_differs = strcmp(ea, eb) != 0, calls_differ;
	size_t before = r->out->len;

	if (r->json) {
		sb_printf(r->out, "%s{\"a_pid\":%lld,\"b_pid\":%lld,\"label\":", r->first_proc ? "" : ",", x->vpid, y->vpid);
		json_str_out(r->out, x->label);
		sb_puts(r->out, ",\"hunks\":[");
		report_pair_calls(r, x, y);
		sb_puts(r->out, "],\"exit_a\":");
		json_str_out(r->out, ea);
		sb_puts(r->out, ",\"exit_b\":");
		json_str_out(r->out, eb);
		sb_puts(r->out, "}");
		r->first_proc = false;
		r->different |= exit_differs;
		return;
	}
	sb_printf(r->out, "=== process %lld in A, %lld in B: %s\n", x->vpid, y->vpid, x->label);
	calls_differ = report_pair_calls(r, x, y);
	if (exit_differs) {
		sb_printf(r->out, "exit status: A %s, B %s\n", ea, eb);
		r->different = true;
	}
	if (!calls_differ && !exit_differs) /* nothing to say about this pair */
		r->out->len = before, r->out->data[before] = '\0';
}

static void report_unmatched(struct report *r, const struct diff_run *run, char side, bool *first)
{
	for (size_t i = 0; i < run->nprocs; i++) {
		const struct diff_proc *p = &run->procs[i];
		const char *e = p->exit_desc;

		if (p->match >= 0)
			continue;
		r->different = true;
		/* All of its calls, as a diff against nothing. */
		if (r->json) {
			sb_printf(r->out, "%s{\"pid\":%lld,\"label\":", *first ? "" : ",", p->vpid);
			json_str_out(r->out, p->label);
			sb_puts(r->out, ",\"exit\":");
			json_str_out(r->out, e);
			sb_puts(r->out, ",\"lines\":[");
			for (size_t c = 0; c < p->ncalls; c++) {
				if (c)
					sb_putc(r->out, ',');
				json_str_out(r->out, p->lines[c]);
			}
			sb_puts(r->out, "]}");
			*first = false;
		} else {
			sb_printf(r->out, "=== process %lld only in %c: %s (%zu calls, %s)\n", p->vpid, side, p->label,
				  p->ncalls, e);
			for (size_t c = 0; c < p->ncalls; c++)
				sb_printf(r->out, "%c %s\n", side == 'A' ? '-' : '+', p->lines[c]);
		}
	}
}

/* Items of a sorted multiset not in the other (counting duplicates). */
static void set_difference(const struct str_set *x, const struct str_set *y, struct str_set *out)
{
	size_t i = 0, j = 0;

	while (i < x->n) {
		int c = j < y->n ? strcmp(x->items[i], y->items[j]) : -1;

		if (c == 0)
			i++, j++;
		else if (c < 0)
			str_set_add(out, x->items[i++]);
		else
			j++;
	}
}

static void report_behaviour(struct report *r, const struct diff_run *a, const struct diff_run *b)
{
	bool any = false;

	if (r->json)
		sb_puts(r->out, ",\"behaviour\":{");
	for (int k = 0; k < B_COUNT; k++) {
		struct str_set only_a = { 0 }, only_b = { 0 };

		set_difference(&a->behaviour[k], &b->behaviour[k], &only_a);
		set_difference(&b->behaviour[k], &a->behaviour[k], &only_b);
		if (r->json) {
			sb_printf(r->out, "%s\"%s\":{\"only_in_a\":[", k ? "," : "", behaviour_keys[k]);
			for (size_t i = 0; i < only_a.n; i++) {
				if (i)
					sb_putc(r->out, ',');
				json_str_out(r->out, only_a.items[i]);
			}
			sb_puts(r->out, "],\"only_in_b\":[");
			for (size_t i = 0; i < only_b.n; i++) {
				if (i)
					sb_putc(r->out, ',');
				json_str_out(r->out, only_b.items[i]);
			}
			sb_puts(r->out, "]}");
		} else if (only_a.n || only_b.n) {
			if (!any)
				sb_puts(r->out, "\nbehaviour (- only in A, + only in B):\n");
			any = true;
			sb_printf(r->out, "  %s:\n", behaviour_names[k]);
			for (size_t i = 0; i < only_a.n; i++)
				sb_printf(r->out, "    - %s\n", only_a.items[i]);
			for (size_t i = 0; i < only_b.n; i++)
				sb_printf(r->out, "    + %s\n", only_b.items[i]);
		}
		if (only_a.n || only_b.n)
			r->different = true;
		for (size_t i = 0; i < only_a.n; i++)
			free(only_a.items[i]);
		for (size_t i = 0; i < only_b.n; i++)
			free(only_b.items[i]);
		free(only_a.items);
		free(only_b.items);
	}
	if (r->json)
		sb_putc(r->out, '}');
}

static void report_exit_statuses(struct report *r, const struct diff_run *a, const struct diff_run *b)
{
	bool any = false;

	for (size_t i = 0; i < a->nprocs; i++) {
		const struct diff_proc *x = &a->procs[i];
		const char *ea = x->exit_desc, *eb;

		if (x->match < 0)
			continue;
		eb = b->procs[x->match].exit_desc;
		if (strcmp(ea, eb) == 0)
			continue;
		if (!any)
			sb_puts(r->out, "  exit statuses:\n");
		any = true;
		sb_printf(r->out, "    process %lld (%s): A %s, B %s\n", x->vpid, x->label, ea, eb);
	}
}

bool diff_compare(struct diff_run *a, struct diff_run *b, const char *name_a, const char *name_b, bool json,
		  struct strbuf *out)
{
	struct report r = { .json = json, .out = out, .first_proc = true };
	bool first = true;

	if (a->nprocs && b->nprocs)
		match_trees(a, b);
	if (json) {
		sb_puts(out, "{\"a\":");
		json_str_out(out, name_a);
		sb_puts(out, ",\"b\":");
		json_str_out(out, name_b);
		sb_puts(out, ",\"processes\":[");
	} else
		sb_printf(out, "--- A %s\n+++ B %s\n", name_a, name_b);
	for (size_t i = 0; i < a->nprocs; i++)
		if (a->procs[i].match >= 0)
			report_pair(&r, b, &a->procs[i]);
	if (json)
		sb_puts(out, "],\"only_in_a\":[");
	report_unmatched(&r, a, 'A', &first);
	if (json)
		sb_puts(out, "],\"only_in_b\":["), first = true;
	report_unmatched(&r, b, 'B', &first);
	if (json)
		sb_putc(out, ']');
	report_behaviour(&r, a, b);
	if (!json)
		report_exit_statuses(&r, a, b);
	if (json)
		sb_printf(out, ",\"identical\":%s}\n", r.different ? "false" : "true");
	else if (!r.different)
		sb_puts(out, "the runs did the same\n");
	return r.different;
}

int diff_main(const struct run_options *o)
{
	struct diff_run a = { 0 }, b = { 0 };
	struct diff_masks m = { 0 };
	struct strbuf out = { 0 };
	int rc = 2;

	m.ignore = xcalloc((size_t)o->nignore + 1, sizeof(*m.ignore));
	for (int i = 0; i < o->nignore; i++, m.nignore++)
		if (regcomp(&m.ignore[i], o->ignore[i], REG_EXTENDED | REG_NOSUB) != 0) {
			fprintf(stderr, "picovisor: --ignore '%s' is not a valid regular expression (POSIX extended)\n",
				o->ignore[i]);
			goto out;
		}
	if (diff_run_build(&a, o->trace_files[0], &m) < 0 || diff_run_build(&b, o->trace_files[1], &m) < 0)
		goto out;
	for (int i = 0; i < 2; i++)
		if (!(i ? b : a).complete)
			fprintf(stderr, "picovisor: %s: no end record: that run did not finish; comparing what was recorded\n",
				o->trace_files[i]);
	rc = diff_compare(&a, &b, o->trace_files[0], o->trace_files[1], o->json, &out) ? 1 : 0;
	fwrite(out.data, 1, out.len, stdout);
out:
	sb_free(&out);
	for (size_t i = 0; i < m.nignore; i++)
		regfree(&m.ignore[i]);
	free(m.ignore);
	diff_run_free(&a);
	diff_run_free(&b);
	return rc;
}
