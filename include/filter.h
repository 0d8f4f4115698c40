/*
 * The seccomp filter of a run, generated from the syscall table's class flags
 * and the personality's choice of classes to trap. Trapped calls stop with
 * SECCOMP_RET_TRACE; the data word says which ABI the call came through.
 */
#ifndef PICOVISOR_FILTER_H
#define PICOVISOR_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "syscall_table.h"


/*
 * SECCOMP_RET_DATA of a trapped call: the ABI in the low byte, and whether the
 * personality must see the call (otherwise the stop is for the trace alone).
 */
enum {
	FILTER_DATA_PERSONALITY = 0x100,
	FILTER_DATA_DECODE_AT_ENTRY = 0x200, /* the trace must read the arguments at the seccomp stop */
	FILTER_DATA_VIOLATION = 0x400,       /* a policy refused it (policy_compile.h) */
	FILTER_DATA_CHECK = 0x800,           /* a policy's check of its memory arguments (policy_compile.h) */
	FILTER_DATA_STRICT = 0x1000,         /* a call the thread's (emulated) strict mode does not allow */
};

static inline uint32_t filter_trace_data(enum abi abi, bool for_personality)
{
	return (uint32_t)abi | (for_personality ? FILTER_DATA_PERSONALITY : 0);
}

static inline bool filter_trace_at_entry(unsigned long data)
{
	return (data & FILTER_DATA_DECODE_AT_ENTRY) != 0;
}

static inline enum abi filter_trace_abi(unsigned long data)
{
	return (data & 0xff) < ABI_COUNT ? (enum abi)(data & 0xff) : ABI_NATIVE;
}

/* The sandbox's stops (a violation, a check) are the personality's too. */
static inline bool filter_trace_for_personality(unsigned long data)
{
	return (data & (FILTER_DATA_PERSONALITY | FILTER_DATA_VIOLATION | FILTER_DATA_CHECK)) != 0;
}

struct trace_selection;

/*
 * Build the filter (libseccomp contexts): the calls of classes[abi] (the class
 * sets the personality and the supervisor need) trap for the personality;
 * calls the trace selects (sel may be NULL) trap for the trace; the rest are
 * allowed. NULL on failure, with filter_error() saying why.
 */
void *filter_build(const unsigned classes[ABI_LINUX_COUNT], const struct trace_selection *sel, bool set_no_new_privs);
/* What libseccomp refused in the last build that failed (and forget it), or NULL. */
const char *filter_error(void);
/* The raw BPF of a filter that traps the given classes in every ABI and allows the rest
 * (to be stacked on a process's filter). 0 and a malloc'd *bytes, or -errno. */
int filter_bpf_for_classes(unsigned classes, void **bytes, size_t *len);
/*
 * A libseccomp context for one ABI's calls: default_action for its numbers,
 * other_arches for other ABIs' calls (ALLOW when stacked behind a gate), the
 * binary-tree layout. NULL if libseccomp refuses (filter_error() says why).
 */
void *filter_abi_context(enum abi abi, uint32_t default_action, uint32_t other_arches, bool nnp);
/* The filter an NT process stacks at its load: every call of any number traps for the personality, but the
 * SC_NT_GATE calls made from the gate (gate_ip: past its syscall instruction) or the vDSO [vdso_lo, vdso_hi). */
/* 0, or -1 (nothing made) when the table has more gate calls than the filter has room for. */
int filter_bpf_nt(void **bytes, size_t *len, uint64_t gate_ip, uint64_t vdso_lo, uint64_t vdso_hi);
/* The filter that stands in for a thread's strict mode (SECCOMP_MODE_STRICT), as raw BPF. */
int filter_bpf_strict(void **bytes, size_t *len);
/* The raw BPF of a libseccomp context, malloc'd: 0 or -errno. */
int filter_ctx_bpf(void *ctx, void **bytes, size_t *len);
/* The raw BPF of each filter of a run (filter_build), in load order: their number (arrays malloc'd), or -EIO. */
int filter_export(void *filter, void ***bytes, size_t **lens);

#endif
