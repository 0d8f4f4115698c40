/*
 * Normalising a run's calls for diff (docs/trace-format.md, "How diff
 * compares two traces"): each call becomes a line that two runs of the same
 * program share. What differs between such runs without the program doing
 * anything different is masked, each by a rule of its own: addresses, times,
 * inode and device numbers, host pids and tids (named by the process's place
 * in the tree), the run's working directory, temporary names, random bytes,
 * pipe and socket inodes (named by their order of appearance in the process),
 * fds (named by what they refer to), relative paths (resolved against the
 * working directory of the moment).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "syscall_table.h"
#include "trace_diff.h"
#include "util.h"

struct norm {
	struct diff_run *run;
	const struct diff_masks *m;
	struct diff_proc *p;
};

static bool ignored(const struct diff_masks *m, const char *s)
{
	for (size_t i = 0; i < m->nignore; i++)
		if (regexec(&m->ignore[i], s, 0, NULL, 0) == 0)
			return true;
	return false;
}

const struct syscall_entry *diff_entry_of(const struct json *r)
{
	/* Asked several times for each record, of a few names taking turns (read, write): answers are kept by name. */
	static struct {
		char name[32];
		const struct syscall_entry *entry;
	} cache[64];
	const char *name = json_str(r, "name");
	unsigned hash = 2166136261u;
	size_t len = 0;
	int nr;

	if (!name || json_str(r, "abi"))
		return NULL;
	for (const char *c = name; *c; c++, len++)
		hash = (hash ^ (unsigned char)*c) * 16777619u;
	hash &= 63;
	if (cache[hash].name[0] && strcmp(name, cache[hash].name) == 0)
		return cache[hash].entry;
	nr = syscall_number(ABI_NATIVE, name);
	if (len < sizeof(cache[hash].name)) {
		memcpy(cache[hash].name, name, len + 1);
		cache[hash].entry = nr < 0 ? NULL : syscall_lookup(ABI_NATIVE, nr);
		return cache[hash].entry;
	}
	return nr < 0 ? NULL : syscall_lookup(ABI_NATIVE, nr);
}

const char *diff_host_label(const struct diff_run *run, long long host, char *buf, size_t size)
{
	long long v;
	const struct diff_proc *p;

	if (host <= 0 || !id_map_get(&run->host_ids, (uint64_t)host, &v))
		return NULL;
	p = &run->procs[v >> 20];
	if ((v & 0xfffff) == 0)
		snprintf(buf, size, "<pid %s>", p->tree);
	else
		snprintf(buf, size, "<tid %s/%lld>", p->tree, (v & 0xfffff) + 1);
	return buf;
}

/* ---- strings ---- */

static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
	       c == '-' || c == '+';
}

static bool alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

/* One word of a string (a name, a number): a temporary name, the run's tmpdir, a host pid, or itself. */
static void put_word(struct strbuf *out, const struct diff_run *run, const char *w, size_t n)
{
	static const char run_tmpdir[] = "picovisor-tmp-"; /* held_dir_make's name for the sandbox's tmpdir */
	long long idx;
	char label[96];

	if (run->ntmps && id_map_get(&run->tmp_by_name, diff_hash(w, n), &idx) &&
	    strlen(run->tmps[idx].name) == n && memcmp(run->tmps[idx].name, w, n) == 0) {
		sb_puts(out, run->tmps[idx].token);
		return;
	}
	if (n == sizeof(run_tmpdir) - 1 + 6 && memcmp(w, run_tmpdir, sizeof(run_tmpdir) - 1) == 0) {
		sb_puts(out, "picovisor-tmp-<run>");
		return;
	}
	if (n <= 10 && all_digits(w, n) && w[0] != '0') { /* a pid has no leading zero; a mode ("0755") has */
		char num[16];

		memcpy(num, w, n);
		num[n] = '\0';
		if (diff_host_label(run, strtoll(num, NULL, 10), label, sizeof(label))) {
			sb_puts(out, label);
			return;
		}
	}
	sb_put(out, w, n);
}

