/* The command line and PATH lookup. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

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
	const char *pers[] = { "picovisor", "run", "--personality", "nt", "x", NULL };
	const char *unknown_pers[] = { "picovisor", "run", "--personality", "dos", "x", NULL };
	const char *cmd[] = { "picovisor", "launch", NULL };

	cr_expect_eq(parse(&o, none), 125);
	cr_expect_eq(parse(&o, noprog), 125);
	cr_expect_eq(parse(&o, bogus), 125);
	cr_expect_eq(parse(&o, pers), 125, "a personality that does not exist yet says so");
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
