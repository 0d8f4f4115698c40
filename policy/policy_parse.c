/* The policy language (docs/policy.md): one directive a line, errors as FILE:LINE:COL. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy.h"
#include "promises.h"
#include "util.h"

enum { MAX_TOKENS = 64, MAX_PROFILE_DEPTH = 4 };

struct token {
	char *text;
	int col;
};

struct line {
	const char *file;
	int number;
	struct token tok[MAX_TOKENS];
	int n;
};

struct parser {
	struct policy *p;
	char *err;
	size_t errsize;
	int depth;           /* profiles within profiles */
	int directives;      /* seen in this text, for "profile comes first" */
	int set_at[16];      /* line that set a single-valued setting in this text, 0 if none */
};

/* Settings that a text may give once (a profile's are overridden, not contradicted). */
enum { SET_NET, SET_ON_VIOLATION, SET_TMPDIR, SET_FAIL_ON_VIOLATION, SET_SEE_ALL, SET_SHM, SET_LIMIT0 };

__attribute__((format(printf, 4, 5))) static int fail(struct parser *ps, const struct line *l, int col, const char *fmt,
						       ...)
{
	va_list ap;
	int n = snprintf(ps->err, ps->errsize, "%s:%d:%d: ", l->file, l->number, col);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < ps->errsize)
		vsnprintf(ps->err + n, ps->errsize - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

__attribute__((format(printf, 4, 5))) static void warning(struct parser *ps, const struct line *l, int col,
							 const char *fmt, ...)
{
	struct policy *p = ps->p;
	char *msg, *full;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	full = xasprintf("%s:%d:%d: %s", l->file, l->number, col, msg ? msg : "?");
	free(msg);
	p->warnings = xrealloc(p->warnings, (p->nwarnings + 1) * sizeof(*p->warnings));
	p->warnings[p->nwarnings++] = full;
}

static void origin_of(const struct line *l, policy_origin out)
{
	snprintf(out, sizeof(policy_origin), "%s:%d", l->file, l->number);
}

/* Split a line into tokens: blanks separate, '#' starts a comment, "double quotes" keep blanks. */
static int tokenize(struct parser *ps, char *text, struct line *l)
{
	char *s = text;

	l->n = 0;
	for (;;) {
		char *start, *out;

		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		if (*s == '\0' || *s == '#')
			return 0;
		if (l->n == MAX_TOKENS)
			return fail(ps, l, (int)(s - text) + 1, "too many words on one line (at most %d)", MAX_TOKENS);
		start = out = s;
		l->tok[l->n].col = (int)(s - text) + 1;
		if (*s == '"') {
			s++;
			for (;;) {
				if (*s == '\0')
					return fail(ps, l, l->tok[l->n].col, "a quoted word that does not end (expected '\"')");
				if (*s == '"') {
					s++;
					break;
				}
				if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
					s++;
				*out++ = *s++;
			}
			if (*s != '\0' && *s != ' ' && *s != '\t' && *s != '\r' && *s != '#')
				return fail(ps, l, (int)(s - text) + 1, "expected a blank after a quoted word");
		} else {
			while (*s && *s != ' ' && *s != '\t' && *s != '\r')
				s++;
			out = s;
		}
		if (*s)
			s++;
		*out = '\0';
		l->tok[l->n++].text = start;
	}
}

static int need_args(struct parser *ps, const struct line *l, int min, int max, const char *usage)
{
	int args = l->n - 1;
	const struct token *last = &l->tok[l->n > 1 ? l->n - 1 : 0];

	if (args < min) /* point just past the last word */
		return fail(ps, l, last->col + (int)strlen(last->text), "expected %s", usage);
	if (max >= 0 && args > max)
		return fail(ps, l, l->tok[max + 1].col, "unexpected '%s': the line is '%s'", l->tok[max + 1].text, usage);
	return 0;
}

static int once(struct parser *ps, const struct line *l, int setting)
{
	if (ps->set_at[setting])
		return fail(ps, l, 1, "'%s' was already given on line %d: say it once", l->tok[0].text, ps->set_at[setting]);
	ps->set_at[setting] = l->number;
	return 0;
}

static int parse_text(struct parser *ps, const char *text, const char *file);

static int do_profile(struct parser *ps, const struct line *l)
{
	const char *text;
	char names[128] = "";
	int rc;

	if (need_args(ps, l, 1, 1, "profile NAME") < 0)
		return -1;
	if (ps->directives > 1)
		return fail(ps, l, 1, "'profile' must come first: the profile is where the policy starts");
	text = policy_profile_text(l->tok[1].text);
	if (!text) {
		for (int i = 0; policy_profile_names[i]; i++)
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", i ? ", " : "",
				 policy_profile_names[i]);
		return fail(ps, l, l->tok[1].col, "unknown profile '%s': the profiles are %s", l->tok[1].text, names);
	}
	if (ps->depth >= MAX_PROFILE_DEPTH)
		return fail(ps, l, l->tok[1].col, "profiles nested too deeply");
	{
		struct parser inner = { .p = ps->p, .err = ps->err, .errsize = ps->errsize, .depth = ps->depth + 1 };

		rc = parse_text(&inner, text, l->tok[1].text);
	}
	free(ps->p->name);
	ps->p->name = xstrdup(l->tok[1].text);
	return rc;
}

