/*
 * The manual page and the shell completions, both generated from the text of
 * --help (options_usage), so that the three cannot disagree: an option added
 * to --help is in the man page and completes in every shell.
 *
 * The help text's shape is what this file reads: the "Usage:" block, a
 * paragraph per command ("NAME: text"), option sections (a heading line
 * ending in ':' then "  -x, --name ARG  text" lines with indented
 * continuations, "(run)"/"(trace)"/... saying which command an option is
 * of), and the "Exit status" paragraph.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "cli_docs.h"
#include "options.h"
#include "policy.h"
#include "syscall_table.h"
#include "util.h"

#define MAX_LINES 1024

struct help {
	char *text;
	char *line[MAX_LINES];
	int n;
};

static void help_read(struct help *h)
{
	size_t size = 0;
	FILE *f = open_memstream(&h->text, &size);

	if (!f)
		die("cannot build the help text in memory");
	options_usage(f);
	fclose(f);
	h->n = 0;
	for (char *p = h->text; *p && h->n < MAX_LINES;) {
		char *nl = strchrnul(p, '\n');
		bool end = *nl == '\0';

		*nl = '\0';
		h->line[h->n++] = p;
		if (end)
			break;
		p = nl + 1;
	}
}

/* "  -o, --output FILE   text": the option part (up to two blanks) and where the text starts. */
static bool option_line(const char *l, char *opt, size_t size, const char **text)
{
	const char *s = l, *gap;
	size_t len;

	if (strncmp(s, "  -", 3) != 0)
		return false;
	s += 2;
	gap = strstr(s, "  ");
	len = gap ? (size_t)(gap - s) : strlen(s);
	if (len >= size)
		len = size - 1;
	memcpy(opt, s, len);
	opt[len] = '\0';
	if (text) {
		while (gap && *gap == ' ')
			gap++;
		*text = gap ? gap : "";
	}
	return true;
}

static bool is_heading(const char *l)
{
	size_t n = strlen(l);

	return n > 0 && l[0] != ' ' && l[n - 1] == ':' && strstr(l, "ptions");
}

