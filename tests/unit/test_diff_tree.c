/*
 * diff on synthetic traces: random process trees and call sequences,
 * perturbed, must come out as exactly the perturbations (a seeded property
 * test); a 5,000-deep fork chain and a 5,000-wide fan-out diff without
 * recursion; and the text report names every differing process.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../tracer/trace/trace_diff.h"

enum { MAX_PROCS = 6000, MAX_CALLS = 24 };

/* A generated run: processes in creation order, each with its calls (tokens naming each line). */
struct gproc {
	int parent;          /* index, -1 for the root */
	char prog[32];
	int ncalls;
	char calls[MAX_CALLS][24];
	int code;
	long long hpid;      /* the host pid: differs between the two runs */
	bool removed;        /* left out of this run */
};

struct grun {
	struct gproc *p;
	int n;
};

static unsigned rnd(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 8) & 0xffffff;
}

static void put_head(FILE *f, long long *seq, const char *type, int vpid, long long hpid)
{
	fprintf(f, "{\"v\":1,\"type\":\"%s\",\"seq\":%lld,\"t\":0.0,\"pid\":%d,\"tid\":%d,\"hpid\":%lld,\"htid\":%lld",
		type, ++*seq, vpid, vpid, hpid, hpid);
}

/*
 * Write a run as a trace: each process's spawn, exec, its calls (one opens
 * its own /proc/PID/status, so host pids are in the lines) and exit, depth
 * first in creation order. Returns the trace's path.
 */
static char *write_trace(const struct grun *g, const char *tag)
{
	char *path = NULL;
	FILE *f;
	long long seq = 0;
	int *vpid = calloc((size_t)g->n, sizeof(int)), next = 0;

	cr_assert(asprintf(&path, "/tmp/pv-difftree-%d-%s.jsonl", getpid(), tag) > 0);
	f = fopen(path, "w");
	cr_assert(f);
	fprintf(f, "{\"v\":1,\"type\":\"start\",\"seq\":%lld,\"t\":0.0,\"format\":\"picovisor-trace\",\"personality\":\"linux\","
		   "\"argv\":[\"gen\"],\"cwd\":\"/work/gen\",\"strsize\":32}\n", ++seq);
	for (int i = 0; i < g->n; i++) {
		const struct gproc *p = &g->p[i];

		if (p->removed)
			continue;
		vpid[i] = ++next;
		if (p->parent >= 0) {
			put_head(f, &seq, "spawn", vpid[i], p->hpid);
			fprintf(f, ",\"parent\":%d,\"parent_tid\":%d,\"thread\":false}\n", vpid[p->parent], vpid[p->parent]);
		}
		put_head(f, &seq, "exec", vpid[i], p->hpid);
		fprintf(f, ",\"path\":\"/bin/%s\",\"argv\":[\"%s\",\"x\"]}\n", p->prog, p->prog);
		put_head(f, &seq, "syscall", vpid[i], p->hpid);
		fprintf(f, ",\"dur\":0.0,\"pers\":\"linux\",\"name\":\"openat\",\"nr\":257,\"args\":{\"dfd\":\"AT_FDCWD\","
			   "\"filename\":\"/proc/%lld/status\",\"flags\":\"O_RDONLY\"},\"ret\":3,\"ret_target\":\"/proc/%lld/status\"}\n",
			p->hpid, p->hpid);
		for (int c = 0; c < p->ncalls; c++) {
			put_head(f, &seq, "syscall", vpid[i], p->hpid);
			fprintf(f, ",\"dur\":0.0,\"pers\":\"linux\",\"name\":\"write\",\"nr\":1,\"args\":{\"fd\":{\"fd\":1,"
				   "\"target\":\"/dev/null\"},\"buf\":\"%s\",\"count\":%zu},\"ret\":%zu}\n",
				p->calls[c], strlen(p->calls[c]), strlen(p->calls[c]));
		}
	}
	/* Exits last, children before parents, as a run ends. */
	for (int i = g->n - 1; i >= 0; i--)
		if (!g->p[i].removed) {
			put_head(f, &seq, "exit", vpid[i], g->p[i].hpid);
			fprintf(f, ",\"thread\":false,\"code\":%d}\n", g->p[i].code);
		}
	fprintf(f, "{\"v\":1,\"type\":\"end\",\"seq\":%lld,\"t\":0.0,\"status\":{\"exited\":0}}\n", ++seq);
	fclose(f);
	free(vpid);
	return path;
}

