/*
 * Classic BPF as seccomp runs it, in the supervisor: a checker with the
 * kernel's rules, an interpreter, the kernel's way of combining the verdicts
 * of stacked filters, and what a program can return at all. picovisor runs
 * its own filters here to know the verdict of a stopped call without trusting
 * the data word the kernel reports (which a newer filter of the program's can
 * supply), and looks at the program's filters before they go in.
 */
#ifndef PICOVISOR_SECCOMP_BPF_H
#define PICOVISOR_SECCOMP_BPF_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The kernel's limits: instructions per filter (BPF_MAXINSNS) and scratch memory words. */
enum { SECCOMP_BPF_MAX_INSNS = BPF_MAXINSNS, SECCOMP_BPF_MEMWORDS = BPF_MEMWORDS };

/* A program picovisor keeps (its own filters, a copy of the program's). */
struct seccomp_prog {
	size_t len;
	const struct sock_filter *insns;
};

/*
 * Would the kernel accept prog as a seccomp filter: 1 to BPF_MAXINSNS
 * instructions, each of the set seccomp allows, loads inside seccomp_data and
 * aligned, scratch words stored before they are loaded, jumps inside the
 * program, no division or shift by an impossible constant, ending in a
 * return? 0 or -EINVAL; *why says what is wrong.
 */
int seccomp_bpf_check(const struct sock_filter *prog, size_t len, const char **why);

/* Run a program seccomp_bpf_check accepted on d: what it returns. */
uint32_t seccomp_bpf_run(const struct sock_filter *prog, size_t len, const struct seccomp_data *d);

/* The action part of a return value, ordered as the kernel orders them (smaller wins). */
static inline int32_t seccomp_action_rank(uint32_t ret)
{
	return (int32_t)(ret & SECCOMP_RET_ACTION_FULL);
}

/*
 * The verdict of stacked filters as the kernel forms it: every filter runs,
 * the action of highest precedence wins, and among equal actions the newest
 * filter's return value (its data word) wins. filters[0] is the oldest.
 */
uint32_t seccomp_bpf_verdict(const struct seccomp_prog *filters, size_t n, const struct seccomp_data *d);

/* What a program can return, one bit per action (unknown actions kill, as in the kernel). */
enum {
	SECCOMP_CAN_KILL = 1u << 0,       /* KILL_PROCESS, KILL_THREAD, or an action the kernel does not know */
	SECCOMP_CAN_TRAP = 1u << 1,
	SECCOMP_CAN_ERRNO = 1u << 2,
	SECCOMP_CAN_USER_NOTIF = 1u << 3,
	SECCOMP_CAN_TRACE = 1u << 4,
	SECCOMP_CAN_LOG = 1u << 5,
	SECCOMP_CAN_ALLOW = 1u << 6,
	SECCOMP_CAN_ANYTHING = 1u << 7,   /* a return of A whose value could not be proven */
};
/*
 * The actions a checked program can return, found by following every path
 * (classic BPF jumps only forward) with the constant values of A, X and the
 * scratch words where the program makes them constant.
 */
unsigned seccomp_bpf_actions(const struct sock_filter *prog, size_t len);

#endif