void diff_put_string(struct strbuf *out, const struct diff_run *run, const struct diff_masks *m, const char *s,
		     size_t len)
{
	size_t i = 0, cl = run->start_cwd_len;

	if (ignored(m, s)) {
		sb_puts(out, "<ignored>");
		return;
	}
	while (i < len) {
		/* The run's working directory, as a whole path prefix: runs in two directories compare. */
		if (cl > 1 && s[i] == '/' && (i == 0 || !word_char(s[i - 1])) && len - i >= cl &&
		    memcmp(s + i, run->start_cwd, cl) == 0 && (i + cl == len || !word_char(s[i + cl]))) {
			sb_puts(out, "<cwd>");
			i += cl;
		} else if (word_char(s[i])) {
			size_t j = i;

			while (j < len && word_char(s[j]))
				j++;
			put_word(out, run, s + i, j - i);
			i = j;
		} else if (s[i] == '#' && i > 0 && s[i - 1] == '/' && i + 1 < len && all_digits(s + i + 1, 1)) {
			/* An O_TMPFILE file: "/tmp/#1234 (deleted)" names it by its inode number. */
			sb_puts(out, "#<ino>");
			for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
				;
		} else
			sb_putc(out, s[i++]);
	}
}

static void put_quoted(struct strbuf *out, const struct norm *n, const char *s, size_t len)
{
	struct strbuf tmp = { 0 };

	diff_put_string(&tmp, n->run, n->m, s, len);
	sb_putc(out, '"');
	json_escape(out, tmp.data ? tmp.data : "", tmp.len);
	sb_putc(out, '"');
	sb_free(&tmp);
}

/* ---- paths ---- */

/* dir + "/" + rel with "." and ".." taken lexically (the trace has no symlinks to follow). */
static void join_path(struct strbuf *out, const char *dir, const char *rel)
{
	size_t base = out->len;
	const char *parts[2] = { dir, rel };

	for (int k = 0; k < 2; k++) {
		const char *p = parts[k];

		while (*p) {
			const char *end = strchrnul(p, '/');
			size_t n = (size_t)(end - p);

			if (n == 0 || (n == 1 && p[0] == '.')) {
			} else if (n == 2 && p[0] == '.' && p[1] == '.') {
				while (out->len > base && out->data[out->len - 1] != '/')
					out->len--;
				if (out->len > base)
					out->len--;
			} else {
				sb_putc(out, '/');
				sb_put(out, p, n);
			}
			p = *end ? end + 1 : end;
		}
	}
	if (out->len == base)
		sb_putc(out, '/');
	out->data[out->len] = '\0';
}

bool diff_call_path(const struct diff_proc *p, const struct json *args, const struct syscall_entry *e, int which,
		    struct strbuf *out)
{
	const struct json *dir = NULL;
	int seen = 0;

	if (!e)
		return false;
	if (which < 0)
		for (int i = 0; i < syscall_nargs(e); i++)
			which += e->args[i].kind == K_PATH;
	if (which < 0)
		return false;
	for (int i = 0; i < syscall_nargs(e); i++) {
		const struct json *v = json_get(args, e->args[i].name);
		const char *base;

		if (e->args[i].kind == K_DIRFD)
			dir = v;
		if (e->args[i].kind != K_PATH || seen++ != which)
			continue;
		if (!v || v->type != JSON_STRING || v->s[0] == '\0')
			return false;
		base = dir && dir->type == JSON_OBJECT ? json_str(dir, "target") : p->cwd;
		if (v->s[0] == '/' || !base || base[0] != '/')
			sb_puts(out, v->s);
		else
			join_path(out, base, v->s);
		return true;
	}
	return false;
}

/* ---- fds and what they refer to ---- */

