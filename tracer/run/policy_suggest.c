/*
 * picovisor policy suggest REPORT|TRACE: from an audit run (on-violation log
 * with --report, or its --trace), the lines that would have let that run pass,
 * as a policy file to review: the profile it ran under, the promises, path
 * rules grouped by directory, network endpoints and limits with headroom,
 * each with a comment saying which calls needed it (docs/policy.md, "Writing
 * a policy").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "options.h"
#include "path_access.h"
#include "policy_cmd.h"
#include "policy.h"
#include "promises.h"
#include "syscall_table.h"
#include "trace_out.h"
#include "../trace/trace_read.h"
#include "util.h"

/* A line the suggestion will hold, with what needed it. */
struct need {
	char *key;       /* what the line is about: a path, a promise, an endpoint */
	unsigned perms;  /* path rules */
	char *calls;     /* "openat x3, stat" */
	char *exes;      /* the programs that made the calls */
	unsigned long count;
};

struct suggestion {
	struct need *paths, *promises, *net, *other;
	size_t npaths, npromises, nnet, nother;
	const char *base;     /* the policy the audit ran under */
	double duration;
	long long tasks;
	/* A trace's violation records name the pid only: its exec records say what it runs. */
	long long *exec_pid;
	char **exec_path;
	size_t nexec;
};

static void add_word(char **list, const char *word)
{
	char *old = *list;

	if (old && (strcmp(old, word) == 0 || strstr(old, word)))
		return; /* enough to say which calls: a rough de-duplication */
	*list = old ? xasprintf("%s, %s", old, word) : xstrdup(word);
	free(old);
}

static struct need *need_of(struct need **list, size_t *n, const char *key)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*list)[i].key, key) == 0)
			return &(*list)[i];
	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	memset(&(*list)[*n], 0, sizeof(**list));
	(*list)[*n].key = xstrdup(key);
	return &(*list)[(*n)++];
}

static const char *exe_from_trace(const struct suggestion *sg, long long pid)
{
	for (size_t i = sg->nexec; i-- > 0;)
		if (sg->exec_pid[i] == pid)
			return sg->exec_path[i];
	return NULL;
}

static void note(const struct suggestion *sg, struct need *nd, const struct json *v)
{
	const char *call = json_str(v, "syscall"), *exe = json_str(v, "exe");

	if (!exe)
		exe = exe_from_trace(sg, json_int(v, "pid", -1));
	nd->count++;
	add_word(&nd->calls, call ? call : "?");
	if (exe) {
		const char *base = strrchr(exe, '/');
		add_word(&nd->exes, base ? base + 1 : exe);
	}
}

static unsigned perms_of(const char *letters, size_t n)
{
	unsigned p = 0;

	for (size_t i = 0; i < n; i++)
		p |= letters[i] == 'r' ? PERM_R : letters[i] == 'w' ? PERM_W : letters[i] == 'x' ? PERM_X
		     : letters[i] == 'c'                           ? PERM_C
									   : 0;
	return p;
}

/* A sockaddr anywhere in the call's decoded arguments: "ADDR:PORT" ("[ADDR]:PORT" for IPv6). */
static bool endpoint_of(const struct json *j, char *out, size_t size, bool *loop)
{
	if (!j)
		return false;
	if (j->type == JSON_OBJECT) {
		const char *a4 = json_str(j, "sin_addr"), *a6 = json_str(j, "sin6_addr");
		long long port = json_int(j, a6 ? "sin6_port" : "sin_port", -1);

		if ((a4 || a6) && port >= 0) {
			snprintf(out, size, a6 ? "[%s]:%lld" : "%s:%lld", a6 ? a6 : a4, port);
			*loop = a4 ? strncmp(a4, "127.", 4) == 0 : strcmp(a6, "::1") == 0;
			return true;
		}
	}
	if (j->type == JSON_OBJECT || j->type == JSON_ARRAY)
		for (size_t i = 0; i < j->n; i++)
			if (endpoint_of(&j->items[i], out, size, loop))
				return true;
	return false;
}

/* The promise a refused call needs: the one its rule names, or for a socket, the one of its domain. */
static const char *promise_needed(const struct json *v, const char *rule, char *buf, size_t size)
{
	const char *p = strstr(rule, "(promise ");
	const struct json *args = json_get(v, "args");
	const char *domain = args ? json_str(args, "domain") : NULL;

	if (domain && (strcmp(domain, "AF_INET") == 0 || strcmp(domain, "AF_INET6") == 0))
		return "inet";
	if (domain && strcmp(domain, "AF_UNIX") == 0)
		return "unix";
	if (!p)
		p = strstr(rule, "(the promises that have ");
	if (!p)
		return NULL;
	p = strchr(p, p[1] == 'p' ? ' ' : ':');
	if (!p)
		return NULL;
	p++;
	while (*p == ' ')
		p++;
	snprintf(buf, size, "%.*s", (int)strcspn(p, ", )"), p);
	return promise_index(buf) >= 0 ? buf : NULL;
}

