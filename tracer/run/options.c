/* The command line. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nt.h"
#include "options.h"
#include "../trace/summary_table.h"
#include "util.h"

void options_usage(FILE *out)
{
	fputs("Usage: picovisor run [OPTIONS] [--] PROGRAM [ARG...]\n"
	      "       picovisor trace [-o FILE] [-F jsonl|text] [-e EXPR]... [-s SIZE] [OPTIONS] [--] PROGRAM [ARG...]\n"
	      "       picovisor trace -p PID [-p PID]... [OPTIONS]\n"
	      "       picovisor summary [--by-process | --files | --net] [--json] TRACE\n"
	      "       picovisor diff [--json] [--ignore REGEX]... TRACE_A TRACE_B\n"
	      "       picovisor policy check|show FILE|PROFILE\n"
	      "       picovisor policy print PROFILE\n"
	      "       picovisor policy suggest REPORT|TRACE\n"
	      "       picovisor doctor\n"
	      "       picovisor completion bash|zsh|fish\n"
	      "       picovisor help [--man] | --help\n"
	      "       picovisor --version\n"
	      "\n"
	      "run: run PROGRAM (looked up in PATH like execvp) as a pico process: picovisor forks a\n"
	      "blank tracee, loads the program image into it itself and serves its system calls\n"
	      "through a personality. Every program the run execs is loaded the same way.\n"
	      "\n"
	      "trace: run PROGRAM like run and record every system call of every process and thread\n"
	      "of the run, with decoded arguments and results, and events for spawn, exec, signals\n"
	      "and exits (docs/trace-format.md).\n"
	      "\n"
	      "summary: a table of calls, errors and time per system call of a JSON Lines trace,\n"
	      "for the whole run or per process.\n"
	      "\n"
	      "diff: what one traced run did that the other did not: processes matched by their\n"
	      "place in the process tree and what they ran, each one's calls aligned, then the\n"
	      "files, endpoints, processes and exit statuses that differ. Exit status 0 same,\n"
	      "1 different, 2 trouble (unreadable or malformed traces).\n"
	      "\n"
	      "policy check: parse a sandbox policy (docs/policy.md) or a built-in profile (ci,\n"
	      "strict, none) and say what it sets, or FILE:LINE:COL and what was expected. Exit\n"
	      "status 0 valid, 1 not. policy show: that, the Landlock ruleset and the seccomp\n"
	      "filters it compiles to (libseccomp's PFC text), and who checks paths. policy\n"
	      "print: a built-in profile as a policy file, to copy and edit. policy suggest:\n"
	      "from an audit run's report or trace (--on-violation log --report FILE), a policy\n"
	      "under which that run would have passed, each line with the calls that needed it.\n"
	      "\n"
	      "doctor: what this machine gives picovisor (ptrace, seccomp, pidfd_getfd, Landlock,\n"
	      "Yama, containers...), each tried rather than guessed, and what it means for each\n"
	      "personality. Exit status 0 if programs can run under picovisor here, 1 if not.\n"
	      "\n"
	      "completion: the bash, zsh or fish completion script (make install puts them in\n"
	      "place). help --man: this text as the picovisor(1) manual page.\n"
	      "\n"
	      "Options of run and trace:\n"
	      "  --personality NAME  how system calls are served; NAME is one of:\n"
	      "                        linux    pass every call through, watch execs (the default)\n"
	      "                        sandbox  Linux under a policy (implied by --policy)\n"
	      "                        nt       the Windows x64 system-call ABI, for PE32+ console\n"
	      "                                 programs (picked by the MZ magic anyway; naming it\n"
	      "                                 makes anything else an error). Its DLLs come from\n"
	      "                                 its directory, picovisor's own (ntdll, kernel32,\n"
	      "                                 msvcrt, advapi32, ws2_32...) and PATH: docs/nt.md\n"
	      "                                 lists them and what they export\n"
	      "  --drive X:=HOSTDIR  (nt) drive X: is the host directory HOSTDIR; repeatable. C: is\n"
	      "                      the launch directory and Z: the whole Linux tree unless given\n"
	      "  --nt-build BUILD    (nt) the Windows build whose service numbers and version the\n"
	      "                      program sees: 19045 (Windows 10 22H2, the default) or 22631\n"
	      "                      (Windows 11 23H2)\n"
	      "  --kernel-loader     debugging: let the kernel load images instead of picovisor's\n"
	      "                      loader, to compare the two\n"
	      "  -v, --verbose       report execs that fail inside the run; twice (-vv), also every\n"
	      "                      ptrace event the supervisor handles (for debugging picovisor)\n"
	      "  --no-coschedule     never move picovisor and the program onto one CPU (by default\n"
	      "                      they share one while the run stops more than 4000 times a\n"
	      "                      second, which makes each stop several times cheaper; the\n"
	      "                      program still sees its own CPU affinity)\n"
	      "  --trace FILE        (run) record a JSON Lines trace to FILE, as trace -o FILE does\n"
	      "  -o, --output FILE   (trace) write the trace to FILE instead of standard error; '-' is\n"
	      "                      standard output, '|COMMAND' a pipe to sh -c COMMAND\n"
	      "  -F, --format FMT    jsonl (the default with -o FILE or --trace) or text (strace-like,\n"
	      "                      the default on standard error and output, with -o '|COMMAND'\n"
	      "                      and with any of strace's output flags below)\n"
	      "  -e EXPR             what to trace, like strace: [trace=][!]SET, SET a comma list of\n"
	      "                      names, %file %desc %network %process %signal %ipc %memory %creds\n"
	      "                      %clock, /REGEX, all, none ('?name' ignores unknown names); or\n"
	      "                      status=[!]successful,failed,unfinished; or signal=[!]SET, the\n"
	      "                      signals whose delivery is shown (SIGINT or INT or 2, all, none).\n"
	      "                      Repeatable; the first trace= sets what is traced, later ones add\n"
	      "                      (or with ! remove). Calls not selected run without stopping\n"
	      "                      (seccomp decides).\n"
	      "  -s, --string-limit SIZE  bytes of each buffer shown (default 32); paths are whole\n"
	      "  --chdir DIR         the program starts in DIR (relative to the launch directory; with\n"
	      "                      --map, a guest path); a relative PROGRAM with a / is found there\n"
	      "  -h, --help          show this help and exit\n"
	      "\n"
	      "Options of trace that strace users know, with strace's meaning (docs/trace.md has\n"
	      "strace's every option and what picovisor offers for it):\n"
	      "  -f, --follow-forks  accepted: picovisor always follows every process and thread;\n"
	      "                      twice (-ff) is --output-separately\n"
	      "  --output-separately  with -o FILE, the text of each process in FILE.PID (its\n"
	      "                      real pid), its lines without the [pid N] prefix\n"
	      "  -p, --attach PID    trace the running process PID and all its threads instead of a\n"
	      "                      PROGRAM (repeatable), until they end or picovisor gets SIGINT,\n"
	      "                      SIGTERM, SIGHUP or SIGQUIT: then it detaches and leaves them\n"
	      "                      running. It attaches as you, so the kernel decides (the owner,\n"
	      "                      Yama's ptrace_scope): you trace what you could ptrace anyway.\n"
	      "                      An attached process is traced only: never put under a policy,\n"
	      "                      a personality or a seccomp filter it did not start with, and\n"
	      "                      every call stops (slower than a program picovisor starts).\n"
	      "                      Exit status 0, or 125 if it cannot attach\n"
	      "  -c, --summary-only  no lines: at the end a table of calls, errors and time per call\n"
	      "                      (the time between the call's entry and exit, strace -w's)\n"
	      "  -C, --summary       the lines, then the table\n"
	      "  -t                  each line starts with the time of day; -tt with microseconds;\n"
	      "                      -ttt as seconds since the epoch with microseconds\n"
	      "  -r, --relative-timestamps  each line starts with the time since the previous\n"
	      "                      line's call began\n"
	      "  -T, --syscall-times  each call's line ends with the time spent in it, <0.000012>\n"
	      "  -P, --trace-path PATH  only calls that touch PATH: by a path argument, by an fd\n"
	      "                      argument open on it, or by the fd they return; repeatable\n"
	      "  -y, --decode-fds    fds with their paths, 3</etc/passwd> (sockets as socket:[N]);\n"
	      "                      twice (-yy, --decode-fds=all) sockets with their endpoints,\n"
	      "                      TCP:[127.0.0.1:41236->127.0.0.1:80]\n"
	      "  --no-abbrev         environments and long argv arrays in full, in text and in a\n"
	      "                      JSON trace (whose diff --ignore then reaches the variables;\n"
	      "                      the values may be secrets), and struct stat and statx whole\n"
	      "                      in text. strace's -v: in picovisor -v is --verbose\n"
	      "  -S, --summary-sort-by ORDER  the table's order: time (the default), calls, errors,\n"
	      "                      name, nothing\n"
	      "  -w, --summary-wall-clock  accepted: the table's times are wall-clock times always\n"
	      "  -z, --successful-only  only calls that succeeded (-e status=successful)\n"
	      "  -Z, --failed-only   only calls that failed (-e status=failed)\n"
	      "  -n, --syscall-number  each call's number before its name, [ 257] openat(...)\n"
	      "  -A, --output-append-mode  -o FILE (and -ff's files) are appended to\n"
	      "  -q                  no \"Process N attached\" and \"detached\" lines (-p)\n"
	      "  --seccomp-bpf       accepted: calls not selected never stop a program picovisor\n"
	      "                      starts (with -p every call stops)\n"
	      "  -k, --stack-trace   refused: this picovisor is not built with -k support\n"
	      "\n"
	      "Sandbox options of run and trace (docs/policy.md):\n"
	      "  --policy FILE|NAME  run under a policy file or a built-in profile: ci (read the\n"
	      "                      system, write the working directory and a private tmpdir, no\n"
	      "                      network, 10 minutes, 256 processes), strict, none\n"
	      "  --path PERMS:PATH   a path rule after the policy's (PERMS from r w x c, or -)\n"
	      "  --net none|loopback|any      override the policy's network\n"
	      "  --limit NAME=VALUE  override a limit: wall, cpu, procs, memory, fsize, nofile, files\n"
	      "                      (60s, 10m, 512M, 1G...)\n"
	      "  --on-violation deny|kill|log  deny: the call fails (EPERM/EACCES); kill: the run\n"
	      "                      ends with status 159; log: allowed and reported (audit)\n"
	      "  --fail-on-violation exit with status 123 if the run had any violation, whatever\n"
	      "                      the program's own status (a CI step then fails on it); implies\n"
	      "  --see-all-refusals  report every refusal: Landlock's are read from the kernel's\n"
	      "                      audit log where picovisor may (root, audit enabled, Linux\n"
	      "                      6.15); elsewhere the supervisor checks every path itself\n"
	      "                      (slower: each path-bearing call stops; the report lists\n"
	      "                      what stays unseen)\n"
	      "  --report FILE       write a JSON report of the run: how it ended, counts, every\n"
	      "                      violation with the rule that refused it\n"
	      "  --annotate github   at the end, one GitHub Actions ::error line on standard output per\n"
	      "                      distinct violation (call, rule, path), with its count\n"
	      "  --quiet             no violation lines or notes on standard error (otherwise one\n"
	      "                      line a violation; under on-violation log one line per distinct\n"
	      "                      call, rule and path, and the repeats counted at the end)\n"
	      "  --tty               keep the terminal's session (by default the program gets a\n"
	      "                      session of its own, with no controlling terminal)\n"
	      "  --keep-fd N         pass descriptor N on (all but 0, 1 and 2 are closed)\n"
	      "  --clearenv          the program starts with an empty environment (but keep-env names)\n"
	      "  --unsetenv NAME     remove NAME (a glob pattern, or @credentials) from its environment\n"
	      "  --keep-env NAME     never remove NAME (or a glob pattern): ci removes @credentials, the\n"
	      "                      secrets of CI systems and cloud SDKs (docs/policy.md, Environment)\n"
	      "  --setenv NAME=VALUE set NAME in the program's environment\n"
	      "  --keep-tmpdir       keep the private tmpdir after the run (its path is printed)\n"
	      "  --shm-size SIZE|none  the run's own /dev/shm: a tmpfs of SIZE (ci: 64M) in a mount\n"
	      "                      namespace (as an ordinary user, in a user namespace), gone\n"
	      "                      after the run; none (or 0): no /dev/shm of its own\n"
	      "  --require-landlock  refuse to run where the kernel cannot enforce the rules with\n"
	      "                      Landlock (otherwise picovisor checks what Landlock cannot)\n"
	      "  --no-landlock       enforce the policy with seccomp and picovisor's own checks\n"
	      "                      alone, as on a kernel without Landlock: every path, socket\n"
	      "                      address and pid is checked by the supervisor (slower, and a\n"
	      "                      path another thread changes after the check is not caught\n"
	      "                      by a second wall); for testing those checks\n"
	      "\n"
	      "Path translation options of run and trace (a guest view of the filesystem; imply\n"
	      "the sandbox personality, with the policy 'none' unless --policy is given):\n"
	      "  --map GUEST=HOST[:ro]  the host directory HOST seen at GUEST by every program of\n"
	      "                      the run, as if mounted there (no root, no namespaces); :ro\n"
	      "                      makes it read-only (EROFS). Repeatable; the longest GUEST\n"
	      "                      prefix wins. Path rules (--path, the policy's) name guest paths\n"
	      "  --tmp GUEST         a private empty directory seen at GUEST (like a fresh tmpfs),\n"
	      "                      removed after the run unless --keep-tmpdir\n"
	      "\n"
	      "Options of summary and diff:\n"
	      "  --by-process        (summary) one table per process\n"
	      "  --files             (summary) every file each process read, wrote, created,\n"
	      "                      deleted or executed (rwcdx), with the times of the first and\n"
	      "                      last call that touched it and how many did\n"
	      "  --net               (summary) every endpoint each process connected, bound or\n"
	      "                      sent to (with --files: both)\n"
	      "  --json              (diff, summary --files/--net) one JSON document\n"
	      "  --ignore REGEX      (diff) mask paths that match REGEX (POSIX extended); repeatable\n"
	      "\n"
	      "Examples:\n"
	      "  picovisor run --policy ci --report report.json -- ./untrusted-test\n"
	      "  picovisor run --policy ci --on-violation log -- make check\n"
	      "  picovisor run --map /work=$PWD --tmp /tmp -- make -C /work test\n"
	      "  picovisor trace -e trace=%file -o a.jsonl -- make test\n"
	      "  picovisor trace -f -tt -T -y -e trace=%network -- curl -s example.org\n"
	      "  picovisor trace -p 1234 -c\n"
	      "  picovisor summary a.jsonl\n"
	      "  picovisor summary --files --net a.jsonl\n"
	      "  picovisor diff a.jsonl b.jsonl\n"
	      "  picovisor run --drive D:=/srv/data -- ./tool.exe D:\\in.txt\n"
	      "  picovisor policy print ci > my.policy; picovisor policy check my.policy\n"
	      "\n"
	      "Exit status (docs/policy.md, \"Exit status\", has the same table):\n"
	      "  run and trace:\n"
	      "    N        the program's own exit status (an NT program's: the low byte of the\n"
	      "             NTSTATUS it ended with; the whole status is in the trace and report)\n"
	      "    128+N    a signal N killed the program (picovisor dies of the same signal)\n"
	      "    123      fail-on-violation: the run had a violation (the program's own status\n"
	      "             is the report's program_exit_status)\n"
	      "    124      the sandbox's wall-time limit ended the run\n"
	      "    125      picovisor itself failed: bad usage, bad policy, setup error\n"
	      "    126      the program was found but cannot be executed (bad image, no permission)\n"
	      "    127      the program (or its interpreter) was not found\n"
	      "    159      the sandbox ended the run (on-violation kill, memory or files limit)\n"
	      "  summary: 0 done, 2 unreadable or malformed trace, 125 bad usage\n"
	      "  diff: 0 same, 1 different, 2 unreadable or malformed traces, 125 bad usage\n"
	      "  policy check|show: 0 valid, 1 not valid (FILE:LINE:COL on stderr), 125 bad usage\n"
	      "  policy suggest: 0 done, 1 unreadable report or trace, 125 bad usage\n"
	      "  policy print: 0 done, 125 not a built-in profile\n"
	      "  doctor: 0 programs can run under picovisor here, 1 they cannot\n"
	      "  completion, help, --version: 0 (completion of another shell: 125)\n",
	      out);
}

/* Edits (insert, delete, replace) from a to b, for "did you mean": small words only. */
static int edit_distance(const char *a, const char *b)
{
	int prev[64], cur[64];
	size_t la = strlen(a), lb = strlen(b);

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int best = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			cur[j] = best;
		}
		memcpy(prev, cur, sizeof(int) * (lb + 1));
	}
	return prev[lb];
}