static int do_promise(struct parser *ps, const struct line *l)
{
	int count;
	const struct promise *t = promise_table(&count);

	if (need_args(ps, l, 1, -1, "promise NAME... (see docs/policy.md for the promises)") < 0)
		return -1;
	for (int i = 1; i < l->n; i++) {
		int idx;

		if (strcmp(l->tok[i].text, "all") == 0) {
			ps->p->promises |= count >= 64 ? ~0ULL : (1ULL << count) - 1;
			continue;
		}
		idx = promise_index(l->tok[i].text);
		if (idx < 0) {
			char names[512] = "";

			for (int k = 0; k < count; k++)
				snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", k ? " " : "", t[k].name);
			return fail(ps, l, l->tok[i].col, "unknown promise '%s': the promises are %s all", l->tok[i].text,
				    names);
		}
		ps->p->promises |= 1ULL << idx;
	}
	return 0;
}

/*
 * A rule's path made lexically normal, so that it names what the kernel's
 * paths are compared with: no "." components, no repeated or trailing '/',
 * no leading "./" ("." is the launch directory itself). ".." may only lead
 * (climbing from the launch directory, or from "/", where it stays "/"):
 * after a name its meaning would depend on whether that name is a symlink.
 * 0, or -1 with *why.
 */
static int normal_rule_path(const char *path, char *out, size_t size, const char **why)
{
	bool absolute = path[0] == '/', named = false;
	size_t len = 0;

	if (absolute)
		out[len++] = '/';
	for (const char *c = path; *c;) {
		size_t n;

		while (*c == '/')
			c++;
		n = strcspn(c, "/");
		if (n == 0 || (n == 1 && c[0] == '.')) {
			c += n;
			continue;
		}
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			if (named) {
				*why = "'..' after a name: it means the parent of whatever that name is (a symlink's target's "
				       "parent, perhaps), so the rule would not say which directory it names; write the path "
				       "without it";
				return -1;
			}
			c += n;
			if (absolute)
				continue; /* "/.." is "/" */
		} else {
			named = true;
			c += n;
		}
		if (len + n + 2 > size) {
			*why = "a path longer than PATH_MAX";
			return -1;
		}
		if (len > 0 && out[len - 1] != '/')
			out[len++] = '/';
		memcpy(out + len, c - n, n);
		len += n;
	}
	if (len == 0)
		out[len++] = '.';
	out[len] = '\0';
	return 0;
}

