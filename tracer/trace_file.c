/* Reading a whole JSON Lines trace and checking it (include/trace_read.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "trace_read.h"
#include "util.h"

__attribute__((format(printf, 3, 4))) static int bad(const char *path, size_t line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "picovisor: %s:%zu: ", path, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "re");
	struct strbuf b = { 0 };
	char chunk[65536];
	size_t n;

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sb_put(&b, chunk, n);
	if (ferror(f)) {
		int err = errno;
		if (f != stdin)
			fclose(f);
		sb_free(&b);
		errno = err;
		return NULL;
	}
	if (f != stdin)
		fclose(f);
	*len = b.len;
	return b.data ? b.data : xstrdup("");
}

/* The fields every record of a type must have, with their JSON types. */
static const char *check_record(const struct json *r)
{
	const char *type = json_str(r, "type");
	const struct json *seq = json_get(r, "seq"), *t = json_get(r, "t");

	if (!type)
		return "a record without a \"type\"";
	if (!seq || seq->type != JSON_NUMBER || !t || t->type != JSON_NUMBER)
		return "a record without a numeric \"seq\" and \"t\"";
	if (strcmp(type, "start") == 0 || strcmp(type, "end") == 0)
		return NULL;
	if (!json_get(r, "pid") || json_get(r, "pid")->type != JSON_NUMBER || !json_get(r, "tid") ||
	    json_get(r, "tid")->type != JSON_NUMBER)
		return "a record without a numeric \"pid\" and \"tid\"";
	if (strcmp(type, "syscall") == 0) {
		const struct json *ret = json_get(r, "ret"), *args = json_get(r, "args");
		if (!json_str(r, "name"))
			return "a syscall record without a \"name\"";
		if (!args || args->type != JSON_OBJECT)
			return "a syscall record without an \"args\" object";
		if (!ret)
			return "a syscall record without \"ret\"";
	}
	return NULL;
}

int trace_file_read(const char *path, struct trace_file *tf)
{
	size_t len, line = 0, cap = 0;
	char *text = slurp(path, &len), *p, *end;
	int rc = 0;

	memset(tf, 0, sizeof(*tf));
	tf->path = path;
	if (!text) {
		fprintf(stderr, "picovisor: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (len == 0) {
		free(text);
		return bad(path, 1, "empty file: not a picovisor trace");
	}
	end = text + len;
	for (p = text; p < end && rc == 0;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t linelen = nl ? (size_t)(nl - p) : (size_t)(end - p), col;
		const char *err;
		struct json *r;
		long long v;

		line++;
		if (!nl) {
			rc = bad(path, line, "the last line is cut short (no newline): the trace is truncated");
			break;
		}
		r = json_parse(p, linelen, &err, &col);
		p = nl + 1;
		if (!r) {
			rc = bad(path, line, "column %zu: %s: not a trace record", col, err);
			break;
		}
		if (r->type != JSON_OBJECT) {
			json_free(r);
			rc = bad(path, line, "a record must be a JSON object");
			break;
		}
		v = json_int(r, "v", -1);
		if (v > TRACE_FORMAT_VERSION) {
			json_free(r);
			rc = bad(path, line, "format version %lld, newer than this picovisor reads (%d): use a newer picovisor",
				 v, TRACE_FORMAT_VERSION);
			break;
		}
		if (v < 1) {
			json_free(r);
			rc = bad(path, line, "a record without a format version \"v\": not a picovisor trace");
			break;
		}
		if (line == 1 && (!json_str(r, "format") || strcmp(json_str(r, "format"), "picovisor-trace") != 0 ||
				  strcmp(json_str(r, "type") ? json_str(r, "type") : "", "start") != 0)) {
			json_free(r);
			rc = bad(path, line, "not a picovisor trace (it must start with the start record)");
			break;
		}
		if ((err = check_record(r)) != NULL) {
			json_free(r);
			rc = bad(path, line, "%s", err);
			break;
		}
		if (tf->complete) {
			json_free(r);
			rc = bad(path, line, "a record after the end record: two traces run together?");
			break;
		}
		if (strcmp(json_str(r, "type"), "end") == 0)
			tf->complete = true;
		if (tf->n == cap) {
			cap = cap ? cap * 2 : 1024;
			tf->recs = xrealloc(tf->recs, cap * sizeof(*tf->recs));
			tf->lines = xrealloc(tf->lines, cap * sizeof(*tf->lines));
		}
		tf->recs[tf->n] = r;
		tf->lines[tf->n] = line;
		tf->n++;
	}
	free(text);
	if (rc < 0)
		trace_file_free(tf);
	return rc;
}

void trace_file_free(struct trace_file *tf)
{
	for (size_t i = 0; i < tf->n; i++)
		json_free(tf->recs[i]);
	free(tf->recs);
	free(tf->lines);
	tf->recs = NULL;
	tf->lines = NULL;
	tf->n = 0;
}