/* The known word closest to what was typed, if it is close enough to be a typo; NULL otherwise. */
static const char *closest(const char *typed, const char *const *known)
{
	const char *best = NULL;
	int best_d = 3;

	for (; *known; known++) {
		int d = edit_distance(typed, *known);

		if (d < best_d)
			best = *known, best_d = d;
	}
	return best;
}

static const char *closest_option(const char *typed, const struct option *opts)
{
	static char buf[64];
	const char *names[128];
	int n = 0;

	if (strncmp(typed, "--", 2) != 0)
		return NULL;
	for (; opts->name && n < 127; opts++)
		names[n++] = opts->name;
	names[n] = NULL;
	typed += 2;
	if (!closest(strndupa(typed, strcspn(typed, "=")), names))
		return NULL;
	snprintf(buf, sizeof(buf), "; did you mean --%s?", closest(strndupa(typed, strcspn(typed, "=")), names));
	return buf;
}

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "picovisor: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'picovisor --help' for more information.\n");
	return EXIT_PV_FAILED;
}

int resolve_program(const char *name, const char *path_env, char **path)
{
	int err = ENOENT;

	if (strchr(name, '/')) {
		*path = xstrdup(name);
		return 0;
	}
	if (!path_env)
		path_env = "/usr/local/bin:/bin:/usr/bin"; /* glibc's default for execvp */
	for (const char *p = path_env;; p++) {
		const char *end = strchrnul(p, ':');
		char *cand = end == p ? xasprintf("%s", name) : xasprintf("%.*s/%s", (int)(end - p), p, name);
		struct stat st;

		if (stat(cand, &st) == 0 && !S_ISDIR(st.st_mode)) {
			if (access(cand, X_OK) == 0) {
				*path = cand;
				return 0;
			}
			err = EACCES;
		}
		free(cand);
		if (*end == '\0')
			break;
		p = end;
	}
	return -err;
}

