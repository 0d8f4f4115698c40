/* Registers of x86_64 tracees: the only file that knows the register layout (memory: tracer/run/tracee_memory.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>

#include "tracee.h"

#if !defined(__x86_64__)
#error "picovisor: this is x86_64's register file; a port adds tracer/arch/<arch>/ (docs/architecture.md)"
#endif

int regs_get(pid_t tid, tracee_regs *r)
{
	return ptrace(PTRACE_GETREGS, tid, 0, r) < 0 ? -errno : 0;
}

int regs_set(pid_t tid, const tracee_regs *r)
{
	return ptrace(PTRACE_SETREGS, tid, 0, r) < 0 ? -errno : 0;
}

long regs_syscall_nr(const tracee_regs *r)
{
	return (long)r->orig_rax;
}

void regs_set_syscall_nr(tracee_regs *r, long nr)
{
	r->orig_rax = (unsigned long long)nr;
	r->rax = (unsigned long long)nr;
}

/* int 0x80 passes ebx ecx edx esi edi ebp; syscall passes rdi rsi rdx r10 r8 r9. */
static unsigned long long *arg_slot(tracee_regs *r, enum abi abi, int i)
{
	if (abi == ABI_I386) {
		unsigned long long *s[6] = { &r->rbx, &r->rcx, &r->rdx, &r->rsi, &r->rdi, &r->rbp };
		return s[i];
	}
	unsigned long long *s[6] = { &r->rdi, &r->rsi, &r->rdx, &r->r10, &r->r8, &r->r9 };
	return s[i];
}

uint64_t regs_arg(const tracee_regs *r, enum abi abi, int i)
{
	uint64_t v = *arg_slot((tracee_regs *)r, abi, i);

	return abi == ABI_I386 ? (uint32_t)v : v;
}

void regs_set_arg(tracee_regs *r, enum abi abi, int i, uint64_t v)
{
	*arg_slot(r, abi, i) = v;
}

long regs_retval(const tracee_regs *r)
{
	return (long)r->rax;
}

void regs_set_retval(tracee_regs *r, long v)
{
	r->rax = (unsigned long long)v;
}

uint64_t regs_ip(const tracee_regs *r)
{
	return r->rip;
}

void regs_set_ip(tracee_regs *r, uint64_t ip)
{
	r->rip = ip;
}

uint64_t regs_sp(const tracee_regs *r)
{
	return r->rsp;
}

void regs_set_sp(tracee_regs *r, uint64_t sp)
{
	r->rsp = sp;
}

void regs_set_process_start(tracee_regs *r, uint64_t ip, uint64_t sp)
{
	/* ELF_PLAT_INIT: general registers zero; rdx = 0 means "no rtld_fini". */
	r->rax = r->rbx = r->rcx = r->rdx = r->rsi = r->rdi = r->rbp = 0;
	r->r8 = r->r9 = r->r10 = r->r11 = r->r12 = r->r13 = r->r14 = r->r15 = 0;
	r->orig_rax = (unsigned long long)-1;
	r->eflags = 0x200;
	r->rip = ip;
	r->rsp = sp;
}

void regs_set_win64_arg(tracee_regs *r, int i, uint64_t v)
{
	switch (i) {
	case 0: r->rcx = v; break;
	case 1: r->rdx = v; break;
	case 2: r->r8 = v; break;
	case 3: r->r9 = v; break;
	default: break;
	}
}

void regs_clear_handler_flags(tracee_regs *r)
{
	r->eflags &= ~0x500ULL; /* TF, DF */
}

uint64_t regs_win64_arg(const tracee_regs *r, int i)
{
	switch (i) {
	case 0: return r->rcx;
	case 1: return r->rdx;
	case 2: return r->r8;
	case 3: return r->r9;
	default: return 0;
	}
}

void regs_set_gs_base(tracee_regs *r, uint64_t v)
{
	r->gs_base = v;
}

uint64_t regs_nt_arg(const tracee_regs *r, int i)
{
	switch (i) {
	case 0: return r->r10;
	case 1: return r->rdx;
	case 2: return r->r8;
	case 3: return r->r9;
	default: return 0;
	}
}

int regs_get_fp(pid_t tid, void *fxsave)
{
	return ptrace(PTRACE_GETFPREGS, tid, 0, fxsave) < 0 ? -errno : 0;
}

int regs_set_fp(pid_t tid, const void *fxsave)
{
	return ptrace(PTRACE_SETFPREGS, tid, 0, fxsave) < 0 ? -errno : 0;
}

