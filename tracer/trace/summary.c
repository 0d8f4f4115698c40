/* picovisor summary: a table per system call like strace -c, from a JSON Lines trace. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../run/options.h"
#include "summary_table.h"
#include "trace_read.h"
#include "util.h"

static struct summary_table *table_for(struct summary_table **tables, size_t *n, long long pid)
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
	struct summary_table *tables;
	size_t ntables;
};

static int add_record(const struct json *r, size_t line, void *ctx)
{
	struct summary *sum = ctx;
	const char *type = json_str(r, "type");
	long long pid = json_int(r, "pid", 0);
	const struct json *dur;
	struct summary_table *t;

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
	dur = json_get(r, "dur");
	summary_table_add(t, json_str(r, "name"), json_str(r, "err") != NULL,
			  dur && dur->type == JSON_NUMBER ? dur->num : 0);
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
		struct summary_table *t = &sum.tables[i];

		if (o->by_process)
			printf("%sprocess %lld%s%s\n", i ? "\n" : "", t->pid, t->exe ? ": " : "", t->exe ? t->exe : "");
		summary_table_print(stdout, t, SORT_TIME);
		summary_table_free(t);
	}
	free(sum.tables);
	return 0;
}