static int do_path(struct parser *ps, const struct line *l)
{
	const char *perms;
	unsigned bits = 0;

	if (need_args(ps, l, 2, -1, "path PERMS PATH... (PERMS from r w x c, or - for none)") < 0)
		return -1;
	perms = l->tok[1].text;
	if (strcmp(perms, "-") != 0)
		for (const char *c = perms; *c; c++) {
			unsigned bit = *c == 'r' ? PERM_R : *c == 'w' ? PERM_W : *c == 'x' ? PERM_X : *c == 'c' ? PERM_C : 0;

			if (!bit)
				return fail(ps, l, l->tok[1].col + (int)(c - perms),
					    "expected permissions from r (read), w (write), x (execute), c (create), or - "
					    "for none, not '%c'",
					    *c);
			if (bits & bit)
				return fail(ps, l, l->tok[1].col + (int)(c - perms), "'%c' given twice", *c);
			bits |= bit;
		}
	for (int i = 2; i < l->n; i++) {
		struct policy_path *pp;
		char path[PATH_MAX];
		const char *why = "";
		struct stat st;

		if (l->tok[i].text[0] == '\0')
			return fail(ps, l, l->tok[i].col, "expected a path, not an empty word");
		if (strlen(l->tok[i].text) >= PATH_MAX)
			return fail(ps, l, l->tok[i].col, "a path longer than PATH_MAX (%d)", PATH_MAX);
		if (normal_rule_path(l->tok[i].text, path, sizeof(path), &why) < 0)
			return fail(ps, l, l->tok[i].col, "%s: %s", l->tok[i].text, why);
		if (ps->depth == 0 && stat(path, &st) < 0)
			warning(ps, l, l->tok[i].col, "%s: %s (the rule stands, for when it exists)", path, strerror(errno));
		ps->p->paths = xrealloc(ps->p->paths, (ps->p->npaths + 1) * sizeof(*ps->p->paths));
		pp = &ps->p->paths[ps->p->npaths++];
		pp->path = xstrdup(path);
		pp->perms = bits;
		origin_of(l, pp->origin);
	}
	return 0;
}

static int do_tmpdir(struct parser *ps, const struct line *l)
{
	if (need_args(ps, l, 0, 0, "tmpdir") < 0 || once(ps, l, SET_TMPDIR) < 0)
		return -1;
	ps->p->tmpdir = true;
	return 0;
}

/* A network a rule lets the program reach needs sockets to reach it with: net loopback|any, connect, bind imply inet. */
static void imply_inet(struct parser *ps)
{
	ps->p->promises |= 1ULL << promise_index("inet");
}

static int do_net(struct parser *ps, const struct line *l)
{
	const char *m;

	if (need_args(ps, l, 1, 1, "net none|loopback|any") < 0 || once(ps, l, SET_NET) < 0)
		return -1;
	m = l->tok[1].text;
	if (strcmp(m, "none") == 0)
		ps->p->net = NET_NONE;
	else if (strcmp(m, "loopback") == 0)
		ps->p->net = NET_LOOPBACK;
	else if (strcmp(m, "any") == 0)
		ps->p->net = NET_ANY;
	else
		return fail(ps, l, l->tok[1].col, "expected none, loopback or any, not '%s'", m);
	if (ps->p->net == NET_LOOPBACK || ps->p->net == NET_ANY)
		imply_inet(ps);
	return 0;
}

static int parse_port(struct parser *ps, const struct line *l, const char *s, int col, int min, uint16_t *port)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v > 65535 || (long)v < min || s[0] == '-' || s[0] == '+')
		return fail(ps, l, col, "expected a port from %d to 65535, not '%s'", min, s);
	*port = (uint16_t)v;
	return 0;
}

static int do_connect(struct parser *ps, const struct line *l)
{
	struct policy_endpoint ep = { .family = AF_INET };
	char host[sizeof(ep.host)];
	const char *arg, *colon;
	unsigned char buf[16];
	int col;

	if (need_args(ps, l, 1, 1, "connect HOST:PORT (an IPv4 address, [an IPv6 address] or localhost)") < 0)
		return -1;
	arg = l->tok[1].text;
	col = l->tok[1].col;
	if (arg[0] == '[') {
		const char *close = strchr(arg, ']');

		if (!close || close[1] != ':' || (size_t)(close - arg - 1) >= sizeof(host))
			return fail(ps, l, col, "expected [IPv6 address]:PORT");
		snprintf(host, sizeof(host), "%.*s", (int)(close - arg - 1), arg + 1);
		colon = close + 1;
		ep.family = AF_INET6;
	} else {
		colon = strrchr(arg, ':');
		if (!colon || (size_t)(colon - arg) >= sizeof(host))
			return fail(ps, l, col, "expected HOST:PORT");
		snprintf(host, sizeof(host), "%.*s", (int)(colon - arg), arg);
	}
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof(host), "127.0.0.1");
	if (inet_pton(ep.family, host, buf) != 1)
		return fail(ps, l, col, "expected a numeric %s address (names are not resolved), not '%s'",
			    ep.family == AF_INET ? "IPv4" : "IPv6", host);
	if (parse_port(ps, l, colon + 1, col + (int)(colon + 1 - arg), 1, &ep.port) < 0)
		return -1;
	snprintf(ep.host, sizeof(ep.host), "%s", host);
	origin_of(l, ep.origin);
	ps->p->connects = xrealloc(ps->p->connects, (ps->p->nconnects + 1) * sizeof(ep));
	ps->p->connects[ps->p->nconnects++] = ep;
	imply_inet(ps);
	return 0;
}