/* The native table's row of the call a violation names, or NULL. */
static const struct syscall_entry *call_named(const char *name)
{
	int nr = name ? syscall_number(ABI_NATIVE, name) : -1;

	return nr >= 0 ? syscall_lookup(ABI_NATIVE, nr) : NULL;
}

static void take(struct suggestion *sg, const struct json *v)
{
	const char *rule = json_str(v, "rule"), *needs;
	const struct syscall_entry *call = call_named(json_str(v, "syscall"));
	char buf[64], ep[128];
	bool loop = false;

	if (!rule)
		return;
	needs = strstr(rule, " needs ");
	if (needs && (strstr(rule, "no path rule covers it") || strstr(rule, "; the rule '"))) {
		char *path = xasprintf("%.*s", (int)(needs - rule), rule);
		const char *letters = needs + 7;
		struct need *nd = need_of(&sg->paths, &sg->npaths, path);

		nd->perms |= perms_of(letters, strcspn(letters, ";"));
		note(sg, nd, v);
		free(path);
		return;
	}
	if (call && (syscall_kind_arg(call, K_SOCKADDR_IN) >= 0 || syscall_kind_arg(call, K_MSGHDR_IN) >= 0) &&
	    endpoint_of(json_get(v, "args"), ep, sizeof(ep), &loop)) {
		char line[160];

		if (loop)
			snprintf(line, sizeof(line), "net loopback");
		else if (call->flags & SC_LOCAL_ADDR) /* an address it makes (bind), not one it reaches */
			snprintf(line, sizeof(line), "bind %s", strrchr(ep, ':') + 1);
		else
			snprintf(line, sizeof(line), "connect %s", ep);
		note(sg, need_of(&sg->net, &sg->nnet, line), v);
		return;
	}
	if (strstr(rule, "promise")) {
		const char *pr = promise_needed(v, rule, buf, sizeof(buf));
		if (pr) {
			note(sg, need_of(&sg->promises, &sg->npromises, pr), v);
			return;
		}
	}
	note(sg, need_of(&sg->other, &sg->nother, rule), v);
}

static int take_record(const struct json *rec, size_t line, void *ctx)
{
	struct suggestion *sg = ctx;
	const char *type = json_str(rec, "type");

	(void)line;
	if (type && strcmp(type, "exec") == 0 && json_str(rec, "path")) {
		sg->exec_pid = xrealloc(sg->exec_pid, (sg->nexec + 1) * sizeof(*sg->exec_pid));
		sg->exec_path = xrealloc(sg->exec_path, (sg->nexec + 1) * sizeof(*sg->exec_path));
		sg->exec_pid[sg->nexec] = json_int(rec, "pid", -1);
		sg->exec_path[sg->nexec++] = xstrdup(json_str(rec, "path"));
	}
	if (type && strcmp(type, "violation") == 0)
		take(sg, rec);
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *data = NULL;
	size_t cap = 0, n;

	*len = 0;
	if (!f)
		return NULL;
	do {
		data = xrealloc(data, cap + 65536 + 1);
		n = fread(data + *len, 1, 65536, f);
		*len += n;
		cap += 65536;
	} while (n == 65536);
	fclose(f);
	data[*len] = '\0';
	return data;
}

static void comment(const struct need *nd)
{
	printf("# %s, by %s (%lu time%s)\n", nd->calls ? nd->calls : "?", nd->exes ? nd->exes : "?", nd->count,
	       nd->count == 1 ? "" : "s");
}

