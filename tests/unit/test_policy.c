/* The policy language: every directive, its errors with their columns, the profiles, the promise table. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "policy.h"
#include "promises.h"
#include "syscall_table.h"

static int parse(struct policy *p, const char *text, char *err, size_t size)
{
	memset(p, 0, sizeof(*p));
	return policy_parse(p, text, "t.policy", err, size);
}

Test(policy, every_directive)
{
	struct policy p;
	char err[512];
	const char *text = "# a comment\n"
			   "promise stdio rpath   # trailing comment\n"
			   "promise inet\n"
			   "path rwc . \"/tmp/with space\"\n"
			   "path - /etc/shadow\n"
			   "tmpdir\n"
			   "net loopback\n"
			   "connect 127.0.0.1:8080\n"
			   "connect [::1]:443\n"
			   "connect localhost:22\n"
			   "bind 0\n"
			   "limit wall 1.5m\n"
			   "limit cpu 1500ms\n"
			   "limit procs 64\n"
			   "limit memory 512M\n"
			   "limit fsize 10K\n"
			   "limit nofile 100\n"
			   "limit files 5000\n"
			   "on-violation log\n"
			   "map /work /srv/checkout ro\n"
			   "tmp /tmp\n";

	cr_assert_eq(parse(&p, text, err, sizeof(err)), 0, "%s", err);
	cr_expect(p.promises & (1ULL << promise_index("stdio")));
	cr_expect(p.promises & (1ULL << promise_index("inet")));
	cr_expect(!(p.promises & (1ULL << promise_index("exec"))));
	cr_assert_eq(p.npaths, 3);
	cr_expect_str_eq(p.paths[1].path, "/tmp/with space");
	cr_expect_eq(p.paths[1].perms, PERM_R | PERM_W | PERM_C);
	cr_expect_eq(p.paths[2].perms, 0);
	cr_expect_str_eq(p.paths[2].origin, "t.policy:5");
	cr_expect(p.tmpdir);
	cr_expect_eq(p.net, NET_LOOPBACK);
	cr_assert_eq(p.nconnects, 3);
	cr_expect_eq(p.connects[1].family, AF_INET6);
	cr_expect_eq(p.connects[1].port, 443);
	cr_expect_str_eq(p.connects[2].host, "127.0.0.1");
	cr_expect_eq(p.nbinds, 1);
	cr_expect_eq(p.limit[LIMIT_WALL], 90ULL * 1000000000);
	cr_expect_eq(p.limit[LIMIT_CPU], 2, "RLIMIT_CPU is whole seconds, rounded up");
	cr_expect_eq(p.limit[LIMIT_PROCS], 64);
	cr_expect_eq(p.limit[LIMIT_MEMORY], 512ULL << 20);
	cr_expect_eq(p.limit[LIMIT_FSIZE], 10240);
	cr_expect_eq(p.limit[LIMIT_NOFILE], 100);
	cr_expect_eq(p.limit[LIMIT_FILES], 5000);
	cr_expect_eq(p.on_violation, VIOLATION_LOG);
	cr_assert_eq(p.nmaps, 1);
	cr_expect(p.maps[0].read_only);
	cr_expect_str_eq(p.tmps[0], "/tmp");
	policy_free(&p);
}

Test(policy, errors_name_line_column_and_what_was_expected)
{
	static const struct {
		const char *text;
		const char *where; /* "LINE:COL:" */
		const char *says;
	} bad[] = {
		{ "frobnicate\n", "1:1:", "unknown directive 'frobnicate'" },
		{ "\n  promise stdio bogus\n", "2:17:", "unknown promise 'bogus'" },
		{ "promise\n", "1:8:", "expected promise NAME" },
		{ "path rq /tmp\n", "1:7:", "not 'q'" },
		{ "path rr /tmp\n", "1:7:", "'r' given twice" },
		{ "path rw\n", "1:8:", "expected path PERMS PATH" },
		{ "net sometimes\n", "1:5:", "expected none, loopback or any" },
		{ "net none\nnet any\n", "2:1:", "already given on line 1" },
		{ "net any extra\n", "1:9:", "unexpected 'extra'" },
		{ "connect 1.2.3.4\n", "1:9:", "expected HOST:PORT" },
		{ "connect example.com:80\n", "1:9:", "names are not resolved" },
		{ "connect 1.2.3.4:99999\n", "1:17:", "expected a port from 1 to 65535" },
		{ "connect [::1:80\n", "1:9:", "expected [IPv6 address]:PORT" },
		{ "bind -1\n", "1:6:", "expected a port from 0 to 65535" },
		{ "limit wall 10 parsecs\n", "1:15:", "unexpected 'parsecs'" },
		{ "limit wall 10x\n", "1:12:", "expected a duration" },
		{ "limit memory 1Q\n", "1:14:", "expected a size" },
		{ "limit memory 0\n", "1:14:", "expected a size" },
		{ "limit procs 1.5\n", "1:13:", "expected a whole number" },
		{ "limit procs 99999999999999999999999\n", "1:13:", "expected a whole number" },
		{ "limit speed 3\n", "1:7:", "unknown limit 'speed'" },
		{ "path r sub/../x\n", "1:8:", "'..' after a name" },
		{ "path r /a/b/..\n", "1:8:", "'..' after a name" },
		{ "limit files 10K\n", "1:13:", "expected a whole number" },
		{ "limit files 0\n", "1:13:", "expected a whole number" },
		{ "on-violation shrug\n", "1:14:", "expected deny, kill or log" },
		{ "promise stdio\nprofile ci\n", "2:1:", "'profile' must come first" },
		{ "profile nosuch\n", "1:9:", "unknown profile 'nosuch'" },
		{ "path r \"unterminated\n", "1:8:", "does not end" },
		{ "map relative /x\n", "1:5:", "absolute guest path" },
		{ "map /a /b rw\n", "1:11:", "expected ro" },
		{ "tmp\n", "1:4:", "expected tmp GUEST" },
		{ "net none\nconnect 127.0.0.1:80\n", "2:", "contradicts 'net none'" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct policy p;
		char err[512] = "", where[64];

		cr_expect_eq(parse(&p, bad[i].text, err, sizeof(err)), -1, "%s parsed", bad[i].text);
		snprintf(where, sizeof(where), "t.policy:%s", bad[i].where);
		cr_expect(strncmp(err, where, strlen(where)) == 0, "%s: got '%s', want it to start with '%s'", bad[i].text,
			  err, where);
		cr_expect(strstr(err, bad[i].says), "%s: got '%s', want '%s' in it", bad[i].text, err, bad[i].says);
		policy_free(&p);
	}
}