static int do_bind(struct parser *ps, const struct line *l)
{
	struct policy_endpoint ep = { .family = AF_INET };

	if (need_args(ps, l, 1, 1, "bind PORT") < 0 || parse_port(ps, l, l->tok[1].text, l->tok[1].col, 0, &ep.port) < 0)
		return -1;
	snprintf(ep.host, sizeof(ep.host), "*");
	origin_of(l, ep.origin);
	ps->p->binds = xrealloc(ps->p->binds, (ps->p->nbinds + 1) * sizeof(ep));
	ps->p->binds[ps->p->nbinds++] = ep;
	imply_inet(ps);
	return 0;
}

static const char *const limit_names[LIMIT_COUNT] = {
	[LIMIT_WALL] = "wall", [LIMIT_CPU] = "cpu",     [LIMIT_PROCS] = "procs",
	[LIMIT_MEMORY] = "memory", [LIMIT_FSIZE] = "fsize", [LIMIT_NOFILE] = "nofile", [LIMIT_FILES] = "files",
	[LIMIT_TMPFS] = "tmpfs",
};

const char *limit_name(enum limit_kind k)
{
	return k < LIMIT_COUNT ? limit_names[k] : "?";
}

/* "1.5" and a unit scale: value * scale, refusing overflow and zero. */
static int scaled(const char *num, size_t len, double scale, uint64_t *out)
{
	char buf[64], *end;
	double v;

	if (len == 0 || len >= sizeof(buf) || num[0] == '-' || num[0] == '+')
		return -1;
	memcpy(buf, num, len);
	buf[len] = '\0';
	errno = 0;
	v = strtod(buf, &end);
	if (*end || errno || !(v > 0) || v * scale >= 1.8e19)
		return -1;
	*out = (uint64_t)(v * scale);
	return *out > 0 ? 0 : -1;
}

static int parse_limit_value(enum limit_kind k, const char *s, uint64_t *out, const char **expected)
{
	static const struct {
		const char *unit;
		double scale;
	} times[] = { { "ms", 1e6 }, { "s", 1e9 }, { "m", 60e9 }, { "h", 3600e9 }, { "", 1e9 } },
	  sizes[] = { { "K", 1024.0 }, { "KiB", 1024.0 }, { "M", 1048576.0 }, { "MiB", 1048576.0 },
		      { "G", 1073741824.0 }, { "GiB", 1073741824.0 }, { "T", 1099511627776.0 },
		      { "TiB", 1099511627776.0 }, { "B", 1.0 }, { "", 1.0 } };
	size_t len = strlen(s), digits = strspn(s, "0123456789.");

	switch (k) {
	case LIMIT_WALL:
	case LIMIT_CPU:
		*expected = "a duration: a number with ms, s, m or h (a bare number is seconds)";
		for (size_t i = 0; i < ARRAY_SIZE(times); i++)
			if (strcmp(s + digits, times[i].unit) == 0 && scaled(s, digits, times[i].scale, out) == 0) {
				if (k == LIMIT_CPU) /* RLIMIT_CPU counts whole seconds */
					*out = (*out + 999999999) / 1000000000;
				return 0;
			}
		return -1;
	case LIMIT_MEMORY:
	case LIMIT_FSIZE:
	case LIMIT_TMPFS:
		*expected = "a size: a number with K, M, G or T (binary; a bare number is bytes)";
		for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
			if (strcmp(s + digits, sizes[i].unit) == 0 && scaled(s, digits, sizes[i].scale, out) == 0)
				return 0;
		return -1;
	case LIMIT_PROCS:
	case LIMIT_NOFILE:
	case LIMIT_FILES:
		*expected = "a whole number greater than 0";
		if (digits != len || strchr(s, '.') || scaled(s, len, 1.0, out) < 0 || *out > INT_MAX)
			return -1;
		return 0;
	case LIMIT_COUNT:
		break;
	}
	return -1;
}

