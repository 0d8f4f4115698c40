/*
 * picovisor summary --files / --net: what a run touched, per process. The
 * trace is read as diff reads it (diff_build.c: paths resolved against the
 * cwd of the time or the dirfd's target, the file an open really opened),
 * and each file or endpoint a call touched is kept with what was done to it
 * and the times of the first and last call that touched it.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../run/options.h"
#include "trace_diff.h"
#include "trace_out.h"
#include "trace_read.h"
#include "util.h"

/* One file or endpoint of one process. */
struct use {
	long long vpid;
	char *what;
	unsigned kinds; /* 1 << enum behaviour_kind */
	double first, last;
	unsigned long calls;
	long long last_seq; /* one call can read and write a file, or write and create it: one call */
};

struct uses {
	bool files, net;
	struct use *items;
	size_t n, cap;
	struct id_map index; /* hash of vpid and what -> index into items */
};

static uint64_t key_of(long long vpid, const char *what)
{
	char head[32];
	int n = snprintf(head, sizeof(head), "%lld\n", vpid);

	return diff_hash(head, (size_t)n) * 31 + diff_hash(what, strlen(what));
}

static void observe(void *ctx, long long vpid, long long seq, double t, enum behaviour_kind k, const char *what)
{
	struct uses *u = ctx;
	struct use *x;
	long long at;
	uint64_t key;

	if (k == B_SPAWNED || (k == B_ENDPOINTS ? !u->net : !u->files) || !what)
		return;
	/* Open addressing over the map: a hash shared with another name goes on to the next key. */
	for (key = key_of(vpid, what);; key++) {
		if (!id_map_get(&u->index, key, &at)) {
			if (u->n == u->cap) {
				u->cap = u->cap ? 2 * u->cap : 256;
				u->items = xrealloc(u->items, u->cap * sizeof(*u->items));
			}
			u->items[u->n] = (struct use){ vpid, xstrdup(what), 0, t, t, 0, -1 };
			id_map_put(&u->index, key, (long long)u->n);
			x = &u->items[u->n++];
			break;
		}
		if (u->items[at].vpid == vpid && strcmp(u->items[at].what, what) == 0) {
			x = &u->items[at];
			break;
		}
	}
	x->kinds |= 1u << k;
	x->last = t > x->last ? t : x->last;
	x->first = t < x->first ? t : x->first;
	if (seq != x->last_seq)
		x->calls++;
	x->last_seq = seq;
}

/* Process by process (in the order they appear), each one's uses by first time. */
static int by_process_then_time(const void *a, const void *b)
{
	const struct use *x = a, *y = b;

	if (x->vpid != y->vpid)
		return x->vpid < y->vpid ? -1 : 1;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return strcmp(x->what, y->what);
}

/* "rwcdx" with '-' for what was not done. */
static void kinds_text(unsigned kinds, char out[6])
{
	static const struct {
		enum behaviour_kind k;
		char c;
	} letters[] = { { B_READ, 'r' }, { B_WRITTEN, 'w' }, { B_CREATED, 'c' }, { B_DELETED, 'd' }, { B_EXECUTED, 'x' } };

	for (size_t i = 0; i < ARRAY_SIZE(letters); i++)
		out[i] = kinds & (1u << letters[i].k) ? letters[i].c : '-';
	out[5] = '\0';
}

/* The process's label, through the run's own map of virtual pids (a make -j has thousands of processes). */
static const char *label_of(const struct diff_run *run, long long vpid)
{
	long long i;

	return id_map_get(&run->by_vpid, (uint64_t)vpid, &i) ? run->procs[i].label : "?";
}

static void print_text(const struct diff_run *run, const struct uses *u)
{
	long long current = -1;

	if (u->n == 0)
		printf("%s\n", u->files && u->net ? "no files or endpoints in the trace"
			       : u->files	  ? "no files in the trace"
						  : "no endpoints in the trace");
	for (size_t i = 0; i < u->n; i++) {
		const struct use *x = &u->items[i];

		if (x->vpid != current) {
			current = x->vpid;
			printf("%sprocess %lld: %s\n", i ? "\n" : "", x->vpid, label_of(run, x->vpid));
			printf("  %-7s %11s %11s %7s  %s\n", "done", "first", "last", "calls", "file or endpoint");
		}
		if (x->kinds & (1u << B_ENDPOINTS)) {
			printf("  %-7s %11.6f %11.6f %7lu  %s\n", "net", x->first, x->last, x->calls, x->what);
		} else {
			char k[6];
			kinds_text(x->kinds, k);
			printf("  %-7s %11.6f %11.6f %7lu  %s\n", k, x->first, x->last, x->calls, x->what);
		}
	}
}

static void print_json(const struct diff_run *run, const struct uses *u)
{
	static const struct {
		enum behaviour_kind k;
		const char *name;
	} names[] = { { B_READ, "read" },	  { B_WRITTEN, "written" },   { B_CREATED, "created" },
		      { B_DELETED, "deleted" }, { B_EXECUTED, "executed" } };
	struct strbuf b = { 0 };
	long long current = -1;

	sb_puts(&b, "{\"processes\":[");
	for (size_t i = 0; i < u->n; i++) {
		const struct use *x = &u->items[i];
		bool endpoint = x->kinds & (1u << B_ENDPOINTS);

		if (x->vpid != current) {
			if (current != -1)
				sb_puts(&b, "]},");
			current = x->vpid;
			sb_printf(&b, "\n{\"pid\":%lld,\"label\":\"", x->vpid);
			json_escape(&b, label_of(run, x->vpid), strlen(label_of(run, x->vpid)));
			sb_puts(&b, "\",\"uses\":[");
		} else {
			sb_putc(&b, ',');
		}
		sb_printf(&b, "\n  {\"%s\":\"", endpoint ? "endpoint" : "path");
		json_escape(&b, x->what, strlen(x->what));
		sb_puts(&b, "\"");
		for (size_t n = 0; !endpoint && n < ARRAY_SIZE(names); n++)
			if (x->kinds & (1u << names[n].k))
				sb_printf(&b, ",\"%s\":true", names[n].name);
		sb_printf(&b, ",\"first\":%.6f,\"last\":%.6f,\"calls\":%lu}", x->first, x->last, x->calls);
	}
	sb_puts(&b, current != -1 ? "]}\n]}\n" : "]}\n");
	fwrite(b.data, 1, b.len, stdout);
	sb_free(&b);
}

int summary_uses_main(const struct run_options *o)
{
	struct diff_run run = { 0 };
	struct diff_masks none = { 0 };
	struct uses u = { .files = o->summary_files, .net = o->summary_net };

	run.observe = observe;
	run.observe_ctx = &u;
	run.behaviour_only = true;
	if (diff_run_build(&run, o->trace_files[0], &none) < 0) {
		diff_run_free(&run);
		return 2;
	}
	if (!run.complete)
		fprintf(stderr, "picovisor: %s: no end record: the run did not finish; listing what was recorded\n",
			o->trace_files[0]);
	qsort(u.items, u.n, sizeof(*u.items), by_process_then_time);
	if (o->json)
		print_json(&run, &u);
	else
		print_text(&run, &u);
	for (size_t i = 0; i < u.n; i++)
		free(u.items[i].what);
	free(u.items);
	id_map_free(&u.index);
	diff_run_free(&run);
	return 0;
}
