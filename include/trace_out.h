/*
 * Writing one trace record: a small structured writer with two renderings.
 * JSON (the JSON Lines format of docs/trace-format.md) and text (strace-like,
 * for people). Decoders describe values once through these calls; the format
 * decides the punctuation. Everything goes into a growable byte buffer so a
 * record is written out whole or not at all.
 */
#ifndef PICOVISOR_TRACE_OUT_H
#define PICOVISOR_TRACE_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf {
	char *data;
	size_t len, cap;
};

void sb_putc(struct strbuf *b, char c);
void sb_put(struct strbuf *b, const char *s, size_t n);
void sb_puts(struct strbuf *b, const char *s);
__attribute__((format(printf, 2, 3))) void sb_printf(struct strbuf *b, const char *fmt, ...);
void sb_free(struct strbuf *b);

enum trace_format {
	FORMAT_JSONL,
	FORMAT_TEXT,
};

#define TOUT_MAX_DEPTH 16

/* How text shows an fd (JSON records always carry its target): strace -yy's way is the default. */
enum tout_fd_detail {
	TOUT_FD_ENDPOINTS, /* 3</etc/passwd>, sockets as TCP:[local->peer] (strace -yy) */
	TOUT_FD_PATH,      /* 3</etc/passwd>, sockets as socket:[inode] (strace -y) */
	TOUT_FD_NUMBER,    /* 3 (strace without -y) */
};

struct tout {
	struct strbuf *b;
	enum trace_format fmt;
	int depth;
	int untracked; /* levels opened past TOUT_MAX_DEPTH */
	bool need_comma[TOUT_MAX_DEPTH];
	/* text: keys are shown inside structs but not for a call's positional arguments */
	bool positional[TOUT_MAX_DEPTH];
	/* text only, set after tout_init (trace -y, -yy, --no-abbrev): */
	enum tout_fd_detail fd_detail;
	bool no_abbrev; /* environments and long argv arrays in full; text: stat and statx whole */
};

void tout_init(struct tout *o, struct strbuf *b, enum trace_format fmt);
/* key is NULL inside arrays. positional: text shows the members without their keys. */
void tout_begin_object(struct tout *o, const char *key, bool positional);
void tout_end_object(struct tout *o);
void tout_begin_array(struct tout *o, const char *key);
void tout_end_array(struct tout *o);
void tout_int(struct tout *o, const char *key, long long v);
void tout_uint(struct tout *o, const char *key, unsigned long long v);
void tout_hex(struct tout *o, const char *key, unsigned long long v); /* JSON: "0x..." string */
void tout_octal(struct tout *o, const char *key, unsigned long long v); /* JSON: "0644" string */
void tout_symbol(struct tout *o, const char *key, const char *sym); /* JSON: string; text: bare */
void tout_null(struct tout *o, const char *key);
void tout_bool(struct tout *o, const char *key, bool v);
/* A string of bytes; NUL-terminated. */
void tout_string(struct tout *o, const char *key, const char *s);
/*
 * Bytes that may hold anything. If len > shown, the value is cut: JSON writes
 * {"data": first shown bytes, "len": len}; text writes "..."... like strace.
 */
void tout_bytes(struct tout *o, const char *key, const void *data, size_t shown, size_t len);
void tout_bytes_hex(struct tout *o, const char *key, const void *data, size_t shown, size_t len); /* text: all \\xHH */
/* Escape bytes into a JSON string body (no quotes): valid UTF-8 as is, other bytes as \udcXX. */
void json_escape(struct strbuf *b, const void *data, size_t len);

#endif
