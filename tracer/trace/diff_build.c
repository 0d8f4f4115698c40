/*
 * One run of a diff: its process tree from the spawn records, each process's
 * calls normalised into lines that two runs of the same program share
 * (addresses, times, inode numbers, host pids and random bytes masked; fds
 * named by what they refer to), and what it did to the world.
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

static long long virtual_id(const struct diff_run *run, long long host)
{
	for (size_t i = 0; i < run->nhost; i++)
		if (run->host_ids[2 * i] == host)
			return run->host_ids[2 * i + 1];
	return -1;
}

/* A host id names the newest task that had it (the kernel reuses ids). */
static void remember_host_id(struct diff_run *run, long long host, long long v)
{
	if (host <= 0)
		return;
	for (size_t i = 0; i < run->nhost; i++)
		if (run->host_ids[2 * i] == host) {
			run->host_ids[2 * i + 1] = v;
			return;
		}
	run->host_ids = xrealloc(run->host_ids, (run->nhost + 1) * 2 * sizeof(*run->host_ids));
	run->host_ids[2 * run->nhost] = host;
	run->host_ids[2 * run->nhost + 1] = v;
	run->nhost++;
}

static long proc_find(const struct diff_run *run, long long vpid)
{
	for (size_t i = run->nprocs; i-- > 0;) /* the newest first: they are the busiest */
		if (run->procs[i].vpid == vpid)
			return (long)i;
	return -1;
}

static size_t proc_index(struct diff_run *run, long long vpid, long long parent)
{
	long found = proc_find(run, vpid);

	if (found >= 0)
		return (size_t)found;
	run->procs = xrealloc(run->procs, (run->nprocs + 1) * sizeof(*run->procs));
	memset(&run->procs[run->nprocs], 0, sizeof(run->procs[0]));
	run->procs[run->nprocs].vpid = vpid;
	run->procs[run->nprocs].parent = parent;
	run->procs[run->nprocs].match = -1;
	return run->nprocs++;
}

/* ---- masking ---- */

static bool ignored(const struct diff_masks *m, const char *s)
{
	for (size_t i = 0; i < m->nignore; i++)
		if (regexec(&m->ignore[i], s, 0, NULL, 0) == 0)
			return true;
	return false;
}

/* "/proc/12345/..." names a host pid: say which process of the run it was. */
static void put_proc_path(struct strbuf *out, const struct diff_run *run, const char *s)
{
	const char *p = s;

	while (*p) {
		const char *hit = strstr(p, "/proc/");
		char *end;
		long long host;

		if (!hit) {
			sb_puts(out, p);
			return;
		}
		sb_put(out, p, (size_t)(hit - p) + 6);
		host = strtoll(hit + 6, &end, 10);
		if (end > hit + 6 && (*end == '/' || *end == '\0') && virtual_id(run, host) >= 0) {
			sb_printf(out, "<pid %lld>", virtual_id(run, host));
			p = end;
		} else
			p = hit + 6;
	}
}

/* What an fd refers to, without what differs between runs: inode numbers and ephemeral ports. */
static void put_target(struct strbuf *out, const struct diff_run *run, const struct diff_masks *m, const char *t)
{
	const char *br = strstr(t, ":[");

	if (ignored(m, t)) {
		sb_puts(out, "<ignored>");
		return;
	}
	if (br && strspn(br + 2, "0123456789") > 0 && br[2 + strspn(br + 2, "0123456789")] == ']') {
		sb_put(out, t, (size_t)(br - t)); /* pipe:[1234] -> pipe */
		return;
	}
	if (br && (strncmp(t, "TCP", 3) == 0 || strncmp(t, "UDP", 3) == 0)) {
		/* TCP:[127.0.0.1:43210->10.0.0.1:80]: a local port from the ephemeral range was the kernel's choice */
		const char *end = strstr(t, "->") ? strstr(t, "->") : strchr(t, ']'), *colon = end;
		long port;

		while (colon && colon > br && *colon != ':')
			colon--;
		port = colon && colon > br ? strtol(colon + 1, NULL, 10) : 0;
		if (port >= 32768) {
			sb_put(out, t, (size_t)(colon - t));
			sb_puts(out, ":<ephemeral>");
			sb_puts(out, end);
			return;
		}
	}
	put_proc_path(out, run, t);
}

