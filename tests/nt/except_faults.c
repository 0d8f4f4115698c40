/*
 * Hardware faults as NT exceptions: an access violation (read, write,
 * execute: ExceptionInformation says which and where), an integer division by
 * zero, int3, ud2, a privileged instruction, each seen by a vectored handler
 * with the CONTEXT of the fault (general registers and XMM state) and resumed
 * with a context the handler changed; a frame-based handler found through the
 * unwind information of an assembly function (.seh_handler), which resumes
 * the fault, and one that unwinds to a target in its frame (RtlUnwindEx
 * through KiUserExceptionDispatcher's machine frame); a vectored continue
 * handler is registered and removed; __try/__except and __finally as
 * scope tables of msvcrt's __C_specific_handler; the faulting thread's own stack holds
 * the frame. (That continue handlers run after a handler resumed an
 * exception, as Windows does and Wine 8 does not, is checked by
 * except_unhandled.exe under picovisor only.)
 */
#include "nt_test.h"

#define WINAPI __attribute__((ms_abi))
typedef struct {
	ULONG *rec;
	unsigned char *ctx;
} PTRS;

__declspec(dllimport) void *WINAPI AddVectoredExceptionHandler(ULONG, long(WINAPI *)(PTRS *));
__declspec(dllimport) ULONG WINAPI RemoveVectoredExceptionHandler(void *);
__declspec(dllimport) void *WINAPI AddVectoredContinueHandler(ULONG, long(WINAPI *)(PTRS *));
__declspec(dllimport) ULONG WINAPI RemoveVectoredContinueHandler(void *);
__declspec(dllimport) void WINAPI RtlUnwindEx(void *, void *, ULONG *, void *, void *, void *);

/* CONTEXT (x64) offsets */
#define C_RAX 0x78
#define C_RCX 0x80
#define C_RSP 0x98
#define C_R12 0xd8
#define C_R13 0xe0
#define C_RIP 0xf8
#define C_EFLAGS 0x44
#define C_XMM(n) (0x1a0 + 16 * (n))
#define CTX64(ctx, off) (*(ULONG64 *)((ctx) + (off)))
#define REC_ADDRESS(rec) (*(ULONG64 *)((char *)(rec) + 0x10))
#define REC_NPARAMS(rec) ((rec)[6])
#define REC_INFO(rec, i) (*(ULONG64 *)((char *)(rec) + 0x20 + 8 * (i)))

/*
 * The faulting instructions, each with a label after it where a handler
 * resumes, and a label on it (the fault's address).
 */
extern char read_at[], read_resume[], write_at[], write_resume[], div_at[], div_resume[], int3_at[], ud2_at[],
	ud2_resume[], hlt_at[], hlt_resume[], regs_at[], regs_resume[], framed_at[], framed_resume[], unwound_at[],
	unwound_target[];