/*
 * The Windows x64 CONTEXT (winnt.h's documented layout): the integer
 * registers from Rax at 0x78 in the order of their x86 numbers, Rip at 0xf8,
 * EFlags at 0x44, the segment selectors from 0x38, MxCsr at 0x34, and FltSave
 * at 0x100: the FXSAVE image, which is what PTRACE_GETFPREGS gives.
 */
#define CTX_FLAGS 0x30
#define CTX_MXCSR 0x34
#define CTX_SEGS 0x38
#define CTX_EFLAGS 0x44
#define CTX_REGS 0x78
#define CTX_RIP 0xf8
#define CTX_FLTSAVE 0x100
#define CTX_CONTROL_FULL 0x10000f /* CONTEXT_AMD64 | CONTROL | INTEGER | SEGMENTS | FLOATING_POINT */

static unsigned long long *nt_reg_slot(tracee_regs *r, int n)
{
	unsigned long long *s[16] = { &r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp, &r->rsi, &r->rdi,
				      &r->r8,  &r->r9,  &r->r10, &r->r11, &r->r12, &r->r13, &r->r14, &r->r15 };
	return s[n];
}

void regs_to_nt_context(const tracee_regs *r, const void *fxsave, unsigned char *ctx)
{
	/* Windows' user-mode selectors: cs 0x33, ds/es/gs/ss 0x2b, fs 0x53 */
	const uint16_t segs[6] = { (uint16_t)r->cs, 0x2b, 0x2b, 0x53, 0x2b, (uint16_t)r->ss };
	uint32_t v;

	memset(ctx, 0, NT_CONTEXT_SIZE);
	v = CTX_CONTROL_FULL;
	memcpy(ctx + CTX_FLAGS, &v, 4);
	memcpy(ctx + CTX_SEGS, segs, sizeof(segs));
	v = (uint32_t)r->eflags;
	memcpy(ctx + CTX_EFLAGS, &v, 4);
	for (int i = 0; i < 16; i++)
		memcpy(ctx + CTX_REGS + 8 * i, nt_reg_slot((tracee_regs *)r, i), 8);
	memcpy(ctx + CTX_RIP, &r->rip, 8);
	if (fxsave) {
		memcpy(ctx + CTX_FLTSAVE, fxsave, 512);
		memcpy(ctx + CTX_MXCSR, (const unsigned char *)fxsave + 24, 4);
	}
}

bool regs_from_nt_context(tracee_regs *r, void *fxsave, const unsigned char *ctx)
{
	uint32_t flags, eflags, mxcsr;

	memcpy(&flags, ctx + CTX_FLAGS, 4);
	if (flags & 2) /* CONTEXT_INTEGER: all but rsp */
		for (int i = 0; i < 16; i++)
			if (i != 4)
				memcpy(nt_reg_slot(r, i), ctx + CTX_REGS + 8 * i, 8);
	if (flags & 1) { /* CONTEXT_CONTROL: rip, rsp, eflags (the selectors are the kernel's) */
		memcpy(&r->rip, ctx + CTX_RIP, 8);
		memcpy(&r->rsp, ctx + CTX_REGS + 8 * 4, 8);
		/* the program chooses the arithmetic flags, TF, DF and AC; never IOPL or the rest; IF stays set */
		memcpy(&eflags, ctx + CTX_EFLAGS, 4);
		r->eflags = (r->eflags & ~0x40dd5ULL) | (eflags & 0x40dd5) | 0x200;
	}
	if (!(flags & 8) || !fxsave)
		return false;
	/* CONTEXT_FLOATING_POINT: FltSave, with MxCsr from its own field; MXCSR_MASK stays the CPU's (fxsave
	 * holds the state as read), and reserved MXCSR bits would make the kernel refuse the whole state */
	{
		uint32_t mask;

		memcpy(&mask, (unsigned char *)fxsave + 28, 4);
		memcpy(fxsave, ctx + CTX_FLTSAVE, 512);
		memcpy((unsigned char *)fxsave + 28, &mask, 4);
		memcpy(&mxcsr, ctx + CTX_MXCSR, 4);
		mxcsr &= mask ? mask : 0xffbf;
		memcpy((unsigned char *)fxsave + 24, &mxcsr, 4);
	}
	return true;
}

int tracee_siginfo(pid_t tid, siginfo_t *si)
{
	return ptrace(PTRACE_GETSIGINFO, tid, 0, si) < 0 ? -errno : 0;
}
