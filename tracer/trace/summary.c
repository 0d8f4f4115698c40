/* picovisor summary: a table per system call like strace -c, from a JSON Lines trace. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../run/options.h"
#include "trace_read.h"
#include "util.h"

struct row {
	char *name;
	unsigned long calls, errors;
	double seconds;
};

struct table {
	long long pid;      /* -1: the whole run */
	char *exe;          /* the last image it ran */
	struct row *rows;
	size_t n, cap;
};

static struct row *row_for(struct table *t, const char *name)
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

static int by_time(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->seconds != y->seconds)
		return x->seconds < y->seconds ? 1 : -1;
	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return strcmp(x->name, y->name);
}

static void print_table(struct table *t)
{
	double total = 0;
	unsigned long calls = 0, errors = 0;
	const char *rule = "------ ----------- ----------- --------- --------- ----------------\n";

	qsort(t->rows, t->n, sizeof(*t->rows), by_time);
	for (size_t i = 0; i < t->n; i++) {
		total += t->rows[i].seconds;
		calls += t->rows[i].calls;
		errors += t->rows[i].errors;
	}
	printf("%% time     seconds  usecs/call     calls    errors syscall\n%s", rule);
	for (size_t i = 0; i < t->n; i++) {
		const struct row *r = &t->rows[i];
		char err[32] = "";

		if (r->errors)
			snprintf(err, sizeof(err), "%lu", r->errors);
		printf("%6.2f %11.6f %11.0f %9lu %9s %s\n", total > 0 ? 100.0 * r->seconds / total : 0.0, r->seconds,
		       r->calls ? 1e6 * r->seconds / (double)r->calls : 0.0, r->calls, err, r->name);
	}
	printf("%s%6.2f %11.6f %11.0f %9lu %9lu total\n", rule, 100.0, total, calls ? 1e6 * total / (double)calls : 0.0,
	       calls, errors);
}

static struct table *table_for(struct table **tables, size_t *n, long long pid)
{
	for (size_t i = 0; i < *n; i++)
		if ((*tables)[i].pid == pid)
			return &(*tables)[i];
	*tables = xrealloc(*tables, (*n + 1) * sizeof(**tables));
	memset(&(*tables)[*n], 0, sizeof(**tables));
	(*tables)[*n].pid = pid;
	return &(*tables)[(*n)++];
}

struct summary {
	const struct run_options *o;
	struct table *tables;
	size_t ntables;
};

static int add_record(const struct json *r, size_t line, void *ctx)
{
	struct summary *sum = ctx;
	const char *type = json_str(r, "type");
	long long pid = json_int(r, "pid", 0);
	const struct json *dur;
	struct table *t;
	struct row *row;

	(void)line;
	if (strcmp(type, "exec") == 0 && sum->o->by_process) {
		t = table_for(&sum->tables, &sum->ntables, pid);
		free(t->exe);
		t->exe = json_str(r, "path") ? xstrdup(json_str(r, "path")) : NULL;
		return 0;
	}
	if (strcmp(type, "syscall") != 0)
		return 0;
	t = table_for(&sum->tables, &sum->ntables, sum->o->by_process ? pid : -1);
	row = row_for(t, json_str(r, "name"));
	row->calls++;
	if (json_str(r, "err"))
		row->errors++;
	dur = json_get(r, "dur");
	if (dur && dur->type == JSON_NUMBER)
		row->seconds += dur->num;
	return 0;
}

int summary_main(const struct run_options *o)
{
	struct summary sum = { .o = o };
	bool complete;

	if (trace_file_scan(o->trace_files[0], add_record, &sum, &complete) < 0)
		return 2;
	if (!complete)
		fprintf(stderr, "picovisor: %s: no end record: the run did not finish; summing what was recorded\n",
			o->trace_files[0]);
	if (sum.ntables == 0)
		printf("no system calls recorded\n");
	for (size_t i = 0; i < sum.ntables; i++) {
		struct table *t = &sum.tables[i];

		if (o->by_process)
			printf("%sprocess %lld%s%s\n", i ? "\n" : "", t->pid, t->exe ? ": " : "", t->exe ? t->exe : "");
		print_table(t);
		for (size_t k = 0; k < t->n; k++)
			free(t->rows[k].name);
		free(t->rows);
		free(t->exe);
	}
	free(sum.tables);
	return 0;
}
