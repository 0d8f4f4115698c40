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
	CMD_HELP,
	CMD_VERSION,
};

struct run_options {
	enum command command;
	char **argv;              /* the program and its arguments */
	const char *program_path; /* argv[0] resolved through PATH like execvp */
	const char *personality;  /* "linux" */
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
	/* summary and diff */
	const char *trace_files[2];
	const char *policy;       /* policy check and show: a file or a built-in profile's name */
	bool by_process;          /* summary --by-process */
	bool json;                /* diff --json */
	char **ignore;            /* diff --ignore REGEX, repeatable */
	int nignore;
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
