/* picovisor: a pico provider in user space. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/wait.h>
#include <unistd.h>

#include "event_loop.h"
#include "options.h"
#include "../load/pe_image.h"
#include "policy_cmd.h"
#include "run_report.h"
#include "sandbox.h"
#include "signals.h"
#include "../trace/trace_read.h"
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

static struct run_options *report_options;
static pid_t report_pid;
static bool report_done;

/* picovisor is failing before the run ended (die): the report says so, and the tmpdir goes. */
static void report_at_exit(void)
{
	if (report_done || !report_options || getpid() != report_pid)
		return;
	report_done = true;
	run_report_write(report_options, 0, EXIT_PV_FAILED);
	sandbox_cleanup(report_options);
}

/* The NT personality is picked by the image's MZ magic (docs/architecture.md); --personality nt insists on it. */
static void pick_personality(struct run_options *o)
{
	unsigned char magic[2];
	int fd = open(o->program_path, O_RDONLY | O_CLOEXEC);
	bool pe = fd >= 0 && read(fd, magic, 2) == 2 && pe_magic(magic, 2);

	if (fd >= 0)
		close(fd);
	if (o->require_nt && !pe)
		die_status(EXIT_PV_NOEXEC, "%s: --personality nt runs PE32+ images (MZ), and this is not one",
			   o->argv[0]);
	if (pe && strcmp(o->personality, "linux") == 0)
		o->personality = "nt";
}

int main(int argc, char **argv)
{
	static struct run_options o;
	enum run_end end;
	char *path;
	int status, code, rc = options_parse(argc, argv, &o);

	if (rc)
		return rc;
	if (o.command == CMD_RUN || o.command == CMD_TRACE) {
		report_options = &o;
		report_pid = getpid();
		atexit(report_at_exit);
		run_report_open(&o);
	}
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
	pick_personality(&o);
	{
		uint64_t caps = effective_caps();
		o.may_skip_nnp = caps & (1ULL << CAP_SYS_ADMIN_BIT);
		o.may_set_exe = caps & ((1ULL << CAP_SYS_ADMIN_BIT) | (1ULL << CAP_CHECKPOINT_RESTORE_BIT));
	}
	o.randomize = aslr_on();
	signals_setup();
	status = event_loop_run(&o);
	end = run_end_reason();
	code = end == RUN_END_WALL ? EXIT_PV_TIMEOUT
	       : end != RUN_END_NONE ? EXIT_PV_KILLED
	       : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
				     : WEXITSTATUS(status);
	report_done = true;
	run_report_write(&o, status, code);
	sandbox_cleanup(&o);
	if (end != RUN_END_NONE)
		exit(code);
	signals_exit_like(status);
}
