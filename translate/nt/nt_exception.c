/*
 * NT exceptions: a fault of the program's code (SIGSEGV, SIGBUS, SIGILL,
 * SIGFPE, int3's SIGTRAP) is raised in the thread as NT's kernel raises it
 * (docs/nt.md, "Exceptions"): the supervisor writes the CONTEXT of the fault,
 * an EXCEPTION_RECORD and a machine frame below the thread's stack pointer,
 * and the thread goes on at ntdll's KiUserExceptionDispatcher, which
 * dispatches it in user mode and ends in NtContinue (a handler resumed it)
 * or NtRaiseException with FirstChance FALSE (nobody did: the process ends
 * with the exception's code). Both services are here.
 *
 * The stack pointer is the program's: the frame is written only where the
 * program itself could write (nt_put), and a frame that cannot be written
 * ends the process with the exception's code, as NT's kernel does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "arch.h"
#include "nt_internal.h"
#include "util.h"

/*
 * The frame KiUserExceptionDispatcher finds at its stack pointer, as NT lays
 * it out: the CONTEXT, CONTEXT_EX, the EXCEPTION_RECORD, and a machine frame
 * (rip, cs, eflags, rsp, ss of the fault) that its unwind information
 * (UWOP_PUSH_MACHFRAME) unwinds through to the faulting frame.
 */
#define FRAME_RECORD 0x4f0
#define FRAME_MACHINE 0x590
#define FRAME_SIZE 0x5c0
#define RECORD_SIZE 0x98
#define RECORD_MAX_PARAMS 15
#define CTX_RIP 0xf8
#define CTX_RSP (0x78 + 8 * 4)
#define EXCEPTION_NONCONTINUABLE 0x1

/* What a fault is raised as. */
struct nt_fault {
	uint32_t code;
	uint64_t address;  /* ExceptionAddress: the faulting instruction */
	uint32_t nparams;
	uint64_t params[2];
	bool fast_fail;    /* __fastfail: the process ends at once, no handler sees it */
};

uint32_t nt_exception_status_of_signal(int sig)
{
	switch (sig) {
	case SIGSEGV:
	case SIGBUS:
		return STATUS_ACCESS_VIOLATION;
	case SIGILL:
		return STATUS_ILLEGAL_INSTRUCTION;
	case SIGFPE:
		return STATUS_INTEGER_DIVIDE_BY_ZERO;
	default:
		return 0;
	}
}

/* Up to max bytes of the instruction at ip (fewer where its page ends): how many. */
static size_t read_insn(struct tracee *t, uint64_t ip, unsigned char *buf, size_t max)
{
	size_t n = max;

	while (n > 0 && tracee_read(host_tid(t), ip, buf, n) != (ssize_t)n)
		n = n > 4096 - (ip & 4095) ? 4096 - (ip & 4095) : n - 1;
	return n;
}

static void access_violation(struct nt_fault *f, struct tracee *t, const tracee_regs *r, uint64_t addr, bool known)
{
	unsigned char insn[ARCH_INSN_MAX];
	size_t n = read_insn(t, regs_ip(r), insn, sizeof(insn));
	uint64_t sp = regs_sp(r);

	f->code = STATUS_ACCESS_VIOLATION;
	f->nparams = 2;
	f->params[1] = known ? addr : ~0ULL; /* a non-canonical address: NT reports all ones */
	if (known && addr == regs_ip(r))
		f->params[0] = 8; /* executing memory that is not executable */
	else if (known && addr < sp && sp - addr <= 16)
		f->params[0] = 1; /* a push or a call: the stack is written */
	else
		f->params[0] = arch_insn_writes_memory(insn, n) ? 1 : 0;
}

/*
 * Is addr at the bottom of the thread's stack reservation (the guard page the
 * loader leaves, or just below the reservation of a thread whose stack has
 * none)? That is where a stack runs out: STATUS_STACK_OVERFLOW. The bottom is
 * the TEB's DeallocationStack (the program's memory: a program that changes
 * it changes only what its own faults are called).
 */
static bool in_stack_guard(struct tracee *t, uint64_t addr)
{
	struct nt_thread *th = nt_thread_state(t);
	struct nt_process *p = nt_process_of(t);
	uint64_t lo = 0;

	if (!th || !th->teb || nt_get(t, th->teb + 0x1478, &lo, 8) < 0)
		return false;
	if (!lo && th->teb == p->start.teb)
		lo = p->start.stack_reserve_lo;
	return lo && addr + NT_STACK_GUARD >= lo && addr < lo + NT_STACK_GUARD;
}