struct outcome {
	struct json *doc;
	char *text;
};

static struct outcome run_diff(const struct grun *a, const struct grun *b)
{
	struct diff_masks m = { 0 };
	struct outcome r;

	for (int json = 0; json < 2; json++) {
		struct diff_run ra = { 0 }, rb = { 0 };
		struct strbuf out = { 0 };
		char *pa = write_trace(a, "a"), *pb = write_trace(b, "b");
		const char *err;
		size_t col;

		cr_assert_eq(diff_run_build(&ra, pa, &m), 0);
		cr_assert_eq(diff_run_build(&rb, pb, &m), 0);
		diff_compare(&ra, &rb, "A", "B", json, &out);
		if (json) {
			r.doc = json_parse(out.data, out.len, &err, &col);
			cr_assert(r.doc, "the JSON report does not parse: %s at %zu", err, col);
			sb_free(&out);
		} else
			r.text = out.data;
		diff_run_free(&ra);
		diff_run_free(&rb);
		unlink(pa);
		unlink(pb);
		free(pa);
		free(pb);
	}
	return r;
}

/* The token of a report line: what the generator wrote into buf. */
static void token_of(const char *line, char *tok, size_t size)
{
	const char *p = strstr(line, "\"p");

	tok[0] = '\0';
	if (p && strchr(p + 1, '"'))
		snprintf(tok, size, "%.*s", (int)(strchr(p + 1, '"') - p - 1), p + 1);
}

/* Sorted, newline-joined: sets compared as strings. */
struct tokens {
	char **s;
	size_t n;
};

static void tok_add(struct tokens *t, const char *s)
{
	t->s = realloc(t->s, (t->n + 1) * sizeof(*t->s));
	t->s[t->n++] = strdup(s);
}

static int cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static char *tok_join(struct tokens *t)
{
	size_t len = 1;
	char *j;

	qsort(t->s, t->n, sizeof(*t->s), cmp);
	for (size_t i = 0; i < t->n; i++)
		len += strlen(t->s[i]) + 1;
	j = calloc(1, len);
	for (size_t i = 0; i < t->n; i++) {
		strcat(j, t->s[i]);
		strcat(j, "\n");
		free(t->s[i]);
	}
	free(t->s);
	t->s = NULL;
	t->n = 0;
	return j;
}

static void gen_tree(struct grun *g, unsigned *seed, int n)
{
	g->n = n;
	g->p = calloc((size_t)n, sizeof(*g->p));
	for (int i = 0; i < n; i++) {
		struct gproc *p = &g->p[i];

		p->parent = i ? (int)(rnd(seed) % (unsigned)i) : -1;
		snprintf(p->prog, sizeof(p->prog), "prog%u", rnd(seed) % 3);
		p->ncalls = (int)(rnd(seed) % 12);
		for (int c = 0; c < p->ncalls; c++)
			snprintf(p->calls[c], sizeof(p->calls[c]), "p%dc%d", i, c);
		p->hpid = 1000 + i * 7;
	}
}

static struct grun copy_run(const struct grun *g, long long pid_shift)
{
	struct grun c = { malloc((size_t)(g->n + 8) * sizeof(*g->p)), g->n };

	memcpy(c.p, g->p, (size_t)g->n * sizeof(*g->p));
	for (int i = 0; i < c.n; i++)
		c.p[i].hpid += pid_shift;
	return c;
}

