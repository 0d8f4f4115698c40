/* A small JSON parser for reading traces back (tracer/trace/trace_read.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_out.h"
#include "trace_read.h"
#include "util.h"

enum { MAX_DEPTH = 64, CHUNK_SIZE = 64 * 1024 };

/*
 * Every value of one parsed text lives in one arena, freed at once: a trace
 * has millions of small values, and a malloc and a free for each cost more
 * than parsing them. The first chunk of a freed arena is kept for the next.
 */
struct chunk {
	struct chunk *next;
	size_t used, size;
	_Alignas(16) char data[];
};

struct arena {
	struct chunk *chunks;
	char *last;           /* the newest allocation, which may grow in place */
	size_t last_size;
};

/* What json_parse hands out: the root value, behind its arena. */
struct parsed {
	struct arena arena;
	struct json root;
};

static struct chunk *spare;

static struct chunk *chunk_new(size_t size)
{
	struct chunk *c;

	if (size <= CHUNK_SIZE && spare) {
		c = spare;
		spare = NULL;
	} else {
		size = size > CHUNK_SIZE ? size : CHUNK_SIZE;
		c = xmalloc(sizeof(*c) + size);
		c->size = size;
	}
	c->used = 0;
	c->next = NULL;
	return c;
}

static void *arena_alloc(struct arena *a, size_t n)
{
	struct chunk *c = a->chunks;
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (!c || c->size - c->used < n) {
		struct chunk *fresh = chunk_new(n);

		if (c && n > CHUNK_SIZE / 4) { /* a big one goes behind, the current chunk stays in use */
			fresh->next = c->next;
			c->next = fresh;
			fresh->used = n;
			return fresh->data;
		}
		fresh->next = c;
		a->chunks = c = fresh;
	}
	p = c->data + c->used;
	c->used += n;
	a->last = p;
	a->last_size = n;
	return p;
}

/* old (old_size bytes, from this arena) made new_size: in place when it is the newest allocation. */
static void *arena_grow(struct arena *a, void *old, size_t old_size, size_t new_size)
{
	struct chunk *c = a->chunks;
	size_t want = (new_size + 15) & ~(size_t)15;
	void *p;

	if (old && old == a->last && c && (char *)old + a->last_size == c->data + c->used &&
	    c->size - (c->used - a->last_size) >= want) {
		c->used += want - a->last_size;
		a->last_size = want;
		return old;
	}
	p = arena_alloc(a, new_size);
	if (old_size)
		memcpy(p, old, old_size);
	return p;
}

static void arena_free(struct arena *a)
{
	for (struct chunk *c = a->chunks, *next; c; c = next) {
		next = c->next;
		if (!spare && c->size == CHUNK_SIZE)
			spare = c;
		else
			free(c);
	}
}

struct parser {
	const char *p, *start, *end;
	const char *err;
	int depth;
	struct arena *arena;
};

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\r' || *ps->p == '\n'))
		ps->p++;
}

static struct json *fail(struct parser *ps, const char *err)
{
	if (!ps->err)
		ps->err = err;
	return NULL;
}

