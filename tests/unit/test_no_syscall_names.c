/*
 * Every syscall fact lives in the syscall table (translate/table/): code
 * elsewhere asks a row's flags and argument kinds, never its name. This test
 * reads the sources of tracer/, translate/ and policy/ and fails on a string
 * literal that is a Linux syscall name of the table inside a comparison:
 * strcmp/strncmp/strcasecmp/streq, or a number looked up by name
 * (syscall_number, nr_of) next to == or !=, and on a list of syscall names
 * (two or more in one brace initializer, as promises once had). Looking a
 * number up by name to make a call (inject "openat") stays allowed.
 *
 * Run from the top of the tree (as make check does).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <ctype.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syscall_table.h"

/* Comparisons whose literal happens to spell a syscall name but names something else. */
static const char *const not_syscall_names[] = {
	"strcmp(type, \"exit\")",                   /* a trace record's type */
	"strcmp(key + n - 4, \"time\")",            /* a JSON key's suffix (st_atime) */
	"strcmp(a, \"kill\")",                      /* the policy's on-violation action */
};

static const char *const comparers[] = { "strcmp", "strncmp", "strcasecmp", "strncasecmp", "streq" };
static const char *const number_lookups[] = { "syscall_number", "nr_of" };

static char report[16384];
static size_t report_len;
static int violations, files_read;

static bool is_syscall_name(const char *s, size_t n)
{
	char name[64];

	if (n == 0 || n >= sizeof(name))
		return false;
	memcpy(name, s, n);
	name[n] = '\0';
	return syscall_number(ABI_X86_64, name) >= 0 || syscall_number(ABI_I386, name) >= 0;
}

/* The source with comments blanked out (string and character literals kept), so that prose never counts. */
static void blank_comments(char *s)
{
	for (char *p = s; *p; p++) {
		if (*p == '"' || *p == '\'') {
			char q = *p;

			for (p++; *p && *p != q; p++)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				return;
		} else if (p[0] == '/' && p[1] == '*') {
			char *end = strstr(p + 2, "*/");

			end = end ? end + 2 : p + strlen(p);
			for (; p < end; p++)
				if (*p != '\n')
					*p = ' ';
			p--;
		} else if (p[0] == '/' && p[1] == '/') {
			for (; *p && *p != '\n'; p++)
				*p = ' ';
			if (!*p)
				return;
		}
	}
}

/* The end of the parenthesised argument list that starts at open (one past its ')'), or NULL. */
static const char *args_end(const char *open)
{
	int depth = 0;

	for (const char *p = open; *p; p++) {
		if (*p == '"' || *p == '\'') {
			char q = *p;

			for (p++; *p && *p != q; p++)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				return NULL;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')' && --depth == 0) {
			return p + 1;
		}
	}
	return NULL;
}

/* How many string literals in [from, to) are syscall names. */
static int syscall_names_in(const char *from, const char *to)
{
	int n = 0;

	for (const char *p = from; p < to; p++) {
		const char *start;

		if (*p != '"')
			continue;
		start = ++p;
		while (p < to && *p != '"')
			p += *p == '\\' ? 2 : 1;
		n += is_syscall_name(start, (size_t)(p - start));
	}
	return n;
}

static bool holds_syscall_name(const char *from, const char *to)
{
	return syscall_names_in(from, to) > 0;
}

static bool allowed(const char *from, const char *to)
{
	for (size_t i = 0; i < sizeof(not_syscall_names) / sizeof(not_syscall_names[0]); i++)
		if ((size_t)(to - from) == strlen(not_syscall_names[i]) && memcmp(from, not_syscall_names[i], (size_t)(to - from)) == 0)
			return true;
	return false;
}

static bool next_to_equality(const char *text, const char *from, const char *to)
{
	const char *b = from, *a = to;

	while (b > text && isspace((unsigned char)b[-1]))
		b--;
	while (*a && isspace((unsigned char)*a))
		a++;
	return (b - text >= 2 && (b[-2] == '=' || b[-2] == '!') && b[-1] == '=') || ((a[0] == '=' || a[0] == '!') && a[1] == '=');
}