static bool has_children(const struct grun *g, int i)
{
	for (int k = i + 1; k < g->n; k++)
		if (g->p[k].parent == i && !g->p[k].removed)
			return true;
	return false;
}

Test(diff_tree, random_perturbations_are_found_exactly)
{
	for (unsigned round = 0; round < 60; round++) {
		unsigned seed = 0x5eed0000u + round;
		struct grun a, b;
		struct tokens want_minus = { 0 }, want_plus = { 0 }, got_minus = { 0 }, got_plus = { 0 };
		struct tokens want_exit = { 0 }, got_exit = { 0 }, want_only_a = { 0 }, want_only_b = { 0 };
		struct tokens got_only_a = { 0 }, got_only_b = { 0 }, want_headers = { 0 }, got_headers = { 0 };
		bool used[MAX_PROCS][MAX_CALLS + 1] = { { 0 } };
		int nperturb = 1 + (int)(rnd(&seed) % 5), extra = 0;
		struct outcome r;
		const struct json *procs, *only;
		char tok[64], *w, *g;

		gen_tree(&a, &seed, 1 + (int)(rnd(&seed) % 25));
		b = copy_run(&a, 50000);
		for (int k = 0; k < nperturb; k++) {
			int i = (int)(rnd(&seed) % (unsigned)a.n), what = (int)(rnd(&seed) % 6);
			struct gproc *p = &b.p[i];
			int c = p->ncalls ? (int)(rnd(&seed) % (unsigned)p->ncalls) : 0;

			if (p->removed)
				continue;
			if (what == 0 && p->ncalls && !used[i][c]) { /* a changed argument */
				tok_add(&want_minus, p->calls[c]);
				strcat(p->calls[c], "x");
				tok_add(&want_plus, p->calls[c]);
				used[i][c] = true;
			} else if (what == 1 && p->ncalls < MAX_CALLS) { /* a call only in B */
				memmove(&p->calls[c + 1], &p->calls[c], (size_t)(p->ncalls - c) * sizeof(p->calls[0]));
				memmove(&used[i][c + 1], &used[i][c], (size_t)(p->ncalls - c) * sizeof(bool));
				snprintf(p->calls[c], sizeof(p->calls[c]), "p%dn%d", i, k);
				used[i][c] = true;
				p->ncalls++;
				tok_add(&want_plus, p->calls[c]);
			} else if (what == 2 && p->ncalls && !used[i][c]) { /* a call only in A */
				tok_add(&want_minus, p->calls[c]);
				memmove(&p->calls[c], &p->calls[c + 1], (size_t)(p->ncalls - c - 1) * sizeof(p->calls[0]));
				memmove(&used[i][c], &used[i][c + 1], (size_t)(p->ncalls - c - 1) * sizeof(bool));
				p->ncalls--;
			} else if (what == 3 && !used[i][MAX_CALLS]) { /* another exit status */
				p->code = 7;
				used[i][MAX_CALLS] = true;
				snprintf(tok, sizeof(tok), "%d", i);
				tok_add(&want_exit, tok);
			} else if (what == 4 && extra < 8) { /* a process only in B, the last child of its parent */
				struct gproc *x = &b.p[b.n++];

				memset(x, 0, sizeof(*x));
				x->parent = i;
				snprintf(x->prog, sizeof(x->prog), "extra%d", extra++);
				x->hpid = 90000 + b.n;
				tok_add(&want_only_b, x->prog);
			} else if (what == 5 && i > 0 && i < a.n && !has_children(&b, i)) {
				/* a process only in A: an unchanged leaf that is its parent's last child */
				bool last = true;
				for (int c2 = 0; c2 <= MAX_CALLS; c2++)
					last &= !used[i][c2];
				for (int s = i + 1; s < a.n; s++)
					last &= a.p[s].parent != a.p[i].parent || b.p[s].removed;
				if (!last)
					continue;
				p->removed = true;
				for (int c2 = 0; c2 <= MAX_CALLS; c2++)
					used[i][c2] = true;
				tok_add(&want_only_a, p->prog);
			}
		}
		r = run_diff(&a, &b);
		procs = json_get(r.doc, "processes");
		for (size_t i = 0; i < procs->n; i++) {
			const struct json *p = &procs->items[i], *hunks = json_get(p, "hunks");

			for (size_t h = 0; h < hunks->n; h++) {
				const struct json *lines = json_get(&hunks->items[h], "lines");

				for (size_t l = 0; l < lines->n; l++) {
					const char *op = lines->items[l].items[0].s, *text = lines->items[l].items[1].s;

					token_of(text, tok, sizeof(tok));
					if (strcmp(op, "-") == 0)
						tok_add(&got_minus, tok);
					else if (strcmp(op, "+") == 0)
						tok_add(&got_plus, tok);
				}
			}
			if (strcmp(json_str(p, "exit_a"), json_str(p, "exit_b")) != 0) {
				snprintf(tok, sizeof(tok), "%lld", json_int(p, "a_pid", 0) - 1);
				tok_add(&got_exit, tok);
			}
			if (hunks->n || strcmp(json_str(p, "exit_a"), json_str(p, "exit_b")) != 0) {
				snprintf(tok, sizeof(tok), "%lld", json_int(p, "a_pid", 0));
				tok_add(&want_headers, tok);
			}
		}
		only = json_get(r.doc, "only_in_a");
		for (size_t i = 0; i < only->n; i++)
			tok_add(&got_only_a, strrchr(json_str(&only->items[i], "label"), '/') + 1);
		only = json_get(r.doc, "only_in_b");
		for (size_t i = 0; i < only->n; i++)
			tok_add(&got_only_b, strrchr(json_str(&only->items[i], "label"), '/') + 1);
		/* Labels are "/bin/PROG PROG x": keep PROG. */
		for (size_t i = 0; i < got_only_a.n; i++)
			*strchr(got_only_a.s[i], ' ') = '\0';
		for (size_t i = 0; i < got_only_b.n; i++)
			*strchr(got_only_b.s[i], ' ') = '\0';

		cr_assert_eq(json_get(r.doc, "identical")->b,
			     !want_minus.n && !want_plus.n && !want_exit.n && !want_only_a.n && !want_only_b.n,
			     "round %u: identical", round);
		w = tok_join(&want_minus), g = tok_join(&got_minus);
		cr_assert_str_eq(g, w, "round %u: lines only in A", round);
		free(w), free(g);
		w = tok_join(&want_plus), g = tok_join(&got_plus);
		cr_assert_str_eq(g, w, "round %u: lines only in B", round);
		free(w), free(g);
		w = tok_join(&want_exit), g = tok_join(&got_exit);
		cr_assert_str_eq(g, w, "round %u: exit statuses", round);
		free(w), free(g);
		w = tok_join(&want_only_a), g = tok_join(&got_only_a);
		cr_assert_str_eq(g, w, "round %u: processes only in A", round);
		free(w), free(g);
		w = tok_join(&want_only_b), g = tok_join(&got_only_b);
		cr_assert_str_eq(g, w, "round %u: processes only in B", round);
		free(w), free(g);
		/* The text report has a section for every differing pair, not only the first. */
		for (const char *p = r.text; (p = strstr(p, "\n=== process ")) != NULL; p++) {
			long long apid;
			int end = 0;
			if (sscanf(p, "\n=== process %lld in A,%n", &apid, &end) == 1 && end > 0) {
				snprintf(tok, sizeof(tok), "%lld", apid);
				tok_add(&got_headers, tok);
			}
		}
		w = tok_join(&want_headers), g = tok_join(&got_headers);
		cr_assert_str_eq(g, w, "round %u: the text report's processes\n%s", round, r.text);
		free(w), free(g);
		json_free(r.doc);
		free(r.text);
		free(a.p);
		free(b.p);
	}
}

