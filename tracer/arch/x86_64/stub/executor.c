/*
 * The executor: runs inside a blank tracee, from the stub's executable region,
 * and issues the supervisor's batch of system calls (see executor_abi.h).
 * Freestanding: no libc, no globals, no SSE (-mgeneral-regs-only), so it can be
 * copied anywhere and leaves the FPU state as the kernel set it at exec.
 */
#include "executor_abi.h"

static inline int64_t raw_syscall(int64_t nr, const uint64_t a[6])
{
	register uint64_t r10 __asm__("r10") = a[3];
	register uint64_t r8 __asm__("r8") = a[4];
	register uint64_t r9 __asm__("r9") = a[5];
	int64_t ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline int failed(int64_t ret)
{
	return ret < 0 && ret >= -4095;
}

static inline void trap(void)
{
	__asm__ volatile("int3" ::: "memory");
}

__attribute__((section(".text.entry"), noreturn, used)) void pv_execute(struct pv_batch *b)
{
	for (uint32_t i = 0; i < b->count; i++) {
		struct pv_op *op = &b->op[i];
		uint64_t a[6];

		if ((op->flags & PV_OPF_IF_FAILED) && (op->cond >= i || !failed(b->op[op->cond].ret))) {
			op->ret = 0;
			continue;
		}
		for (int j = 0; j < 6; j++) {
			a[j] = op->arg[j];
			if (op->rel & (1u << j))
				a[j] += (uint64_t)b->op[op->src[j]].ret;
		}
		if (op->nr == PV_OP_ZERO) {
			volatile unsigned char *p = (unsigned char *)a[0];
			for (uint64_t k = 0; k < a[1]; k++)
				p[k] = 0;
			op->ret = 0;
		} else if (op->nr == PV_OP_STORE) {
			*(volatile uint64_t *)a[0] = a[1];
			op->ret = 0;
		} else {
			op->ret = raw_syscall(op->nr, a);
		}
		if ((op->flags & PV_OPF_STOP_ON_ERROR) && failed(op->ret)) {
			b->failed_at = i + 1;
			break;
		}
	}
	for (;;)
		trap();
}
