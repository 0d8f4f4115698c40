/* The summary table of summary_table.h. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "summary_table.h"
#include "util.h"

static struct summary_row *row_for(struct summary_table *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->rows[i].name, name) == 0)
			return &t->rows[i];
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->rows = xrealloc(t->rows, t->cap * sizeof(*t->rows));
	}
	memset(&t->rows[t->n], 0, sizeof(t->rows[0]));
	t->rows[t->n].name = xstrdup(name);
	return &t->rows[t->n++];
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct summary_row *)a)->name, ((const struct summary_row *)b)->name);
}

static int by_time(const void *a, const void *b)
{
	const struct summary_row *x = a, *y = b;

	if (x->seconds != y->seconds)
		return x->seconds < y->seconds ? 1 : -1;
	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return by_name(a, b);
}

static int by_calls(const void *a, const void *b)
{
	const struct summary_row *x = a, *y = b;

	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return by_time(a, b);
}

static int by_errors(const void *a, const void *b)
{
	const struct summary_row *x = a, *y = b;

	if (x->errors != y->errors)
		return x->errors < y->errors ? 1 : -1;
	return by_time(a, b);
}

int summary_sort_parse(const char *word, enum summary_sort *sort)
{
	static const struct {
		const char *word;
		enum summary_sort sort;
	} words[] = {
		{ "time", SORT_TIME }, { "time_total", SORT_TIME }, { "total_time", SORT_TIME },
		{ "calls", SORT_CALLS }, { "count", SORT_CALLS }, { "errors", SORT_ERRORS }, { "error", SORT_ERRORS },
		{ "name", SORT_NAME }, { "syscall", SORT_NAME }, { "syscall_name", SORT_NAME },
		{ "nothing", SORT_NOTHING }, { "none", SORT_NOTHING },
	};

	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (strcmp(word, words[i].word) == 0) {
			*sort = words[i].sort;
			return 0;
		}
	return -1;
}

void summary_table_print(FILE *out, struct summary_table *t, enum summary_sort sort)
{
	static int (*const order[])(const void *, const void *) = {
		[SORT_TIME] = by_time, [SORT_CALLS] = by_calls, [SORT_ERRORS] = by_errors, [SORT_NAME] = by_name,
		[SORT_NOTHING] = NULL,
	};

	double total = 0;
	unsigned long calls = 0, errors = 0;
	const char *rule = "------ ----------- ----------- --------- --------- ----------------\n";

	if (order[sort])
		qsort(t->rows, t->n, sizeof(*t->rows), order[sort]);
	for (size_t i = 0; i < t->n; i++) {
		total += t->rows[i].seconds;
		calls += t->rows[i].calls;
		errors += t->rows[i].errors;
	}
	fprintf(out, "%% time     seconds  usecs/call     calls    errors syscall\n%s", rule);
	for (size_t i = 0; i < t->n; i++) {
		const struct summary_row *r = &t->rows[i];
		char err[32] = "";

		if (r->errors)
			snprintf(err, sizeof(err), "%lu", r->errors);
		fprintf(out, "%6.2f %11.6f %11.0f %9lu %9s %s\n", total > 0 ? 100.0 * r->seconds / total : 0.0,
			r->seconds, r->calls ? 1e6 * r->seconds / (double)r->calls : 0.0, r->calls, err, r->name);
	}
	fprintf(out, "%s%6.2f %11.6f %11.0f %9lu %9lu total\n", rule, 100.0, total,
		calls ? 1e6 * total / (double)calls : 0.0, calls, errors);
}

void summary_table_add(struct summary_table *t, const char *name, bool failed, double seconds)
{
	struct summary_row *row = row_for(t, name);

	row->calls++;
	row->errors += failed;
	row->seconds += seconds;
}

void summary_table_free(struct summary_table *t)
{
	for (size_t k = 0; k < t->n; k++)
		free(t->rows[k].name);
	free(t->rows);
	free(t->exe);
	memset(t, 0, sizeof(*t));
}
