/*
 * One run of a diff: its process tree from the spawn records, each process's
 * calls normalised into lines that two runs of the same program share
 * (diff_norm.c), and what it did to the world.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "syscall_table.h"
#include "trace_diff.h"
#include "util.h"

void str_set_add(struct str_set *s, const char *item)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->items = xrealloc(s->items, s->cap * sizeof(*s->items));
	}
	s->items[s->n++] = xstrdup(item);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void str_set_sort(struct str_set *s)
{
	qsort(s->items, s->n, sizeof(*s->items), cmp_str);
}

/* A sorted multiset becomes a set. */
static void str_set_unique(struct str_set *s)
{
	size_t kept = 0;

	for (size_t i = 0; i < s->n; i++)
		if (kept && strcmp(s->items[kept - 1], s->items[i]) == 0)
			free(s->items[i]);
		else
			s->items[kept++] = s->items[i];
	s->n = kept;
}

/* A host id names the newest task that had it (the kernel reuses ids). */
static void remember_host_id(struct diff_run *run, long long host, size_t proc, long rank)
{
	if (host > 0)
		id_map_put(&run->host_ids, (uint64_t)host, (long long)proc << 20 | (rank & 0xfffff));
}

static long proc_find(const struct diff_run *run, long long vpid)
{
	long long i;

	return id_map_get(&run->by_vpid, (uint64_t)vpid, &i) ? (long)i : -1;
}

static size_t proc_index(struct diff_run *run, long long vpid, long long parent)
{
	long found = proc_find(run, vpid);
	struct diff_proc *p;

	if (found >= 0)
		return (size_t)found;
	if ((run->nprocs & (run->nprocs - 1)) == 0) /* a power of two: double */
		run->procs = xrealloc(run->procs, (run->nprocs ? 2 * run->nprocs : 1) * sizeof(*run->procs));
	p = &run->procs[run->nprocs];
	memset(p, 0, sizeof(*p));
	p->vpid = vpid;
	p->parent = parent;
	p->match = -1;
	id_map_put(&run->by_vpid, (uint64_t)vpid, (long long)run->nprocs);
	return run->nprocs++;
}

/* ---- behaviour ---- */

static void add_behaviour(struct diff_run *run, const struct diff_masks *m, enum behaviour_kind k, const char *what)
{
	struct strbuf b = { 0 };

	long long at;
	uint64_t h;

	diff_put_string(&b, run, m, what, strlen(what));
	h = diff_hash(b.data, b.len);
	/* A set (but for spawns: two processes running the same are two): a file read a million times is one. */
	if (strcmp(b.data, "<ignored>") != 0 &&
	    (k == B_SPAWNED || !id_map_get(&run->behaviour_seen[k], h, &at) ||
	     strcmp(run->behaviour[k].items[at], b.data) != 0)) {
		if (k != B_SPAWNED)
			id_map_put(&run->behaviour_seen[k], h, (long long)run->behaviour[k].n);
		str_set_add(&run->behaviour[k], b.data);
	}
	sb_free(&b);
}

/* What a call of p (record r) touched: told to the observer as it is, counted in the run's behaviour masked. */
static void touched(struct diff_run *run, const struct diff_masks *m, const struct diff_proc *p, const struct json *r,
		    enum behaviour_kind k, const char *what)
{
	if (run->observe) {
		const struct json *t = json_get(r, "t");
		run->observe(run->observe_ctx, p->vpid, json_int(r, "seq", 0), t && t->type == JSON_NUMBER ? t->num : 0, k,
			     what);
	}
	add_behaviour(run, m, k, what);
}

static void endpoint_of(const struct json *sa, const char *verb, char *out, size_t size)
{
	const char *family = json_str(sa, "sa_family");

	out[0] = '\0';
	if (!family)
		return;
	if (strcmp(family, "AF_INET") == 0)
		snprintf(out, size, "%s %s:%lld", verb, json_str(sa, "sin_addr") ? json_str(sa, "sin_addr") : "?",
			 json_int(sa, "sin_port", 0));
	else if (strcmp(family, "AF_INET6") == 0)
		snprintf(out, size, "%s [%s]:%lld", verb, json_str(sa, "sin6_addr") ? json_str(sa, "sin6_addr") : "?",
			 json_int(sa, "sin6_port", 0));
	else if (strcmp(family, "AF_UNIX") == 0 && json_str(sa, "sun_path"))
		snprintf(out, size, "%s unix:%s", verb, json_str(sa, "sun_path"));
}