static char *dup_n(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* pipe:[1234], socket:[99]: the inode is the kernel's; the order the process met them in is the program's. */
static void put_object(struct strbuf *out, const struct norm *n, const char *t, const char *br)
{
	uint64_t key = diff_hash(t, strlen(t));
	long long k;

	if (!id_map_get(&n->p->objects, key, &k)) {
		k = (long long)n->p->objects.n + 1;
		id_map_put(&n->p->objects, key, k);
	}
	sb_put(out, t, (size_t)(br - t));
	sb_printf(out, "#%lld", k);
}

static void put_target(struct strbuf *out, const struct norm *n, const char *t)
{
	const char *br = strstr(t, ":[");
	size_t digits = br ? strspn(br + 2, "0123456789") : 0;

	if (ignored(n->m, t)) {
		sb_puts(out, "<ignored>");
		return;
	}
	if (digits > 0 && br[2 + digits] == ']' && br[3 + digits] == '\0') {
		put_object(out, n, t, br);
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
	diff_put_string(out, n->run, n->m, t, strlen(t));
}

/*
 * An fd is named by what it refers to, never by its number (which depends on
 * what else is open). One the trace shows without a target (not open at the
 * time) is named by what that number last referred to in the process.
 */
static void put_fd(struct strbuf *out, const struct norm *n, long long fd, const char *target)
{
	struct diff_proc *p = n->p;
	long long idx;

	if (target) {
		size_t start;

		sb_puts(out, "fd<");
		start = out->len;
		put_target(out, n, target);
		sb_putc(out, '>');
		if (fd >= 0) {
			if (!id_map_get(&p->fd_seen, (uint64_t)fd, &idx)) {
				p->fd_labels = xrealloc(p->fd_labels, (p->nfd_labels + 1) * sizeof(*p->fd_labels));
				idx = (long long)p->nfd_labels++;
				p->fd_labels[idx] = NULL;
				id_map_put(&p->fd_seen, (uint64_t)fd, idx);
			}
			if (!p->fd_labels[idx] || strlen(p->fd_labels[idx]) != out->len - start - 1 ||
			    memcmp(p->fd_labels[idx], out->data + start, out->len - start - 1) != 0) {
				free(p->fd_labels[idx]);
				p->fd_labels[idx] = dup_n(out->data + start, out->len - start - 1);
			}
		}
	} else if (fd >= 0 && id_map_get(&p->fd_seen, (uint64_t)fd, &idx))
		sb_printf(out, "fd<closed, was %s>", p->fd_labels[idx]);
	else
		sb_printf(out, fd < 0 ? "fd%lld" : "fd<never open>", fd);
}

/* ---- values ---- */

static bool key_varies(const char *key)
{
	static const char *const keys[] = { "st_ino", "st_dev", "st_blocks", "stx_ino", "stx_dev", "stx_blocks",
					    "tv_sec", "tv_nsec", "stx_mask", "st_rdev", "stx_rdev_major",
					    "stx_rdev_minor", "stx_dev_major", "stx_dev_minor" };
	size_t n;

	if ((key[0] != 's' || key[1] != 't') && (key[0] != 't' || key[1] != 'v'))
		return false; /* st_*, stx_*, tv_* */
	n = strlen(key);
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return n > 4 && strcmp(key + n - 4, "time") == 0; /* st_atime, stx_btime, ... */
}

/* Struct members that hold a pid: siginfo's sender, a pidfd's or a clone's pid. */
static bool key_is_pid(const char *key)
{
	if (key[0] != 's' && key[0] != 'p' && key[0] != 'l')
		return false;
	return strcmp(key, "si_pid") == 0 || strcmp(key, "pid") == 0 || strcmp(key, "l_pid") == 0;
}

static void put_pid(struct strbuf *out, const struct norm *n, long long pid)
{
	char label[96];

	if (pid <= 0)
		sb_printf(out, "%lld", pid);
	else
		sb_puts(out, diff_host_label(n->run, pid, label, sizeof(label)) ? label : "<pid>");
}

static void put_norm(struct strbuf *out, const struct norm *n, const struct json *v, int kind, int depth)
{
	switch (v->type) {
	case JSON_NULL:
		sb_puts(out, "NULL");
		return;
	case JSON_BOOL:
	case JSON_NUMBER:
		if ((kind == K_PID || kind == K_PGID) && v->type == JSON_NUMBER && v->is_int) {
			put_pid(out, n, v->i);
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
		put_quoted(out, n, v->s, v->len);
		return;
	case JSON_OBJECT:
		if ((kind == K_FD || kind == K_DIRFD || kind == K_FD_CLOSED || kind == K_PIDFD || depth > 0) &&
		    json_get(v, "fd") && json_get(v, "fd")->type == JSON_NUMBER) {
			put_fd(out, n, json_int(v, "fd", -1), json_str(v, "target"));
			return;
		}
		sb_putc(out, '{');
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				sb_puts(out, ", ");
			sb_puts(out, v->keys[i]);
			sb_putc(out, '=');
			if (key_varies(v->keys[i]))
				sb_puts(out, "<varies>");
			else if ((strcmp(v->keys[i], "sin_port") == 0 || strcmp(v->keys[i], "sin6_port") == 0) &&
				 v->items[i].type == JSON_NUMBER && v->items[i].i >= 32768)
				sb_puts(out, "<ephemeral>"); /* the kernel's choice, like a local port of an fd */
			else
				put_norm(out, n, &v->items[i], key_is_pid(v->keys[i]) ? K_PID : K_NONE, depth + 1);
		}
		sb_putc(out, '}');
		return;
	case JSON_ARRAY:
		sb_putc(out, '[');
		for (size_t i = 0, shown = 0; i < v->n; i++) {
			/* An environment variable --ignore matches is left out, as if it were not set. */
			if (kind == K_ENVP && v->items[i].type == JSON_STRING && ignored(n->m, v->items[i].s))
				continue;
			if (shown++)
				sb_puts(out, ", ");
			put_norm(out, n, &v->items[i], kind == K_PIPEFDS ? K_FD : K_NONE, depth + 1);
		}
		sb_putc(out, ']');
		return;
	}
}

static int kind_of(const struct syscall_entry *e, const char *arg, int *path_index)
{
	int paths = 0;

	for (int i = 0; e && i < syscall_nargs(e); i++) {
		if (e->args[i].name[0] == arg[0] && strcmp(e->args[i].name, arg) == 0) {
			*path_index = paths;
			return e->args[i].kind;
		}
		paths += e->args[i].kind == K_PATH;
	}
	return K_NONE;
}

static bool waits_for_any(const struct json *args, const struct syscall_entry *e);

/* getrandom: its output is random bytes (the table's fact). */
static bool draws_random(const struct syscall_entry *e)
{
	return e && (e->flags & SC_RANDOM_OUT);
}

/* brk: an address in, an address out, nothing else. */
static bool moves_break(const struct syscall_entry *e)
{
	if (!e || e->ret != R_PTR || syscall_nargs(e) == 0)
		return false;
	for (int i = 0; i < syscall_nargs(e); i++)
		if (e->args[i].kind != K_PTR)
			return false;
	return true;
}

/* A read from the kernel's random devices returns random bytes, like getrandom. */
static bool random_source(const struct json *args, const struct syscall_entry *e)
{
	for (int i = 0; e && i < syscall_nargs(e); i++)
		if (e->args[i].kind == K_FD) {
			const char *t = json_str(json_get(args, e->args[i].name), "target");
			return t && (strcmp(t, "/dev/urandom") == 0 || strcmp(t, "/dev/random") == 0);
		}
	return false;
}

/* wait4(-1 or a group): which child it reaped is the order they ended in, not what the program did. */
static void put_wait_options(struct strbuf *out, const char *opts)
{
	struct strbuf kept = { 0 };
	const char *p = opts;

	while (*p) {
		const char *end = strchrnul(p, '|');

		if ((size_t)(end - p) != 7 || strncmp(p, "WNOHANG", 7) != 0) {
			if (kept.len)
				sb_putc(&kept, '|');
			sb_put(&kept, p, (size_t)(end - p));
		}
		p = *end ? end + 1 : end;
	}
	sb_printf(out, "\"%s\"", kept.len ? kept.data : "0");
	sb_free(&kept);
}

static bool waits_for_any(const struct json *args, const struct syscall_entry *e)
{
	bool reaps = false;
	long long pid = 1;

	for (int i = 0; e && i < syscall_nargs(e); i++) {
		reaps |= e->args[i].kind == K_WSTATUS_OUT;
		if (e->args[i].kind == K_PID)
			pid = json_int(args, e->args[i].name, 1);
	}
	return reaps && pid <= 0;
}

/*
 * Left out of the comparison: calls of a random draw (how many a program
 * makes can depend on what it drew: mkstemp draws again after a name that
 * exists), and polls for any child that found none ended yet (how often a
 * program polls is the timing of its children), and moves of the program
 * break (how often malloc grows the heap depends on where address space
 * randomisation put its start). A wait for any child marks
 * the process: which child it reaped, and so the order of what it does
 * after, is the order its children ended in, when another child still runs.
 */
bool diff_left_out(struct diff_proc *p, const struct json *r)
{
	const struct syscall_entry *e = diff_entry_of(r);
	const struct json *args = json_get(r, "args");

	if (draws_random(e) || moves_break(e))
		return true;
	if (e && e->ret == R_PID && waits_for_any(args, e)) {
		/* Another child still runs: which one ended first was the scheduler's choice. */
		p->reaps_any |= p->live_children > 0;
		return !json_str(r, "err") && json_int(r, "ret", -1) == 0;
	}
	return false;
}

char *diff_normalise_call(struct diff_run *run, const struct diff_masks *m, struct diff_proc *p, const struct json *r)
{
	const char *name = json_str(r, "name"), *err = json_str(r, "err");
	const struct syscall_entry *e = diff_entry_of(r);
	const struct json *args = json_get(r, "args"), *ret = json_get(r, "ret");
	struct norm n = { run, m, p };
	static struct strbuf b; /* the line is built here, then kept in the arena */

	b.len = 0;
	sb_puts(&b, name ? name : "?");
	sb_putc(&b, '(');
	for (size_t i = 0; args && args->type == JSON_OBJECT && i < args->n; i++) {
		int path_index = 0, kind = kind_of(e, args->keys[i], &path_index);
		const struct json *v = &args->items[i];

		if (i)
			sb_puts(&b, ", ");
		if (kind == K_BUF_OUT && (draws_random(e) || random_source(args, e))) {
			sb_puts(&b, "<random>");
		} else if (kind == K_WAIT_OPTIONS && v->type == JSON_STRING && waits_for_any(args, e)) {
			put_wait_options(&b, v->s); /* blocking or not is when the child ended */
		} else if (kind == K_PATH && v->type == JSON_STRING && v->s[0] && v->s[0] != '/') {
			struct strbuf path = { 0 };

			if (diff_call_path(p, args, e, path_index, &path))
				put_quoted(&b, &n, path.data, path.len);
			else
				put_norm(&b, &n, v, kind, 0);
			sb_free(&path);
		} else
			put_norm(&b, &n, v, kind, 0);
	}
	sb_puts(&b, ") = ");
	if (!ret || ret->type == JSON_NULL)
		sb_puts(&b, "?");
	else if (err)
		sb_printf(&b, "-1 %s", err);
	else if (e && e->ret == R_PTR)
		sb_puts(&b, "<addr>");
	else if (e && e->ret == R_PID && waits_for_any(args, e))
		sb_puts(&b, "<a child>");
	else if (e && e->ret == R_PID)
		put_norm(&b, &n, ret, K_PID, 0);
	else if (e && e->ret == R_FD && json_str(r, "ret_target"))
		put_fd(&b, &n, json_int(r, "ret", -1), json_str(r, "ret_target"));
	else
		json_render(ret, &b);
	return diff_keep(run, b.data, b.len);
}

/* ---- what calls change ---- */

/* The last component of mkstemp's names: six letters or digits at its end, or before a suffix (mkstemps). */
static bool mkstemp_shaped(const char *base)
{
	size_t len = strlen(base);

	for (size_t end = 6; end <= len; end++) {
		size_t i;

		if (end < len && base[end] != '.')
			continue;
		for (i = end - 6; i < end && alnum(base[i]); i++)
			;
		if (i == end)
			return true;
	}
	return false;
}

static const char *basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Did the call make its path (O_EXCL, mkdir): the names mkstemp and mkdtemp make. */
static bool makes_unique_name(const struct json *args, const struct syscall_entry *e)
{
	if (name_op_of(e->flags) == NAME_MKDIR)
		return true;
	for (int i = 0; i < syscall_nargs(e); i++) {
		const char *flags = NULL;

		if (e->args[i].kind == K_OPEN_FLAGS)
			flags = json_str(args, e->args[i].name);
		else if (e->args[i].kind == K_OPEN_HOW)
			flags = json_str(json_get(args, e->args[i].name), "flags");
		if (flags)
			return strstr(flags, "O_CREAT") && strstr(flags, "O_EXCL");
	}
	return false;
}

static void note_tmp_name(struct diff_run *run, struct diff_proc *p, const char *base)
{
	uint64_t h = diff_hash(base, strlen(base));
	struct tmp_name *t;

	if (id_map_get(&run->tmp_by_name, h, NULL))
		return;
	run->tmps = xrealloc(run->tmps, (run->ntmps + 1) * sizeof(*run->tmps));
	t = &run->tmps[run->ntmps];
	t->name = xstrdup(base);
	t->token = xasprintf("<tmp %s#%ld>", p->tree, ++p->ntmp);
	t->gone = false;
	id_map_put(&run->tmp_by_name, h, (long long)run->ntmps);
	id_map_put(&run->tmp_by_name, diff_hash(t->token, strlen(t->token)), (long long)run->ntmps);
	run->ntmps++;
}

void diff_note_effects(struct diff_run *run, const struct diff_masks *m, struct diff_proc *p, const struct json *r)
{
	const struct syscall_entry *e = diff_entry_of(r);
	const struct json *args = json_get(r, "args"), *ret = json_get(r, "ret");
	struct strbuf path = { 0 };

	(void)m;
	if (!e || !ret || ret->type == JSON_NULL || json_str(r, "err"))
		return;
	if ((e->flags & FX_CWD) && diff_call_path(p, args, e, 0, &path)) {
		free(p->cwd);
		p->cwd = xstrdup(path.data);
	} else if (e->flags & FX_CWD) {
		for (int i = 0; i < syscall_nargs(e); i++)
			if (e->args[i].kind == K_FD && json_str(json_get(args, e->args[i].name), "target")) {
				free(p->cwd);
				p->cwd = xstrdup(json_str(json_get(args, e->args[i].name), "target"));
			}
	}
	path.len = 0;
	if ((syscall_path_roles(e) & PATH_REMOVED) && diff_call_path(p, args, e, 0, &path)) {
		long long idx;
		const char *base = basename_of(path.data);

		if (id_map_get(&run->tmp_by_name, diff_hash(base, strlen(base)), &idx) &&
		    strcmp(run->tmps[idx].name, base) == 0)
			run->tmps[idx].gone = true;
	}
	sb_free(&path);
}

void diff_note_names(struct diff_run *run, struct diff_proc *p, const struct json *r)
{
	const struct syscall_entry *e = diff_entry_of(r);
	const struct json *args = json_get(r, "args"), *ret = json_get(r, "ret");
	struct strbuf path = { 0 };

	if (!e || !ret || ret->type == JSON_NULL || json_str(r, "err"))
		return;
	if (makes_unique_name(args, e) && diff_call_path(p, args, e, -1, &path) &&
	    mkstemp_shaped(basename_of(path.data)))
		note_tmp_name(run, p, basename_of(path.data));
	sb_free(&path);
}

char *diff_keep(struct diff_run *run, const char *s, size_t len)
{
	struct line_arena *a = &run->lines;
	char *d;

	if (a->nblocks == 0 || a->used + len + 1 > a->cap) {
		size_t cap = len + 1 > (1u << 20) ? len + 1 : (1u << 20);

		a->blocks = xrealloc(a->blocks, (a->nblocks + 1) * sizeof(*a->blocks));
		a->blocks[a->nblocks++] = xmalloc(cap);
		a->used = 0;
		a->cap = cap;
	}
	d = a->blocks[a->nblocks - 1] + a->used;
	memcpy(d, s, len);
	d[len] = '\0';
	a->used += len + 1;
	return d;
}

void diff_untoken(struct diff_run *run, char **s, bool in_arena)
{
	struct strbuf out = { 0 };
	const char *p = *s, *hit;
	bool changed = false;

	while ((hit = strstr(p, "<tmp ")) != NULL) {
		const char *end = strchr(hit, '>');
		long long idx;

		if (!end)
			break;
		sb_put(&out, p, (size_t)(hit - p));
		if (id_map_get(&run->tmp_by_name, diff_hash(hit, (size_t)(end + 1 - hit)), &idx) && !run->tmps[idx].gone &&
		    strlen(run->tmps[idx].token) == (size_t)(end + 1 - hit) && memcmp(run->tmps[idx].token, hit, (size_t)(end + 1 - hit)) == 0) {
			sb_puts(&out, run->tmps[idx].name);
			changed = true;
		} else
			sb_put(&out, hit, (size_t)(end + 1 - hit));
		p = end + 1;
	}
	if (!changed) {
		sb_free(&out);
		return;
	}
	sb_puts(&out, p);
	if (in_arena) {
		*s = diff_keep(run, out.data, out.len);
		sb_free(&out);
		return;
	}
	free(*s);
	*s = out.data;
}