/* n processes, each the child of the one before (chain) or of the first (fan-out); B's process `odd` differs. */
static void shaped(bool chain, int n, int odd)
{
	struct grun a = { calloc((size_t)n, sizeof(struct gproc)), n }, b;
	struct outcome r;
	const struct json *procs;

	for (int i = 0; i < n; i++) {
		a.p[i].parent = i == 0 ? -1 : chain ? i - 1 : 0;
		snprintf(a.p[i].prog, sizeof(a.p[i].prog), i == 0 ? "root" : "kid");
		a.p[i].ncalls = 2;
		snprintf(a.p[i].calls[0], sizeof(a.p[i].calls[0]), "p%dc0", i);
		snprintf(a.p[i].calls[1], sizeof(a.p[i].calls[1]), "p%dc1", i);
		a.p[i].hpid = 2000 + i;
	}
	b = copy_run(&a, 100000);
	strcat(b.p[odd].calls[1], "x");
	r = run_diff(&a, &b);
	procs = json_get(r.doc, "processes");
	cr_assert_eq(json_get(r.doc, "only_in_a")->n, 0);
	cr_assert_eq(json_get(r.doc, "only_in_b")->n, 0);
	cr_assert_eq(procs->n, (size_t)n, "every process is matched");
	for (size_t i = 0; i < procs->n; i++) {
		const struct json *p = &procs->items[i];
		size_t nh = json_get(p, "hunks")->n;

		cr_assert_eq(json_int(p, "a_pid", 0), json_int(p, "b_pid", 0));
		cr_assert_eq(nh, json_int(p, "a_pid", 0) == odd + 1 ? 1u : 0u, "process %lld", json_int(p, "a_pid", 0));
	}
	cr_assert(strstr(r.text, "\n+ write(fd</dev/null>, \"p") != NULL);
	json_free(r.doc);
	free(r.text);
	free(a.p);
	free(b.p);
}