static void add_string(char ***list, int *n, const char *v)
{
	*list = xrealloc(*list, sizeof(**list) * (size_t)(*n + 2));
	(*list)[(*n)++] = (char *)v;
	(*list)[*n] = NULL;
}

/* summary TRACE and diff A B: their own few options, then the files. */
static int parse_reader(int argc, char **argv, struct run_options *o)
{
	static const struct option longopts[] = {
		{ "by-process", no_argument, NULL, 'p' },
		{ "files", no_argument, NULL, 'f' },
		{ "net", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "ignore", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, want = o->command == CMD_DIFF ? 2 : 1;

	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (o->command != CMD_SUMMARY)
				return usage_error("--by-process is an option of summary");
			o->by_process = true;
			break;
		case 'f':
		case 'n':
			if (o->command != CMD_SUMMARY)
				return usage_error("--%s is an option of summary", c == 'f' ? "files" : "net");
			*(c == 'f' ? &o->summary_files : &o->summary_net) = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'i':
			if (o->command != CMD_DIFF)
				return usage_error("--ignore is an option of diff");
			add_string(&o->ignore, &o->nignore, optarg);
			break;
		case 'h':
			o->command = CMD_HELP;
			return 0;
		default:
			return usage_error("unknown option '%s' or missing argument", argv[optind - 1]);
		}
	}
	if (o->command == CMD_SUMMARY && o->json && !o->summary_files && !o->summary_net)
		return usage_error("%s", "summary --json goes with --files or --net (the call table is text)");
	if (o->by_process && (o->summary_files || o->summary_net))
		return usage_error("%s", "--files and --net are per process already: leave out --by-process");
	if (argc - optind != want)
		return usage_error("%s needs %s", argv[1], want == 2 ? "two trace files: diff A B" : "one trace file");
	o->trace_files[0] = argv[optind];
	o->trace_files[1] = want == 2 ? argv[optind + 1] : NULL;
	return 0;
}

