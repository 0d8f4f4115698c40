/* The command line, parsed: what to run and how. */
#ifndef PICOVISOR_OPTIONS_H
#define PICOVISOR_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "trace_out.h"

enum command {
	CMD_RUN,
	CMD_TRACE,
	CMD_SUMMARY,
	CMD_DIFF,
	CMD_POLICY_CHECK,
	CMD_POLICY_SHOW,
	CMD_POLICY_PRINT, /* a built-in profile's text */
	CMD_POLICY_SUGGEST,
	CMD_HELP,
	CMD_VERSION,
	CMD_MAN,        /* help --man: picovisor(1) in roff, generated from --help */
	CMD_COMPLETION, /* completion bash|zsh|fish */
	CMD_DOCTOR,     /* what this machine gives picovisor */
};

/* A command-line override of the policy, as a line of the policy language. */
struct policy_override {
	const char *origin; /* "--path", "--net", ... for messages and reports */
	char *line;
};

struct run_options {
	enum command command;
	const char *shell; /* completion SHELL */
	char **argv;              /* the program and its arguments */
	const char *program_path; /* argv[0] resolved through PATH like execvp */
	const char *personality;  /* "linux", "sandbox"; "nt" when the program is a PE image */
	bool require_nt;          /* --personality nt: the program must be a PE image */
	bool kernel_loader;       /* debugging: let the kernel load images */
	int verbose;              /* 1: failed execs in the run; 2: also every ptrace event */
	bool coschedule;          /* keep supervisor and tracees on one CPU while stops dominate (cosched.h) */
	/* Tracing (picovisor trace, or run --trace FILE). */
	bool tracing;
	const char *trace_output; /* NULL: standard error */
	enum trace_format trace_format;
	size_t trace_strsize;     /* -s: bytes of each buffer shown */
	char **trace_exprs;       /* -e, in order */
	int trace_nexprs;
	/* strace's flags that shape the text output and the selection (docs/trace.md has the table). */
	bool per_process_files;   /* -ff with -o FILE: FILE.PID per process */
	pid_t *attach_pids;       /* -p PID, --attach PID: trace running processes (attach.h) instead of a program */
	int nattach;
	int summary;              /* -c: 1, the summary table only; -C: 2, the table after the usual output */
	int timestamps;           /* -t 1, -tt 2, -ttt 3 */
	bool relative_times;      /* -r: the time since the previous call's entry */
	bool syscall_times;       /* -T: the time spent in each call */
	char **trace_paths;       /* -P PATH: only calls touching these paths (or fds open on them) */
	int ntrace_paths;
	int fd_detail;            /* text: fds as numbers (0), with their paths (-y: 1), sockets' endpoints too (-yy: 2) */
	bool no_abbrev;           /* --no-abbrev: environments and long arrays in full */
	bool trace_append;        /* -A: -o FILE is appended to */
	bool syscall_numbers;     /* -n: each call's number before its name */
	bool quiet_attach;        /* -q: no "Process N attached/detached" lines */
	int summary_sort;         /* -S: enum summary_sort (tracer/trace/summary_table.h) */
	/* summary and diff */
	const char *trace_files[2];
	const char *policy;       /* run --policy, policy check and show: a file or a built-in profile's name */
	bool by_process;          /* summary --by-process */
	bool summary_files, summary_net; /* summary --files, --net */
	bool json;                /* diff --json */
	char **ignore;            /* diff --ignore REGEX, repeatable */
	int nignore;
	/* The sandbox personality (run --policy and the overrides): sandbox is set when any is given. */
	bool sandbox;
	struct policy_override *overrides; /* --path, --net, --limit, --on-violation: applied after the policy, in order */
	int noverrides;
	const char *report_file;  /* --report FILE: JSON report of the run */
	bool annotate_github;     /* --annotate github: one ::error workflow command per distinct violation */
	bool quiet;               /* --quiet: no violation lines on standard error */
	bool share_tty;           /* --tty: no setsid, the program keeps the terminal */
	bool keep_tmpdir;         /* --keep-tmpdir */
	bool require_landlock;    /* --require-landlock: refuse to run without it */
	bool no_landlock;         /* --no-landlock: seccomp and the supervisor alone enforce the policy */
	const char *chdir;        /* --chdir DIR: the program starts there (in a guest view: a guest path) */
	int keep_fds[16];         /* --keep-fd N: passed on to the program */
	int nkeep_fds;
	/* Facts about this host and user, settled before the run starts. */
	bool may_skip_nnp;        /* CAP_SYS_ADMIN: the filter goes in without no_new_privs */
	bool may_set_exe;         /* CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN: the kernel can be told the exe */
	bool randomize;           /* ASLR on: randomise load and brk addresses like the kernel */
};

/*
 * Parse argv into *o. Returns 0, or prints a message naming the problem and
 * returns the exit status to use (125).
 */
int options_parse(int argc, char **argv, struct run_options *o);
void options_usage(FILE *out);

/* Look a program up in PATH as execvp does. 0 and *path, or -errno (ENOENT, EACCES). */
int resolve_program(const char *name, const char *path_env, char **path);

#endif
