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
#include <stdio.h>

#include "policy.h"
#include "syscall_table.h"

/* SECCOMP_RET_DATA bits of the sandbox's stops (the low byte is the ABI, as in filter.h). */
enum {
	POLICY_DATA_VIOLATION = 0x400, /* refused: the supervisor reports it and applies on-violation */
	POLICY_DATA_CHECK = 0x800,     /* allowed if what its memory arguments say passes the supervisor's check */
};

struct compile_env {
	bool landlock_paths;  /* Landlock enforces the path rules and refuses silently: path-bearing calls need no stop */
	bool check_sockaddrs; /* socket addresses are checked (net rules, or unix socket paths outside the path rules) */
	bool count_tasks;     /* a process limit: every fork, vfork and clone stops to be counted */
};

struct landlock_plan;
/* How a policy is enforced given its Landlock plan (plan->abi 0: a kernel without Landlock). */
void policy_compile_env(const struct policy *p, const struct landlock_plan *plan, struct compile_env *env);

/* One libseccomp context per ABI (i386 and x32 calls are violations whatever the policy). */
struct policy_filter {
	void *ctx[ABI_COUNT];
};

/* 0, or -1 with err. */
int policy_compile(const struct policy *p, const struct compile_env *env, struct policy_filter *out, char *err,
		   size_t errsize);
void policy_filter_free(struct policy_filter *f);
/* libseccomp's PFC text of each ABI's filter. 0 or -errno. */
int policy_filter_pfc(const struct policy_filter *f, FILE *out);
/* The raw BPF of one ABI's filter, malloc'd (for tests that run it). 0 or -errno. */
int policy_filter_bpf(const struct policy_filter *f, enum abi abi, void **bytes, size_t *len);

#endif