/* A host pid of the run inside a string is masked; a mode with the same digits ("0755") is not. */
Test(diff_tree, pids_in_strings_but_not_modes)
{
	struct grun a = { calloc(2, sizeof(struct gproc)), 2 }, b;
	struct outcome r;

	a.p[0].parent = -1;
	a.p[1].parent = 0;
	snprintf(a.p[0].prog, sizeof(a.p[0].prog), "root");
	snprintf(a.p[1].prog, sizeof(a.p[1].prog), "kid");
	a.p[0].hpid = 755;
	a.p[1].hpid = 756;
	a.p[0].ncalls = 1;
	snprintf(a.p[0].calls[0], sizeof(a.p[0].calls[0]), "p0 0755");
	a.p[1].ncalls = 1;
	snprintf(a.p[1].calls[0], sizeof(a.p[1].calls[0]), "p1 parent 755"); /* the root's host pid */
	b = copy_run(&a, 0);
	b.p[0].hpid = 855;
	b.p[1].hpid = 856;
	snprintf(b.p[1].calls[0], sizeof(b.p[1].calls[0]), "p1 parent 855");
	r = run_diff(&a, &b);
	cr_assert(json_get(r.doc, "identical")->b, "%s", r.text);
	cr_assert(strstr(r.text, "the runs did the same") != NULL);
	json_free(r.doc);
	free(r.text);
	/* and the mode survives: the line in A alone shows it unmasked */
	strcpy(b.p[0].calls[0], "p0 0756");
	r = run_diff(&a, &b);
	cr_assert(strstr(r.text, "- write(fd</dev/null>, \"p0 0755\"") != NULL, "%s", r.text);
	json_free(r.doc);
	free(r.text);
	free(a.p);
	free(b.p);
}

Test(diff_tree, deep_chain_of_5000)
{
	shaped(true, 5000, 4999);
}

Test(diff_tree, fan_out_of_5000)
{
	shaped(false, 5001, 4321);
}
