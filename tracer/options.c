/* The command line. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "options.h"
#include "util.h"

void options_usage(FILE *out)
{
	fputs("Usage: picovisor run [OPTIONS] [--] PROGRAM [ARG...]\n"
	      "       picovisor help | --help\n"
	      "       picovisor --version\n"
	      "\n"
	      "Run PROGRAM (looked up in PATH like execvp) as a pico process: picovisor forks a\n"
	      "blank tracee, loads the program image into it itself and serves its system calls\n"
	      "through a personality. Every program the run execs is loaded the same way.\n"
	      "\n"
	      "Options of run:\n"
	      "  --personality NAME  how system calls are served; NAME is one of:\n"
	      "                        linux  pass every call through, watch execs (the default)\n"
	      "  --kernel-loader     debugging: let the kernel load images instead of picovisor's\n"
	      "                      loader, to compare the two\n"
	      "  -v, --verbose       report execs that fail inside the run; twice (-vv), also every\n"
	      "                      ptrace event the supervisor handles (for debugging picovisor)\n"
	      "  -h, --help          show this help and exit\n"
	      "\n"
	      "Exit status: the program's own; 128+N if a signal N killed it (picovisor dies of the\n"
	      "same signal, so a shell shows 128+N); 125 picovisor itself failed (bad usage, setup\n"
	      "error); 126 the program was found but cannot be executed (bad image); 127 not found.\n",
	      out);
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

int options_parse(int argc, char **argv, struct run_options *o)
{
	static const struct option longopts[] = {
		{ "personality", required_argument, NULL, 'P' },
		{ "kernel-loader", no_argument, NULL, 'K' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->personality = "linux";
	if (argc < 2)
		return usage_error("%s", "no command given: use 'picovisor run -- PROGRAM [ARG...]'");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		o->command = CMD_HELP;
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		o->command = CMD_VERSION;
		return 0;
	}
	if (strcmp(argv[1], "run") != 0)
		return usage_error("unknown command '%s': the commands are run, help", argv[1]);
	o->command = CMD_RUN;
	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'P':
			if (strcmp(optarg, "linux") == 0)
				o->personality = "linux";
			else if (strcmp(optarg, "sandbox") == 0 || strcmp(optarg, "nt") == 0)
				return usage_error("the %s personality is not implemented yet; only 'linux' is",
						   optarg);
			else
				return usage_error("unknown personality '%s': the personalities are linux", optarg);
			break;
		case 'K':
			o->kernel_loader = true;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'h':
			o->command = CMD_HELP;
			return 0;
		case 'V':
			o->command = CMD_VERSION;
			return 0;
		case '?':
		default:
			if (optopt)
				{
					char opt[3] = { '-', (char)optopt, 0 };
					return usage_error("unknown option '%s' or missing argument", opt);
				}
			return usage_error("unknown option '%s' or missing argument", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("%s", "no program given: use 'picovisor run -- PROGRAM [ARG...]'");
	o->argv = argv + optind;
	return 0;
}
