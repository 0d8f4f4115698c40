/* The JSON reader of traces, the record writer it must round-trip with, and -e selections. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syscall_table.h"
#include "trace.h"
#include "trace_out.h"
#include "../../tracer/trace/trace_read.h"

static struct json *parse(const char *text)
{
	const char *err;
	size_t col;

	return json_parse(text, strlen(text), &err, &col);
}

Test(json, values_and_lookups)
{
	struct json *j = parse("{\"a\":1,\"b\":-2.5,\"c\":\"x\\ny\",\"d\":[true,false,null],\"e\":{\"f\":18446744073709551615}}");

	cr_assert_not_null(j);
	cr_expect_eq(json_int(j, "a", 0), 1);
	cr_expect_float_eq(json_get(j, "b")->num, -2.5, 1e-9);
	cr_expect_str_eq(json_str(j, "c"), "x\ny");
	cr_expect_eq(json_get(j, "d")->n, 3);
	cr_expect_eq(json_get(j, "d")->items[2].type, JSON_NULL);
	cr_expect_null(json_get(j, "zz"));
	json_free(j);
}

Test(json, arena_holds_large_and_many_values)
{
	/* Values live in one arena per text: big strings beside small ones, arrays and objects that grow past a chunk. */
	struct strbuf text = { 0 };
	struct json *j;
	char key[16];

	sb_puts(&text, "{\"big\":\"");
	for (int i = 0; i < 100000; i++)
		sb_putc(&text, (char)('a' + i % 26));
	sb_puts(&text, "\",\"list\":[");
	for (int i = 0; i < 5000; i++)
		sb_printf(&text, "%s%d", i ? "," : "", i * 7 - 3);
	sb_puts(&text, "]");
	for (int i = 0; i < 3000; i++)
		sb_printf(&text, ",\"k%d\":{\"v\":%d,\"s\":\"s%d\"}", i, i, i);
	sb_puts(&text, "}");
	j = parse(text.data);
	cr_assert_not_null(j);
	cr_expect_eq(json_get(j, "big")->len, 100000);
	cr_expect_eq(json_get(j, "big")->s[99999], 'a' + 99999 % 26);
	cr_expect_eq(json_get(j, "list")->n, 5000);
	cr_expect_eq(json_get(j, "list")->items[4999].i, 4999 * 7 - 3);
	for (int i = 0; i < 3000; i += 499) {
		snprintf(key, sizeof(key), "k%d", i);
		cr_expect_eq(json_int(json_get(j, key), "v", -1), i);
	}
	json_free(j);
	/* The same text cut short: the fault is named and what was parsed goes with the arena. */
	text.data[text.len - 2] = '\0';
	cr_expect_null(parse(text.data));
	sb_free(&text);
}

Test(json, integers_read_at_once_and_the_rest_through_strtod)
{
	struct json *j = parse("[0,-0,7,-12,123456789012345678,1234567890123456789,9223372036854775807,1e3,-2.5,0.5]");

	cr_assert_not_null(j);
	cr_expect_eq(j->items[0].i, 0);
	cr_expect_eq(j->items[2].i, 7);
	cr_expect_eq(j->items[3].i, -12);
	cr_expect_eq(j->items[4].i, 123456789012345678LL);
	cr_expect_eq(j->items[5].i, 1234567890123456789LL);
	cr_expect_eq(j->items[6].i, 9223372036854775807LL);
	cr_expect(j->items[6].is_int);
	cr_expect_float_eq(j->items[7].num, 1000.0, 1e-9);
	cr_expect_not(j->items[8].is_int);
	cr_expect_float_eq(j->items[9].num, 0.5, 1e-9);
	json_free(j);
	cr_expect_null(parse("[1x]"));
	cr_expect_null(parse("[-]"));
}

Test(json, empty_strings_after_others)
{
	/* Strings are parsed through one scratch buffer: an empty one must not see the last one's bytes. */
	struct json *j = parse("{\"a\":\"xyz\",\"\":\"\",\"c\":[\"long string\",\"\"]}");

	cr_assert_not_null(j);
	cr_expect_str_eq(json_str(j, ""), "");
	cr_expect_eq(json_get(j, "")->len, 0);
	cr_expect_str_eq(json_get(j, "c")->items[1].s, "");
	json_free(j);
}

Test(json, faults_name_their_column)
{
	static const struct { const char *text; size_t col; } bad[] = {
		{ "{\"a\":1,}", 8 }, { "{\"a\" 1}", 6 }, { "[1,2", 5 }, { "\"abc", 5 }, { "{\"a\":tru}", 6 }, { "", 1 },
		{ "{} x", 4 }, { "\"\\q\"", 4 }, { "\"\\u12G4\"", 4 },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *err = NULL;
		size_t col = 0;
		struct json *j = json_parse(bad[i].text, strlen(bad[i].text), &err, &col);

		cr_expect_null(j, "%s parsed", bad[i].text);
		cr_expect_not_null(err);
		cr_expect_eq(col, bad[i].col, "%s: column %zu, want %zu (%s)", bad[i].text, col, bad[i].col, err);
		json_free(j);
	}
}