static bool key_varies(const char *key)
{
	static const char *const keys[] = { "st_ino", "st_dev", "st_blocks", "stx_ino", "stx_dev", "stx_blocks",
					    "tv_sec", "tv_nsec", "stx_mask" };
	size_t n = strlen(key);

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return n > 4 && strcmp(key + n - 4, "time") == 0; /* st_atime, stx_btime, ... */
}

static void put_norm(struct strbuf *out, const struct diff_run *run, const struct diff_masks *m,
		     const struct json *v, int kind, int depth);

static void put_fd(struct strbuf *out, const struct diff_run *run, const struct diff_masks *m, const struct json *v)
{
	const char *target = json_str(v, "target");

	if (target) {
		sb_puts(out, "fd<");
		put_target(out, run, m, target);
		sb_putc(out, '>');
	} else
		sb_printf(out, "fd%lld", json_int(v, "fd", -1));
}

static void put_norm(struct strbuf *out, const struct diff_run *run, const struct diff_masks *m,
		     const struct json *v, int kind, int depth)
{
	switch (v->type) {
	case JSON_NULL:
		sb_puts(out, "NULL");
		return;
	case JSON_BOOL:
	case JSON_NUMBER:
		if ((kind == K_PID || kind == K_PGID) && v->type == JSON_NUMBER && v->i > 0) {
			long long vid = virtual_id(run, v->i);
			if (vid >= 0)
				sb_printf(out, "<pid %lld>", vid);
			else
				sb_puts(out, "<pid>");
			return;
		}
		json_render(v, out);
		return;
	case JSON_STRING:
		/* Addresses differ between runs (ASLR): by kind, or by looking like one. */
		if (kind == K_PTR || (strncmp(v->s, "0x", 2) == 0 &&
				      strtoull(v->s, NULL, 16) >= (depth > 0 ? 0x10000ull : 0x100000000ull))) {
			sb_puts(out, "<addr>");
			return;
		}
		if (ignored(m, v->s)) {
			sb_puts(out, "<ignored>");
			return;
		}
		if (kind == K_PATH || kind == K_STR || strstr(v->s, "/proc/")) {
			struct strbuf tmp = { 0 };
			put_proc_path(&tmp, run, v->s);
			sb_putc(out, '"');
			json_escape(out, tmp.data ? tmp.data : "", tmp.len);
			sb_putc(out, '"');
			sb_free(&tmp);
			return;
		}
		json_render(v, out);
		return;
	case JSON_OBJECT:
		if ((kind == K_FD || kind == K_DIRFD || kind == K_FD_CLOSED || kind == K_PIDFD || (depth > 0 && json_get(v, "fd"))) && json_get(v, "fd")) {
			put_fd(out, run, m, v);
			return;
		}
		sb_putc(out, '{');
		for (size_t i = 0; i < v->n; i++) {
			sb_printf(out, "%s%s=", i ? ", " : "", v->keys[i]);
			if (key_varies(v->keys[i]))
				sb_puts(out, "<varies>");
			else if ((strcmp(v->keys[i], "sin_port") == 0 || strcmp(v->keys[i], "sin6_port") == 0) &&
				 v->items[i].type == JSON_NUMBER && v->items[i].i >= 32768)
				sb_puts(out, "<ephemeral>"); /* the kernel's choice, like a local port of an fd */
			else
				put_norm(out, run, m, &v->items[i], K_NONE, depth + 1);
		}
		sb_putc(out, '}');
		return;
	case JSON_ARRAY:
		sb_putc(out, '[');
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				sb_puts(out, ", ");
			put_norm(out, run, m, &v->items[i], kind == K_PIPEFDS ? K_FD : K_NONE, depth + 1);
		}
		sb_putc(out, ']');
		return;
	}
}

static const struct syscall_entry *entry_named(const char *name)
{
	int nr = syscall_number(ABI_NATIVE, name);

	return nr < 0 ? NULL : syscall_lookup(ABI_NATIVE, nr);
}

static int kind_of(const struct syscall_entry *e, const char *arg)
{
	for (int i = 0; e && i < syscall_nargs(e); i++)
		if (strcmp(e->args[i].name, arg) == 0)
			return e->args[i].kind;
	return K_NONE;
}

