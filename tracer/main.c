/* picovisor: a pico provider in user space. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <unistd.h>

#include "event_loop.h"
#include "options.h"
#include "policy_cmd.h"
#include "signals.h"
#include "trace_read.h"
#include "util.h"

#ifndef PICOVISOR_VERSION
#define PICOVISOR_VERSION "0.1"
#endif

#define CAP_SYS_ADMIN_BIT 21
#define CAP_CHECKPOINT_RESTORE_BIT 40

/* The effective capability set: root in a container may lack what root usually has. */
static uint64_t effective_caps(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	unsigned long long caps = 0;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &caps) == 1)
			break;
	if (f)
		fclose(f);
	return caps;
}

static bool aslr_on(void)
{
	FILE *f = fopen("/proc/sys/kernel/randomize_va_space", "r");
	int v = 2;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = 2;
		fclose(f);
	}
	return v != 0 && !(personality(0xffffffff) & ADDR_NO_RANDOMIZE);
}

int main(int argc, char **argv)
{
	struct run_options o;
	char *path;
	int rc = options_parse(argc, argv, &o);

	if (rc)
		return rc;
	switch (o.command) {
	case CMD_HELP:
		options_usage(stdout);
		return 0;
	case CMD_VERSION:
		printf("picovisor %s\n", PICOVISOR_VERSION);
		return 0;
	case CMD_SUMMARY:
		return summary_main(&o);
	case CMD_DIFF:
		return diff_main(&o);
	case CMD_POLICY_CHECK:
	case CMD_POLICY_SHOW:
		return policy_check_main(&o);
	case CMD_RUN:
	case CMD_TRACE:
		break;
	}
	if (elf_version(EV_CURRENT) == EV_NONE)
		die("libelf is unusable: %s", elf_errmsg(-1));
	rc = resolve_program(o.argv[0], getenv("PATH"), &path);
	if (rc == -ENOENT)
		die_status(EXIT_PV_NOTFOUND, "%s: command not found", o.argv[0]);
	if (rc < 0)
		die_status(EXIT_PV_NOEXEC, "%s: %s", o.argv[0], strerror(-rc));
	o.program_path = path;
	{
		uint64_t caps = effective_caps();
		o.may_skip_nnp = caps & (1ULL << CAP_SYS_ADMIN_BIT);
		o.may_set_exe = caps & ((1ULL << CAP_SYS_ADMIN_BIT) | (1ULL << CAP_CHECKPOINT_RESTORE_BIT));
	}
	o.randomize = aslr_on();
	signals_setup();
	signals_exit_like(event_loop_run(&o));
}