/* Path rules: files that need the same rights in one directory become one rule for the directory (three or more, or creating there). */
static void print_paths(struct suggestion *sg)
{
	bool *done = xcalloc(sg->npaths + 1, sizeof(bool));
	char letters[8];

	for (size_t i = 0; i < sg->npaths; i++) {
		struct need *a = &sg->paths[i];
		const char *slash = strrchr(a->key, '/');
		size_t dirlen = slash && slash != a->key ? (size_t)(slash - a->key) : 0, same = 0;

		if (done[i])
			continue;
		for (size_t k = i; k < sg->npaths; k++) {
			const char *s2 = strrchr(sg->paths[k].key, '/');
			if (!done[k] && s2 && (size_t)(s2 - sg->paths[k].key) == dirlen &&
			    strncmp(sg->paths[k].key, a->key, dirlen) == 0 && sg->paths[k].perms == a->perms)
				same++;
		}
		if (dirlen && (same >= 3 || (a->perms & PERM_C))) {
			struct need group = { .perms = a->perms };

			for (size_t k = i; k < sg->npaths; k++) {
				const char *s2 = strrchr(sg->paths[k].key, '/');
				if (done[k] || !s2 || (size_t)(s2 - sg->paths[k].key) != dirlen ||
				    strncmp(sg->paths[k].key, a->key, dirlen) != 0 || sg->paths[k].perms != a->perms)
					continue;
				done[k] = true;
				group.count += sg->paths[k].count;
				add_word(&group.calls, sg->paths[k].calls);
				if (sg->paths[k].exes)
					add_word(&group.exes, sg->paths[k].exes);
			}
			comment(&group);
			printf("path %s \"%.*s\"\n", perms_letters(a->perms, letters), (int)dirlen, a->key);
			free(group.calls);
			free(group.exes);
			continue;
		}
		done[i] = true;
		comment(a);
		printf("path %s \"%s\"\n", perms_letters(a->perms, letters), a->key);
	}
	free(done);
}

int policy_suggest_main(const struct run_options *o)
{
	struct suggestion sg = { .base = "ci", .tasks = -1, .duration = -1 };
	size_t len;
	char *text = slurp(o->policy, &len);
	struct json *doc = NULL;

	if (!text) {
		fprintf(stderr, "picovisor: %s: %s\n", o->policy, strerror(errno));
		return 1;
	}
	if (len && text[strspn(text, " \t\r\n")] == '{') {
		const char *err;
		size_t col;
		doc = json_parse(text, len, &err, &col);
	}
	if (doc && json_get(doc, "picovisor_report")) {
		const struct json *v = json_get(doc, "violations"), *pol = json_get(doc, "policy"),
				  *counts = json_get(doc, "counts"), *d = json_get(doc, "duration_s");

		if (pol && json_str(pol, "name"))
			sg.base = json_str(pol, "name");
		if (counts)
			sg.tasks = json_int(counts, "tasks", -1);
		if (d && d->type == JSON_NUMBER)
			sg.duration = d->num;
		for (size_t i = 0; v && v->type == JSON_ARRAY && i < v->n; i++)
			take(&sg, &v->items[i]);
		if (json_int(doc, "violations_not_listed", 0) > 0)
			printf("# the report lists its first violations only: %lld more are not covered below\n",
			       json_int(doc, "violations_not_listed", 0));
	} else {
		bool complete;
		if (trace_file_scan(o->policy, take_record, &sg, &complete) < 0) {
			fprintf(stderr, "picovisor: %s: neither a picovisor report nor a trace\n", o->policy);
			free(text);
			return 1;
		}
	}
	printf("# Suggested by picovisor policy suggest from %s: what the audited run needed\n"
	       "# beyond its policy. Review each line before you use it.\n", o->policy);
	if (policy_profile_text(sg.base))
		printf("profile %s\n", sg.base);
	else
		printf("# the audit ran under %s: add these lines to it\n", sg.base);
	for (size_t i = 0; i < sg.npromises; i++) {
		comment(&sg.promises[i]);
		printf("promise %s\n", sg.promises[i].key);
	}
	print_paths(&sg);
	for (size_t i = 0; i < sg.nnet; i++) {
		comment(&sg.net[i]);
		printf("%s\n", sg.net[i].key);
	}
	if (sg.duration >= 0) {
		/* Three times what the audit took, in whole minutes: a slower CI machine passes too. */
		long minutes = (long)(sg.duration * 3 / 60) + 1;
		printf("# the audited run took %.1f s\nlimit wall %ldm\n", sg.duration, minutes < 1 ? 1 : minutes);
	}
	if (sg.tasks > 0)
		printf("# the audited run had %lld tasks\nlimit procs %lld\n", sg.tasks, sg.tasks * 2 < 64 ? 64 : sg.tasks * 2);
	for (size_t i = 0; i < sg.nother; i++) {
		printf("# not expressible as a rule here (the sandbox refuses it whatever the policy):\n");
		comment(&sg.other[i]);
		printf("#   %s\n", sg.other[i].key);
	}
	if (doc)
		json_free(doc);
	free(text);
	return 0;
}