static void note_behaviour(struct diff_run *run, const struct diff_masks *m, const struct diff_proc *p,
			   const struct json *r)
{
	const char *name = json_str(r, "name");
	const struct json *args = json_get(r, "args"), *ret = json_get(r, "ret"), *created = json_get(r, "created");
	const struct syscall_entry *e = diff_entry_of(r);
	const char *flags = NULL;
	struct strbuf path = { 0 }, last = { 0 };
	char ep[8192];

	if (!e || !ret || ret->type == JSON_NULL)
		return;
	/* An endpoint is a sockaddr the call passes in (connect, bind, sendto) or its msghdr's name. Reaching
	 * for one counts even if it was refused. */
	for (int i = 0; i < syscall_nargs(e); i++) {
		const struct json *sa = NULL;

		if (e->args[i].kind == K_SOCKADDR_IN)
			sa = json_get(args, e->args[i].name);
		else if (e->args[i].kind == K_MSGHDR_IN)
			sa = json_get(json_get(args, e->args[i].name), "msg_name");
		else
			continue;
		endpoint_of(sa, name, ep, sizeof(ep));
		if (ep[0])
			touched(run, m, p, r, B_ENDPOINTS, ep);
		return;
	}
	if (json_str(r, "err")) /* a file that was not there was not read */
		return;
	if (!diff_call_path(p, args, e, 0, &path))
		goto out;
	/* The open family: a path and open flags (openat2's are in its open_how), or creat, which implies them. */
	for (int i = 0; i < syscall_nargs(e); i++)
		if (e->args[i].kind == K_OPEN_FLAGS)
			flags = json_str(args, e->args[i].name);
		else if (e->args[i].kind == K_OPEN_HOW)
			flags = json_str(json_get(args, e->args[i].name), "flags");
	if (e->flags & SC_CREAT)
		flags = "O_WRONLY|O_CREAT|O_TRUNC";
	if (flags) {
		bool creat = strstr(flags, "O_CREAT") != NULL;
		bool excl = strstr(flags, "O_EXCL") != NULL;
		bool write = creat || strstr(flags, "O_WRONLY") || strstr(flags, "O_RDWR") || strstr(flags, "O_TRUNC");
		const char *target = json_str(r, "ret_target");

		if (target && target[0] == '/') { /* the file it really opened */
			path.len = 0;
			sb_puts(&path, target);
		}
		if (strstr(flags, "O_DIRECTORY"))
			goto out;
		if (!write || strstr(flags, "O_RDWR"))
			touched(run, m, p, r, B_READ, path.data);
		if (write)
			touched(run, m, p, r, B_WRITTEN, path.data);
		/* Created: the file did not exist before the call, as the trace says ("created"), or O_EXCL said so. */
		if (created && created->type == JSON_BOOL ? created->b : creat && excl)
			touched(run, m, p, r, B_CREATED, path.data);
		goto out;
	}
	/* The rest by the table's effects on the call's paths. */
	if (syscall_path_roles(e) & PATH_REMOVED) /* the first path: rename's old name */
		touched(run, m, p, r, B_DELETED, path.data);
	if (syscall_path_roles(e) & PATH_WRITTEN)
		touched(run, m, p, r, B_WRITTEN, path.data);
	if ((syscall_path_roles(e) & PATH_CREATED) && diff_call_path(p, args, e, -1, &last)) /* the last path */
		touched(run, m, p, r, B_CREATED, last.data);
out:
	sb_free(&path);
	sb_free(&last);
}

static long thread_rank(const struct diff_proc *p, long long tid)
{
	for (size_t i = 0; i < p->nthreads; i++)
		if (p->threads[i] == tid)
			return (long)i;
	return (long)p->nthreads;
}

/*
 * Calls the program never sees differ with the timing of signals, not with
 * what it does: the return from a handler, and calls the kernel restarts.
 */
static bool timing_artefact(const struct json *r)
{
	const char *err = json_str(r, "err");
	const struct syscall_entry *e = diff_entry_of(r);

	if (e && (e->flags & SC_REGS_REPLACED))
		return true;
	return err && (strncmp(err, "ERESTART", 8) == 0);
}

static void append_call(struct diff_proc *p, char *line, long long tid, long long seq)
{
	if (p->ncalls == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->calls = xrealloc(p->calls, p->cap * sizeof(*p->calls));
	}
	p->calls[p->ncalls++] = (struct diff_call){ line, thread_rank(p, tid), seq };
}