static char *normalise_call(const struct diff_run *run, const struct diff_masks *m, const struct json *r)
{
	const char *name = json_str(r, "name"), *err = json_str(r, "err");
	const struct syscall_entry *e = json_str(r, "abi") ? NULL : entry_named(name);
	const struct json *args = json_get(r, "args"), *ret = json_get(r, "ret");
	struct strbuf b = { 0 };

	sb_puts(&b, name);
	sb_putc(&b, '(');
	for (size_t i = 0; i < args->n; i++) {
		int kind = kind_of(e, args->keys[i]);

		if (i)
			sb_puts(&b, ", ");
		/* Random bytes are expected to differ. */
		if (kind == K_BUF_OUT && (e->flags & SC_RANDOM_OUT))
			sb_puts(&b, "<random>");
		else
			put_norm(&b, run, m, &args->items[i], kind, 0);
	}
	sb_puts(&b, ") = ");
	if (!ret || ret->type == JSON_NULL)
		sb_puts(&b, "?");
	else if (err)
		sb_printf(&b, "-1 %s", err);
	else if (e && e->ret == R_PTR)
		sb_puts(&b, "<addr>");
	else if (e && e->ret == R_PID)
		put_norm(&b, run, m, ret, K_PID, 0);
	else if (e && e->ret == R_FD && json_str(r, "ret_target")) {
		sb_puts(&b, "fd<");
		put_target(&b, run, m, json_str(r, "ret_target"));
		sb_putc(&b, '>');
	} else
		json_render(ret, &b);
	return b.data;
}

/* ---- behaviour ---- */

/*
 * A call's path as the program meant it: relative to its dirfd's directory
 * when it has one. which: the index among its path arguments, -1 the last.
 */
static bool call_path(const struct json *args, const struct syscall_entry *e, int which, char *out, size_t size)
{
	const struct json *dir = NULL;
	int seen = 0;

	if (which < 0)
		for (int i = 0; i < syscall_nargs(e); i++)
			which += e->args[i].kind == K_PATH;
	if (which < 0)
		return false;

	for (int i = 0; e && i < syscall_nargs(e); i++) {
		const struct json *v = json_get(args, e->args[i].name);

		if (e->args[i].kind == K_DIRFD)
			dir = v;
		if (e->args[i].kind != K_PATH || seen++ != which)
			continue;
		if (!v || v->type != JSON_STRING)
			return false;
		if (v->s[0] != '/' && dir && json_str(dir, "target"))
			snprintf(out, size, "%s/%s", json_str(dir, "target"), v->s);
		else
			snprintf(out, size, "%s", v->s);
		return out[0] != '\0';
	}
	return false;
}

static void add_behaviour(struct diff_run *run, const struct diff_masks *m, enum behaviour_kind k, const char *what)
{
	struct strbuf b = { 0 };

	if (ignored(m, what))
		return;
	put_proc_path(&b, run, what);
	for (size_t i = 0; i < run->behaviour[k].n; i++)
		if (strcmp(run->behaviour[k].items[i], b.data) == 0) {
			sb_free(&b);
			return;
		}
	str_set_add(&run->behaviour[k], b.data);
	sb_free(&b);
}

/* Like add_behaviour, but counting repeats: two processes running the same are two spawns. */
static void add_behaviour_all(struct diff_run *run, const struct diff_masks *m, enum behaviour_kind k, const char *what)
{
	struct strbuf b = { 0 };

	if (ignored(m, what))
		return;
	put_proc_path(&b, run, what);
	str_set_add(&run->behaviour[k], b.data);
	sb_free(&b);
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

static void note_behaviour(struct diff_run *run, const struct diff_masks *m, const struct json *r)
{
	const char *name = json_str(r, "name");
	const struct json *args = json_get(r, "args"), *ret = json_get(r, "ret");
	const struct syscall_entry *e = json_str(r, "abi") ? NULL : entry_named(name);
	const char *flags = NULL;
	char path[8192], ep[8192];

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
			add_behaviour(run, m, B_ENDPOINTS, ep);
		return;
	}
	if (json_str(r, "err")) /* a file that was not there was not read */
		return;
	if (!call_path(args, e, 0, path, sizeof(path)))
		return;
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

		if (target && target[0] == '/')
			snprintf(path, sizeof(path), "%s", target); /* the file it really opened */
		if (strstr(flags, "O_DIRECTORY"))
			return;
		if (!write || strstr(flags, "O_RDWR"))
			add_behaviour(run, m, B_READ, path);
		if (write)
			add_behaviour(run, m, B_WRITTEN, path);
		if (creat && excl)
			add_behaviour(run, m, B_CREATED, path);
		return;
	}
	/* The rest by the table's effects on the call's paths. */
	if (syscall_path_roles(e) & PATH_REMOVED) /* the first path: rename's old name */
		add_behaviour(run, m, B_DELETED, path);
	if (syscall_path_roles(e) & PATH_WRITTEN)
		add_behaviour(run, m, B_WRITTEN, path);
	if ((syscall_path_roles(e) & PATH_CREATED) && call_path(args, e, -1, path, sizeof(path))) /* the last path */
		add_behaviour(run, m, B_CREATED, path);
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
	const char *name = json_str(r, "name"), *err = json_str(r, "err");
	const struct syscall_entry *e = json_str(r, "abi") ? NULL : entry_named(name);

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

