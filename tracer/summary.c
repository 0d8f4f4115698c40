/* picovisor summary: a table per system call like strace -c, from a JSON Lines trace. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "trace_read.h"
#include "util.h"

struct row {
	const char *name;
	unsigned long calls, errors;
	double seconds;
};

struct table {
	long long pid;      /* -1: the whole run */
	const char *exe;    /* the last image it ran */
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
	t->rows[t->n].name = name;
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

int summary_main(const struct run_options *o)
{
	struct trace_file tf;
	struct table *tables = NULL;
	size_t ntables = 0;

	if (trace_file_read(o->trace_files[0], &tf) < 0)
		return 2;
	if (!tf.complete)
		fprintf(stderr, "picovisor: %s: no end record: the run did not finish; summing what was recorded\n",
			tf.path);
	for (size_t i = 0; i < tf.n; i++) {
		const struct json *r = tf.recs[i];
		const char *type = json_str(r, "type");
		long long pid = json_int(r, "pid", 0);
		struct table *t;
		struct row *row;
		const struct json *dur;

		if (strcmp(type, "exec") == 0 && o->by_process) {
			table_for(&tables, &ntables, pid)->exe = json_str(r, "path");
			continue;
		}
		if (strcmp(type, "syscall") != 0)
			continue;
		t = table_for(&tables, &ntables, o->by_process ? pid : -1);
		row = row_for(t, json_str(r, "name"));
		row->calls++;
		if (json_str(r, "err"))
			row->errors++;
		dur = json_get(r, "dur");
		if (dur && dur->type == JSON_NUMBER)
			row->seconds += dur->num;
	}
	if (ntables == 0)
		printf("no system calls recorded\n");
	for (size_t i = 0; i < ntables; i++) {
		if (o->by_process)
			printf("%sprocess %lld%s%s\n", i ? "\n" : "", tables[i].pid, tables[i].exe ? ": " : "",
			       tables[i].exe ? tables[i].exe : "");
		print_table(&tables[i]);
		free(tables[i].rows);
	}
	free(tables);
	trace_file_free(&tf);
	return 0;
}
