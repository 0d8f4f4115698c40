/*
 * Compiling a policy into seccomp filters, generated from the syscall table
 * (its kinds and SC_NEVER flags) and the promise table: a call no promise
 * allows, or that the sandbox never allows, stops for the supervisor as a
 * violation (reported, then denied, killed or logged); a call allowed with
 * arguments the filter can see is allowed in the kernel when they fit and is a
 * violation when they do not; a call whose deciding arguments are in memory
 * (paths Landlock cannot enforce, exec, clone3, openat2) stops for a check.
 */
#ifndef PICOVISOR_POLICY_COMPILE_H
#define PICOVISOR_POLICY_COMPILE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "filter.h"
#include "policy.h"
#include "syscall_table.h"

/* SECCOMP_RET_DATA bits of the sandbox's stops (the low byte is the ABI, as in filter.h). */
enum {
	POLICY_DATA_VIOLATION = FILTER_DATA_VIOLATION, /* refused: the supervisor reports it and applies on-violation */
	POLICY_DATA_CHECK = FILTER_DATA_CHECK,         /* allowed if what its memory arguments say passes the check */
	POLICY_DATA_OTHER_ABI = 0xff,  /* in the ABI byte: not the native ABI (int 0x80, x32) */
};

struct compile_env {
	bool landlock_paths;  /* Landlock enforces the path rules and refuses silently: path-bearing calls need no stop */
	bool check_sockaddrs; /* socket addresses are checked (net rules, or unix socket paths outside the path rules) */
	bool count_tasks;     /* a process limit: every fork, vfork and clone stops to be counted */
	bool translate_paths; /* maps: every call that takes or returns a path stops for path translation */
	unsigned personality_classes; /* class flags the personality (or co-scheduling) must see: trapped when allowed */
	uint32_t run_uid, run_gid;    /* the ids the run starts with: fattr's chown to oneself */
};

/* clone flags the sandbox refuses whatever the policy (CLONE_UNTRACED, namespaces)? */
bool policy_clone_forbidden(uint64_t flags);

struct landlock_plan;
/* How a policy is enforced given its Landlock plan (plan->abi 0: a kernel without Landlock). */
void policy_compile_env(const struct policy *p, const struct landlock_plan *plan, struct compile_env *env);

/*
 * One filter, for the native ABI's numbers; a call through another ABI (int
 * 0x80, x32 numbers) is a violation whatever the policy, with POLICY_DATA_OTHER_ABI in
 * the ABI byte (the supervisor asks the kernel which). One filter, not one per
 * ABI: every call of the program runs through each loaded filter.
 */
struct policy_filter {
	void *ctx;
};

/* 0, or -1 with err. */
int policy_compile(const struct policy *p, const struct compile_env *env, struct policy_filter *out, char *err,
		   size_t errsize);
void policy_filter_free(struct policy_filter *f);
/* libseccomp's PFC text of the filter. 0 or -errno. */
int policy_filter_pfc(const struct policy_filter *f, FILE *out);
/* The raw BPF of the filter, malloc'd (for tests that run it). 0 or -errno. */
int policy_filter_bpf(const struct policy_filter *f, void **bytes, size_t *len);

#endif
