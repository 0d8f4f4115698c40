/*
 * The pieces of picovisor diff (tracer/diff_*.c): each run's process tree and
 * normalised calls, the alignment of two sequences, and the report.
 */
#ifndef PICOVISOR_TRACE_DIFF_H
#define PICOVISOR_TRACE_DIFF_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "trace_out.h"
#include "trace_read.h"

/* A normalised call, with where it goes when a process's calls are put thread by thread. */
struct diff_call {
	char *line;
	long rank;       /* the thread's place in its process, in creation order */
	long long seq;
};

struct diff_proc {
	long long vpid, parent;   /* parent 0: the root */
	char *label;              /* what it ran: "exec PATH ARGV..." or "fork of LABEL" */
	char *signature;          /* label with the run's own details masked, for matching */
	long long *threads;       /* vtids, in creation order */
	size_t nthreads;
	struct diff_call *calls;  /* sorted thread by thread once the trace is read */
	size_t ncalls, cap;
	char **lines;             /* the calls' lines, in that order */
	char exit_desc[64];       /* "exited 0", "killed by SIGTERM", "did not end in the trace" */
	size_t *children;         /* indices into the run's procs, in creation order */
	size_t nchildren;
	long match;               /* index of its counterpart in the other run, or -1 */
};

struct str_set {
	char **items;
	size_t n, cap;
};

enum behaviour_kind {
	B_READ,
	B_WRITTEN,
	B_CREATED,
	B_DELETED,
	B_EXECUTED,
	B_ENDPOINTS,
	B_SPAWNED,
	B_COUNT,
};

struct diff_run {
	bool complete;            /* its trace ended with the end record */
	struct diff_proc *procs;
	size_t nprocs;
	long long *host_ids;      /* pairs: host pid/tid, virtual id */
	size_t nhost;
	struct str_set behaviour[B_COUNT];
};

struct diff_masks {
	regex_t *ignore;
	size_t nignore;
};

/* Read a trace into a run: processes, normalised lines, behaviour. 0 or -1 after a message naming the line. */
int diff_run_build(struct diff_run *run, const char *path, const struct diff_masks *m);
void diff_run_free(struct diff_run *run);

void str_set_add(struct str_set *s, const char *item); /* keeps duplicates: a multiset */
void str_set_sort(struct str_set *s);

/* One step of an alignment: a line of both, of A only, or of B only. */
struct diff_op {
	char op;        /* ' ', '-', '+' */
	size_t a, b;    /* line indices (a for ' ' and '-', b for ' ' and '+') */
};

/* Align a and b (shortest edit script). Returns the ops; *nops receives their count. */
struct diff_op *diff_align(char *const *a, size_t na, char *const *b, size_t nb, size_t *nops);

#endif
