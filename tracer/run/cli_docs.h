/* The manual page and shell completions, generated from --help's text (tracer/run/cli_docs.c). */
#ifndef PICOVISOR_CLI_DOCS_H
#define PICOVISOR_CLI_DOCS_H

#include <stdio.h>

/* picovisor(1) in roff. */
void cli_man_page(FILE *out, const char *version);
/* The completion script for shell "bash", "zsh" or "fish": 0, or -1 for another shell. */
int cli_completion(FILE *out, const char *shell);

#endif
