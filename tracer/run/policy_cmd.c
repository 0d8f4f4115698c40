/* picovisor policy check|show FILE|PROFILE: parse a policy, say what it sets, and show what it compiles to. */
#define _GNU_SOURCE
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "landlock_rules.h"
#include "options.h"
#include "policy.h"
#include "policy_cmd.h"
#include "policy_compile.h"
#include "promises.h"

int policy_check_main(const struct run_options *o)
{
	struct policy p;
	char err[512];

	if (policy_load(&p, o->policy, err, sizeof(err)) < 0) {
		fprintf(stderr, "picovisor: %s\n", err);
		policy_free(&p);
		return 1;
	}
	for (size_t i = 0; i < p.nwarnings; i++)
		fprintf(stderr, "picovisor: warning: %s\n", p.warnings[i]);
	printf("%s: valid\n", o->policy);
	policy_describe(&p, stdout);
	if (o->command == CMD_POLICY_SHOW) {
		struct compile_env env;
		struct policy_filter f;
		struct landlock_plan plan;
		char cwd[PATH_MAX];

		landlock_plan_build(&p, landlock_abi_version(), getcwd(cwd, sizeof(cwd)) ? cwd : ".", &plan);
		landlock_plan_print(&plan, stdout);
		policy_compile_env(&p, &plan, &env);
		env.run_uid = (uint32_t)getuid();
		env.run_gid = (uint32_t)getgid();
		landlock_plan_free(&plan);
		printf("paths checked by: %s\n", env.landlock_paths ? "Landlock (in the kernel, no stop)"
								: "the supervisor (each path-bearing call stops), Landlock behind it");
		if (policy_compile(&p, &env, &f, err, sizeof(err)) < 0) {
			fprintf(stderr, "picovisor: %s\n", err);
			policy_free(&p);
			return 1;
		}
		printf("seccomp filters (libseccomp PFC; TRACE data %#x: a violation, %#x: the supervisor checks "
		       "the arguments; the low byte is the ABI):\n",
		       POLICY_DATA_VIOLATION, POLICY_DATA_CHECK);
		fflush(stdout);
		if (policy_filter_pfc(&f, stdout) < 0)
			fprintf(stderr, "picovisor: libseccomp could not print the filter\n");
		policy_filter_free(&f);
	}
	policy_free(&p);
	return 0;
}
