/*
 * The pieces of picovisor diff (tracer/trace/diff*.c): each run's process
 * tree and normalised calls (diff_build.c, diff_norm.c), the alignment of two
 * sequences (diff_align.c), and the report (diff.c).
 */
#ifndef PICOVISOR_TRACE_DIFF_H
#define PICOVISOR_TRACE_DIFF_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "syscall_table.h"
#include "trace_out.h"
#include "trace_read.h"

/* 64-bit keys to values (diff_maps.c). */
struct id_map {
	uint64_t *keys; /* key + 1; 0 is an empty slot */
	long long *vals;
	size_t n, cap;
};

void id_map_put(struct id_map *m, uint64_t key, long long v);
bool id_map_get(const struct id_map *m, uint64_t key, long long *v);
void id_map_free(struct id_map *m);
uint64_t diff_hash(const char *s, size_t len);

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
	/* What normalising its calls keeps track of (diff_norm.c). */
	char *tree;               /* its place in the tree: "1", "1.2" (the parent's 2nd child), ... */
	size_t nspawned;          /* processes it made so far: the next child's number */
	char *cwd;                /* its working directory as the trace shows it (NULL: not known) */
	long ntmp;                /* temporary names it made so far */
	bool reaps_any;           /* it reaped whichever of its running children ended: its calls' order is not compared */
	long live_children;       /* its children that have not ended yet, as the trace is read */
	struct id_map objects;    /* pipe and socket inodes: their order of first appearance here */
	struct id_map fd_seen;    /* fd number -> index into fd_labels: what it referred to when last seen */
	char **fd_labels;
	size_t nfd_labels;
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

/* A name the run made in mkstemp's shape: masked as its token wherever it appears once it is known. */
struct tmp_name {
	char *name;               /* the last component, as made */
	char *token;              /* "<tmp TREE#K>": the maker's place in the tree and its K-th such name */
	bool gone;                /* the run removed it or renamed it away: really temporary */
};

/* Blocks the normalised lines are carved from: a million small lines kept to the end, in few allocations. */
struct line_arena {
	char **blocks;
	size_t nblocks;
	size_t used, cap;         /* in the last block */
};

struct diff_run {
	bool complete;            /* its trace ended with the end record */
	struct line_arena lines;  /* the calls' lines live here */
	struct diff_proc *procs;
	size_t nprocs;
	struct id_map by_vpid;    /* virtual pid -> index into procs */
	struct id_map host_ids;   /* host pid/tid -> proc index << 20 | thread rank */
	char *start_cwd;          /* the start record's cwd: "<cwd>" in what is compared */
	size_t start_cwd_len;
	struct tmp_name *tmps;
	size_t ntmps;
	struct id_map tmp_by_name; /* hash of a name -> index into tmps */
	struct str_set behaviour[B_COUNT];
	struct id_map behaviour_seen[B_COUNT]; /* hash of an item -> its index: each file once */
	/*
	 * Told of each file or endpoint a call touched, as the trace names it
	 * (summary --files/--net), with the process and the call's time; NULL:
	 * nobody asked. behaviour_only: the calls' lines are not made.
	 */
	void (*observe)(void *ctx, long long vpid, long long seq, double t, enum behaviour_kind k, const char *what);
	void *observe_ctx;
	bool behaviour_only;
};

struct diff_masks {
	regex_t *ignore;
	size_t nignore;
};

/* Normalising (diff_norm.c). */
struct json;
char *diff_normalise_call(struct diff_run *run, const struct diff_masks *m, struct diff_proc *p, const struct json *r);
/* A string as it is compared: ignored, temporary names, the start cwd, host pids masked. */
void diff_put_string(struct strbuf *out, const struct diff_run *run, const struct diff_masks *m, const char *s,
		     size_t len);
/* Before a call's line: the temporary names it makes, masked in its own line too. */
void diff_note_names(struct diff_run *run, struct diff_proc *p, const struct json *r);
/* What a call changes that later calls are normalised by: cwd, names made or removed, fds. */
void diff_note_effects(struct diff_run *run, const struct diff_masks *m, struct diff_proc *p, const struct json *r);
/* A path argument resolved against the cwd or its dirfd's target, into out. false if it has none. */
bool diff_call_path(const struct diff_proc *p, const struct json *args, const struct syscall_entry *e, int which,
		    struct strbuf *out);
const struct syscall_entry *diff_entry_of(const struct json *r);
/* A call whose presence or count is the timing of the run or of random numbers: left out (diff_norm.c). */
bool diff_left_out(struct diff_proc *p, const struct json *r);
/* The label of a host pid or tid of the run ("<pid 1.2>", "<tid 1.2/3>"), or NULL. */
const char *diff_host_label(const struct diff_run *run, long long host, char *buf, size_t size);
/* The run is read: names never removed were not temporary after all; their tokens go back to the names. */
void diff_untoken(struct diff_run *run, char **s, bool in_arena);
/* A copy of s kept in the run's line arena (freed with the run). */
char *diff_keep(struct diff_run *run, const char *s, size_t len);

/* Read a trace into a run: processes, normalised lines, behaviour. 0 or -1 after a message naming the line. */
int diff_run_build(struct diff_run *run, const char *path, const struct diff_masks *m);
void diff_run_free(struct diff_run *run);

void str_set_add(struct str_set *s, const char *item); /* keeps duplicates: a multiset */
void str_set_sort(struct str_set *s);

/*
 * Match two runs' processes and write the report (text, or one JSON
 * document) to out. Returns whether the runs differ.
 */
bool diff_compare(struct diff_run *a, struct diff_run *b, const char *name_a, const char *name_b, bool json,
		  struct strbuf *out);

/* One step of an alignment: a line of both, of A only, or of B only. */
struct diff_op {
	char op;        /* ' ', '-', '+' */
	size_t a, b;    /* line indices (a for ' ' and '-', b for ' ' and '+') */
};

/* Align a and b (shortest edit script). Returns the ops; *nops receives their count. */
struct diff_op *diff_align(char *const *a, size_t na, char *const *b, size_t nb, size_t *nops);

#endif