/* A path quoted for a policy line, so that blanks and '#' in it stay part of it (len bytes of s). */
static char *quoted(const char *s, size_t len)
{
	char *q = xmalloc(2 * len + 3);
	size_t k = 0;

	q[k++] = '"';
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\')
			q[k++] = '\\';
		q[k++] = s[i];
	}
	q[k++] = '"';
	q[k] = '\0';
	return q;
}

/* "path PERMS \"PATH\"" */
static char *path_line(const char *value, const char *colon)
{
	char *q = quoted(colon + 1, strlen(colon + 1));
	char *line = xasprintf("path %.*s %s", (int)(colon - value), value, q);

	free(q);
	return line;
}

/* --map GUEST=HOST[:ro] as "map \"GUEST\" \"HOST\" [ro]"; NULL if malformed. */
static char *map_line(const char *value)
{
	const char *eq = strchr(value, '=');
	size_t hlen;
	bool ro;
	char *g, *h, *line;

	if (!eq || eq == value || !eq[1])
		return NULL;
	hlen = strlen(eq + 1);
	ro = hlen > 3 && strcmp(eq + 1 + hlen - 3, ":ro") == 0;
	if (ro)
		hlen -= 3;
	g = quoted(value, (size_t)(eq - value));
	h = quoted(eq + 1, hlen);
	line = xasprintf("map %s %s%s", g, h, ro ? " ro" : "");
	free(g);
	free(h);
	return line;
}

