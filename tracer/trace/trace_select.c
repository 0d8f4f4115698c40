/* -e expressions, like strace's: which calls are traced and which results recorded. */
#define _GNU_SOURCE
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arch.h"
#include "decode.h"
#include "trace.h"
#include "util.h"

static const struct {
	const char *name;
	uint32_t flag;
} classes[] = {
	{ "clock", CL_CLOCK }, { "creds", CL_CREDS }, { "desc", CL_DESC }, { "file", CL_FILE }, { "ipc", CL_IPC },
	{ "memory", CL_MEMORY }, { "net", CL_NETWORK }, { "network", CL_NETWORK }, { "process", CL_PROCESS },
	{ "signal", CL_SIGNAL },
};

/* The machine's ABIs a trace records (include/arch.h: not x32), and NT, named from the selected Windows build's table. */
static bool abi_traced(enum abi abi)
{
	const struct arch_abi *a = arch_abi_info(abi);

	return abi == ABI_NT || (a && a->traced);
}

static void set_bit(struct trace_selection *s, enum abi abi, int nr, bool on)
{
	if (nr < 0 || nr >= 1024)
		return;
	if (on)
		s->nr[abi][nr / 8] |= (uint8_t)(1u << (nr % 8));
	else
		s->nr[abi][nr / 8] &= (uint8_t)~(1u << (nr % 8));
}

bool trace_selection_has(const struct trace_selection *s, enum abi abi, long nr)
{
	if (abi >= ABI_COUNT || nr < 0 || nr >= 1024)
		return s->unknown;
	return (s->nr[abi][nr / 8] >> (nr % 8)) & 1;
}

static void set_all(struct trace_selection *s, bool on)
{
	memset(s->nr, on ? 0xff : 0, sizeof(s->nr));
	s->unknown = on;
}

void trace_selection_all(struct trace_selection *s)
{
	memset(s, 0, sizeof(*s));
	s->any = true;
	set_all(s, true);
	s->status = STATUS_ALL;
	s->signals = ~0ull;
}

bool trace_selection_has_signal(const struct trace_selection *s, int sig)
{
	return sig < 1 || sig > 64 || ((s->signals >> (sig - 1)) & 1);
}

/* A signal by name (SIGINT or INT, SIGRTMIN+N) or number: 1..64, or 0. */
static int signal_number(const char *item)
{
	char *end;
	long v = strtol(item, &end, 10);

	if (end != item && !*end)
		return v >= 1 && v <= 64 ? (int)v : 0;
	for (int sig = 1; sig <= 64; sig++) {
		char name[32];

		signal_name(sig, name, sizeof(name));
		if (strcasecmp(item, name) == 0 || strcasecmp(item, name + 3) == 0)
			return sig;
	}
	return 0;
}

/* strace's names of the signal= qualifier (a table: "signal" is a system call's name too). */
static bool is_signal_qualifier(const char *q)
{
	static const char *const names[] = { "signal", "signals", "s" };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(q, names[i]) == 0)
			return true;
	return false;
}

/* -e signal=[!]SET: which deliveries are recorded (the first says which; later ones add or, with !, remove). */
static int apply_signals(struct trace_selection *s, const char *list, bool negate, char *err, size_t errsize)
{
	uint64_t bits = 0;
	char *copy = xstrdup(list), *save = NULL;
	int rc = 0;

	for (char *item = strtok_r(copy, ",", &save); item && rc == 0; item = strtok_r(NULL, ",", &save)) {
		int sig;

		if (strcmp(item, "all") == 0)
			bits = ~0ull;
		else if (strcmp(item, "none") == 0)
			;
		else if ((sig = signal_number(item)) > 0)
			bits |= 1ull << (sig - 1);
		else {
			snprintf(err, errsize, "unknown signal '%s' (a name such as SIGINT or INT, or a number 1-64)", item);
			rc = -1;
		}
	}
	free(copy);
	if (rc == 0)
		s->signals = negate ? ~bits : bits;
	return rc;
}

