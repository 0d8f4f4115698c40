/*
 * The architecture seam: every fact of the machine picovisor runs on that the
 * other parts need, and nothing else. A port provides tracer/arch/<arch>/
 * (docs/architecture.md, "How to add an architecture"): arch_<arch>.h with
 * the constants below, arch_<arch>.c with the functions below, tracee_<arch>.c
 * with the register accessors of tracee.h, and stub/ (the blank tracee's image
 * and the executor). Parts outside tracer/arch/ name the native ABI
 * ABI_NATIVE and never an instruction, a register or an audit arch.
 */
#ifndef PICOVISOR_ARCH_H
#define PICOVISOR_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "syscall_table.h"

/*
 * The per-architecture header (found through -I$(ARCH_DIR), GNUmakefile). It defines:
 * tracee_regs            the registers as PTRACE_GETREGS gives them
 * ABI_NATIVE             the enum abi of the machine's own system calls
 * ARCH_NAME              its name in messages and traces ("x86_64")
 * ARCH_AUDIT_NATIVE      seccomp_data.arch of a native call
 * SYSCALL_INSN_LEN       bytes of the instruction that enters the kernel
 * ARCH_ELF_MACHINE, ARCH_ELF_MACHINE_NAME   e_machine of the images it runs
 * PV_PAGE_SIZE, PV_TASK_SIZE                the page and the top of the user address space
 * ARCH_PIE_BASE, ARCH_PIE_RANDOM_PAGES      ELF_ET_DYN_BASE and its randomisation range
 * ARCH_BRK_RANDOM_PAGES                     the randomisation range of the brk start
 * PV_STUB_BASE           where the stub is linked (must match stub/stub.lds)
 * ARCH_HAS_NT            1 if the NT personality (Windows x64 convention) can run here
 * ARCH_NT_SET_TEB_NR, ARCH_NT_SET_TEB_ARG0  the call that points an NT thread's TEB register at its TEB
 * struct arch_kernel_sigaction             the kernel's struct sigaction (trace decoders)
 */
#if defined(__x86_64__)
#include "arch_x86_64.h"
#else
#error "picovisor has no port for this architecture: see docs/architecture.md, \"How to add an architecture\""
#endif

/* One Linux ABI of this machine: how seccomp names it, how libseccomp does. */
struct arch_abi {
	enum abi abi;
	const char *name;       /* in trace records (docs/trace-format.md) and reports */
	uint32_t audit_arch;    /* seccomp_data.arch of its calls */
	uint32_t scmp_arch;     /* libseccomp's SCMP_ARCH_* */
	unsigned long nr_bit;   /* a bit of the native number that selects this ABI (x32), or 0 */
	bool loads;             /* picovisor's loader serves its execs (else they fail with ENOSYS) */
	bool traced;            /* a trace records its calls (else they run unrecorded) */
	bool ptr32;             /* its pointers are 32 bits: what the supervisor places for it must lie below 4 GiB */
};

/*
 * The instruction a thread faulted on (its first n bytes, at most ARCH_INSN_MAX): does it write its memory
 * operand, is it one user mode may not run (a privilege fault rather than a bad address), is it a fast fail
 * (NT's __fastfail)? ARCH_BREAKPOINT_LEN: how far past the breakpoint instruction a trap reports the thread.
 */
bool arch_insn_writes_memory(const unsigned char *insn, size_t n);
bool arch_insn_privileged(const unsigned char *insn, size_t n);
bool arch_insn_fast_fail(const unsigned char *insn, size_t n);

/* The Linux ABIs the machine runs, the native one first (arch_<arch>.c); count in *n. */
const struct arch_abi *arch_abis(int *n);
/* The description of one Linux ABI, or NULL if this machine has no such ABI. */
const struct arch_abi *arch_abi_info(enum abi abi);
/*
 * The ABI and table number of a call as seccomp and the registers report it
 * (seccomp_data.arch and the number): x32's bit is taken off. ABI_COUNT if the
 * arch is none of this machine's.
 */
enum abi arch_abi_of_call(uint32_t audit_arch, long *nr);

#endif