/* The fault a kernel-raised signal stands for: false if it is none (a signal sent by a process, say). */
static bool fault_of(struct tracee *t, int sig, const siginfo_t *si, tracee_regs *r, struct nt_fault *f)
{
	uint64_t addr = (uint64_t)(uintptr_t)si->si_addr;
	unsigned char insn[ARCH_INSN_MAX];

	if (si->si_code <= 0)
		return false; /* kill, tgkill, sigqueue: not a fault (NT has no such thing; it is delivered) */
	memset(f, 0, sizeof(*f));
	f->address = regs_ip(r);
	switch (sig) {
	case SIGSEGV:
		if (si->si_code == SI_KERNEL) { /* a general protection fault */
			size_t n = read_insn(t, regs_ip(r), insn, sizeof(insn));

			if (arch_insn_fast_fail(insn, n)) {
				/* __fastfail(code): NT ends the process with STATUS_STACK_BUFFER_OVERRUN */
				f->code = STATUS_STACK_BUFFER_OVERRUN;
				f->nparams = 1;
				f->params[0] = regs_win64_arg(r, 0);
				f->fast_fail = true;
				return true;
			}
			if (arch_insn_privileged(insn, n)) {
				f->code = STATUS_PRIVILEGED_INSTRUCTION;
				return true;
			}
			access_violation(f, t, r, 0, false);
			return true;
		}
		access_violation(f, t, r, addr, true);
		if (in_stack_guard(t, addr))
			f->code = STATUS_STACK_OVERFLOW;
		return true;
	case SIGBUS:
		if (si->si_code == BUS_ADRALN) {
			f->code = STATUS_DATATYPE_MISALIGNMENT;
			return true;
		}
		access_violation(f, t, r, addr, true);
		return true;
	case SIGILL:
		f->code = si->si_code == ILL_PRVOPC || si->si_code == ILL_PRVREG ? STATUS_PRIVILEGED_INSTRUCTION
									       : STATUS_ILLEGAL_INSTRUCTION;
		return true;
	case SIGFPE:
		switch (si->si_code) {
		case FPE_INTDIV: f->code = STATUS_INTEGER_DIVIDE_BY_ZERO; break;
		case FPE_INTOVF: f->code = STATUS_INTEGER_OVERFLOW; break;
		case FPE_FLTDIV: f->code = STATUS_FLOAT_DIVIDE_BY_ZERO; break;
		case FPE_FLTOVF: f->code = STATUS_FLOAT_OVERFLOW; break;
		case FPE_FLTUND: f->code = STATUS_FLOAT_UNDERFLOW; break;
		case FPE_FLTRES: f->code = STATUS_FLOAT_INEXACT_RESULT; break;
		case FPE_FLTSUB: f->code = STATUS_ARRAY_BOUNDS_EXCEEDED; break;
		default: f->code = STATUS_FLOAT_INVALID_OPERATION; break;
		}
		return true;
	case SIGTRAP:
		if (si->si_code == SI_KERNEL) {
			/* int3: NT reports the breakpoint's own address, in the record and in the context's Rip */
			regs_set_ip(r, regs_ip(r) - ARCH_BREAKPOINT_LEN);
			f->code = STATUS_BREAKPOINT;
			f->address = regs_ip(r);
			f->nparams = 1; /* BREAKPOINT_BREAK */
			return true;
		}
		if (si->si_code == TRAP_TRACE || si->si_code == TRAP_HWBKPT) {
			f->code = STATUS_SINGLE_STEP;
			return true;
		}
		return false;
	default:
		return false;
	}
}

static void record_put(unsigned char *rec, uint32_t code, uint32_t flags, uint64_t nested, uint64_t address,
		       uint32_t nparams, const uint64_t *params)
{
	memset(rec, 0, RECORD_SIZE);
	memcpy(rec, &code, 4);
	memcpy(rec + 4, &flags, 4);
	memcpy(rec + 8, &nested, 8);
	memcpy(rec + 0x10, &address, 8);
	if (nparams > RECORD_MAX_PARAMS)
		nparams = RECORD_MAX_PARAMS;
	memcpy(rec + 0x18, &nparams, 4);
	memcpy(rec + 0x20, params, 8 * (size_t)nparams);
}

/*
 * Write the frame for ctx and rec below ctx's Rsp and point r at the
 * dispatcher with it: false if the program could not write there itself (a
 * stack pointer that is garbage, or a stack that is used up).
 */
static bool frame_write(struct tracee *t, tracee_regs *r, const unsigned char *ctx, const unsigned char *rec)
{
	unsigned char frame[FRAME_SIZE];
	uint64_t rsp, rip, sp, mach[5];
	uint32_t eflags;
	uint16_t cs, ss;

	memcpy(&rsp, ctx + CTX_RSP, 8);
	memcpy(&rip, ctx + CTX_RIP, 8);
	memcpy(&eflags, ctx + 0x44, 4);
	memcpy(&cs, ctx + 0x38, 2);
	memcpy(&ss, ctx + 0x42, 2);
	if (rsp < FRAME_SIZE + 16)
		return false;
	sp = (rsp - FRAME_SIZE) & ~15ULL;
	memset(frame, 0, sizeof(frame));
	memcpy(frame, ctx, NT_CONTEXT_SIZE);
	memcpy(frame + FRAME_RECORD, rec, RECORD_SIZE);
	mach[0] = rip;
	mach[1] = cs;
	mach[2] = eflags;
	mach[3] = rsp;
	mach[4] = ss;
	memcpy(frame + FRAME_MACHINE, mach, sizeof(mach));
	if (nt_put(t, sp, frame, sizeof(frame)) < 0)
		return false;
	regs_set_ip(r, nt_process_of(t)->start.ntdll_exception_dispatcher);
	regs_set_sp(r, sp);
	regs_set_win64_arg(r, 0, sp + FRAME_RECORD);
	regs_set_win64_arg(r, 1, sp);
	regs_clear_handler_flags(r); /* as NT's kernel enters the dispatcher */
	return true;
}