static void set_label(struct diff_run *run, const struct diff_masks *m, struct diff_proc *p, const struct json *exec)
{
	struct strbuf label = { 0 }, sig = { 0 };
	const struct json *argv = json_get(exec, "argv");

	sb_puts(&label, json_str(exec, "path") ? json_str(exec, "path") : "?");
	put_norm(&sig, run, m, json_get(exec, "path"), K_PATH, 0);
	for (size_t i = 0; argv && argv->type == JSON_ARRAY && i < argv->n; i++) {
		sb_putc(&label, ' ');
		sb_putc(&sig, ' ');
		if (argv->items[i].type == JSON_STRING)
			sb_puts(&label, argv->items[i].s);
		put_norm(&sig, run, m, &argv->items[i], K_STR, 0);
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
	if (strcmp(type, "start") == 0 || strcmp(type, "end") == 0)
		return 0;
	is_new = proc_find(run, pid) < 0;
	at = proc_index(run, pid, spawn ? json_int(r, "parent", 0) : 0);
	p = &run->procs[at];
	if (is_new || spawn) {
		remember_host_id(run, json_int(r, "hpid", 0), pid);
		remember_host_id(run, json_int(r, "htid", 0), tid);
	}
	if (is_new) {
		p->threads = xmalloc(sizeof(*p->threads));
		p->threads[p->nthreads++] = pid;
	}
	if (spawn) {
		if (thread && thread->b && thread_rank(p, tid) == (long)p->nthreads) {
			p->threads = xrealloc(p->threads, (p->nthreads + 1) * sizeof(*p->threads));
			p->threads[p->nthreads++] = tid;
		}
		return 0;
	}
	if (strcmp(type, "syscall") == 0) {
		if (!timing_artefact(r))
			append_call(p, normalise_call(run, b->m, r), tid, json_int(r, "seq", 0));
		note_behaviour(run, b->m, r);
	} else if (strcmp(type, "exec") == 0) {
		set_label(run, b->m, p, r);
		if (json_str(r, "path"))
			add_behaviour(run, b->m, B_EXECUTED, json_str(r, "path"));
	} else if (strcmp(type, "exit") == 0 && !(thread && thread->b)) {
		exit_text(r, p->exit_desc, sizeof(p->exit_desc));
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

			if (parent >= 0) {
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
		for (size_t c = 0; c < p->ncalls; c++)
			p->lines[c] = p->calls[c].line;
	}
	for (size_t i = 0; i < run->nprocs; i++)
		if (run->procs[i].parent > 0 && strcmp(run->procs[i].signature, "(no exec)") != 0)
			add_behaviour_all(run, m, B_SPAWNED, run->procs[i].label);
	for (int k = 0; k < B_COUNT; k++)
		str_set_sort(&run->behaviour[k]);
	return 0;
}

void diff_run_free(struct diff_run *run)
{
	for (size_t i = 0; i < run->nprocs; i++) {
		struct diff_proc *p = &run->procs[i];

		for (size_t c = 0; c < p->ncalls; c++)
			free(p->calls[c].line);
		free(p->lines);
		free(p->calls);
		free(p->threads);
		free(p->children);
		free(p->label);
		free(p->signature);
	}
	free(run->procs);
	free(run->host_ids);
	for (int k = 0; k < B_COUNT; k++) {
		for (size_t i = 0; i < run->behaviour[k].n; i++)
			free(run->behaviour[k].items[i]);
		free(run->behaviour[k].items);
	}
}
