/*
 * ntdll's unwinder: outer() finds its own establisher frame the way a
 * language runtime does (RtlCaptureContext, RtlLookupFunctionEntry,
 * RtlVirtualUnwind), then calls mid (assembly, with SEH unwind data: it pushes
 * the callee-saved rbx, r12 and rsi, puts other values in them, and names a
 * termination handler), which calls deep(), which calls RtlUnwindEx to a label
 * of outer(). The handler of mid must run once with EXCEPTION_UNWINDING, the
 * frames in between are discarded, outer resumes at the label with rax =
 * the return value given, and the registers it keeps across calls are its own
 * again.
 */
#include "nt_test.h"

typedef struct {
	unsigned BeginAddress, EndAddress, UnwindData;
} RUNTIME_FUNCTION;

void NTAPI RtlCaptureContext(void *ctx);
RUNTIME_FUNCTION *NTAPI RtlLookupFunctionEntry(ULONG64 pc, ULONG64 *base, void *history);
void *NTAPI RtlVirtualUnwind(ULONG type, ULONG64 base, ULONG64 pc, RUNTIME_FUNCTION *fn, void *ctx, void **data,
			     ULONG64 *frame, void *pointers);
void NTAPI RtlUnwindEx(void *frame, void *ip, void *rec, void *retval, void *ctx, void *history);

void *target_frame, *target_ip;
static volatile int handler_calls;
static volatile ULONG handler_flags;
static volatile ULONG64 handler_frame;

int NTAPI on_unwind(ULONG *rec, ULONG64 frame, void *ctx, void *dc);
int NTAPI on_unwind(ULONG *rec, ULONG64 frame, void *ctx, void *dc)
{
	(void)ctx;
	(void)dc;
	handler_calls++;
	handler_flags = rec[1];
	handler_frame = frame;
	return 1; /* ExceptionContinueSearch */
}

void deep(void);
__attribute__((noinline)) void deep(void)
{
	unsigned char scratch[0x4d0] __attribute__((aligned(16)));

	RtlUnwindEx(target_frame, target_ip, 0, (void *)0x5eed, scratch, 0);
	out("RtlUnwindEx returned\n");
	NtTerminateProcess(NtCurrentProcess(), 3);
}

void mid(void);
__asm__(".text\n"
	".globl mid\n"
	".def mid; .scl 2; .type 32; .endef\n"
	".seh_proc mid\n"
	"mid:\n"
	"	push %rbx\n"
	"	.seh_pushreg %rbx\n"
	"	push %r12\n"
	"	.seh_pushreg %r12\n"
	"	push %rsi\n"
	"	.seh_pushreg %rsi\n"
	"	sub $32, %rsp\n"
	"	.seh_stackalloc 32\n"
	"	.seh_endprologue\n"
	"	.seh_handler on_unwind, @unwind\n"
	"	mov $0x1111, %rbx\n"
	"	mov $0x2222, %r12\n"
	"	mov $0x3333, %rsi\n"
	"	call deep\n"
	"	nop\n"
	"	add $32, %rsp\n"
	"	pop %rsi\n"
	"	pop %r12\n"
	"	pop %rbx\n"
	"	ret\n"
	".seh_endproc\n");

volatile ULONG64 got_rax;

/*
 * outer(keep): keeps its argument in rbx (callee-saved), notes its establisher frame (its rsp after the
 * prologue: it has no frame register) and its landing address, calls mid; RtlUnwindEx comes back at landing
 * in this frame. It returns rbx as it is there.
 */
ULONG64 outer(ULONG64 keep);
__asm__(".text\n"
	".globl outer\n"
	".def outer; .scl 2; .type 32; .endef\n"
	".seh_proc outer\n"
	"outer:\n"
	"	push %rbx\n"
	"	.seh_pushreg %rbx\n"
	"	sub $32, %rsp\n"
	"	.seh_stackalloc 32\n"
	"	.seh_endprologue\n"
	"	mov %rcx, %rbx\n"
	"	mov %rsp, target_frame(%rip)\n"
	"	lea landing(%rip), %rax\n"
	"	mov %rax, target_ip(%rip)\n"
	"	call mid\n"
	"	xor %ebx, %ebx\n" /* not reached: mid does not return */
	"landing:\n"
	"	mov %rax, got_rax(%rip)\n"
	"	mov %rbx, %rax\n"
	"	add $32, %rsp\n"
	"	pop %rbx\n"
	"	ret\n"
	".seh_endproc\n");

/* Unwinding our own frame by the tables gives our caller's rip back: the return address. */
__attribute__((noinline)) static int unwinds_to_caller(void)
{
	unsigned char ctx[0x4d0] __attribute__((aligned(16)));
	ULONG64 base = 0, frame = 0;
	void *data;
	RUNTIME_FUNCTION *fn;

	RtlCaptureContext(ctx);
	fn = RtlLookupFunctionEntry(*(ULONG64 *)(ctx + 0xf8), &base, 0);
	if (!fn)
		return -1;
	RtlVirtualUnwind(0, base, *(ULONG64 *)(ctx + 0xf8), fn, ctx, &data, &frame, 0);
	return *(ULONG64 *)(ctx + 0xf8) == (ULONG64)__builtin_return_address(0);
}

int mainCRTStartup(void)
{
	int u = unwinds_to_caller();
	ULONG64 r;

	check(u != -1, "RtlLookupFunctionEntry finds a function's entry in .pdata", (ULONG64)u);
	check(u == 1, "RtlVirtualUnwind of it gives the caller's rip (the return address)", (ULONG64)u);
	r = outer(0xabcdef);
	check(r == 0xabcdef, "RtlUnwindEx resumed the target frame with its callee-saved register (rbx) restored", r);
	check(got_rax == 0x5eed, "rax is RtlUnwindEx's ReturnValue", got_rax);
	check(handler_calls == 1, "the termination handler of the frame in between ran once", (ULONG64)handler_calls);
	check(handler_flags & 2, "with EXCEPTION_UNWINDING", handler_flags);
	check(!(handler_flags & 0x20), "and not EXCEPTION_TARGET_UNWIND (it is not the target)", handler_flags);
	done();
	return 0;
}
