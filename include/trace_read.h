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
void json_free(struct json *j);
const struct json *json_get(const struct json *obj, const char *key);
const char *json_str(const struct json *obj, const char *key); /* NULL unless a string */
long long json_int(const struct json *obj, const char *key, long long dflt);
/* Render a value back as compact JSON (for the diff's lines). */
void json_render(const struct json *j, struct strbuf *out);

struct trace_file {
	const char *path;
	struct json **recs;   /* every record, in file order */
	size_t *lines;        /* the line each came from */
	size_t n;
	bool complete;        /* it ends with an end record */
};

/* Read and check a whole trace. 0, or -1 after printing "FILE:LINE: what is wrong". */
int trace_file_read(const char *path, struct trace_file *tf);
void trace_file_free(struct trace_file *tf);

int summary_main(const struct run_options *o);
int diff_main(const struct run_options *o);

#endif