/* --path PERMS:PATH, --net MODE, --limit NAME=VALUE, --on-violation ACTION as a line of the policy language. */
static int add_override(struct run_options *o, const char *option, const char *value)
{
	char *line;

	if (strcmp(option, "path") == 0) {
		const char *colon = strchr(value, ':');
		if (!colon || colon == value || !colon[1])
			return usage_error("--path wants PERMS:PATH (for example --path rw:/srv/data), not '%s'", value);
		line = path_line(value, colon);
	} else if (strcmp(option, "map") == 0) {
		line = map_line(value);
		if (!line)
			return usage_error("--map wants GUEST=HOST or GUEST=HOST:ro (for example --map /work=.), not '%s'",
					   value);
	} else if (strcmp(option, "tmp") == 0) {
		char *q = quoted(value, strlen(value));
		line = xasprintf("tmp %s", q);
		free(q);
	} else if (strcmp(option, "setenv") == 0) {
		const char *eq = strchr(value, '=');
		char *n, *v;
		if (!eq || eq == value)
			return usage_error("--setenv wants NAME=VALUE (for example --setenv LANG=C.UTF-8), not '%s'", value);
		n = quoted(value, (size_t)(eq - value));
		v = quoted(eq + 1, strlen(eq + 1));
		line = xasprintf("setenv %s %s", n, v);
		free(n);
		free(v);
	} else if (strcmp(option, "unsetenv") == 0 || strcmp(option, "keep-env") == 0) {
		char *q = quoted(value, strlen(value));
		line = xasprintf("%s %s", option, q);
		free(q);
	} else if (strcmp(option, "clearenv") == 0 || strcmp(option, "fail-on-violation") == 0 ||
		   strcmp(option, "see-all-refusals") == 0) {
		line = xstrdup(option);
	} else if (strcmp(option, "shm-size") == 0) {
		char *q = quoted(value, strlen(value));
		line = xasprintf("shm %s", q);
		free(q);
	} else if (strcmp(option, "limit") == 0) {
		const char *eq = strchr(value, '=');
		if (!eq || eq == value || !eq[1])
			return usage_error("--limit wants NAME=VALUE (for example --limit wall=60s), not '%s'", value);
		line = xasprintf("limit %.*s %s", (int)(eq - value), value, eq + 1);
	} else {
		line = xasprintf("%s %s", option, value);
	}
	o->overrides = xrealloc(o->overrides, sizeof(*o->overrides) * (size_t)(o->noverrides + 1));
	o->overrides[o->noverrides].origin = option;
	o->overrides[o->noverrides++].line = line;
	return 0;
}

/* Codes of the long options without a short letter (above any char, so that strace's letters stay free). */
enum {
	OPT_PERSONALITY = 256,
	OPT_DRIVE,
	OPT_NT_BUILD,
	OPT_KERNEL_LOADER,
	OPT_TRACE,
	OPT_NO_COSCHEDULE,
	OPT_POLICY,
	OPT_OVERRIDE,
	OPT_CLEARENV,
	OPT_FAIL_ON_VIOLATION,
	OPT_SEE_ALL,
	OPT_CHDIR,
	OPT_REPORT,
	OPT_ANNOTATE,
	OPT_QUIET,
	OPT_TTY,
	OPT_KEEP_TMPDIR,
	OPT_KEEP_FD,
	OPT_REQUIRE_LANDLOCK,
	OPT_NO_LANDLOCK,
	OPT_VERSION,
	OPT_OUTPUT_SEPARATELY,
	OPT_DECODE_FDS,
	OPT_NO_ABBREV,
	OPT_SECCOMP_BPF,
};