/* Bytes that are not UTF-8 go out as \udcXX and come back as the same bytes. */
Test(json, bytes_round_trip)
{
	unsigned char bytes[256];
	struct strbuf b = { 0 };
	struct json *j;

	for (int i = 0; i < 256; i++)
		bytes[i] = (unsigned char)(255 - i);
	sb_putc(&b, '"');
	json_escape(&b, bytes, sizeof(bytes));
	sb_putc(&b, '"');
	j = parse(b.data);
	cr_assert_not_null(j);
	cr_expect_eq(j->len, sizeof(bytes));
	cr_expect(memcmp(j->s, bytes, sizeof(bytes)) == 0);
	json_free(j);
	sb_free(&b);
}

/* Random damage to a real record: the parser says no or yes, and never crashes or leaks past its input. */
Test(json, mutations_do_not_crash)
{
	static const char rec[] = "{\"v\":1,\"type\":\"syscall\",\"seq\":7,\"t\":0.001234,\"pid\":1,\"tid\":1,\"name\":\"openat\","
				  "\"args\":{\"dfd\":\"AT_FDCWD\",\"filename\":\"/etc/passwd\",\"st\":{\"x\":[1,2,{\"y\":null}]}},"
				  "\"ret\":3,\"ret_target\":\"/etc/passwd\"}";
	char buf[sizeof(rec)];

	srand(42);
	for (int n = 0; n < 20000; n++) {
		const char *err;
		size_t col, len = sizeof(rec) - 1;
		struct json *j;

		memcpy(buf, rec, sizeof(rec));
		for (int k = rand() % 4; k >= 0; k--)
			buf[rand() % len] = (char)(rand() % 256);
		if (rand() % 3 == 0)
			len = (size_t)rand() % len;
		j = json_parse(buf, len, &err, &col);
		if (!j)
			cr_assert(col >= 1 && col <= len + 1, "column %zu out of the input (%zu)", col, len);
		json_free(j);
	}
}

Test(selection, names_classes_negation_status)
{
	struct trace_selection s;
	char err[200];
	int openat = syscall_number(ABI_X86_64, "openat"), read = syscall_number(ABI_X86_64, "read");
	int mmap = syscall_number(ABI_X86_64, "mmap"), socket = syscall_number(ABI_X86_64, "socket");

	trace_selection_all(&s);
	cr_expect(trace_selection_has(&s, ABI_X86_64, read) && s.unknown);
	cr_assert_eq(trace_selection_apply(&s, "trace=openat,%network", err, sizeof(err)), 0, "%s", err);
	cr_expect(trace_selection_has(&s, ABI_X86_64, openat));
	cr_expect(trace_selection_has(&s, ABI_X86_64, socket));
	cr_expect(!trace_selection_has(&s, ABI_X86_64, read));
	cr_expect(trace_selection_has(&s, ABI_I386, syscall_number(ABI_I386, "openat")), "i386 by name too");
	cr_expect(!s.unknown);
	cr_assert_eq(trace_selection_apply(&s, "trace=!openat", err, sizeof(err)), 0);
	cr_expect(!trace_selection_has(&s, ABI_X86_64, openat), "later expressions take away");

	trace_selection_all(&s);
	cr_assert_eq(trace_selection_apply(&s, "!%memory", err, sizeof(err)), 0);
	cr_expect(!trace_selection_has(&s, ABI_X86_64, mmap));
	cr_expect(trace_selection_has(&s, ABI_X86_64, read));
	cr_expect(s.unknown, "a negated set keeps the rest, unknown numbers too");

	trace_selection_all(&s);
	cr_assert_eq(trace_selection_apply(&s, "trace=/^open", err, sizeof(err)), 0);
	cr_expect(trace_selection_has(&s, ABI_X86_64, openat));
	cr_expect(trace_selection_has(&s, ABI_X86_64, syscall_number(ABI_X86_64, "open_by_handle_at")));
	cr_expect(!trace_selection_has(&s, ABI_X86_64, read));

	cr_assert_eq(trace_selection_apply(&s, "status=failed", err, sizeof(err)), 0);
	cr_expect_eq(s.status, STATUS_FAILED);
	cr_assert_eq(trace_selection_apply(&s, "status=!failed", err, sizeof(err)), 0);
	cr_expect_eq(s.status, STATUS_SUCCESSFUL | STATUS_UNFINISHED);

	cr_expect_eq(trace_selection_apply(&s, "trace=nosuch", err, sizeof(err)), -1);
	cr_expect(strstr(err, "nosuch"), "%s", err);
	cr_expect_eq(trace_selection_apply(&s, "trace=?nosuch", err, sizeof(err)), 0);
	cr_expect_eq(trace_selection_apply(&s, "trace=%bogus", err, sizeof(err)), -1);
	cr_expect_eq(trace_selection_apply(&s, "trace=/[", err, sizeof(err)), -1);
	cr_expect_eq(trace_selection_apply(&s, "status=sometimes", err, sizeof(err)), -1);
	cr_expect_eq(trace_selection_apply(&s, "verbose=all", err, sizeof(err)), -1);
	cr_expect_eq(trace_selection_apply(&s, "trace=", err, sizeof(err)), -1);
}
