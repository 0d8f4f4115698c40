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

static const char *perms_text(unsigned perms, char *buf)
{
	char *b = buf;

	if (perms & PERM_R)
		*b++ = 'r';
	if (perms & PERM_W)
		*b++ = 'w';
	if (perms & PERM_X)
		*b++ = 'x';
	if (perms & PERM_C)
		*b++ = 'c';
	if (b == buf)
		*b++ = '-';
	*b = '\0';
	return buf;
}

int policy_check_main(const struct run_options *o)
{
	static const char *const nets[] = { "unset (none)", "none", "loopback", "any" };
	static const char *const actions[] = { "unset (deny)", "deny", "kill", "log" };
	struct policy p;
	char err[512], perms[8];
	int count;
	const struct promise *t = promise_table(&count);

	if (policy_load(&p, o->policy, err, sizeof(err)) < 0) {
		fprintf(stderr, "picovisor: %s\n", err);
		policy_free(&p);
		return 1;
	}
	for (size_t i = 0; i < p.nwarnings; i++)
		fprintf(stderr, "picovisor: warning: %s\n", p.warnings[i]);
	printf("%s: valid\n  promises:", o->policy);
	for (int i = 0; i < count; i++)
		if (p.promises & (1ULL << i))
			printf(" %s", t[i].name);
	printf("\n");
	for (size_t i = 0; i < p.npaths; i++)
		printf("  path %-4s %s  (%s)\n", perms_text(p.paths[i].perms, perms), p.paths[i].path, p.paths[i].origin);
	printf("  tmpdir: %s\n  net: %s\n", p.tmpdir ? "yes" : "no", nets[p.net]);
	for (size_t i = 0; i < p.nconnects; i++)
		printf("  connect %s%s%s:%u  (%s)\n", p.connects[i].family == AF_INET6 ? "[" : "", p.connects[i].host,
		       p.connects[i].family == AF_INET6 ? "]" : "", p.connects[i].port, p.connects[i].origin);
	for (size_t i = 0; i < p.nbinds; i++)
		printf("  bind %u  (%s)\n", p.binds[i].port, p.binds[i].origin);
	for (int k = 0; k < LIMIT_COUNT; k++) {
		if (!p.limit_set[k])
			continue;
		if (k == LIMIT_WALL)
			printf("  limit wall %.3f s\n", (double)p.limit[k] / 1e9);
		else
			printf("  limit %s %" PRIu64 "%s\n", limit_name((enum limit_kind)k), p.limit[k],
			       k == LIMIT_CPU ? " s" : k == LIMIT_MEMORY || k == LIMIT_FSIZE ? " bytes" : "");
	}
	printf("  on-violation: %s\n", actions[p.on_violation]);
	for (size_t i = 0; i < p.nmaps; i++)
		printf("  map %s %s%s  (%s)\n", p.maps[i].guest, p.maps[i].host, p.maps[i].read_only ? " ro" : "",
		       p.maps[i].origin);
	for (size_t i = 0; i < p.ntmps; i++)
		printf("  tmp %s\n", p.tmps[i]);
	if (p.nmaps || p.ntmps)
		printf("note: map and tmp belong to path translation, which this picovisor does not do yet\n");
	if (o->command == CMD_POLICY_SHOW) {
		int abi = landlock_abi_version();
		struct compile_env env = { .landlock_paths = abi >= 1 };
		struct policy_filter f;
		struct landlock_plan plan;
		char cwd[PATH_MAX];

		landlock_plan_build(&p, abi, getcwd(cwd, sizeof(cwd)) ? cwd : ".", &plan);
		landlock_plan_print(&plan, stdout);
		landlock_plan_free(&plan);
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
	printf("note: this picovisor cannot run programs under a policy yet (the sandbox personality is not "
	       "implemented)\n");
	policy_free(&p);
	return 0;
}