/* Mark every call that one item names: a name, %class, /regex, all or none. 0 or -1 with err. */
static int apply_item(struct trace_selection *s, const char *item, bool on, char *err, size_t errsize)
{
	bool optional = item[0] == '?';
	int matched = 0;

	if (optional)
		item++;
	if (strcmp(item, "all") == 0 || strcmp(item, "none") == 0) {
		set_all(s, on == (strcmp(item, "all") == 0));
		return 0;
	}
	if (item[0] == '%') {
		uint32_t flag = 0;

		for (size_t i = 0; i < ARRAY_SIZE(classes); i++)
			if (strcmp(item + 1 + (item[1] == '%'), classes[i].name) == 0)
				flag = classes[i].flag;
		if (!flag) {
			snprintf(err, errsize, "unknown class '%s': the classes are %%file %%desc %%network %%process "
					       "%%signal %%ipc %%memory %%creds %%clock", item);
			return -1;
		}
		for (enum abi abi = 0; abi < ABI_COUNT; abi++) {
			int count = 0;
			const struct syscall_entry *t = abi_traced(abi) ? syscall_table(abi, &count) : NULL;

			for (int i = 0; i < count; i++)
				if (syscall_classes(abi, &t[i]) & flag)
					set_bit(s, abi, t[i].nr, on), matched++;
		}
		return 0;
	}
	if (item[0] == '/') {
		regex_t re;

		if (regcomp(&re, item + 1, REG_EXTENDED | REG_NOSUB) != 0) {
			snprintf(err, errsize, "'%s' is not a valid regular expression", item + 1);
			return -1;
		}
		for (enum abi abi = 0; abi < ABI_COUNT; abi++) {
			int count = 0;
			const struct syscall_entry *t = abi_traced(abi) ? syscall_table(abi, &count) : NULL;

			for (int i = 0; i < count; i++)
				if (regexec(&re, t[i].name, 0, NULL, 0) == 0)
					set_bit(s, abi, t[i].nr, on), matched++;
		}
		regfree(&re);
		if (!matched && !optional) {
			snprintf(err, errsize, "no system call matches /%s", item + 1);
			return -1;
		}
		return 0;
	}
	for (enum abi abi = 0; abi < ABI_COUNT; abi++) {
		int nr = abi_traced(abi) ? syscall_number(abi, item) : -1;

		if (nr >= 0)
			set_bit(s, abi, nr, on), matched++;
	}
	if (!matched && !optional) {
		snprintf(err, errsize, "unknown system call '%s' (prefix it with '?' to ignore that)", item);
		return -1;
	}
	return 0;
}

static int apply_status(struct trace_selection *s, const char *list, bool negate, char *err, size_t errsize)
{
	static const struct {
		const char *name;
		unsigned bits;
	} names[] = {
		{ "all", STATUS_ALL }, { "none", 0 }, { "successful", STATUS_SUCCESSFUL }, { "failed", STATUS_FAILED },
		{ "unfinished", STATUS_UNFINISHED },
	};
	unsigned bits = 0;
	char *copy = xstrdup(list), *save = NULL;

	for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(names); i++)
			if (strcmp(item, names[i].name) == 0)
				break;
		if (i == ARRAY_SIZE(names)) {
			snprintf(err, errsize, "unknown status '%s': the statuses are successful failed unfinished all none",
				 item);
			free(copy);
			return -1;
		}
		bits |= names[i].bits;
	}
	free(copy);
	s->status = negate ? STATUS_ALL & ~bits : bits;
	return 0;
}

int trace_selection_apply(struct trace_selection *s, const char *expr, char *err, size_t errsize)
{
	const char *eq = strchr(expr, '='), *values = eq ? eq + 1 : expr;
	char qualifier[32] = "trace";
	bool negate;
	char *copy, *save = NULL;
	int rc = 0;

	if (eq) {
		if ((size_t)(eq - expr) >= sizeof(qualifier)) {
			snprintf(err, errsize, "unknown qualifier");
			return -1;
		}
		memcpy(qualifier, expr, (size_t)(eq - expr));
		qualifier[eq - expr] = '\0';
	}
	negate = values[0] == '!';
	if (negate)
		values++;
	if (strcmp(qualifier, "status") == 0)
		return apply_status(s, values, negate, err, errsize);
	if (is_signal_qualifier(qualifier))
		return apply_signals(s, values, negate, err, errsize);
	if (strcmp(qualifier, "trace") != 0 && strcmp(qualifier, "t") != 0) {
		snprintf(err, errsize, "the qualifier '%s' is not supported: use trace=SET, status=SET or signal=SET "
				       "(docs/trace.md lists strace's others)", qualifier);
		return -1;
	}
	if (!values[0]) {
		snprintf(err, errsize, "an empty set: name system calls, %%classes or /regexes");
		return -1;
	}
	/* The first trace= says what is traced; later ones add to it or take from it. */
	if (!s->trace_set_given && !negate)
		set_all(s, false);
	s->trace_set_given = true;
	copy = xstrdup(values);
	for (char *item = strtok_r(copy, ",", &save); item && rc == 0; item = strtok_r(NULL, ",", &save))
		rc = apply_item(s, item, !negate, err, errsize);
	free(copy);
	return rc;
}