static void put_utf8(struct strbuf *b, unsigned cp)
{
	if (cp < 0x80)
		sb_putc(b, (char)cp);
	else if (cp < 0x800) {
		sb_putc(b, (char)(0xc0 | cp >> 6));
		sb_putc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		sb_putc(b, (char)(0xe0 | cp >> 12));
		sb_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		sb_putc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		sb_putc(b, (char)(0xf0 | cp >> 18));
		sb_putc(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
		sb_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		sb_putc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

static int hex4(const char *p, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

/* A string body after its opening quote, into b. 0 or -1. */
static int parse_string_into(struct parser *ps, struct strbuf *b)
{
	while (ps->p < ps->end) {
		unsigned char c;
		const char *run = ps->p;

		/* Plain bytes go in as one piece. */
		while (ps->p < ps->end && *ps->p != '"' && *ps->p != '\\' && (unsigned char)*ps->p >= 0x20)
			ps->p++;
		if (ps->p > run)
			sb_put(b, run, (size_t)(ps->p - run));
		if (ps->p >= ps->end)
			break;
		c = (unsigned char)*ps->p++;
		if (c == '"') {
			if (!b->data)
				sb_put(b, "", 0);
			return 0;
		}
		if (c < 0x20) {
			fail(ps, "a control character inside a string");
			return -1;
		}
		if (c != '\\') {
			sb_putc(b, (char)c);
			continue;
		}
		if (ps->p >= ps->end)
			break;
		c = (unsigned char)*ps->p++;
		switch (c) {
		case '"': case '\\': case '/': sb_putc(b, (char)c); break;
		case 'b': sb_putc(b, '\b'); break;
		case 'f': sb_putc(b, '\f'); break;
		case 'n': sb_putc(b, '\n'); break;
		case 'r': sb_putc(b, '\r'); break;
		case 't': sb_putc(b, '\t'); break;
		case 'u': {
			unsigned cp, lo;
			if (ps->end - ps->p < 4 || hex4(ps->p, &cp) < 0) {
				fail(ps, "a bad \\u escape");
				return -1;
			}
			ps->p += 4;
			if (cp >= 0xdc80 && cp <= 0xdcff) {
				sb_putc(b, (char)(cp - 0xdc00)); /* a byte that was not UTF-8 */
			} else if (cp >= 0xd800 && cp <= 0xdbff && ps->end - ps->p >= 6 && ps->p[0] == '\\' &&
				   ps->p[1] == 'u' && hex4(ps->p + 2, &lo) == 0 && lo >= 0xdc00 && lo <= 0xdfff) {
				ps->p += 6;
				put_utf8(b, 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00));
			} else
				put_utf8(b, cp);
			break;
		}
		default:
			fail(ps, "a bad escape in a string");
			return -1;
		}
	}
	fail(ps, "a string that does not end (truncated line?)");
	return -1;
}

/*
 * Values are parsed into their place (an array's or object's item, or the
 * root), not allocated one by one: a trace has millions of them. On a fault
 * the value is left empty (its parts freed) and ps->err says why.
 */
static bool parse_value(struct parser *ps, struct json *j);

/* A string after its opening quote, in the arena (a scratch buffer takes the escapes). NULL on a fault. */
static char *take_string(struct parser *ps, size_t *len)
{
	static struct strbuf scratch;
	char *s;

	scratch.len = 0;
	if (parse_string_into(ps, &scratch) < 0)
		return NULL;
	s = arena_alloc(ps->arena, scratch.len + 1);
	if (scratch.len)
		memcpy(s, scratch.data, scratch.len);
	s[scratch.len] = '\0';
	if (len)
		*len = scratch.len;
	return s;
}

static bool failed(struct parser *ps, struct json *j, const char *err)
{
	memset(j, 0, sizeof(*j)); /* its parts go with the arena */
	fail(ps, err);
	return false;
}

static bool parse_container(struct parser *ps, bool object, struct json *j)
{
	size_t cap = 0;

	j->type = object ? JSON_OBJECT : JSON_ARRAY;
	if (++ps->depth > MAX_DEPTH)
		return failed(ps, j, "nested too deeply");
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == (object ? '}' : ']')) {
		ps->p++;
		ps->depth--;
		return true;
	}
	for (;;) {
		char *key = NULL;

		skip_ws(ps);
		if (object) {
			if (ps->p >= ps->end || *ps->p != '"')
				return failed(ps, j, ps->p >= ps->end ? "the line ends inside an object (truncated?)" : "expected a key");
			ps->p++;
			if (!(key = take_string(ps, NULL)))
				return failed(ps, j, NULL);
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':')
				return failed(ps, j, "expected ':' after a key");
			ps->p++;
		}
		if (j->n == cap) {
			size_t grown = cap ? cap * 2 : 8;
			j->items = arena_grow(ps->arena, j->items, cap * sizeof(*j->items), grown * sizeof(*j->items));
			if (object)
				j->keys = arena_grow(ps->arena, j->keys, cap * sizeof(*j->keys), grown * sizeof(*j->keys));
			cap = grown;
		}
		memset(&j->items[j->n], 0, sizeof(j->items[0]));
		if (!parse_value(ps, &j->items[j->n]))
			return failed(ps, j, NULL);
		if (object)
			j->keys[j->n] = key;
		j->n++;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == (object ? '}' : ']')) {
			ps->p++;
			ps->depth--;
			return true;
		}
		return failed(ps, j, ps->p >= ps->end ? "the line ends inside a value (truncated?)"
						      : object ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static bool number_char(char c)
{
	return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E';
}

static bool parse_value(struct parser *ps, struct json *j)
{
	skip_ws(ps);
	if (ps->p >= ps->end)
		return failed(ps, j, "expected a value (truncated line?)");
	switch (*ps->p) {
	case '{':
		ps->p++;
		return parse_container(ps, true, j);
	case '[':
		ps->p++;
		return parse_container(ps, false, j);
	case '"':
		ps->p++;
		j->type = JSON_STRING;
		j->s = take_string(ps, &j->len);
		return j->s ? true : failed(ps, j, NULL);
	case 't':
	case 'f':
	case 'n': {
		static const char *const words[] = { "true", "false", "null" };
		for (int i = 0; i < 3; i++) {
			size_t n = strlen(words[i]);
			if ((size_t)(ps->end - ps->p) >= n && memcmp(ps->p, words[i], n) == 0) {
				ps->p += n;
				j->type = i == 2 ? JSON_NULL : JSON_BOOL;
				j->b = i == 0;
				return true;
			}
		}
		return failed(ps, j, "an unknown word where a value belongs");
	}
	default: {
		char num[64], *endp;
		size_t n = 0;
		bool is_int = true;

		/* Most numbers of a trace are small integers: read at once, without a copy or strtoll. */
		{
			const char *q = ps->p + (ps->p < ps->end && *ps->p == '-');
			unsigned long long v = 0;
			int digits = 0;

			while (q < ps->end && *q >= '0' && *q <= '9' && digits < 18)
				v = v * 10 + (unsigned)(*q++ - '0'), digits++;
			if (digits && (q == ps->end || !number_char(*q)) && (digits == 1 || ps->p[*ps->p == '-'] != '0')) {
				j->type = JSON_NUMBER;
				j->i = *ps->p == '-' ? -(long long)v : (long long)v;
				j->num = (double)j->i;
				j->is_int = true;
				ps->p = q;
				return true;
			}
		}
		while (ps->p + n < ps->end && n < sizeof(num) - 1 && number_char(ps->p[n])) {
			if (ps->p[n] == '.' || ps->p[n] == 'e' || ps->p[n] == 'E')
				is_int = false;
			n++;
		}
		if (n == 0)
			return failed(ps, j, "an unexpected character where a value belongs");
		memcpy(num, ps->p, n);
		num[n] = '\0';
		j->type = JSON_NUMBER;
		if (is_int) { /* past 18 digits: strtoll (past long long, strtod below says what it is) */
			errno = 0;
			j->i = strtoll(num, &endp, 10);
			if (!*endp && endp != num && !errno) {
				j->num = (double)j->i;
				j->is_int = true;
				ps->p += n;
				return true;
			}
		}
		j->num = strtod(num, &endp);
		if (*endp || !isfinite(j->num))
			return failed(ps, j, "a malformed number");
		if (is_int) {
			j->i = strtoll(num, NULL, 10);
			j->is_int = true;
		} else
			j->i = (long long)j->num;
		ps->p += n;
		return true;
	}
	}
}

struct json *json_parse(const char *text, size_t len, const char **err, size_t *col)
{
	struct arena a = { 0 };
	struct parsed *root = arena_alloc(&a, sizeof(*root));
	struct parser ps = { text, text, text + len, NULL, 0, &root->arena };
	bool ok;

	memset(&root->root, 0, sizeof(root->root));
	root->arena = a;
	ok = parse_value(&ps, &root->root);
	if (ok) {
		skip_ws(&ps);
		if (ps.p != ps.end)
			ok = failed(&ps, &root->root, "text after the value");
	}
	if (!ok) {
		*err = ps.err ? ps.err : "malformed JSON";
		*col = (size_t)(ps.p - ps.start) + 1;
		json_free(&root->root);
		return NULL;
	}
	return &root->root;
}

/* j: a root json_parse returned. */
void json_free(struct json *j)
{
	struct arena a;

	if (!j)
		return;
	a = ((struct parsed *)((char *)j - offsetof(struct parsed, root)))->arena;
	arena_free(&a); /* the root lives in it too */
}

const struct json *json_get(const struct json *obj, const char *key)
{
	if (!obj || obj->type != JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (obj->keys[i][0] == key[0] && (!key[0] || obj->keys[i][1] == key[1]) &&
		    strcmp(obj->keys[i], key) == 0) /* two bytes rule most out without a call */
			return &obj->items[i];
	return NULL;
}

const char *json_str(const struct json *obj, const char *key)
{
	const struct json *v = json_get(obj, key);

	return v && v->type == JSON_STRING ? v->s : NULL;
}

long long json_int(const struct json *obj, const char *key, long long dflt)
{
	const struct json *v = json_get(obj, key);

	return v && v->type == JSON_NUMBER ? v->i : dflt;
}

void json_render(const struct json *j, struct strbuf *out)
{
	switch (j->type) {
	case JSON_NULL:
		sb_puts(out, "null");
		return;
	case JSON_BOOL:
		sb_puts(out, j->b ? "true" : "false");
		return;
	case JSON_NUMBER:
		if (j->is_int)
			sb_printf(out, "%lld", j->i);
		else
			sb_printf(out, "%.6f", j->num);
		return;
	case JSON_STRING:
		sb_putc(out, '"');
		json_escape(out, j->s, j->len);
		sb_putc(out, '"');
		return;
	case JSON_ARRAY:
	case JSON_OBJECT:
		sb_putc(out, j->type == JSON_ARRAY ? '[' : '{');
		for (size_t i = 0; i < j->n; i++) {
			if (i)
				sb_putc(out, ',');
			if (j->type == JSON_OBJECT) {
				sb_putc(out, '"');
				json_escape(out, j->keys[i], strlen(j->keys[i]));
				sb_puts(out, "\":");
			}
			json_render(&j->items[i], out);
		}
		sb_putc(out, j->type == JSON_ARRAY ? ']' : '}');
		return;
	}
}
