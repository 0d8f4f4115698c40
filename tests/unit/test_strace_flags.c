/* trace's strace flags: how they parse, what they imply and refuse, and -e signal= (docs/trace.md). */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <signal.h>
#include <string.h>

#include "../../tracer/run/options.h"
#include "trace.h"

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

Test(strace_flags, text_flags_choose_text_even_with_a_file)
{
	struct run_options o;
	const char *args[] = { "picovisor", "trace", "-o", "t.txt", "-tt", "-T", "-yy", "-f", "--", "ls", NULL };

	cr_assert_eq(parse(&o, args), 0);
	cr_expect_eq(o.trace_format, FORMAT_TEXT);
	cr_expect_eq(o.timestamps, 2);
	cr_expect(o.syscall_times);
	cr_expect_eq(o.fd_detail, 2);
	cr_expect(!o.per_process_files, "-f alone follows (always), it does not split");
}

Test(strace_flags, a_file_alone_is_still_json)
{
	struct run_options o;
	const char *args[] = { "picovisor", "trace", "-o", "t.jsonl", "-e", "trace=openat", "--", "ls", NULL };

	cr_assert_eq(parse(&o, args), 0);
	cr_expect_eq(o.trace_format, FORMAT_JSONL);
}

Test(strace_flags, stdout_and_pipe_are_text)
{
	struct run_options o;
	const char *dash[] = { "picovisor", "trace", "-o", "-", "--", "ls", NULL };
	const char *pipe[] = { "picovisor", "trace", "-o", "|grep open", "--", "ls", NULL };

	cr_assert_eq(parse(&o, dash), 0);
	cr_expect_eq(o.trace_format, FORMAT_TEXT);
	cr_assert_eq(parse(&o, pipe), 0);
	cr_expect_eq(o.trace_format, FORMAT_TEXT);
}

Test(strace_flags, ff_wants_a_file, .init = cr_redirect_stderr)
{
	struct run_options o;
	const char *none[] = { "picovisor", "trace", "-ff", "--", "ls", NULL };
	const char *file[] = { "picovisor", "trace", "-ff", "-o", "out", "--", "ls", NULL };

	cr_expect_eq(parse(&o, none), 125);
	cr_assert_eq(parse(&o, file), 0);
	cr_expect(o.per_process_files);
	cr_expect_eq(o.trace_format, FORMAT_TEXT);
}

Test(strace_flags, json_with_a_text_flag_is_refused, .init = cr_redirect_stderr)
{
	struct run_options o;
	const char *args[] = { "picovisor", "trace", "-F", "jsonl", "-c", "--", "ls", NULL };

	cr_expect_eq(parse(&o, args), 125);
}

Test(strace_flags, c_and_C_exclude_each_other, .init = cr_redirect_stderr)
{
	struct run_options o;
	const char *both[] = { "picovisor", "trace", "-c", "-C", "--", "ls", NULL };
	const char *sorted[] = { "picovisor", "trace", "-c", "-S", "calls", "--", "ls", NULL };
	const char *bad_sort[] = { "picovisor", "trace", "-c", "-S", "mood", "--", "ls", NULL };

	cr_expect_eq(parse(&o, both), 125);
	cr_assert_eq(parse(&o, sorted), 0);
	cr_expect_eq(o.summary, 1);
	cr_expect_neq(o.summary_sort, 0);
	cr_expect_eq(parse(&o, bad_sort), 125);
}

Test(strace_flags, attach_takes_no_program_and_no_policy, .init = cr_redirect_stderr)
{
	struct run_options o;
	const char *attach[] = { "picovisor", "trace", "-p", "123", "--attach", "456", NULL };
	const char *with_program[] = { "picovisor", "trace", "-p", "123", "--", "ls", NULL };
	const char *with_policy[] = { "picovisor", "trace", "-p", "123", "--policy", "ci", NULL };
	const char *with_map[] = { "picovisor", "trace", "-p", "123", "--map", "/w=/tmp", NULL };
	const char *not_a_pid[] = { "picovisor", "trace", "-p", "12x", NULL };
	const char *in_run[] = { "picovisor", "run", "-p", "123", "--", "ls", NULL };

	cr_assert_eq(parse(&o, attach), 0);
	cr_expect_eq(o.nattach, 2);
	cr_expect_eq(o.attach_pids[0], 123);
	cr_expect_eq(o.attach_pids[1], 456);
	cr_expect_null(o.argv);
	cr_expect_eq(parse(&o, with_program), 125);
	cr_expect_eq(parse(&o, with_policy), 125, "an attached process is never put under a policy");
	cr_expect_eq(parse(&o, with_map), 125);
	cr_expect_eq(parse(&o, not_a_pid), 125);
	cr_expect_eq(parse(&o, in_run), 125);
}

Test(strace_flags, z_and_Z_are_status_expressions)
{
	struct run_options o;
	const char *args[] = { "picovisor", "trace", "-Z", "--", "ls", NULL };

	cr_assert_eq(parse(&o, args), 0);
	cr_assert_eq(o.trace_nexprs, 1);
	cr_expect_str_eq(o.trace_exprs[0], "status=failed");
}

Test(strace_flags, k_is_refused_clearly, .init = cr_redirect_stderr)
{
	struct run_options o;
	const char *args[] = { "picovisor", "trace", "-k", "--", "ls", NULL };

	cr_expect_eq(parse(&o, args), 125);
	fflush(stderr);
	cr_expect_stderr_eq_str("picovisor: -k: this picovisor is not built with -k support (stack traces need libdw or "
				"libunwind; docs/trace.md)\nTry 'picovisor --help' for more information.\n");
}

Test(strace_flags, signal_sets)
{
	struct trace_selection s;
	char err[256];

	trace_selection_all(&s);
	cr_expect(trace_selection_has_signal(&s, SIGUSR1), "every signal by default");
	cr_assert_eq(trace_selection_apply(&s, "signal=SIGUSR2,INT", err, sizeof(err)), 0, "%s", err);
	cr_expect(trace_selection_has_signal(&s, SIGUSR2));
	cr_expect(trace_selection_has_signal(&s, SIGINT));
	cr_expect(!trace_selection_has_signal(&s, SIGUSR1));
	cr_assert_eq(trace_selection_apply(&s, "s=!10", err, sizeof(err)), 0, "%s", err);
	cr_expect(!trace_selection_has_signal(&s, SIGUSR1));
	cr_expect(trace_selection_has_signal(&s, SIGCHLD));
	cr_assert_eq(trace_selection_apply(&s, "signals=none", err, sizeof(err)), 0, "%s", err);
	cr_expect(!trace_selection_has_signal(&s, SIGCHLD));
	cr_expect_eq(trace_selection_apply(&s, "signal=SIGNOPE", err, sizeof(err)), -1);
	cr_expect_eq(trace_selection_apply(&s, "signal=65", err, sizeof(err)), -1);
	cr_expect(trace_selection_has(&s, ABI_X86_64, 0), "signal= leaves the calls selected as they were");
}