static int do_limit(struct parser *ps, const struct line *l)
{
	const char *expected = "";
	int k;

	if (need_args(ps, l, 2, 2, "limit wall|cpu|procs|memory|fsize|nofile|files|tmpfs VALUE") < 0)
		return -1;
	for (k = 0; k < LIMIT_COUNT; k++)
		if (strcmp(l->tok[1].text, limit_names[k]) == 0)
			break;
	if (k == LIMIT_COUNT)
		return fail(ps, l, l->tok[1].col, "unknown limit '%s': the limits are wall cpu procs memory fsize nofile files tmpfs",
			    l->tok[1].text);
	if (once(ps, l, SET_LIMIT0 + k) < 0)
		return -1;
	if (parse_limit_value((enum limit_kind)k, l->tok[2].text, &ps->p->limit[k], &expected) < 0)
		return fail(ps, l, l->tok[2].col, "expected %s, not '%s'", expected, l->tok[2].text);
	ps->p->limit_set[k] = true;
	return 0;
}

/* shm SIZE|none: the run's private /dev/shm (a tmpfs of SIZE bytes), or none (0 is none too). */
static int do_shm(struct parser *ps, const struct line *l)
{
	const char *expected = "", *v;

	if (need_args(ps, l, 1, 1, "shm SIZE|none") < 0 || once(ps, l, SET_SHM) < 0)
		return -1;
	v = l->tok[1].text;
	if (strcmp(v, "none") == 0 || strspn(v, "0") == strlen(v)) {
		ps->p->shm_size = 0;
		return 0;
	}
	/* A tmpfs is sized in pages: at least one. */
	if (parse_limit_value(LIMIT_TMPFS, v, &ps->p->shm_size, &expected) < 0 || ps->p->shm_size < 4096)
		return fail(ps, l, l->tok[1].col, "expected none or %s, at least 4K, not '%s'", expected, v);
	return 0;
}

static int do_on_violation(struct parser *ps, const struct line *l)
{
	const char *a;

	if (need_args(ps, l, 1, 1, "on-violation deny|kill|log") < 0 || once(ps, l, SET_ON_VIOLATION) < 0)
		return -1;
	a = l->tok[1].text;
	if (strcmp(a, "deny") == 0)
		ps->p->on_violation = VIOLATION_DENY;
	else if (strcmp(a, "kill") == 0)
		ps->p->on_violation = VIOLATION_KILL;
	else if (strcmp(a, "log") == 0)
		ps->p->on_violation = VIOLATION_LOG;
	else
		return fail(ps, l, l->tok[1].col, "expected deny, kill or log, not '%s'", a);
	return 0;
}

static int do_fail_on_violation(struct parser *ps, const struct line *l)
{
	if (need_args(ps, l, 0, 0, "fail-on-violation") < 0 || once(ps, l, SET_FAIL_ON_VIOLATION) < 0)
		return -1;
	ps->p->fail_on_violation = true;
	return 0;
}

static int do_see_all_refusals(struct parser *ps, const struct line *l)
{
	if (need_args(ps, l, 0, 0, "see-all-refusals") < 0 || once(ps, l, SET_SEE_ALL) < 0)
		return -1;
	ps->p->see_all_refusals = true;
	return 0;
}

static int do_map(struct parser *ps, const struct line *l)
{
	struct policy_map *m;

	if (need_args(ps, l, 2, 3, "map GUEST HOST [ro]") < 0)
		return -1;
	if (l->n == 4 && strcmp(l->tok[3].text, "ro") != 0)
		return fail(ps, l, l->tok[3].col, "expected ro or the end of the line, not '%s'", l->tok[3].text);
	if (l->tok[1].text[0] != '/')
		return fail(ps, l, l->tok[1].col, "expected an absolute guest path, not '%s'", l->tok[1].text);
	ps->p->maps = xrealloc(ps->p->maps, (ps->p->nmaps + 1) * sizeof(*ps->p->maps));
	m = &ps->p->maps[ps->p->nmaps++];
	m->guest = xstrdup(l->tok[1].text);
	m->host = xstrdup(l->tok[2].text);
	m->read_only = l->n == 4;
	origin_of(l, m->origin);
	return 0;
}

static int do_tmp(struct parser *ps, const struct line *l)
{
	if (need_args(ps, l, 1, 1, "tmp GUEST") < 0)
		return -1;
	if (l->tok[1].text[0] != '/')
		return fail(ps, l, l->tok[1].col, "expected an absolute guest path, not '%s'", l->tok[1].text);
	ps->p->tmps = xrealloc(ps->p->tmps, (ps->p->ntmps + 1) * sizeof(*ps->p->tmps));
	ps->p->tmps[ps->p->ntmps++] = xstrdup(l->tok[1].text);
	return 0;
}

