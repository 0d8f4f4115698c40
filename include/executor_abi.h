/*
 * The contract between the supervisor and the executor: a few hundred bytes of
 * position-independent code that the supervisor copies into a blank tracee and
 * that issues a batch of system calls there, so that loading an image costs one
 * ptrace stop instead of one per mmap.
 *
 * An op is a system call, or one of two memory ops. Any argument can be made
 * relative to the result of an earlier op (rel bit j: arg[j] += op[src[j]].ret),
 * which is how segments land at the base an earlier reservation returned.
 *
 * The executor ends in one of two ways: an op with PV_OPF_STOP_ON_ERROR failed
 * and it traps (int3) with its region still mapped, failed_at saying which; or
 * its last op unmapped its own region and the next instruction fetch faults
 * (SIGSEGV), which the supervisor takes as "done" and never delivers.
 */
#ifndef PICOVISOR_EXECUTOR_ABI_H
#define PICOVISOR_EXECUTOR_ABI_H

#include <stdint.h>

enum {
	PV_OP_ZERO = -1001,  /* memset(arg0, 0, arg1) */
	PV_OP_STORE = -1002, /* *(uint64_t *)arg0 = arg1 */
};

enum {
	PV_OPF_STOP_ON_ERROR = 1,  /* a failure (-4095..-1) ends the batch */
	PV_OPF_IF_FAILED = 2,      /* run only if op[cond] failed */
};

struct pv_op {
	int64_t nr;
	uint64_t arg[6];
	uint8_t src[6];
	uint8_t rel;
	uint8_t flags;
	uint8_t cond;  /* with PV_OPF_IF_FAILED: the op whose failure this one needs */
	int64_t ret;
};

struct pv_batch {
	uint32_t count;
	uint32_t failed_at; /* 1 + index of the op that ended the batch, 0 if none did */
	struct pv_op op[];
};

/* Layout of the executor region the stub provides (its RWX, zero-filled segment). */
#define PV_EXEC_REGION_SIZE 0x20000UL
#define PV_EXEC_CODE_MAX 0x1000UL     /* code at the start of the region */
#define PV_EXEC_STACK_SIZE 0x2000UL   /* stack at its end */
#define PV_EXEC_DATA_OFFSET PV_EXEC_CODE_MAX
#define PV_EXEC_DATA_SIZE (PV_EXEC_REGION_SIZE - PV_EXEC_CODE_MAX - PV_EXEC_STACK_SIZE)

#endif