static void put_sig_string(struct strbuf *sig, const struct diff_run *run, const struct diff_masks *m,
			   const struct json *v)
{
	struct strbuf tmp = { 0 };

	if (!v || v->type != JSON_STRING) {
		sb_puts(sig, "?");
		return;
	}
	diff_put_string(&tmp, run, m, v->s, v->len);
	sb_putc(sig, '"');
	json_escape(sig, tmp.data ? tmp.data : "", tmp.len);
	sb_putc(sig, '"');
	sb_free(&tmp);
}

static void set_label(struct diff_run *run, const struct diff_masks *m, struct diff_proc *p, const struct json *exec)
{
	struct strbuf label = { 0 }, sig = { 0 };
	const struct json *argv = json_get(exec, "argv");

	sb_puts(&label, json_str(exec, "path") ? json_str(exec, "path") : "?");
	put_sig_string(&sig, run, m, json_get(exec, "path"));
	for (size_t i = 0; argv && argv->type == JSON_ARRAY && i < argv->n; i++) {
		sb_putc(&label, ' ');
		sb_putc(&sig, ' ');
		if (argv->items[i].type == JSON_STRING)
			sb_puts(&label, argv->items[i].s);
		put_sig_string(&sig, run, m, &argv->items[i]);
	}
	/* Several execs: the label says the last, the signature all of them. */
	free(p->label);
	p->label = label.data;
	if (p->signature) {
		struct strbuf both = { 0 };
		sb_printf(&both, "%s; %s", p->signature, sig.data);
		free(p->signature);
		sb_free(&sig);
		p->signature = both.data;
	} else
		p->signature = sig.data;
}

