/* Reading a whole JSON Lines trace and checking it (tracer/trace/trace_read.h). */
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

int trace_file_scan(const char *path, trace_record_fn fn, void *ctx, bool *complete)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "re");
	char *text = NULL;
	size_t cap = 0, line = 0;
	ssize_t len;
	bool ended = false;
	int rc = 0;

	*complete = false;
	if (!f) {
		fprintf(stderr, "picovisor: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && (len = getline(&text, &cap, f)) > 0) {
		size_t col;
		const char *err;
		struct json *r;
		long long v;

		line++;
		if (text[len - 1] != '\n') {
			rc = bad(path, line, "the last line is cut short (no newline): the trace is truncated");
			break;
		}
		r = json_parse(text, (size_t)len - 1, &err, &col);
		if (!r) {
			rc = bad(path, line, "column %zu: %s: not a trace record", col, err);
			break;
		}
		if (r->type != JSON_OBJECT) {
			rc = bad(path, line, "a record must be a JSON object");
		} else if ((v = json_int(r, "v", -1)) > TRACE_FORMAT_VERSION) {
			rc = bad(path, line, "format version %lld, newer than this picovisor reads (%d): use a newer picovisor",
				 v, TRACE_FORMAT_VERSION);
		} else if (v < 1) {
			rc = bad(path, line, "a record without a format version \"v\": not a picovisor trace");
		} else if (line == 1 && (!json_str(r, "format") || strcmp(json_str(r, "format"), "picovisor-trace") != 0 ||
					 strcmp(json_str(r, "type") ? json_str(r, "type") : "", "start") != 0)) {
			rc = bad(path, line, "not a picovisor trace (it must start with the start record)");
		} else if ((err = check_record(r)) != NULL) {
			rc = bad(path, line, "%s", err);
		} else if (ended) {
			rc = bad(path, line, "a record after the end record: two traces run together?");
		} else {
			ended = strcmp(json_str(r, "type"), "end") == 0;
			rc = fn(r, line, ctx);
		}
		json_free(r);
	}
	if (rc == 0 && ferror(f)) {
		fprintf(stderr, "picovisor: cannot read %s: %s\n", path, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && line == 0)
		rc = bad(path, 1, "empty file: not a picovisor trace");
	free(text);
	if (f != stdin)
		fclose(f);
	*complete = ended;
	return rc;
}
