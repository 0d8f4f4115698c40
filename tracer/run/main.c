/* picovisor: a pico provider in user space. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <libelf.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch.h"
#include "cli_docs.h"
#include "doctor.h"
#include "attach.h"
#include "event_loop.h"
#include "host_needs.h"
#include "landlock_rules.h"
#include "nt.h"
#include "options.h"
#include "../load/pe_image.h"
#include "policy.h"
#include "policy_cmd.h"
#include "run_report.h"
#include "sandbox.h"
#include "signals.h"
#include "../trace/trace_read.h"
#include "util.h"

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

/* The pid of whoever traces picovisor itself (TracerPid), or 0. */
static pid_t own_tracer(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	int pid = 0;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "TracerPid: %d", &pid) == 1)
			break;
	if (f)
		fclose(f);
	return pid;
}

/*
 * Inside another picovisor run nothing can be supervised: the outer run
 * traces every process it starts (a process has one tracer), and its sandbox
 * refuses ptrace and seccomp filters that stop calls. Say so plainly, before
 * the probes (Landlock, personality) that the outer sandbox would report.
 */
static void refuse_nesting(void)
{
	pid_t tracer = own_tracer();
	char path[64], comm[32] = "";
	FILE *f;

	if (!tracer)
		return;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)tracer);
	f = fopen(path, "re");
	if (f) {
		if (!fgets(comm, sizeof(comm), f))
			comm[0] = '\0';
		fclose(f);
	}
	comm[strcspn(comm, "\n")] = '\0';
	if (strcmp(comm, "picovisor") != 0)
		return; /* strace or gdb without following forks: the program can still be traced */
	die("picovisor is running inside another picovisor run (pid %d traces it), which cannot work: the outer "
	    "run traces every process it starts (a process has one tracer), and a sandboxed run refuses ptrace "
	    "and seccomp filters that stop calls (docs/policy.md, \"Refusal errnos\"). Run the program directly "
	    "inside the run, or run picovisor outside it", (int)tracer);
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

/* The version and what this build and this kernel give: what a bug report needs. */
static void print_version(void)
{
	const struct scmp_version *v = seccomp_version();
	int abi = landlock_abi_version();

	printf("picovisor %s\n", PICOVISOR_VERSION);
	{
		int n;
		const struct arch_abi *abis = arch_abis(&n);

		printf("architecture: %s (system-call ABIs:", ARCH_NAME);
		for (int i = 0; i < n; i++)
			printf(" %s", abis[i].name);
		printf(")\n");
	}
	printf("personalities: linux, sandbox (policy, Landlock, path mapping), nt (Windows builds");
	for (int b = 0; b < NT_BUILD_COUNT; b++)
		printf("%s %u", b ? "," : "", nt_build_number((enum nt_build)b));
	printf(")\n");
	printf("libseccomp: %u.%u.%u, libelf: %s\n", v ? v->major : 0, v ? v->minor : 0, v ? v->micro : 0,
	       elf_version(EV_CURRENT) == EV_NONE ? "unusable" : "ok");
	if (abi > 0)
		printf("this kernel: Landlock ABI %d\n", abi);
	else
		printf("this kernel: no Landlock (the sandbox checks paths in the supervisor)\n");
}

/* The commands that run no program: their exit status, or -1 for run and trace. */
static int other_command(struct run_options *o)
{
	switch (o->command) {
	case CMD_HELP:
		options_usage(stdout);
		return 0;
	case CMD_VERSION:
		print_version();
		return 0;
	case CMD_MAN:
		cli_man_page(stdout, PICOVISOR_VERSION);
		return 0;
	case CMD_COMPLETION:
		return cli_completion(stdout, o->shell) == 0 ? 0 : EXIT_PV_FAILED;
	case CMD_DOCTOR:
		return doctor_main();
	case CMD_SUMMARY:
		return o->summary_files || o->summary_net ? summary_uses_main(o) : summary_main(o);
	case CMD_DIFF:
		return diff_main(o);
	case CMD_POLICY_PRINT:
		if (!policy_profile_text(o->policy)) {
			fprintf(stderr, "picovisor: '%s' is not a built-in profile: the profiles are", o->policy);
			for (int k = 0; policy_profile_names[k]; k++)
				fprintf(stderr, " %s", policy_profile_names[k]);
			fputs("\n", stderr);
			return EXIT_PV_FAILED;
		}
		fputs(policy_profile_text(o->policy), stdout);
		return 0;
	case CMD_POLICY_CHECK:
	case CMD_POLICY_SHOW:
		return policy_check_main(o);
	case CMD_POLICY_SUGGEST:
		return policy_suggest_main(o);
	case CMD_RUN:
	case CMD_TRACE:
		break;
	}
	return -1;
}

/* The program's path, found as execvp would (or in --chdir's directory, like env --chdir); dies if none. */
static char *program_path(const struct run_options *o)
{
	char *path;
	int rc;

	if (o->chdir && !o->sandbox) { /* the sandbox resolves its own, through a guest view */
		struct stat st;
		if (stat(o->chdir, &st) < 0)
			die("--chdir %s: %s", o->chdir, strerror(errno));
		if (!S_ISDIR(st.st_mode))
			die("--chdir %s: not a directory", o->chdir);
	}
	if (o->chdir && strchr(o->argv[0], '/') && o->argv[0][0] != '/') {
		/* Like env --chdir: a relative program is the new directory's (absolute: the child has moved). */
		char cwd[PATH_MAX];
		if (o->chdir[0] != '/' && !getcwd(cwd, sizeof(cwd)))
			die("cannot name the launch directory: %s", strerror(errno));
		return o->chdir[0] == '/' ? xasprintf("%s/%s", o->chdir, o->argv[0])
					  : xasprintf("%s/%s/%s", cwd, o->chdir, o->argv[0]);
	}
	rc = resolve_program(o->argv[0], getenv("PATH"), &path);
	if (rc == -ENOENT)
		die_status(EXIT_PV_NOTFOUND, "%s: command not found", o->argv[0]);
	if (rc < 0)
		die_status(EXIT_PV_NOEXEC, "%s: %s", o->argv[0], strerror(-rc));
	return path;
}

int main(int argc, char **argv)
{
	static struct run_options o;
	enum run_end end;
	int status, code, rc = options_parse(argc, argv, &o);

	if (rc)
		return rc;
	if (o.command == CMD_RUN || o.command == CMD_TRACE) {
		refuse_nesting();
		report_options = &o;
		report_pid = getpid();
		atexit(report_at_exit);
		run_report_open(&o);
	}
	rc = other_command(&o);
	if (rc >= 0)
		return rc;
	if (o.nattach) /* trace -p: processes already running, traced only (attach.h) */
		return attach_run(&o);
	host_needs_check();
	if (elf_version(EV_CURRENT) == EV_NONE)
		die("libelf is unusable: %s", elf_errmsg(-1));
	o.program_path = program_path(&o);
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
	/* Whatever the program made of its refusals: a CI job fails on them (docs/policy.md, Exit status). */
	if (end == RUN_END_NONE && sandbox_get() && sandbox_get()->policy.fail_on_violation &&
	    run_report_violation_count())
		code = EXIT_PV_VIOLATION;
	report_done = true;
	run_report_write(&o, status, code);
	sandbox_cleanup(&o);
	if (end != RUN_END_NONE || code == EXIT_PV_VIOLATION)
		exit(code);
	signals_exit_like(status);
}