static void flag(const char *path, const char *text, const char *from, const char *to)
{
	int line = 1;

	for (const char *p = text; p < from; p++)
		line += *p == '\n';
	violations++;
	report_len += (size_t)snprintf(report + report_len, report_len < sizeof(report) ? sizeof(report) - report_len : 0,
				       "%s:%d: %.*s\n", path, line, (int)(to - from > 120 ? 120 : to - from), from);
	if (report_len > sizeof(report))
		report_len = sizeof(report);
}

/* Each call of one of the functions in names whose arguments hold a syscall name; need_equality: only next to ==/!=. */
static void scan_calls(const char *path, const char *text, const char *const *names, size_t count, bool need_equality)
{
	for (size_t k = 0; k < count; k++) {
		size_t len = strlen(names[k]);

		for (const char *p = strstr(text, names[k]); p; p = strstr(p + len, names[k])) {
			const char *open = p + len, *end;

			if ((p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_')))
				continue;
			while (*open == ' ')
				open++;
			if (*open != '(' || !(end = args_end(open)))
				continue;
			if (holds_syscall_name(open, end) && !allowed(p, end) &&
			    (!need_equality || next_to_equality(text, p, end)))
				flag(path, text, p, end);
		}
	}
}

/* Does the brace at p open an initializer (after =, a comma, a brace or an array compound literal's "[])")? */
static bool opens_initializer(const char *text, const char *p)
{
	while (p > text && isspace((unsigned char)p[-1]))
		p--;
	if (p > text && (p[-1] == '=' || p[-1] == ',' || p[-1] == '{'))
		return true;
	return p - text >= 2 && p[-1] == ')' && p[-2] == ']';
}

/* Each innermost brace initializer that lists two syscall names or more. */
static void scan_lists(const char *path, const char *text)
{
	const char *open = NULL;

	for (const char *p = text; *p; p++) {
		if (*p == '"' || *p == '\'') {
			char q = *p;

			for (p++; *p && *p != q; p++)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				return;
		} else if (*p == '{') {
			open = opens_initializer(text, p) ? p : NULL;
		} else if (*p == '}' && open) {
			if (syscall_names_in(open, p) >= 2)
				flag(path, text, open, p + 1);
			open = NULL;
		}
	}
}

static int scan_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	size_t n = strlen(path);
	FILE *f;
	char *text;

	(void)ftw;
	if (type != FTW_F || n < 2 || path[n - 2] != '.' || (path[n - 1] != 'c' && path[n - 1] != 'h') ||
	    strncmp(path, "translate/table/", 16) == 0)
		return 0;
	f = fopen(path, "r");
	cr_assert_not_null(f, "cannot read %s", path);
	text = calloc(1, (size_t)st->st_size + 1);
	cr_assert_not_null(text);
	cr_assert_eq(fread(text, 1, (size_t)st->st_size, f), (size_t)st->st_size, "cannot read %s", path);
	fclose(f);
	blank_comments(text);
	scan_calls(path, text, comparers, sizeof(comparers) / sizeof(comparers[0]), false);
	scan_calls(path, text, number_lookups, sizeof(number_lookups) / sizeof(number_lookups[0]), true);
	scan_lists(path, text);
	free(text);
	files_read++;
	return 0;
}

Test(syscall_facts, no_syscall_name_compared_outside_the_table)
{
	static const char *const roots[] = { "tracer", "translate", "policy" };

	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		cr_assert_eq(nftw(roots[i], scan_file, 16, FTW_PHYS), 0, "cannot walk %s (run from the top of the tree)", roots[i]);
	cr_expect_gt(files_read, 50, "only %d source files read", files_read);
	cr_expect_eq(violations, 0,
		     "%d comparison(s) or list(s) of syscall names outside translate/table/ (add a flag or column to the "
		     "table instead):\n%.*s",
		     violations, (int)report_len, report);
}