/*
 * An exception that cannot be delivered (or a fast fail) ends the process
 * with its code, as NT's kernel ends it: the thread calls ntdll's
 * NtTerminateProcess on its work area (its TEB's block, which is the
 * thread's own), and picovisor says why.
 */
static void end_process(struct tracee *t, tracee_regs *r, uint32_t code, uint64_t address, bool fast_fail)
{
	uint64_t work = nt_work(t);

	if (!host_facts()->quiet && fast_fail)
		warn("NT process %d: __fastfail(%llu) at 0x%llx: the process ends with 0x%08x", host_tgid(t),
		     (unsigned long long)regs_win64_arg(r, 0), (unsigned long long)address, code);
	else if (!host_facts()->quiet)
		warn("NT process %d: exception 0x%08x at 0x%llx cannot be delivered: the stack at 0x%llx cannot hold "
		     "its frame; the process ends with its code",
		     host_tgid(t), code, (unsigned long long)address, (unsigned long long)regs_sp(r));
	host_set_process_status(t, code, false);
	regs_set_ip(r, nt_process_of(t)->start.ntdll_terminate_process);
	regs_set_sp(r, work + NT_WORK_SIZE - 0x1008);
	regs_set_win64_arg(r, 0, (uint64_t)-1); /* NtCurrentProcess() */
	regs_set_win64_arg(r, 1, code);
	regs_clear_handler_flags(r);
}

bool nt_exception_from_signal(struct tracee *t, int sig)
{
	siginfo_t si;
	tracee_regs r;
	struct nt_fault f;
	unsigned char fx[512], ctx[NT_CONTEXT_SIZE], rec[RECORD_SIZE];
	struct verdict v = { .kind = VERDICT_RESUME, .set_regs = true };

	if (sig != SIGSEGV && sig != SIGBUS && sig != SIGILL && sig != SIGFPE && sig != SIGTRAP)
		return false;
	if (!nt_process_of(t) || !nt_process_of(t)->start.ntdll_exception_dispatcher || !nt_work(t))
		return false;
	if (tracee_siginfo(host_tid(t), &si) < 0 || regs_get(host_tid(t), &r) < 0 || !fault_of(t, sig, &si, &r, &f))
		return false;
	regs_to_nt_context(&r, regs_get_fp(host_tid(t), fx) == 0 ? fx : NULL, ctx);
	record_put(rec, f.code, 0, 0, f.address, f.nparams, f.params);
	if (f.fast_fail || !frame_write(t, &r, ctx, rec))
		end_process(t, &r, f.code, f.address, f.fast_fail);
	v.regs = r;
	host_release(t, &v); /* the signal is not delivered: it became the exception */
	return true;
}

/* NtContinue(Context, TestAlert): the thread goes on with the context's registers. */
void nt_serve_NtContinue(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	unsigned char ctx[NT_CONTEXT_SIZE], fx[512];
	tracee_regs r = c->regs;
	bool have_fx;

	if (nt_get(t, c->a[0], ctx, sizeof(ctx)) < 0) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	have_fx = regs_get_fp(host_tid(t), fx) == 0;
	if (regs_from_nt_context(&r, have_fx ? fx : NULL, ctx) && regs_set_fp(host_tid(t), fx) < 0) {
		nt_done(t, STATUS_INVALID_PARAMETER);
		return;
	}
	nt_done_with_regs(t, STATUS_SUCCESS, &r);
}

/*
 * NtRaiseException(Record, Context, FirstChance): the first chance is
 * dispatched in the thread from the context given, as a fault is; the second
 * (nobody handled it) ends the process with the exception's code.
 */
void nt_serve_NtRaiseException(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	unsigned char ctx[NT_CONTEXT_SIZE], rec[RECORD_SIZE], head[0x20];
	uint64_t params[RECORD_MAX_PARAMS], nested, address;
	uint32_t code, flags, nparams;
	tracee_regs r = c->regs;

	if (nt_get(t, c->a[0], head, sizeof(head)) < 0 || nt_get(t, c->a[1], ctx, sizeof(ctx)) < 0) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	memcpy(&code, head, 4);
	memcpy(&flags, head + 4, 4);
	memcpy(&nested, head + 8, 8);
	memcpy(&address, head + 0x10, 8);
	memcpy(&nparams, head + 0x18, 4);
	if (nparams > RECORD_MAX_PARAMS)
		nparams = RECORD_MAX_PARAMS;
	if (nt_get(t, c->a[0] + 0x20, params, 8 * (size_t)nparams) < 0) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	if (!c->a[2]) {
		nt_process_exit(t, code);
		return;
	}
	record_put(rec, code, flags, nested, address, nparams, params);
	if (!frame_write(t, &r, ctx, rec))
		end_process(t, &r, code, address, false);
	nt_done_with_regs(t, STATUS_SUCCESS, &r);
}