ULONG64 fault_read(ULONG64 addr);
void fault_write(ULONG64 addr);
ULONG64 fault_div(ULONG64 d);
ULONG64 fault_int3(void);
void fault_ud2(void);
void fault_hlt(void);
ULONG64 fault_regs(void);
ULONG64 fault_framed(void);
ULONG64 fault_unwound(void);
__asm__(".text\n"
	".globl fault_read\nfault_read:\n"
	"read_at: mov (%rcx), %rax\n"
	"read_resume: ret\n"
	".globl fault_write\nfault_write:\n"
	"write_at: movq $1, (%rcx)\n"
	"write_resume: ret\n"
	".globl fault_div\nfault_div:\n"
	"mov $7, %eax\nxor %edx, %edx\n"
	"div_at: div %rcx\n"
	"div_resume: ret\n"
	".globl fault_int3\nfault_int3:\n"
	"mov $0x33, %eax\n"
	"int3_at: int3\n"
	"ret\n"
	".globl fault_ud2\nfault_ud2:\n"
	"ud2_at: ud2\n"
	"ud2_resume: ret\n"
	".globl fault_hlt\nfault_hlt:\n"
	"hlt_at: hlt\n"
	"hlt_resume: ret\n"
	/* r12 and xmm8 as the handler sets them come back in rax and xmm0; r13 and xmm7 are what it must see */
	".globl fault_regs\nfault_regs:\n"
	"push %r12\npush %r13\nsub $8, %rsp\n"
	"movabs $0x1122334455667788, %r13\n"
	"movq %r13, %xmm7\n"
	"xor %r12d, %r12d\npxor %xmm8, %xmm8\n"
	"regs_at: mov (%r12), %rax\n"
	"regs_resume: movq %xmm8, %rax\n"
	"add %r12, %rax\n"
	"add $8, %rsp\npop %r13\npop %r12\nret\n"
	/* a function whose unwind information names a language handler for exceptions (UNW_FLAG_EHANDLER) */
	".globl fault_framed\n.def fault_framed; .scl 2; .type 32; .endef\n"
	".seh_proc fault_framed\nfault_framed:\n"
	"push %rbx\n.seh_pushreg %rbx\n"
	"sub $32, %rsp\n.seh_stackalloc 32\n"
	".seh_endprologue\n"
	".seh_handler framed_handler, @except\n"
	"xor %ebx, %ebx\nxor %eax, %eax\n"
	"framed_at: mov (%rbx), %rax\n"
	"framed_resume: add $32, %rsp\npop %rbx\nret\n"
	".seh_endproc\n"
	/* the same, whose handler unwinds to unwound_target in this frame (as a catch does) */
	".globl fault_unwound\n.def fault_unwound; .scl 2; .type 32; .endef\n"
	".seh_proc fault_unwound\nfault_unwound:\n"
	"push %rbx\n.seh_pushreg %rbx\n"
	"push %rsi\n.seh_pushreg %rsi\n"
	"sub $40, %rsp\n.seh_stackalloc 40\n"
	".seh_endprologue\n"
	".seh_handler unwound_handler, @except\n"
	"mov $0x77, %ebx\nmov $0x99, %esi\nxor %eax, %eax\n"
	"call fault_unwound_inner\n"
	"mov $1, %eax\n"                /* not reached */
	"unwound_target: add %rbx, %rax\nadd %rsi, %rax\n" /* rax = RtlUnwindEx's return value + rbx + rsi */
	"add $40, %rsp\npop %rsi\npop %rbx\nret\n"
	".seh_endproc\n"
	/* a callee that trashes the caller's non-volatile registers (saved in its prologue) and faults */
	".def fault_unwound_inner; .scl 3; .type 32; .endef\n"
	".seh_proc fault_unwound_inner\nfault_unwound_inner:\n"
	"push %rbx\n.seh_pushreg %rbx\n"
	"push %rsi\n.seh_pushreg %rsi\n"
	"sub $40, %rsp\n.seh_stackalloc 40\n"
	".seh_endprologue\n"
	"mov $0xdead, %ebx\nmov $0xbeef, %esi\nxor %ecx, %ecx\n"
	"unwound_at: mov 8(%rcx), %rax\n"
	"add $40, %rsp\npop %rsi\npop %rbx\nret\n"
	".seh_endproc\n"
	/* __try { fault_finally(); } __except (EXCEPTION_EXECUTE_HANDLER) { return code; } as scope tables for msvcrt's
	 * __C_specific_handler, the way compilers lay them out; fault_finally's __finally runs while unwinding */
	".globl fault_try\n.def fault_try; .scl 2; .type 32; .endef\n"
	".seh_proc fault_try\nfault_try:\n"
	"sub $40, %rsp\n.seh_stackalloc 40\n.seh_endprologue\n"
	".seh_handler __C_specific_handler, @except, @unwind\n"
	".seh_handlerdata\n.long 1\n.rva try_begin\n.rva try_end\n.long 1\n.rva try_except\n.text\n"
	"try_begin: call fault_finally\nnop\n"
	"try_end: mov $1, %eax\n"
	"try_except: add $40, %rsp\nret\n"
	".seh_endproc\n"
	".def fault_finally; .scl 3; .type 32; .endef\n"
	".seh_proc fault_finally\nfault_finally:\n"
	"sub $40, %rsp\n.seh_stackalloc 40\n.seh_endprologue\n"
	".seh_handler __C_specific_handler, @except, @unwind\n"
	".seh_handlerdata\n.long 1\n.rva fin_begin\n.rva fin_end\n.rva finally_block\n.long 0\n.text\n"
	"fin_begin: xor %ecx, %ecx\nmov 0x18(%rcx), %rax\nnop\n"
	"fin_end: add $40, %rsp\nret\n"
	".seh_endproc\n");
ULONG64 fault_try(void);

static volatile ULONG finally_abnormal = 99;

/* fault_finally's __finally block: (AbnormalTermination, EstablisherFrame) */
void WINAPI finally_block(unsigned char abnormal, void *frame)
{
	(void)frame;
	finally_abnormal = abnormal;
}

static volatile ULONG seen_code, seen_nparams, continue_calls;
static volatile ULONG64 seen_addr, seen_rip, seen_info0, seen_info1, seen_r13, seen_xmm7, seen_stack;
static volatile ULONG64 resume_at, handler_frame;

