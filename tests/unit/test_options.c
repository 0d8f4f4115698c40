/* The command line and PATH lookup. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../tracer/run/options.h"

static int parse(struct run_options *o, const char *const *args)
{
	int argc = 0;
	static char *argv[32];

	while (args[argc]) {
		argv[argc] = (char *)args[argc];
		argc++;
	}
	argv[argc] = NULL;
	return options_parse(argc, argv, o);
}

Test(options, run_with_options_and_program)
{
	struct run_options o;
	const char *args[] = { "picovisor", "run", "--kernel-loader", "-vv", "--", "ls", "-l", "--", NULL };

	cr_assert_eq(parse(&o, args), 0);
	cr_expect_eq(o.command, CMD_RUN);
	cr_expect(o.kernel_loader);
	cr_expect_eq(o.verbose, 2);
	cr_expect_str_eq(o.argv[0], "ls");
	cr_expect_str_eq(o.argv[1], "-l");
	cr_expect_str_eq(o.argv[2], "--", "the program's own -- is its argument");
	cr_expect_str_eq(o.personality, "linux");
}

Test(options, program_options_are_not_ours)
{
	struct run_options o;
	const char *args[] = { "picovisor", "run", "ls", "-v", NULL };

	cr_assert_eq(parse(&o, args), 0);
	cr_expect_not(o.verbose);
	cr_expect_str_eq(o.argv[1], "-v");
}

Test(options, usage_errors_are_125, .init = cr_redirect_stderr)
{
	struct run_options o;
	const char *none[] = { "picovisor", NULL };
	const char *noprog[] = { "picovisor", "run", "--", NULL };
	const char *bogus[] = { "picovisor", "run", "--bogus", "x", NULL };
	const char *bad_build[] = { "picovisor", "run", "--nt-build", "9200", "x", NULL };
	const char *bad_drive[] = { "picovisor", "run", "--drive", "C=/tmp", "x", NULL };
	const char *missing_drive[] = { "picovisor", "run", "--drive", "E:=/nonexistent/dir", "x", NULL };
	const char *unknown_pers[] = { "picovisor", "run", "--personality", "dos", "x", NULL };
	const char *cmd[] = { "picovisor", "launch", NULL };

	cr_expect_eq(parse(&o, none), 125);
	cr_expect_eq(parse(&o, noprog), 125);
	cr_expect_eq(parse(&o, bogus), 125);
	cr_expect_eq(parse(&o, bad_build), 125, "a Windows build picovisor has no table for");
	cr_expect_eq(parse(&o, bad_drive), 125, "--drive without X:=");
	cr_expect_eq(parse(&o, missing_drive), 125, "a drive's directory must exist");
	cr_expect_eq(parse(&o, unknown_pers), 125);
	cr_expect_eq(parse(&o, cmd), 125);
}

Test(options, help_and_version)
{
	struct run_options o;
	const char *help[] = { "picovisor", "--help", NULL };
	const char *runhelp[] = { "picovisor", "run", "--help", NULL };
	const char *version[] = { "picovisor", "--version", NULL };

	cr_expect_eq(parse(&o, help), 0);
	cr_expect_eq(o.command, CMD_HELP);
	cr_expect_eq(parse(&o, runhelp), 0);
	cr_expect_eq(o.command, CMD_HELP);
	cr_expect_eq(parse(&o, version), 0);
	cr_expect_eq(o.command, CMD_VERSION);
}

Test(options, path_lookup_like_execvp)
{
	char *p = NULL;

	cr_expect_eq(resolve_program("sh", "/nonexistent:/usr/bin:/bin", &p), 0);
	cr_expect_str_eq(p, "/usr/bin/sh");
	free(p);
	cr_expect_eq(resolve_program("./relative", "/usr/bin", &p), 0, "a name with a slash is used as is");
	cr_expect_str_eq(p, "./relative");
	free(p);
	cr_expect_eq(resolve_program("no-such-program-xyz", "/usr/bin:/bin", &p), -ENOENT);
	cr_expect_eq(resolve_program("passwd", "/etc", &p), -EACCES, "found but not executable");
}

Test(options, trace_and_its_defaults)
{
	struct run_options o;
	const char *to_file[] = { "picovisor", "trace", "-o", "t.jsonl", "-e", "trace=%file", "-e", "status=failed",
				  "-s", "64", "--no-coschedule", "--", "ls", NULL };
	const char *to_stderr[] = { "picovisor", "trace", "ls", NULL };
	const char *run_trace[] = { "picovisor", "run", "--trace", "r.jsonl", "-F", "text", "true", NULL };

	cr_assert_eq(parse(&o, to_file), 0);
	cr_expect_eq(o.command, CMD_TRACE);
	cr_expect(o.tracing);
	cr_expect_str_eq(o.trace_output, "t.jsonl");
	cr_expect_eq(o.trace_format, FORMAT_JSONL, "a file gets JSON Lines");
	cr_expect_eq(o.trace_nexprs, 2);
	cr_expect_str_eq(o.trace_exprs[1], "status=failed");
	cr_expect_eq(o.trace_strsize, 64);
	cr_expect(!o.coschedule);
	cr_expect_str_eq(o.argv[0], "ls");

	cr_assert_eq(parse(&o, to_stderr), 0);
	cr_expect_null(o.trace_output);
	cr_expect_eq(o.trace_format, FORMAT_TEXT, "standard error gets text");
	cr_expect_eq(o.trace_strsize, 32);
	cr_expect(o.coschedule);

	cr_assert_eq(parse(&o, run_trace), 0);
	cr_expect_eq(o.command, CMD_RUN);
	cr_expect(o.tracing);
	cr_expect_str_eq(o.trace_output, "r.jsonl");
	cr_expect_eq(o.trace_format, FORMAT_TEXT);
}

Test(options, summary_and_diff)
{
	struct run_options o;
	const char *summary[] = { "picovisor", "summary", "--by-process", "t.jsonl", NULL };
	const char *diff[] = { "picovisor", "diff", "--json", "--ignore", "^/tmp/", "--ignore", "x", "a", "b", NULL };

	cr_assert_eq(parse(&o, summary), 0);
	cr_expect_eq(o.command, CMD_SUMMARY);
	cr_expect(o.by_process);
	cr_expect_str_eq(o.trace_files[0], "t.jsonl");
	cr_assert_eq(parse(&o, diff), 0);
	cr_expect_eq(o.command, CMD_DIFF);
	cr_expect(o.json);
	cr_expect_eq(o.nignore, 2);
	cr_expect_str_eq(o.ignore[0], "^/tmp/");
	cr_expect_str_eq(o.trace_files[1], "b");
}

Test(options, tracing_mistakes_are_named, .init = cr_redirect_stderr)
{
	static const char *const bad[][8] = {
		{ "picovisor", "run", "-o", "f", "ls", NULL },
		{ "picovisor", "trace", "--trace", "f", "ls", NULL },
		{ "picovisor", "run", "-e", "trace=open", "ls", NULL },
		{ "picovisor", "trace", "-F", "xml", "ls", NULL },
		{ "picovisor", "trace", "-s", "-1", "ls", NULL },
		{ "picovisor", "trace", "-s", "lots", "ls", NULL },
		{ "picovisor", "diff", "a", NULL },
		{ "picovisor", "summary", "--json", "a", NULL },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct run_options o;

		cr_expect_eq(parse(&o, bad[i]), 125, "case %zu", i);
	}
}

Test(options, no_landlock_is_a_sandbox_option, .init = cr_redirect_stderr)
{
	struct run_options o;
	const char *alone[] = { "picovisor", "run", "--no-landlock", "--", "true", NULL };
	const char *both[] = { "picovisor", "run", "--require-landlock", "--no-landlock", "--", "true", NULL };

	cr_assert_eq(parse(&o, alone), 0);
	cr_expect(o.no_landlock);
	cr_expect(o.sandbox, "--no-landlock implies the sandbox personality");
	cr_expect_str_eq(o.personality, "sandbox");
	cr_expect_eq(parse(&o, both), 125, "--require-landlock and --no-landlock contradict each other");
}
