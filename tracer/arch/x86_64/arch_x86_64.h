/* x86_64's facts for the architecture seam (include/arch.h says what each name means). */
#ifndef PICOVISOR_ARCH_X86_64_H
#define PICOVISOR_ARCH_X86_64_H

#include <asm/prctl.h>
#include <elf.h>
#include <linux/audit.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/user.h>

typedef struct user_regs_struct tracee_regs;

#define ABI_NATIVE ABI_X86_64
#define ARCH_NAME "x86_64"
#define ARCH_AUDIT_NATIVE AUDIT_ARCH_X86_64

/* syscall (0f 05) and int 0x80 (cd 80) are both two bytes. */
enum { SYSCALL_INSN_LEN = 2 };
/* The longest instruction; int3 (cc) is one byte. */
enum { ARCH_INSN_MAX = 15, ARCH_BREAKPOINT_LEN = 1 };

#define ARCH_ELF_MACHINE EM_X86_64
#define ARCH_ELF_MACHINE_NAME "x86-64"

#define PV_PAGE_SIZE 4096UL
#define PV_TASK_SIZE 0x7ffffffff000UL /* top of a 47-bit user address space */
#define ARCH_PIE_BASE 0x555555554000UL /* ELF_ET_DYN_BASE: 2/3 of TASK_SIZE, page aligned */
#define ARCH_PIE_RANDOM_PAGES (1UL << 24)
#define ARCH_BRK_RANDOM_PAGES (0x2000000UL / PV_PAGE_SIZE) /* arch_randomize_brk: 32 MiB */

/* Where the stub is linked (ET_EXEC: far from where programs and libraries go); stub/stub.lds says the same. */
#define PV_STUB_BASE 0x2f0000000000UL

#define ARCH_HAS_NT 1
/* The call (number, first argument; the TEB's address second) that sets an NT thread's TEB register: NtCurrentTeb() is gs:[0x30]. */
#define ARCH_NT_SET_TEB_NR SYS_arch_prctl
#define ARCH_NT_SET_TEB_ARG0 ARCH_SET_GS

/* The kernel's struct sigaction as rt_sigaction reads it (the trace decoders). */
struct arch_kernel_sigaction {
	uint64_t handler, flags, restorer, mask;
};

#endif