/* An environment variable's name, or (patterns) a glob of names or @credentials. */
static int env_name(struct parser *ps, const struct line *l, int i, bool pattern)
{
	const char *n = l->tok[i].text;

	if (pattern && n[0] == '@') {
		if (strcmp(n, "@credentials") != 0)
			return fail(ps, l, l->tok[i].col, "unknown name set '%s': the one set is @credentials", n);
		return 0;
	}
	if (!n[0] || strchr(n, '='))
		return fail(ps, l, l->tok[i].col, "expected a variable name (no '=' in it), not '%s'", n);
	if (!pattern && strpbrk(n, "*?["))
		return fail(ps, l, l->tok[i].col, "expected a variable name, not the pattern '%s'", n);
	return 0;
}

static void add_name(char ***list, size_t *n, const char *name)
{
	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = xstrdup(name);
}

static int do_clearenv(struct parser *ps, const struct line *l)
{
	if (need_args(ps, l, 0, 0, "clearenv") < 0)
		return -1;
	ps->p->env_clear = true;
	return 0;
}

static int do_unsetenv(struct parser *ps, const struct line *l)
{
	if (need_args(ps, l, 1, -1, "unsetenv NAME|PATTERN|@credentials...") < 0)
		return -1;
	for (int i = 1; i < l->n; i++) {
		if (env_name(ps, l, i, true) < 0)
			return -1;
		add_name(&ps->p->env_unset, &ps->p->nenv_unset, l->tok[i].text);
	}
	return 0;
}

static int do_keep_env(struct parser *ps, const struct line *l)
{
	if (need_args(ps, l, 1, -1, "keep-env NAME|PATTERN...") < 0)
		return -1;
	for (int i = 1; i < l->n; i++) {
		if (l->tok[i].text[0] == '@' || env_name(ps, l, i, true) < 0)
			return l->tok[i].text[0] == '@'
				       ? fail(ps, l, l->tok[i].col, "keep-env names variables: name the one to keep")
				       : -1;
		add_name(&ps->p->env_keep, &ps->p->nenv_keep, l->tok[i].text);
	}
	return 0;
}

static int do_setenv(struct parser *ps, const struct line *l)
{
	struct policy_setenv *e;

	if (need_args(ps, l, 2, 2, "setenv NAME VALUE") < 0 || env_name(ps, l, 1, false) < 0)
		return -1;
	ps->p->env_set = xrealloc(ps->p->env_set, (ps->p->nenv_set + 1) * sizeof(*ps->p->env_set));
	e = &ps->p->env_set[ps->p->nenv_set++];
	e->name = xstrdup(l->tok[1].text);
	e->value = xstrdup(l->tok[2].text);
	return 0;
}

static const struct {
	const char *name;
	int (*parse)(struct parser *ps, const struct line *l);
} directives[] = {
	{ "bind", do_bind },       { "clearenv", do_clearenv }, { "connect", do_connect },
	{ "fail-on-violation", do_fail_on_violation }, { "keep-env", do_keep_env }, { "limit", do_limit },   { "map", do_map },           { "net", do_net },
	{ "on-violation", do_on_violation }, { "path", do_path }, { "profile", do_profile }, { "promise", do_promise },
	{ "see-all-refusals", do_see_all_refusals }, { "setenv", do_setenv }, { "shm", do_shm },   { "tmp", do_tmp },         { "tmpdir", do_tmpdir },     { "unsetenv", do_unsetenv },
};

/* What a whole text says, once every line is in: rules that contradict each other. */
static int check_whole(struct parser *ps)
{
	struct policy *p = ps->p;

	if (p->net == NET_NONE && (p->nconnects || p->nbinds)) {
		const char *origin = p->nconnects ? p->connects[0].origin : p->binds[0].origin;

		snprintf(ps->err, ps->errsize, "%s: '%s' contradicts 'net none': use net loopback or net any", origin,
			 p->nconnects ? "connect" : "bind");
		return -1;
	}
	return 0;
}

