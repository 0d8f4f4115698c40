/* The x64 NT CONTEXT from and to x86_64's registers (include/nt_context.h). */
#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "nt_context.h"

#define CONTEXT_AMD64 0x100000
#define CONTEXT_CONTROL 0x1
#define CONTEXT_INTEGER 0x2
#define CONTEXT_SEGMENTS 0x4
#define CONTEXT_FLOATING_POINT 0x8

/* What a program may set in EFlags: CF PF AF ZF SF TF DF OF, and AC, ID (the kernel's own mask) */
#define USER_EFLAGS 0x254dd5u

/* Offsets of the documented layout */
enum {
	CTX_MXCSR = 0x34, CTX_SEGCS = 0x38, CTX_SEGDS = 0x3a, CTX_SEGES = 0x3c, CTX_SEGFS = 0x3e, CTX_SEGGS = 0x40,
	CTX_SEGSS = 0x42, CTX_EFLAGS = 0x44, CTX_RAX = 0x78, CTX_RSP = 0x98, CTX_RBP = 0xa0, CTX_RIP = 0xf8,
	CTX_FLTSAVE = 0x100,
};

static void put64(unsigned char *ctx, int off, uint64_t v)
{
	memcpy(ctx + off, &v, 8);
}

static uint64_t get64(const unsigned char *ctx, int off)
{
	uint64_t v;

	memcpy(&v, ctx + off, 8);
	return v;
}

static void put16(unsigned char *ctx, int off, uint16_t v)
{
	memcpy(ctx + off, &v, 2);
}

/* The sixteen general registers in CONTEXT order: Rax Rcx Rdx Rbx Rsp Rbp Rsi Rdi R8..R15. */
static unsigned long long *gpr(tracee_regs *r, int i)
{
	unsigned long long *const order[16] = {
		&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp, &r->rsi, &r->rdi,
		&r->r8,	 &r->r9,  &r->r10, &r->r11, &r->r12, &r->r13, &r->r14, &r->r15,
	};
	return order[i];
}

int nt_context_from_regs(unsigned char *ctx, const tracee_regs *in, pid_t tid)
{
	uint32_t flags, eflags;
	tracee_regs r = *in;

	memcpy(&flags, ctx + NT_CONTEXT_FLAGS_OFFSET, 4);
	if (flags & CONTEXT_CONTROL) {
		put16(ctx, CTX_SEGCS, 0x33);
		put16(ctx, CTX_SEGSS, 0x2b);
		eflags = (uint32_t)r.eflags;
		memcpy(ctx + CTX_EFLAGS, &eflags, 4);
		put64(ctx, CTX_RSP, r.rsp);
		put64(ctx, CTX_RIP, r.rip);
	}
	if (flags & CONTEXT_INTEGER)
		for (int i = 0; i < 16; i++)
			if (i != 4) /* Rsp is CONTROL's */
				put64(ctx, CTX_RAX + 8 * i, *gpr(&r, i));
	if (flags & CONTEXT_SEGMENTS) {
		put16(ctx, CTX_SEGDS, 0x2b);
		put16(ctx, CTX_SEGES, 0x2b);
		put16(ctx, CTX_SEGFS, 0x53);
		put16(ctx, CTX_SEGGS, 0x2b);
	}
	if (flags & CONTEXT_FLOATING_POINT) {
		struct user_fpregs_struct fp; /* the FXSAVE image: CONTEXT's XMM_SAVE_AREA32 */

		if (ptrace(PTRACE_GETFPREGS, tid, 0, &fp) < 0)
			return -errno;
		memcpy(ctx + CTX_FLTSAVE, &fp, 512);
		memcpy(ctx + CTX_MXCSR, &fp.mxcsr, 4);
	}
	return 0;
}

int nt_context_to_regs(const unsigned char *ctx, tracee_regs *r, pid_t tid)
{
	uint32_t flags, eflags;

	memcpy(&flags, ctx + NT_CONTEXT_FLAGS_OFFSET, 4);
	if (flags & CONTEXT_CONTROL) {
		memcpy(&eflags, ctx + CTX_EFLAGS, 4);
		r->eflags = (r->eflags & ~(unsigned long long)USER_EFLAGS) | (eflags & USER_EFLAGS);
		r->rsp = get64(ctx, CTX_RSP);
		r->rip = get64(ctx, CTX_RIP);
	}
	if (flags & CONTEXT_INTEGER)
		for (int i = 0; i < 16; i++)
			if (i != 4)
				*gpr(r, i) = get64(ctx, CTX_RAX + 8 * i);
	if (flags & CONTEXT_FLOATING_POINT) {
		struct user_fpregs_struct fp;

		memcpy(&fp, ctx + CTX_FLTSAVE, 512);
		fp.mxcsr &= 0xffff; /* reserved bits would make the kernel refuse it */
		if (ptrace(PTRACE_SETFPREGS, tid, 0, &fp) < 0)
			return -errno;
	}
	return 0;
}
