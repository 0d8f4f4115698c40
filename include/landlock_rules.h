/*
 * A policy's path and net rules as a Landlock ruleset: what the kernel can
 * enforce on its own (the second wall, which races on tracee memory cannot
 * get past), and what it cannot (rules that narrow a wider rule above them,
 * hosts, loopback-only networking, UDP), which the supervisor must enforce.
 */
#ifndef PICOVISOR_LANDLOCK_RULES_H
#define PICOVISOR_LANDLOCK_RULES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "policy.h"

struct landlock_path_rule {
	char *path;      /* absolute */
	uint64_t access; /* LANDLOCK_ACCESS_FS_* allowed beneath it */
	policy_origin origin;
};

struct landlock_port_rule {
	uint64_t port;
	uint64_t access; /* LANDLOCK_ACCESS_NET_* */
	policy_origin origin;
};

struct landlock_plan {
	int abi;                 /* the kernel's Landlock ABI version; 0: none */
	bool audited;            /* its refusals are read back from the audit log (ABI 7): logged after exec too */
	uint64_t handled_fs, handled_net, scoped;
	struct landlock_path_rule *paths;
	size_t npaths;
	struct landlock_port_rule *ports;
	size_t nports;
	char **unenforced;       /* "ORIGIN: what Landlock cannot do here", for the supervisor and the user */
	size_t nunenforced;
	char **notes;            /* "ORIGIN: how a rule was expressed", for policy show */
	size_t nnotes;
	bool paths_complete;     /* the path rules are all enforced (no narrowing rule, a kernel with Landlock) */
};

/* The kernel's Landlock ABI version, 0 if it has none (or it is disabled). */
int landlock_abi_version(void);
/* Plan the ruleset of p for ABI abi, relative paths against launch_dir. */
void landlock_plan_build(const struct policy *p, int abi, const char *launch_dir, struct landlock_plan *out);
void landlock_plan_free(struct landlock_plan *plan);
void landlock_plan_print(const struct landlock_plan *plan, FILE *out);
/*
 * Restrict the calling process (the child, before it execs; no_new_privs
 * must be set or the caller hold CAP_SYS_ADMIN). Paths that do not exist are
 * skipped. 0 or -errno with err set.
 */
int landlock_apply(const struct landlock_plan *plan, char *err, size_t errsize);

#endif