static int by_thread_then_seq(const void *a, const void *b)
{
	const struct diff_call *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void exit_text(const struct json *e, char *buf, size_t size)
{
	if (json_str(e, "signal"))
		snprintf(buf, size, "killed by %s", json_str(e, "signal"));
	else
		snprintf(buf, size, "exited %lld", json_int(e, "code", -1));
}

struct build {
	struct diff_run *run;
	const struct diff_masks *m;
};

/* A new process's place in the tree, and what it inherits: its parent's working directory. */
static void place_process(struct diff_run *run, size_t at)
{
	struct diff_proc *p = &run->procs[at];
	long parent = p->parent > 0 ? proc_find(run, p->parent) : -1;

	if (parent >= 0 && (size_t)parent != at) {
		struct diff_proc *pp = &run->procs[parent];

		p->tree = xasprintf("%s.%zu", pp->tree, ++pp->nspawned);
		pp->live_children++;
		p->cwd = pp->cwd ? xstrdup(pp->cwd) : NULL;
	} else if (at == 0) {
		p->tree = xstrdup("1");
		p->cwd = run->start_cwd ? xstrdup(run->start_cwd) : NULL;
	} else
		p->tree = xasprintf("?%lld", p->vpid); /* a process whose spawn the trace lacks */
}

/* One record, as the trace is read: a task's spawn record comes before anything it does. */
static int take_record(const struct json *r, size_t line, void *ctx)
{
	struct build *b = ctx;
	struct diff_run *run = b->run;
	const char *type = json_str(r, "type");
	long long pid = json_int(r, "pid", 0), tid = json_int(r, "tid", 0);
	bool spawn = strcmp(type, "spawn") == 0, is_new;
	const struct json *thread = json_get(r, "thread");
	struct diff_proc *p;
	size_t at;

	(void)line;
	if (strcmp(type, "start") == 0) {
		const char *cwd = json_str(r, "cwd");

		if (cwd && !run->start_cwd) {
			run->start_cwd = xstrdup(cwd);
			run->start_cwd_len = strlen(cwd);
		}
		return 0;
	}
	if (strcmp(type, "end") == 0)
		return 0;
	is_new = proc_find(run, pid) < 0;
	at = proc_index(run, pid, spawn ? json_int(r, "parent", 0) : 0);
	p = &run->procs[at];
	if (is_new) {
		place_process(run, at);
		p->threads = xmalloc(sizeof(*p->threads));
		p->threads[p->nthreads++] = pid;
		remember_host_id(run, json_int(r, "hpid", 0), at, 0);
	}
	if (spawn) {
		if (thread && thread->b && thread_rank(p, tid) == (long)p->nthreads) {
			p->threads = xrealloc(p->threads, (p->nthreads + 1) * sizeof(*p->threads));
			p->threads[p->nthreads++] = tid;
		}
		remember_host_id(run, json_int(r, "htid", 0), at, thread_rank(p, tid));
		return 0;
	}
	if (strcmp(type, "syscall") == 0) {
		diff_note_names(run, p, r);
		if (!run->behaviour_only && !timing_artefact(r) && !diff_left_out(p, r))
			append_call(p, diff_normalise_call(run, b->m, p, r), tid, json_int(r, "seq", 0));
		note_behaviour(run, b->m, p, r);
		diff_note_effects(run, b->m, p, r);
	} else if (strcmp(type, "exec") == 0) {
		set_label(run, b->m, p, r);
		if (json_str(r, "path"))
			touched(run, b->m, p, r, B_EXECUTED, json_str(r, "path"));
	} else if (strcmp(type, "exit") == 0 && !(thread && thread->b)) {
		long parent = p->parent > 0 ? proc_find(run, p->parent) : -1;

		exit_text(r, p->exit_desc, sizeof(p->exit_desc));
		if (parent >= 0 && (size_t)parent != at && run->procs[parent].live_children > 0)
			run->procs[parent].live_children--;
	}
	return 0;
}

int diff_run_build(struct diff_run *run, const char *path, const struct diff_masks *m)
{
	struct build b = { run, m };

	if (trace_file_scan(path, take_record, &b, &run->complete) < 0)
		return -1;
	for (size_t i = 0; i < run->nprocs; i++) {
		struct diff_proc *p = &run->procs[i];

		if (p->parent > 0) {
			long parent = proc_find(run, p->parent);

			if (parent >= 0 && (size_t)parent != i) {
				struct diff_proc *pp = &run->procs[parent];
				pp->children = xrealloc(pp->children, (pp->nchildren + 1) * sizeof(*pp->children));
				pp->children[pp->nchildren++] = i;
			}
		}
		if (!p->label) {
			p->label = xstrdup("(no exec)");
			p->signature = xstrdup("(no exec)");
		}
		if (!p->exit_desc[0])
			snprintf(p->exit_desc, sizeof(p->exit_desc), "did not end in the trace");
		qsort(p->calls, p->ncalls, sizeof(*p->calls), by_thread_then_seq);
		p->lines = xmalloc((p->ncalls + 1) * sizeof(*p->lines));
		for (size_t c = 0; c < p->ncalls; c++) {
			if (run->ntmps)
				diff_untoken(run, &p->calls[c].line, true);
			p->lines[c] = p->calls[c].line;
		}
		if (run->ntmps)
			diff_untoken(run, &p->signature, false);
	}
	for (size_t i = 0; i < run->nprocs; i++)
		if (run->procs[i].parent > 0 && strcmp(run->procs[i].signature, "(no exec)") != 0)
			add_behaviour(run, m, B_SPAWNED, run->procs[i].label);
	for (int k = 0; k < B_COUNT; k++) {
		for (size_t i = 0; run->ntmps && i < run->behaviour[k].n; i++)
			diff_untoken(run, &run->behaviour[k].items[i], false);
		str_set_sort(&run->behaviour[k]);
		/* Two processes running the same are two spawns; a file read twice is one file. */
		if (k != B_SPAWNED)
			str_set_unique(&run->behaviour[k]);
	}
	return 0;
}

void diff_run_free(struct diff_run *run)
{
	for (size_t i = 0; i < run->nprocs; i++) {
		struct diff_proc *p = &run->procs[i];

		free(p->lines);
		free(p->calls);
		free(p->threads);
		free(p->children);
		free(p->label);
		free(p->signature);
		free(p->tree);
		free(p->cwd);
		id_map_free(&p->objects);
		id_map_free(&p->fd_seen);
		for (size_t k = 0; k < p->nfd_labels; k++)
			free(p->fd_labels[k]);
		free(p->fd_labels);
	}
	free(run->procs);
	for (size_t i = 0; i < run->lines.nblocks; i++)
		free(run->lines.blocks[i]);
	free(run->lines.blocks);
	id_map_free(&run->by_vpid);
	id_map_free(&run->host_ids);
	free(run->start_cwd);
	for (size_t i = 0; i < run->ntmps; i++) {
		free(run->tmps[i].name);
		free(run->tmps[i].token);
	}
	free(run->tmps);
	id_map_free(&run->tmp_by_name);
	for (int k = 0; k < B_COUNT; k++) {
		for (size_t i = 0; i < run->behaviour[k].n; i++)
			free(run->behaviour[k].items[i]);
		free(run->behaviour[k].items);
		id_map_free(&run->behaviour_seen[k]);
	}
}