static void note(PTRS *p)
{
	seen_code = p->rec[0];
	seen_addr = REC_ADDRESS(p->rec);
	seen_nparams = REC_NPARAMS(p->rec);
	seen_info0 = REC_NPARAMS(p->rec) > 0 ? REC_INFO(p->rec, 0) : ~0ULL;
	seen_info1 = REC_NPARAMS(p->rec) > 1 ? REC_INFO(p->rec, 1) : ~0ULL;
	seen_rip = CTX64(p->ctx, C_RIP);
	seen_stack = (ULONG64)p->ctx;
}

static volatile ULONG steps, trace_after;

static long WINAPI vectored(PTRS *p)
{
	if (p->rec[0] == 0x80000004) { /* STATUS_SINGLE_STEP: the trap flag a handler set; cleared again */
		steps++;
		*(ULONG *)(p->ctx + C_EFLAGS) &= ~0x100U;
		return -1;
	}
	note(p);
	if (!resume_at)
		return 0; /* EXCEPTION_CONTINUE_SEARCH: for the frame-based handlers */
	if (resume_at == 1) {
		CTX64(p->ctx, C_RIP) += 1; /* past int3 */
		if (trace_after)
			*(ULONG *)(p->ctx + C_EFLAGS) |= 0x100; /* TF: one instruction, then STATUS_SINGLE_STEP */
	} else {
		CTX64(p->ctx, C_RIP) = resume_at;
	}
	if (p->rec[0] == 0xC0000005 && CTX64(p->ctx, C_RIP) == (ULONG64)regs_resume) {
		seen_r13 = CTX64(p->ctx, C_R13);
		seen_xmm7 = CTX64(p->ctx, C_XMM(7));
		CTX64(p->ctx, C_R12) = 0x1000;
		CTX64(p->ctx, C_XMM(8)) = 0x2000;
	}
	CTX64(p->ctx, C_RAX) = 0x5a5a;
	return -1; /* EXCEPTION_CONTINUE_EXECUTION */
}

static long WINAPI continue_handler(PTRS *p)
{
	(void)p;
	continue_calls++;
	return 0;
}

/* Language handlers (the x64 exception routine): resume with a changed context, or unwind to the target. */
int WINAPI framed_handler(ULONG *rec, ULONG64 frame, unsigned char *ctx, void *dc)
{
	(void)dc;
	seen_code = rec[0];
	handler_frame = frame;
	CTX64(ctx, C_RIP) = (ULONG64)framed_resume;
	CTX64(ctx, C_RAX) = 0x4242;
	return 0; /* ExceptionContinueExecution */
}

int WINAPI unwound_handler(ULONG *rec, ULONG64 frame, unsigned char *ctx, void *dc)
{
	(void)dc;
	if (rec[1] & 0x66) /* EXCEPTION_UNWIND: called again while unwinding */
		return 1;
	seen_code = rec[0];
	handler_frame = frame;
	RtlUnwindEx((void *)frame, unwound_target, rec, (void *)0x1000, ctx, 0);
	return 1; /* not reached */
}

static NTSTATUS NTAPI thread_fault(void *arg)
{
	return (NTSTATUS)fault_read((ULONG64)arg);
}

