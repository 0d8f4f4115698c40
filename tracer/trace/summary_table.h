/*
 * A table of calls, errors and time per system call, printed as strace -c
 * prints it: by picovisor summary (from a trace file) and by trace -c/-C
 * (from the run itself).
 */
#ifndef PICOVISOR_SUMMARY_TABLE_H
#define PICOVISOR_SUMMARY_TABLE_H

#include <stdbool.h>
#include <stdio.h>

struct summary_row {
	char *name;
	unsigned long calls, errors;
	double seconds;
};

struct summary_table {
	long long pid;      /* -1: the whole run */
	char *exe;          /* the last image it ran */
	struct summary_row *rows;
	size_t n, cap;
};

/* Count one call of name (failed: it returned an error) that took seconds. */
void summary_table_add(struct summary_table *t, const char *name, bool failed, double seconds);
/* How rows are ordered (strace -S): by time (the default), calls, errors, name, or as they came. */
enum summary_sort {
	SORT_TIME,
	SORT_CALLS,
	SORT_ERRORS,
	SORT_NAME,
	SORT_NOTHING,
};
/* "time", "calls", "errors", "name", "nothing" (strace's -S words, and its aliases): 0, or -1 if unknown. */
int summary_sort_parse(const char *word, enum summary_sort *sort);
/* The table, sorted, with its total line. */
void summary_table_print(FILE *out, struct summary_table *t, enum summary_sort sort);
void summary_table_free(struct summary_table *t);

#endif
