/*
 * A thread's registers as an NT CONTEXT (the documented x64 layout: 0x4d0
 * bytes), per architecture (tracer/arch/ARCH/nt_context_ARCH.c). Only what
 * the ContextFlags name is read or written; segment registers are reported
 * as Windows has them and never taken from a CONTEXT (a code segment of the
 * program's choosing would change the CPU mode), and only the flags a
 * program may change are taken from EFlags.
 */
#ifndef PICOVISOR_NT_CONTEXT_H
#define PICOVISOR_NT_CONTEXT_H

#include <stdint.h>
#include <sys/types.h>

#include "arch.h"

#define NT_CONTEXT_SIZE 0x4d0
#define NT_CONTEXT_FLAGS_OFFSET 0x30

/* Fill ctx (NT_CONTEXT_SIZE bytes, as the program gave it) from r and, for CONTEXT_FLOATING_POINT, from
 * thread tid's FPU state. 0, or -errno. */
int nt_context_from_regs(unsigned char *ctx, const tracee_regs *r, pid_t tid);
/* Change r (and tid's FPU state) as ctx says. 0, or -errno. */
int nt_context_to_regs(const unsigned char *ctx, tracee_regs *r, pid_t tid);

#endif