int mainCRTStartup(void)
{
	void *h, *ch, *page = 0;
	SIZE_T size = 4096;
	ULONG64 r, here = (ULONG64)&h;

	h = AddVectoredExceptionHandler(1, vectored);
	ch = AddVectoredContinueHandler(0, continue_handler);
	check(h && ch, "AddVectoredExceptionHandler, AddVectoredContinueHandler", 0);

	resume_at = (ULONG64)read_resume;
	r = fault_read(0x10);
	check(seen_code == 0xC0000005 && r == 0x5a5a, "a read of 0x10 is STATUS_ACCESS_VIOLATION, resumed past it with rax set",
	      seen_code);
	check(seen_addr == (ULONG64)read_at && seen_rip == (ULONG64)read_at,
	      "ExceptionAddress and the context's Rip are the faulting instruction", seen_rip);
	check(seen_nparams == 2 && seen_info0 == 0 && seen_info1 == 0x10, "ExceptionInformation: read (0) of 0x10",
	      seen_info0 << 32 | seen_info1);
	check(seen_stack < here && here - seen_stack < 0x10000, "the CONTEXT is on the faulting thread's stack, below its frame",
	      seen_stack);

	{
		/* in another thread: on its own stack, resumed there */
		HANDLE th = 0;
		ULONG64 basic[6] = { 0 };

		seen_code = 0;
		resume_at = (ULONG64)read_resume;
		CHECK_STATUS(NtCreateThreadEx(&th, 0x1fffff, 0, NtCurrentProcess(), (void *)thread_fault, (void *)0x30, 0, 0, 0, 0, 0),
			     0, "NtCreateThreadEx");
		NtWaitForSingleObject(th, 0, 0);
		NtQueryInformationThread(th, 0, basic, sizeof(basic), 0);
		check(seen_code == 0xC0000005 && seen_info1 == 0x30 && (ULONG)basic[0] == 0x5a5a &&
			      (seen_stack > here || here - seen_stack > 0x100000),
		      "a fault in another thread: dispatched on that thread's stack and resumed", basic[0]);
		NtClose(th);
	}

	resume_at = (ULONG64)write_resume;
	fault_write(0x7ff0);
	check(seen_code == 0xC0000005 && seen_info0 == 1 && seen_info1 == 0x7ff0, "a write of 0x7ff0: write (1) and its address",
	      seen_info0 << 32 | seen_info1);

	/* execution of a page that is readable and writable but not executable */
	CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &page, 0, &size, 0x3000, 0x04), 0, "a PAGE_READWRITE page");
	if (page) {
		*(unsigned char *)page = 0xc3; /* ret, which must not run */
		seen_code = 0;
		resume_at = (ULONG64)read_resume; /* a plain ret: back to the caller the call pushed */
		((void (*)(void))page)();
		check(seen_code == 0xC0000005 && seen_info0 == 8 && seen_info1 == (ULONG64)page && seen_rip == (ULONG64)page,
		      "calling a non-executable page: access violation, execute (8), at the page", seen_info0);
	}

	resume_at = (ULONG64)div_resume;
	fault_div(0);
	check(seen_code == 0xC0000094 && seen_rip == (ULONG64)div_at && seen_nparams == 0,
	      "div by zero: STATUS_INTEGER_DIVIDE_BY_ZERO at the div", seen_code);

	resume_at = 1;
	r = fault_int3();
	check(seen_code == 0x80000003 && seen_rip == (ULONG64)int3_at && seen_addr == (ULONG64)int3_at && r == 0x5a5a,
	      "int3: STATUS_BREAKPOINT, Rip and address at the int3; resumed after it", seen_rip);
	trace_after = 1;
	r = fault_int3();
	trace_after = 0;
	check(steps == 1 && r == 0x5a5a, "a handler sets TF in the context: one instruction later, STATUS_SINGLE_STEP", steps);

	resume_at = (ULONG64)ud2_resume;
	fault_ud2();
	check(seen_code == 0xC000001D && seen_rip == (ULONG64)ud2_at, "ud2: STATUS_ILLEGAL_INSTRUCTION", seen_code);

	resume_at = (ULONG64)hlt_resume;
	fault_hlt();
	check(seen_code == 0xC0000096 && seen_rip == (ULONG64)hlt_at, "hlt: STATUS_PRIVILEGED_INSTRUCTION", seen_code);

	resume_at = (ULONG64)regs_resume;
	r = fault_regs();
	check(seen_r13 == 0x1122334455667788 && seen_xmm7 == 0x1122334455667788,
	      "the CONTEXT holds the fault's registers (r13, xmm7)", seen_r13);
	check(r == 0x3000, "a changed context is resumed: r12 and xmm8 as the handler set them", r);

	/* frame-based handlers: the vectored one passes */
	resume_at = 0;
	seen_code = 0;
	r = fault_framed();
	check(seen_code == 0xC0000005 && r == 0x4242, "a frame's language handler (unwind info) took the fault and resumed it",
	      r);
	check(handler_frame > (ULONG64)seen_stack && handler_frame < here, "its EstablisherFrame is that function's frame",
	      handler_frame);
	seen_code = 0;
	r = fault_unwound();
	check(seen_code == 0xC0000005 && r == 0x1000 + 0x77 + 0x99,
	      "a handler unwinds from a fault to its frame's target (RtlUnwindEx): callee-saved registers restored", r);

	r = fault_try();
	check(r == 0xC0000005 && finally_abnormal == 1,
	      "__try/__except through msvcrt's __C_specific_handler: the __finally below ran (abnormal), code returned", r);

	check(RemoveVectoredExceptionHandler(h) == 1 && RemoveVectoredContinueHandler(ch) == 1,
	      "the handlers are removed", 0);
	out("1..");
	out_dec((unsigned long long)tests_run);
	out("\n");
	NtTerminateProcess(NtCurrentProcess(), tests_failed);
	return 0;
}