/* Text as roff: a leading '.' or '\'' would be a request; backslashes and hyphens escaped. */
static void roff(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

void cli_man_page(FILE *out, const char *version)
{
	struct help h;
	int i = 0;

	help_read(&h);
	fprintf(out, ".TH PICOVISOR 1 \"\" \"picovisor %s\" \"User Commands\"\n", version);
	fputs(".SH NAME\npicovisor \\- run, trace, sandbox and translate programs through a user-space syscall supervisor\n",
	      out);
	fputs(".SH SYNOPSIS\n.nf\n", out);
	for (; i < h.n && h.line[i][0]; i++) {
		const char *l = h.line[i];

		roff(out, strncmp(l, "Usage: ", 7) == 0 ? l + 7 : l + strspn(l, " "));
		fputc('\n', out);
	}
	fputs(".fi\n.SH DESCRIPTION\n", out);
	for (; i < h.n && !is_heading(h.line[i]) && strncmp(h.line[i], "Exit status", 11) != 0; i++) {
		if (!h.line[i][0])
			fputs(".PP\n", out);
		else {
			roff(out, h.line[i]);
			fputc('\n', out);
		}
	}
	fputs(".SH OPTIONS\n", out);
	for (; i < h.n && strncmp(h.line[i], "Exit status", 11) != 0; i++) {
		const char *l = h.line[i], *text;
		char opt[256];

		if (!l[0])
			continue;
		if (strcmp(l, "Examples:") == 0) { /* command lines, one a line, as typed */
			fputs(".SH EXAMPLES\n.nf\n", out);
			for (; i + 1 < h.n && h.line[i + 1][0]; i++) {
				roff(out, h.line[i + 1] + strspn(h.line[i + 1], " "));
				fputc('\n', out);
			}
			fputs(".fi\n", out);
			continue;
		}
		if (l[0] != ' ') { /* a heading, maybe over two lines */
			fputs(".SS ", out);
			roff(out, l);
			while (!is_heading(h.line[i]) && i + 1 < h.n && h.line[i + 1][0] && h.line[i + 1][0] != ' ') {
				fputc(' ', out);
				roff(out, h.line[++i]);
			}
			fputc('\n', out);
		} else if (option_line(l, opt, sizeof(opt), &text)) {
			fputs(".TP\n.B ", out);
			roff(out, opt);
			fputc('\n', out);
			roff(out, text);
			fputc('\n', out);
		} else {
			/* Deeper than an option's text column: a list inside the text, one item a line. */
			if (strspn(l, " ") > 22)
				fputs(".br\n", out);
			roff(out, l + strspn(l, " "));
			fputc('\n', out);
		}
	}
	fputs(".SH EXIT STATUS\n", out);
	for (; i < h.n; i++) {
		roff(out, h.line[i]);
		fputc('\n', out);
	}
	fputs(".SH FILES\n.TP\n.I /usr/share/picovisor/policies/\n"
	      "the built-in profiles as policy files, to copy and edit\n"
	      ".TP\n.I /usr/share/doc/picovisor/\n"
	      "the policy language, the trace format, the NT personality and the architecture\n"
	      ".SH SEE ALSO\n.BR strace (1),\n.BR seccomp (2),\n.BR landlock (7),\n.BR ptrace (2)\n",
	      out);
	free(h.text);
}

/* Which commands an option belongs to: its section's heading names them, a "(cmd)" in its text narrows it. */
static void option_commands(const char *heading, const char *text, char *cmds, size_t size)
{
	static const char *const names[] = { "run", "trace", "summary", "diff", NULL };

	cmds[0] = '\0';
	if (text[0] == '(' && strchr(text, ')')) {
		size_t len = (size_t)(strchr(text, ')') - text - 1);

		if (len < size) {
			memcpy(cmds, text + 1, len);
			cmds[len] = '\0';
		}
		for (char *c = cmds; *c; c++)
			if (*c == ',')
				*c = ' ';
		/* "(nt)" narrows by personality, not by command. */
		if (strcmp(cmds, "nt") != 0)
			return;
		cmds[0] = '\0';
	}
	for (int k = 0; names[k]; k++)
		if (strstr(heading, names[k])) {
			if (cmds[0])
				strncat(cmds, " ", size - strlen(cmds) - 1);
			strncat(cmds, names[k], size - strlen(cmds) - 1);
		}
}

/* Every option as "COMMANDS|NAMES|ARG": the table each shell's script is written from. */
struct opt {
	char cmds[64];
	char names[64]; /* "-o --output" */
	char arg[64];   /* "" for a flag */
};

static int options_table(struct opt *opts, int max)
{
	struct help h;
	const char *heading = "";
	int n = 0;

	help_read(&h);
	for (int i = 0; i < h.n && n < max; i++) {
		char opt[256], *tok, *save;
		const char *text;

		if (h.line[i][0] && h.line[i][0] != ' ') {
			if (i == 0 || !h.line[i - 1][0])
				heading = h.line[i]; /* a heading's first line names the commands */
			continue;
		}
		if (!option_line(h.line[i], opt, sizeof(opt), &text))
			continue;
		memset(&opts[n], 0, sizeof(opts[n]));
		option_commands(heading, text, opts[n].cmds, sizeof(opts[n].cmds));
		for (tok = strtok_r(opt, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save)) {
			if (tok[0] == '-') {
				char *eq = strchr(tok, '=');

				if (eq)
					*eq = '\0';
				if (opts[n].names[0])
					strncat(opts[n].names, " ", sizeof(opts[n].names) - strlen(opts[n].names) - 1);
				strncat(opts[n].names, tok, sizeof(opts[n].names) - strlen(opts[n].names) - 1);
			} else if (!opts[n].arg[0]) {
				snprintf(opts[n].arg, sizeof(opts[n].arg), "%s", tok);
			}
		}
		if (opts[n].names[0])
			n++;
	}
	free(h.text);
	return n;
}

/* What completes an option's argument, from its placeholder in --help. */
enum completes { C_NOTHING, C_WORD, C_FILE, C_PROFILE, C_PERSONALITY, C_SYSCALL };

static const char *const completes_name[] = { "", "word", "file", "profile", "personality name", "syscall" };

static enum completes arg_kind(const struct opt *o)
{
	if (strstr(o->names, "--policy"))
		return C_PROFILE;
	if (strstr(o->names, "--personality"))
		return C_PERSONALITY;
	if (strcmp(o->names, "-e") == 0)
		return C_SYSCALL;
	if (strstr(o->arg, "FILE") || strstr(o->arg, "HOST") || strstr(o->arg, "PATH") || strstr(o->arg, "GUEST") ||
	    strstr(o->arg, "DIR"))
		return C_FILE;
	return o->arg[0] ? C_WORD : C_NOTHING;
}

static void word_list(FILE *out, enum completes what)
{
	if (what == C_PROFILE) {
		for (int k = 0; policy_profile_names[k]; k++)
			fprintf(out, "%s%s", k ? " " : "", policy_profile_names[k]);
	} else if (what == C_PERSONALITY) {
		fputs("linux sandbox nt", out);
	} else if (what == C_SYSCALL) {
		int count;
		const struct syscall_entry *t = syscall_table(ABI_NATIVE, &count);

		fputs("trace= status= all none %file %desc %network %process %signal %ipc %memory %creds %clock", out);
		for (int k = 0; k < count; k++)
			if (t[k].name)
				fprintf(out, " %s", t[k].name);
	}
}

static const char commands[] = "run trace summary diff policy completion doctor help";

static void completion_bash(FILE *out, const struct opt *opts, int n)
{
	fputs("# bash completion for picovisor (generated by `picovisor completion bash`)\n"
	      "_picovisor() {\n"
	      "\tlocal cur prev cmd i\n"
	      "\tcur=${COMP_WORDS[COMP_CWORD]}\n"
	      "\tprev=${COMP_WORDS[COMP_CWORD-1]}\n"
	      "\tcmd=${COMP_WORDS[1]}\n"
	      "\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n",
	      out);
	fprintf(out, "\t\tCOMPREPLY=($(compgen -W '%s --help --version' -- \"$cur\")); return\n\tfi\n", commands);
	fputs("\tfor ((i = 2; i < COMP_CWORD; i++)); do\n"
	      "\t\t[ \"${COMP_WORDS[i]}\" = -- ] && { COMPREPLY=($(compgen -c -- \"$cur\")); return; }\n"
	      "\tdone\n"
	      "\tcase \"$cmd\" in\n"
	      "\tpolicy) [ \"$COMP_CWORD\" -eq 2 ] && COMPREPLY=($(compgen -W 'check show' -- \"$cur\")) && return\n",
	      out);
	fputs("\t\tCOMPREPLY=($(compgen -W '", out);
	word_list(out, C_PROFILE);
	fputs("' -- \"$cur\") $(compgen -f -- \"$cur\")); return;;\n"
	      "\tcompletion) COMPREPLY=($(compgen -W 'bash zsh fish' -- \"$cur\")); return;;\n"
	      "\tesac\n"
	      "\tcase \"$prev\" in\n",
	      out);
	for (int i = 0; i < n; i++) {
		enum completes kind = arg_kind(&opts[i]);
		char names[64];

		if (kind == C_NOTHING)
			continue;
		snprintf(names, sizeof(names), "%s", opts[i].names);
		for (char *c = names; *c; c++)
			if (*c == ' ')
				*c = '|';
		fprintf(out, "\t%s) ", names);
		if (kind == C_FILE)
			fputs("COMPREPLY=($(compgen -f -- \"$cur\")); return;;\n", out);
		else if (kind == C_WORD)
			fputs("return;;\n", out);
		else {
			fputs("COMPREPLY=($(compgen -W '", out);
			word_list(out, kind);
			fputs("' -- \"${cur#trace=}\")); return;;\n", out);
		}
	}
	fputs("\tesac\n\tif [[ \"$cur\" == -* ]]; then\n\t\tcase \"$cmd\" in\n", out);
	for (const char *c = "run\0trace\0summary\0diff\0"; *c; c += strlen(c) + 1) {
		fprintf(out, "\t\t%s) COMPREPLY=($(compgen -W '", c);
		for (int i = 0, first = 1; i < n; i++)
			if (strstr(opts[i].cmds, c)) {
				fprintf(out, "%s%s", first ? "" : " ", opts[i].names);
				first = 0;
			}
		fputs(" --help' -- \"$cur\"));;\n", out);
	}
	fputs("\t\tesac\n\t\treturn\n\tfi\n"
	      "\tcase \"$cmd\" in\n\trun|trace) COMPREPLY=($(compgen -c -- \"$cur\"));;\n"
	      "\t*) COMPREPLY=($(compgen -f -- \"$cur\"));;\n\tesac\n}\n"
	      "complete -F _picovisor picovisor\n",
	      out);
}

static void completion_zsh(FILE *out, const struct opt *opts, int n)
{
	fputs("#compdef picovisor\n# zsh completion for picovisor (generated by `picovisor completion zsh`)\n"
	      "_picovisor() {\n\tlocal -a opts\n\tif (( CURRENT == 2 )); then\n\t\tcompadd -- ",
	      out);
	fprintf(out, "%s --help --version\n\t\treturn\n\tfi\n\tcase ${words[2]} in\n", commands);
	for (const char *c = "run\0trace\0summary\0diff\0"; *c; c += strlen(c) + 1) {
		fprintf(out, "\t%s)\n\t\topts=(\n", c);
		for (int i = 0; i < n; i++) {
			enum completes kind = arg_kind(&opts[i]);
			char names[64], *tok, *save;

			if (!strstr(opts[i].cmds, c))
				continue;
			snprintf(names, sizeof(names), "%s", opts[i].names);
			for (tok = strtok_r(names, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
				fprintf(out, "\t\t\t'%s", tok);
				if (kind == C_NOTHING)
					fputs("'\n", out);
				else if (kind == C_FILE)
					fprintf(out, "[%s]:%s:_files'\n", opts[i].arg, opts[i].arg);
				else if (kind == C_WORD)
					fprintf(out, "[%s]:%s:'\n", opts[i].arg, opts[i].arg);
				else {
					fprintf(out, "[%s]:%s:(", opts[i].arg[0] ? opts[i].arg : completes_name[kind],
						completes_name[kind]);
					word_list(out, kind);
					fputs(")'\n", out);
				}
			}
		}
		fputs("\t\t\t'*::program:_normal'\n\t\t)\n\t\t_arguments -s $opts;;\n", out);
	}
	fputs("\tpolicy) (( CURRENT == 3 )) && compadd check show || { compadd -- ", out);
	word_list(out, C_PROFILE);
	fputs("; _files; };;\n\tcompletion) compadd bash zsh fish;;\n\tesac\n}\n_picovisor \"$@\"\n", out);
}

static void completion_fish(FILE *out, const struct opt *opts, int n)
{
	fputs("# fish completion for picovisor (generated by `picovisor completion fish`)\n"
	      "complete -c picovisor -f\n",
	      out);
	fprintf(out, "complete -c picovisor -n __fish_use_subcommand -a '%s'\n", commands);
	fputs("complete -c picovisor -n '__fish_seen_subcommand_from policy' -a 'check show ", out);
	word_list(out, C_PROFILE);
	fputs("'\ncomplete -c picovisor -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'\n", out);
	for (int i = 0; i < n; i++) {
		enum completes kind = arg_kind(&opts[i]);
		char names[64], *tok, *save;

		fprintf(out, "complete -c picovisor -n '__fish_seen_subcommand_from %s'", opts[i].cmds);
		snprintf(names, sizeof(names), "%s", opts[i].names);
		for (tok = strtok_r(names, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
			fprintf(out, tok[1] == '-' ? " -l %s" : " -s %s", tok + (tok[1] == '-' ? 2 : 1));
		if (kind == C_FILE)
			fputs(" -r -F", out);
		else if (kind == C_WORD)
			fputs(" -r", out);
		else if (kind != C_NOTHING) {
			fputs(" -x -a '", out);
			word_list(out, kind);
			fputs("'", out);
		}
		fputc('\n', out);
	}
}

int cli_completion(FILE *out, const char *shell)
{
	struct opt opts[128];
	int n = options_table(opts, 128);

	if (strcmp(shell, "bash") == 0)
		completion_bash(out, opts, n);
	else if (strcmp(shell, "zsh") == 0)
		completion_zsh(out, opts, n);
	else if (strcmp(shell, "fish") == 0)
		completion_fish(out, opts, n);
	else
		return -1;
	return 0;
}
