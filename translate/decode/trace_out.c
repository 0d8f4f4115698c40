/* The record writer of include/trace_out.h. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_out.h"
#include "util.h"

static void sb_reserve(struct strbuf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	b->cap = (b->len + more + 1) * 2;
	if (b->cap < 256)
		b->cap = 256;
	b->data = xrealloc(b->data, b->cap);
}

void sb_putc(struct strbuf *b, char c)
{
	sb_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void sb_put(struct strbuf *b, const char *s, size_t n)
{
	sb_reserve(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void sb_puts(struct strbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

void sb_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b->data ? b->data + b->len : NULL, b->data ? b->cap - b->len : 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (!b->data || b->len + (size_t)n + 1 > b->cap) {
		sb_reserve(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

void sb_free(struct strbuf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

void tout_init(struct tout *o, struct strbuf *b, enum trace_format fmt)
{
	memset(o, 0, sizeof(*o));
	o->b = b;
	o->fmt = fmt;
	o->positional[0] = fmt == FORMAT_TEXT; /* text: the sink writes the record's frame itself */
}

/* Separator and key before a value. */
static void lead(struct tout *o, const char *key)
{
	if (o->need_comma[o->depth])
		sb_puts(o->b, o->fmt == FORMAT_JSONL ? "," : ", ");
	o->need_comma[o->depth] = true;
	if (!key)
		return;
	if (o->fmt == FORMAT_JSONL) {
		sb_putc(o->b, '"');
		sb_puts(o->b, key);
		sb_puts(o->b, "\":");
	} else if (!o->positional[o->depth]) {
		sb_puts(o->b, key);
		sb_putc(o->b, '=');
	}
}

static void open_level(struct tout *o, bool positional)
{
	if (o->depth + 1 >= TOUT_MAX_DEPTH) {
		/* Deeper than any decoder nests: written, not tracked (a comma may be lost; the run goes on). */
		o->untracked++;
		return;
	}
	o->depth++;
	o->need_comma[o->depth] = false;
	o->positional[o->depth] = positional;
}

static void close_level(struct tout *o)
{
	if (o->untracked)
		o->untracked--;
	else
		o->depth--;
}

void tout_begin_object(struct tout *o, const char *key, bool positional)
{
	lead(o, key);
	if (o->fmt == FORMAT_JSONL || !positional)
		sb_putc(o->b, '{');
	open_level(o, positional);
}

void tout_end_object(struct tout *o)
{
	bool positional = o->positional[o->depth];

	close_level(o);
	if (o->fmt == FORMAT_JSONL || !positional)
		sb_putc(o->b, '}');
}

void tout_begin_array(struct tout *o, const char *key)
{
	lead(o, key);
	sb_putc(o->b, '[');
	open_level(o, false);
}

void tout_end_array(struct tout *o)
{
	close_level(o);
	sb_putc(o->b, ']');
}

void tout_int(struct tout *o, const char *key, long long v)
{
	lead(o, key);
	sb_printf(o->b, "%lld", v);
}

void tout_uint(struct tout *o, const char *key, unsigned long long v)
{
	lead(o, key);
	sb_printf(o->b, "%llu", v);
}

void tout_hex(struct tout *o, const char *key, unsigned long long v)
{
	lead(o, key);
	sb_printf(o->b, o->fmt == FORMAT_JSONL ? "\"%#llx\"" : "%#llx", v);
}

void tout_octal(struct tout *o, const char *key, unsigned long long v)
{
	lead(o, key);
	sb_printf(o->b, o->fmt == FORMAT_JSONL ? "\"%#llo\"" : "%#llo", v);
}

void tout_symbol(struct tout *o, const char *key, const char *sym)
{
	lead(o, key);
	if (o->fmt == FORMAT_JSONL) {
		sb_putc(o->b, '"');
		json_escape(o->b, sym, strlen(sym));
		sb_putc(o->b, '"');
	} else
		sb_puts(o->b, sym);
}

void tout_null(struct tout *o, const char *key)
{
	lead(o, key);
	sb_puts(o->b, o->fmt == FORMAT_JSONL ? "null" : "NULL");
}

void tout_bool(struct tout *o, const char *key, bool v)
{
	lead(o, key);
	sb_puts(o->b, v ? "true" : "false");
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* No overlong forms, no surrogates, nothing past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

void json_escape(struct strbuf *b, const void *data, size_t len)
{
	const unsigned char *s = data;

	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		size_t n;

		if (c == '"' || c == '\\') {
			sb_putc(b, '\\');
			sb_putc(b, (char)c);
			i++;
		} else if (c == '\n') {
			sb_puts(b, "\\n"), i++;
		} else if (c == '\t') {
			sb_puts(b, "\\t"), i++;
		} else if (c == '\r') {
			sb_puts(b, "\\r"), i++;
		} else if (c < 0x20 || c == 0x7f) {
			sb_printf(b, "\\u%04x", c), i++;
		} else if ((n = utf8_len(s + i, len - i)) > 0) {
			sb_put(b, (const char *)s + i, n);
			i += n;
		} else {
			/* Not UTF-8: keep the byte as a lone surrogate (Python's surrogateescape). */
			sb_printf(b, "\\udc%02x", c);
			i++;
		}
	}
}

/* strace's escaping for text: C escapes, printable ASCII as is, the rest in octal (three digits only where an
 * octal digit follows, as C needs: "\1\10a\0007"). */
static void text_escape(struct strbuf *b, const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];

		switch (c) {
		case '"': sb_puts(b, "\\\""); break;
		case '\\': sb_puts(b, "\\\\"); break;
		case '\n': sb_puts(b, "\\n"); break;
		case '\t': sb_puts(b, "\\t"); break;
		case '\r': sb_puts(b, "\\r"); break;
		case '\f': sb_puts(b, "\\f"); break;
		case '\v': sb_puts(b, "\\v"); break;
		default:
			if (c >= 0x20 && c < 0x7f)
				sb_putc(b, (char)c);
			else if (i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '7')
				sb_printf(b, "\\%03o", c);
			else
				sb_printf(b, "\\%o", c);
		}
	}
}

void tout_string(struct tout *o, const char *key, const char *s)
{
	size_t n = strlen(s);

	tout_bytes(o, key, s, n, n);
}

void tout_bytes(struct tout *o, const char *key, const void *data, size_t shown, size_t len)
{
	bool cut = len > shown;

	lead(o, key);
	if (o->fmt == FORMAT_JSONL) {
		if (cut)
			sb_puts(o->b, "{\"data\":");
		sb_putc(o->b, '"');
		json_escape(o->b, data, shown);
		sb_putc(o->b, '"');
		if (cut)
			sb_printf(o->b, ",\"len\":%zu}", len);
	} else {
		sb_putc(o->b, '"');
		text_escape(o->b, data, shown);
		sb_putc(o->b, '"');
		if (cut)
			sb_puts(o->b, "...");
	}
}

/* Bytes strace always shows in hex (getrandom's): the same as tout_bytes in JSON, "\\xHH" each in text. */
void tout_bytes_hex(struct tout *o, const char *key, const void *data, size_t shown, size_t len)
{
	const unsigned char *s = data;

	if (o->fmt == FORMAT_JSONL) {
		tout_bytes(o, key, data, shown, len);
		return;
	}
	lead(o, key);
	sb_putc(o->b, '"');
	for (size_t i = 0; i < shown; i++)
		sb_printf(o->b, "\\x%02x", s[i]);
	sb_putc(o->b, '"');
	if (len > shown)
		sb_puts(o->b, "...");
}