int options_parse(int argc, char **argv, struct run_options *o)
{
	static const struct option longopts[] = {
		{ "personality", required_argument, NULL, OPT_PERSONALITY },
		{ "drive", required_argument, NULL, OPT_DRIVE },
		{ "nt-build", required_argument, NULL, OPT_NT_BUILD },
		{ "kernel-loader", no_argument, NULL, OPT_KERNEL_LOADER },
		{ "verbose", no_argument, NULL, 'v' },
		{ "trace", required_argument, NULL, OPT_TRACE },
		{ "no-coschedule", no_argument, NULL, OPT_NO_COSCHEDULE },
		{ "policy", required_argument, NULL, OPT_POLICY },
		{ "path", required_argument, NULL, OPT_OVERRIDE },
		{ "net", required_argument, NULL, OPT_OVERRIDE },
		{ "limit", required_argument, NULL, OPT_OVERRIDE },
		{ "on-violation", required_argument, NULL, OPT_OVERRIDE },
		{ "map", required_argument, NULL, OPT_OVERRIDE },
		{ "tmp", required_argument, NULL, OPT_OVERRIDE },
		{ "shm-size", required_argument, NULL, OPT_OVERRIDE },
		{ "setenv", required_argument, NULL, OPT_OVERRIDE },
		{ "unsetenv", required_argument, NULL, OPT_OVERRIDE },
		{ "keep-env", required_argument, NULL, OPT_OVERRIDE },
		{ "clearenv", no_argument, NULL, OPT_CLEARENV },
		{ "fail-on-violation", no_argument, NULL, OPT_FAIL_ON_VIOLATION },
		{ "see-all-refusals", no_argument, NULL, OPT_SEE_ALL },
		{ "chdir", required_argument, NULL, OPT_CHDIR },
		{ "report", required_argument, NULL, OPT_REPORT },
		{ "annotate", required_argument, NULL, OPT_ANNOTATE },
		{ "quiet", no_argument, NULL, OPT_QUIET },
		{ "tty", no_argument, NULL, OPT_TTY },
		{ "keep-tmpdir", no_argument, NULL, OPT_KEEP_TMPDIR },
		{ "keep-fd", required_argument, NULL, OPT_KEEP_FD },
		{ "require-landlock", no_argument, NULL, OPT_REQUIRE_LANDLOCK },
		{ "no-landlock", no_argument, NULL, OPT_NO_LANDLOCK },
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'F' },
		{ "string-limit", required_argument, NULL, 's' },
		{ "follow-forks", no_argument, NULL, 'f' },
		{ "output-separately", no_argument, NULL, OPT_OUTPUT_SEPARATELY },
		{ "attach", required_argument, NULL, 'p' },
		{ "summary-only", no_argument, NULL, 'c' },
		{ "summary", no_argument, NULL, 'C' },
		{ "relative-timestamps", no_argument, NULL, 'r' },
		{ "syscall-times", no_argument, NULL, 'T' },
		{ "trace-path", required_argument, NULL, 'P' },
		{ "decode-fds", optional_argument, NULL, OPT_DECODE_FDS },
		{ "no-abbrev", no_argument, NULL, OPT_NO_ABBREV },
		{ "stack-trace", no_argument, NULL, 'k' },
		{ "stack-traces", no_argument, NULL, 'k' },
		{ "successful-only", no_argument, NULL, 'z' },
		{ "failed-only", no_argument, NULL, 'Z' },
		{ "output-append-mode", no_argument, NULL, 'A' },
		{ "summary-wall-clock", no_argument, NULL, 'w' },
		{ "syscall-number", no_argument, NULL, 'n' },
		{ "seccomp-bpf", no_argument, NULL, OPT_SECCOMP_BPF },
		{ "summary-sort-by", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	bool format_given = false;
	bool text_flags = false; /* an strace flag that shapes the text output was given */
	int follow = 0;          /* -f 1, -ff 2 */
	int c, li = -1;

	memset(o, 0, sizeof(*o));
	o->personality = "linux";
	o->trace_strsize = 32;
	o->coschedule = true;
	if (argc < 2)
		return usage_error("%s", "no command given: use 'picovisor run -- PROGRAM [ARG...]'");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		o->command = argc == 3 && strcmp(argv[2], "--man") == 0 ? CMD_MAN : CMD_HELP;
		if (argc > 2 && o->command == CMD_HELP)
			return usage_error("%s", "use 'picovisor help' or 'picovisor help --man'");
		return 0;
	}
	if (strcmp(argv[1], "completion") == 0) {
		if (argc != 3 || (strcmp(argv[2], "bash") != 0 && strcmp(argv[2], "zsh") != 0 &&
				  strcmp(argv[2], "fish") != 0))
			return usage_error("%s", "use 'picovisor completion bash|zsh|fish'");
		o->command = CMD_COMPLETION;
		o->shell = argv[2];
		return 0;
	}
	if (strcmp(argv[1], "doctor") == 0) {
		if (argc != 2)
			return usage_error("%s", "'picovisor doctor' takes no arguments");
		o->command = CMD_DOCTOR;
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		o->command = CMD_VERSION;
		return 0;
	}
	if (strcmp(argv[1], "policy") == 0) {
		if (argc == 4 && strcmp(argv[2], "print") == 0) {
			o->command = CMD_POLICY_PRINT;
			o->policy = argv[3];
			return 0;
		}
		if (argc != 4 || (strcmp(argv[2], "check") != 0 && strcmp(argv[2], "show") != 0 &&
				  strcmp(argv[2], "suggest") != 0))
			return usage_error("%s", "use 'picovisor policy check|show FILE|PROFILE', "
						 "'picovisor policy print PROFILE' or 'picovisor policy suggest REPORT|TRACE'");
		o->command = strcmp(argv[2], "check") == 0  ? CMD_POLICY_CHECK
			     : strcmp(argv[2], "show") == 0 ? CMD_POLICY_SHOW
							     : CMD_POLICY_SUGGEST;
		o->policy = argv[3];
		return 0;
	}
	if (strcmp(argv[1], "summary") == 0 || strcmp(argv[1], "diff") == 0) {
		o->command = argv[1][0] == 's' ? CMD_SUMMARY : CMD_DIFF;
		return parse_reader(argc, argv, o);
	}
	if (strcmp(argv[1], "run") == 0)
		o->command = CMD_RUN;
	else if (strcmp(argv[1], "trace") == 0)
		o->command = CMD_TRACE, o->tracing = true;
	else {
		static const char *const commands[] = { "run",	  "trace",	"summary", "diff",    "policy",
							 "doctor", "completion", "help",    "--help", "--version",
							 NULL };
		const char *near = closest(argv[1], commands);

		if (near)
			return usage_error("unknown command '%s'; did you mean '%s'?", argv[1], near);
		return usage_error("unknown command '%s': the commands are run, trace, summary, diff, policy, doctor, "
				   "completion, help (to run a program: picovisor run -- %s)",
				   argv[1], argv[1]);
	}
	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+vho:F:e:s:fp:cCtrTP:ykzZAwnqS:", longopts, &li)) != -1) {
		switch (c) {
		case OPT_PERSONALITY:
			if (strcmp(optarg, "linux") == 0 || strcmp(optarg, "sandbox") == 0)
				o->personality = strcmp(optarg, "linux") == 0 ? "linux" : "sandbox";
			else if (strcmp(optarg, "nt") == 0)
				o->require_nt = true;
			else
				return usage_error("unknown personality '%s': the personalities are linux, sandbox, nt",
						   optarg);
			break;
		case OPT_DRIVE: {
			char err[PATH_MAX + 128];
			if (strlen(optarg) < 3 || optarg[1] != ':' || optarg[2] != '=')
				return usage_error("--drive wants X:=HOSTDIR (a drive letter, ':=', a host directory), not '%s'",
						   optarg);
			if (nt_drive_add(optarg[0], optarg + 3, err, sizeof(err)) < 0)
				return usage_error("--drive %s: %s", optarg, err);
			break;
		}
		case OPT_NT_BUILD: {
			enum nt_build b;
			if (nt_build_parse(optarg, &b) < 0)
				return usage_error("--nt-build %s: the Windows builds served are 19045 (Windows 10 22H2, the "
						   "default) and 22631 (Windows 11 23H2)", optarg);
			nt_build_select(b);
			break;
		}
		case OPT_KERNEL_LOADER:
			o->kernel_loader = true;
			break;
		case OPT_NO_COSCHEDULE:
			o->coschedule = false;
			break;
		case OPT_POLICY:
			if (o->policy)
				return usage_error("--policy given twice ('%s' and '%s'): one policy a run", o->policy,
						   optarg);
			o->policy = optarg;
			o->sandbox = true;
			break;
		case OPT_OVERRIDE: {
			int rc = add_override(o, longopts[li].name, optarg);
			if (rc)
				return rc;
			o->sandbox = true;
			break;
		}
		case OPT_CLEARENV:
		case OPT_FAIL_ON_VIOLATION:
		case OPT_SEE_ALL: {
			int rc = add_override(o, c == OPT_CLEARENV ? "clearenv" : c == OPT_FAIL_ON_VIOLATION ? "fail-on-violation" : "see-all-refusals", "");
			if (rc)
				return rc;
			o->sandbox = true;
			break;
		}
		case OPT_CHDIR:
			if (!optarg[0])
				return usage_error("%s", "--chdir wants a directory");
			o->chdir = optarg;
			break;
		case OPT_REPORT:
			o->report_file = optarg;
			break;
		case OPT_ANNOTATE:
			if (strcmp(optarg, "github") != 0)
				return usage_error("--annotate %s: the one format is github (GitHub Actions workflow commands)",
						   optarg);
			o->annotate_github = true;
			break;
		case OPT_QUIET:
			o->quiet = true;
			break;
		case OPT_TTY:
			o->share_tty = true;
			break;
		case OPT_KEEP_TMPDIR:
			o->keep_tmpdir = true;
			break;
		case OPT_REQUIRE_LANDLOCK:
			o->require_landlock = true;
			o->sandbox = true;
			break;
		case OPT_NO_LANDLOCK:
			o->no_landlock = true;
			o->sandbox = true;
			break;
		case OPT_KEEP_FD: {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (end == optarg || *end || v < 3 || v > 1048576)
				return usage_error("--keep-fd wants a descriptor number from 3 up (0, 1 and 2 are always "
						   "passed on), not '%s'", optarg);
			if (fcntl((int)v, F_GETFD) < 0)
				return usage_error("--keep-fd %ld: picovisor has no descriptor %ld open to pass on", v, v);
			if (o->nkeep_fds == (int)ARRAY_SIZE(o->keep_fds))
				return usage_error("--keep-fd given more than %d times", (int)ARRAY_SIZE(o->keep_fds));
			o->keep_fds[o->nkeep_fds++] = (int)v;
			break;
		}
		case 'v':
			o->verbose++;
			break;
		case OPT_TRACE:
			if (o->command != CMD_RUN)
				return usage_error("--trace FILE is an option of run; trace takes -o FILE");
			o->tracing = true;
			o->trace_output = optarg;
			break;
		case 'o':
			if (o->command != CMD_TRACE)
				return usage_error("-o is an option of trace; run takes --trace FILE");
			o->trace_output = optarg;
			break;
		case 'F':
			if (strcmp(optarg, "jsonl") == 0 || strcmp(optarg, "json") == 0)
				o->trace_format = FORMAT_JSONL;
			else if (strcmp(optarg, "text") == 0)
				o->trace_format = FORMAT_TEXT;
			else
				return usage_error("unknown trace format '%s': the formats are jsonl, text", optarg);
			format_given = true;
			break;
		case 'e':
			add_string(&o->trace_exprs, &o->trace_nexprs, optarg);
			break;
		case 's': {
			char *end;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (end == optarg || *end || optarg[0] == '-' || v > (1u << 20))
				return usage_error("-s wants a byte count from 0 to 1048576, not '%s'", optarg);
			o->trace_strsize = (size_t)v;
			break;
		}
		case 'f':
			follow++;
			break;
		case OPT_OUTPUT_SEPARATELY:
			follow = 2;
			break;
		case 'p': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (end == optarg || *end || v < 1 || v > INT_MAX)
				return usage_error("-p wants a process id, not '%s'", optarg);
			o->attach_pids = xrealloc(o->attach_pids, sizeof(pid_t) * (size_t)(o->nattach + 1));
			o->attach_pids[o->nattach++] = (pid_t)v;
			break;
		}
		case 'c':
		case 'C':
			if (o->summary && o->summary != (c == 'c' ? 1 : 2))
				return usage_error("%s", "-c (the summary alone) and -C (the summary after the calls) exclude each other");
			o->summary = c == 'c' ? 1 : 2;
			text_flags = true;
			break;
		case 't':
			if (o->timestamps < 3)
				o->timestamps++;
			text_flags = true;
			break;
		case 'r':
			o->relative_times = true;
			text_flags = true;
			break;
		case 'T':
			o->syscall_times = true;
			text_flags = true;
			break;
		case 'P':
			if (!optarg[0])
				return usage_error("%s", "-P wants a path");
			add_string(&o->trace_paths, &o->ntrace_paths, optarg);
			break;
		case 'y':
			if (o->fd_detail < 2)
				o->fd_detail++;
			text_flags = true;
			break;
		case OPT_DECODE_FDS:
		{
			/* strace's sets, as far as picovisor tells them apart: paths, or sockets' endpoints too */
			static const struct {
				const char *set;
				int detail;
			} sets[] = { { "none", 0 }, { "path", 1 }, { "socket", 2 }, { "path,socket", 2 }, { "all", 2 } };
			size_t k = 0;

			while (optarg && k < ARRAY_SIZE(sets) && strcmp(optarg, sets[k].set) != 0)
				k++;
			if (optarg && k == ARRAY_SIZE(sets))
				return usage_error("--decode-fds=%s: the sets are none, path, socket, all", optarg);
			o->fd_detail = optarg ? sets[k].detail : 1;
		}
			text_flags = true;
			break;
		case OPT_NO_ABBREV:
			o->no_abbrev = true;
			break;
		case 'z':
		case 'Z':
			add_string(&o->trace_exprs, &o->trace_nexprs, c == 'z' ? "status=successful" : "status=failed");
			break;
		case 'A':
			o->trace_append = true;
			break;
		case 'w':
			break; /* the summary's times are wall-clock times always */
		case OPT_SECCOMP_BPF:
			break; /* a program picovisor starts stops only at the selected calls always */
		case 'n':
			o->syscall_numbers = true;
			text_flags = true;
			break;
		case 'q':
			o->quiet_attach = true;
			break;
		case 'S': {
			enum summary_sort sort;
			if (summary_sort_parse(optarg, &sort) < 0)
				return usage_error("-S %s: the orders are time, calls, errors, name, nothing", optarg);
			o->summary_sort = (int)sort;
			break;
		}
		case 'k':
			return usage_error("%s", "-k: this picovisor is not built with -k support (stack traces need libdw "
						 "or libunwind; docs/trace.md)");
		case 'h':
			o->command = CMD_HELP;
			return 0;
		case OPT_VERSION:
			o->command = CMD_VERSION;
			return 0;
		case '?':
		default:
			if (optopt) {
				char opt[3] = { '-', (char)optopt, 0 };
				return usage_error("unknown option '%s' or missing argument", opt);
			}
			{
				const char *hint = closest_option(argv[optind - 1], longopts);

				return usage_error("unknown option '%s' or missing argument%s", argv[optind - 1],
						   hint ? hint : "");
			}
		}
	}
	if (!o->sandbox && (o->report_file || o->quiet || o->share_tty || o->keep_tmpdir || o->nkeep_fds ||
			    o->annotate_github))
		return usage_error("--report, --annotate, --quiet, --tty, --keep-tmpdir and --keep-fd are options of the sandbox: "
				   "give a policy with --policy NAME|FILE (for example --policy ci)");
	if (o->require_landlock && o->no_landlock)
		return usage_error("--require-landlock and --no-landlock contradict each other");
	if (nt_drives_finish() < 0)
		die("cannot map drive C: to the launch directory: %s", strerror(errno));
	if (o->sandbox && strcmp(o->personality, "linux") != 0 && strcmp(o->personality, "sandbox") != 0)
		return usage_error("--policy and its overrides belong to the sandbox personality, not %s", o->personality);
	if (o->sandbox || strcmp(o->personality, "sandbox") == 0) {
		o->sandbox = true;
		o->personality = "sandbox";
		if (o->kernel_loader)
			return usage_error("--kernel-loader cannot be used with a policy or --map/--tmp: the sandbox checks "
					   "every image picovisor's loader maps, and path translation needs the memory it "
					   "gives each process");
	}
	if ((format_given || o->trace_nexprs) && !o->tracing)
		return usage_error("-F and -e are options of tracing: use picovisor trace, or run --trace FILE");
	if ((text_flags || follow || o->nattach || o->ntrace_paths || o->no_abbrev || o->trace_append ||
	     o->quiet_attach || o->summary_sort) && o->command != CMD_TRACE)
		return usage_error("%s", "strace's flags (-f -p -c -C -t -r -T -P -y -n -A -q -S -z -Z --no-abbrev) are "
					 "options of picovisor trace");
	if (follow == 2) {
		if (!o->trace_output || strcmp(o->trace_output, "-") == 0 || o->trace_output[0] == '|')
			return usage_error("%s", "-ff writes FILE.PID for each process: give -o FILE");
		o->per_process_files = true;
		text_flags = true;
	}
	/* strace's output flags want strace's output: text, unless -F says otherwise (then they are an error). */
	if (text_flags && format_given && o->trace_format == FORMAT_JSONL)
		return usage_error("%s", "-ff -c -C -t -r -T -y shape the text output; a JSON Lines trace records "
					 "times, durations and fd targets always (use picovisor summary for the table)");
	if (!format_given)
		o->trace_format = o->trace_output && !text_flags && strcmp(o->trace_output, "-") != 0 &&
					  o->trace_output[0] != '|'
				  ? FORMAT_JSONL
				  : FORMAT_TEXT;
	if (o->nattach) {
		if (optind < argc)
			return usage_error("%s", "-p traces running processes: give a PROGRAM or -p PID, not both");
		if (o->sandbox || o->kernel_loader || o->chdir || strcmp(o->personality, "linux") != 0 || o->require_nt)
			return usage_error("%s", "-p traces a process as it runs: an attached process is never put under a "
						 "policy, a personality or a --chdir it did not start with");
		return 0;
	}
	if (optind >= argc)
		return usage_error("no program given: use 'picovisor %s -- PROGRAM [ARG...]'", argv[1]);
	o->argv = argv + optind;
	return 0;
}