static int parse_text(struct parser *ps, const char *text, const char *file)
{
	char *copy = xstrdup(text), *next;
	int number = 0, rc = 0;

	for (char *cur = copy; cur && rc == 0; cur = next) {
		struct line l = { .file = file, .number = ++number };
		size_t i;

		next = strchr(cur, '\n');
		if (next)
			*next++ = '\0';
		if (tokenize(ps, cur, &l) < 0) {
			rc = -1;
			break;
		}
		if (l.n == 0)
			continue;
		ps->directives++;
		for (i = 0; i < ARRAY_SIZE(directives); i++)
			if (strcmp(l.tok[0].text, directives[i].name) == 0)
				break;
		if (i == ARRAY_SIZE(directives)) {
			rc = fail(ps, &l, l.tok[0].col,
				  "unknown directive '%s': expected profile, promise, path, tmpdir, net, connect, bind, "
				  "limit, on-violation, fail-on-violation, see-all-refusals, map, tmp, shm, clearenv, setenv, unsetenv or keep-env",
				  l.tok[0].text);
			break;
		}
		rc = directives[i].parse(ps, &l);
	}
	free(copy);
	if (rc == 0)
		rc = check_whole(ps);
	return rc;
}

int policy_parse(struct policy *p, const char *text, const char *file, char *err, size_t errsize)
{
	struct parser ps = { .p = p, .err = err, .errsize = errsize };

	if (!p->name)
		p->name = xstrdup(file);
	return parse_text(&ps, text, file);
}

int policy_load(struct policy *p, const char *name_or_file, char *err, size_t errsize)
{
	const char *builtin = policy_profile_text(name_or_file);
	struct {
		char *data;
		size_t len;
	} b = { NULL, 0 };
	FILE *f;
	int rc;

	memset(p, 0, sizeof(*p));
	if (builtin && !strchr(name_or_file, '/')) {
		p->name = xstrdup(name_or_file);
		return policy_parse(p, builtin, name_or_file, err, errsize);
	}
	f = fopen(name_or_file, "re");
	if (!f) {
		snprintf(err, errsize, "%s: %s (not a built-in profile either: those are ci, none, strict)", name_or_file,
			 strerror(errno));
		return -1;
	}
	{
		struct stat st;

		/* A directory opens, and reads as empty: it would pass for a policy that says nothing. */
		if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
			fclose(f);
			snprintf(err, errsize, "%s: a directory, not a policy file", name_or_file);
			return -1;
		}
	}
	{
		char chunk[4096];
		size_t n;

		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
			if (b.len + n > (1u << 20)) {
				fclose(f);
				free(b.data);
				snprintf(err, errsize, "%s: larger than 1 MiB: not a policy", name_or_file);
				return -1;
			}
			b.data = xrealloc(b.data, b.len + n + 1);
			memcpy(b.data + b.len, chunk, n);
			b.len += n;
		}
	}
	fclose(f);
	if (!b.data)
		b.data = xstrdup("");
	b.data[b.len] = '\0';
	if (strlen(b.data) != b.len) {
		snprintf(err, errsize, "%s: contains a NUL byte: a policy is text", name_or_file);
		free(b.data);
		return -1;
	}
	p->name = xstrdup(name_or_file);
	rc = policy_parse(p, b.data, name_or_file, err, errsize);
	free(b.data);
	return rc;
}

void policy_free(struct policy *p)
{
	for (size_t i = 0; i < p->npaths; i++)
		free(p->paths[i].path);
	for (size_t i = 0; i < p->nmaps; i++) {
		free(p->maps[i].guest);
		free(p->maps[i].host);
	}
	for (size_t i = 0; i < p->ntmps; i++)
		free(p->tmps[i]);
	for (size_t i = 0; i < p->nwarnings; i++)
		free(p->warnings[i]);
	for (size_t i = 0; i < p->nenv_unset; i++)
		free(p->env_unset[i]);
	for (size_t i = 0; i < p->nenv_keep; i++)
		free(p->env_keep[i]);
	for (size_t i = 0; i < p->nenv_set; i++) {
		free(p->env_set[i].name);
		free(p->env_set[i].value);
	}
	free(p->env_unset);
	free(p->env_keep);
	free(p->env_set);
	free(p->paths);
	free(p->connects);
	free(p->binds);
	free(p->maps);
	free(p->tmps);
	free(p->warnings);
	free(p->name);
	memset(p, 0, sizeof(*p));
}
