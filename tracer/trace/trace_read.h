/*
 * Reading JSON Lines traces back (docs/trace-format.md): a small JSON parser,
 * a record reader that checks the format and names the line of any fault, and
 * the two readers built on it, summary and diff.
 */
#ifndef PICOVISOR_TRACE_READ_H
#define PICOVISOR_TRACE_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct run_options;
struct strbuf;

enum json_type {
	JSON_NULL,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json {
	enum json_type type;
	bool b;
	double num;
	long long i;          /* the number, when it is an integer */
	bool is_int;
	char *s;              /* strings: bytes (a \\udcXX escape is the byte XX), NUL-terminated */
	size_t len;
	/* arrays and objects */
	struct json *items;
	char **keys;          /* objects only */
	size_t n;
};

/* Parse one JSON text. NULL and *err (static text, with *col) on a fault. */
struct json *json_parse(const char *text, size_t len, const char **err, size_t *col);
void json_free(struct json *j); /* only what json_parse returned: its values go with it */
const struct json *json_get(const struct json *obj, const char *key);
const char *json_str(const struct json *obj, const char *key); /* NULL unless a string */
long long json_int(const struct json *obj, const char *key, long long dflt);
/* Render a value back as compact JSON (for the diff's lines). */
void json_render(const struct json *j, struct strbuf *out);

/*
 * Read a trace line by line, checking each record, and hand each to fn (the
 * record is freed after). fn returns 0 to go on. 0 at the end, or -1 after
 * printing "FILE:LINE: what is wrong" (or fn's own nonzero). *complete: it
 * ended with its end record.
 */
typedef int (*trace_record_fn)(const struct json *rec, size_t line, void *ctx);
int trace_file_scan(const char *path, trace_record_fn fn, void *ctx, bool *complete);

int summary_main(const struct run_options *o);
/* summary --files / --net (summary_files.c). */
int summary_uses_main(const struct run_options *o);
int diff_main(const struct run_options *o);

#endif