Test(policy, path_rules_are_normalised_when_parsed)
{
	static const struct {
		const char *written, *normal;
	} cases[] = {
		{ "./ro", "ro" },   { "./secret/", "secret" }, { ".", "." },       { "./", "." },
		{ "a//b/./c/", "a/b/c" }, { "../up", "../up" }, { "../../x/./y", "../../x/y" },
		{ "/..", "/" },    { "/../etc", "/etc" },     { "/usr/./lib//", "/usr/lib" }, { "//", "/" },
		{ "...", "..." },  { ".hidden/", ".hidden" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct policy p;
		char text[128], err[512] = "";

		snprintf(text, sizeof(text), "path r \"%s\"\n", cases[i].written);
		cr_assert_eq(parse(&p, text, err, sizeof(err)), 0, "%s: %s", cases[i].written, err);
		cr_expect_str_eq(p.paths[0].path, cases[i].normal, "%s", cases[i].written);
		policy_free(&p);
	}
}

Test(policy, profiles_parse_and_override)
{
	struct policy p;
	char err[512];

	for (int i = 0; policy_profile_names[i]; i++) {
		cr_expect_eq(policy_load(&p, policy_profile_names[i], err, sizeof(err)), 0, "%s: %s", policy_profile_names[i],
			     err);
		policy_free(&p);
	}
	cr_assert_eq(parse(&p, "profile ci\nnet loopback\nlimit wall 1m\npath - /etc\n", err, sizeof(err)), 0, "%s", err);
	cr_expect_str_eq(p.name, "ci");
	cr_expect_eq(p.net, NET_LOOPBACK, "a file overrides its profile");
	cr_expect_eq(p.limit[LIMIT_WALL], 60ULL * 1000000000);
	cr_expect_eq(p.limit[LIMIT_PROCS], 256, "and keeps the rest");
	cr_expect(p.limit_set[LIMIT_FILES] && p.limit[LIMIT_FILES] == 8192, "ci bounds the open files of the run");
	cr_expect(p.tmpdir);
	cr_expect_eq(p.paths[p.npaths - 1].perms, 0, "later lines narrow");
	policy_free(&p);
	cr_assert_eq(policy_load(&p, "strict", err, sizeof(err)), 0);
	cr_expect(!(p.promises & (1ULL << promise_index("exec"))), "strict runs nothing else");
	cr_expect_eq(p.net, NET_NONE);
	policy_free(&p);
	cr_expect_eq(policy_load(&p, "/nonexistent/policy", err, sizeof(err)), -1);
	cr_expect(strstr(err, "No such file"), "%s", err);
	policy_free(&p);
}

Test(policy, missing_paths_warn)
{
	struct policy p;
	char err[512];

	cr_assert_eq(parse(&p, "path r /nonexistent/x /etc\n", err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(p.nwarnings, 1);
	cr_expect(strstr(p.warnings[0], "t.policy:1:8: /nonexistent/x"), "%s", p.warnings[0]);
	policy_free(&p);
}

Test(promises, sorted_and_over_the_syscall_table)
{
	int count, ncalls;
	const struct promise *t = promise_table(&count);
	const struct syscall_entry *calls = syscall_table(ABI_X86_64, &ncalls);

	cr_assert_lt(count, 64, "a policy keeps its promises in a 64-bit set");
	for (int i = 0; i < count; i++) {
		if (i)
			cr_expect_lt(strcmp(t[i - 1].name, t[i].name), 0, "%s after %s", t[i].name, t[i - 1].name);
		cr_expect_eq(promise_index(t[i].name), i);
	}
	cr_expect_eq(count, PROMISE_COUNT);
	cr_expect_leq(count, 64 - PROMISE_SHIFT, "a table row keeps its promises above PROMISE_SHIFT");
	for (int i = 0; i < ncalls; i++)
		cr_expect_eq(syscall_promises(&calls[i]) >> count, 0u, "%s: a promise bit past the table", calls[i].name);
	for (int p = 0; p < count; p++) {
		int n = 0;

		for (int i = 0; i < ncalls; i++)
			n += (int)(syscall_promises(&calls[i]) >> p & 1);
		cr_expect_gt(n, 0, "promise %s holds no call", t[p].name);
	}
	cr_expect_eq(promise_index("nosuch"), -1);
}
