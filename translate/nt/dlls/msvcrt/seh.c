/*
 * __C_specific_handler, the language handler of functions with
 * __try/__except/__finally scope tables (mingw's startup code names it for
 * the image), and setjmp/longjmp in the x64 _JUMP_BUFFER layout of
 * mingw-w64's setjmp.h. longjmp restores the registers directly: it does not
 * unwind the frames in between (their __finally blocks and C++ destructors do
 * not run).
 */
#include "crt.h"

typedef struct {
	DWORD ExceptionCode, ExceptionFlags;
	void *ExceptionRecord, *ExceptionAddress;
	DWORD NumberParameters;
	uintptr_t ExceptionInformation[15];
} EXCEPTION_RECORD;

typedef struct {
	uint64_t ControlPc, ImageBase;
	void *FunctionEntry;
	uint64_t EstablisherFrame, TargetIp;
	void *ContextRecord, *LanguageHandler, *HandlerData, *HistoryTable;
	DWORD ScopeIndex, Fill0;
} DISPATCHER_CONTEXT;

typedef struct {
	DWORD Count;
	struct {
		DWORD BeginAddress, EndAddress, HandlerAddress, JumpTarget;
	} ScopeRecord[1];
} SCOPE_TABLE;

typedef struct {
	EXCEPTION_RECORD *ExceptionRecord;
	void *ContextRecord;
} EXCEPTION_POINTERS;

#define EXCEPTION_UNWIND 0x66 /* UNWINDING | EXIT_UNWIND | TARGET_UNWIND | COLLIDED_UNWIND */
#define EXCEPTION_TARGET_UNWIND 0x20

typedef long (*filter_fn)(EXCEPTION_POINTERS *, void *);
typedef void (*termination_fn)(int, void *);

EXPORT int __C_specific_handler(EXCEPTION_RECORD *rec, void *frame, void *ctx, DISPATCHER_CONTEXT *disp)
{
	const SCOPE_TABLE *table = disp->HandlerData;
	uint64_t pc = disp->ControlPc - disp->ImageBase;

	if (!table)
		return 1; /* ExceptionContinueSearch */
	if (rec->ExceptionFlags & EXCEPTION_UNWIND) {
		uint64_t target = disp->TargetIp - disp->ImageBase;
		for (DWORD i = disp->ScopeIndex; i < table->Count; i++) {
			const __typeof__(table->ScopeRecord[0]) *r = &table->ScopeRecord[i];
			if (pc < r->BeginAddress || pc >= r->EndAddress)
				continue;
			if ((rec->ExceptionFlags & EXCEPTION_TARGET_UNWIND) && target >= r->BeginAddress &&
			    target < r->EndAddress)
				break;
			if (r->JumpTarget) {
				if ((rec->ExceptionFlags & EXCEPTION_TARGET_UNWIND) && target == r->JumpTarget)
					break;
				continue;
			}
			/* a __finally: run it as an abnormal termination, and do not run it again if unwinding resumes */
			disp->ScopeIndex = i + 1;
			((termination_fn)(disp->ImageBase + r->HandlerAddress))(1, frame);
		}
		return 1;
	}
	for (DWORD i = disp->ScopeIndex; i < table->Count; i++) {
		const __typeof__(table->ScopeRecord[0]) *r = &table->ScopeRecord[i];
		long verdict;
		if (pc < r->BeginAddress || pc >= r->EndAddress || !r->JumpTarget)
			continue;
		if (r->HandlerAddress == 1) {
			verdict = 1; /* EXCEPTION_EXECUTE_HANDLER as a constant filter */
		} else {
			EXCEPTION_POINTERS ptrs = {rec, ctx};
			verdict = ((filter_fn)(disp->ImageBase + r->HandlerAddress))(&ptrs, frame);
		}
		if (verdict < 0)
			return 0; /* ExceptionContinueExecution */
		if (verdict > 0) {
			RtlUnwindEx(frame, (void *)(disp->ImageBase + r->JumpTarget), rec,
				    (void *)(uintptr_t)rec->ExceptionCode, ctx, disp->HistoryTable);
			__builtin_unreachable();
		}
	}
	return 1;
}

/* int _setjmp(jmp_buf, void *frame): rcx the buffer, rdx the frame */
__asm__(".text\n"
	".globl _setjmp\n"
	".def _setjmp; .scl 2; .type 32; .endef\n"
	"_setjmp:\n"
	".globl _setjmpex\n"
	".def _setjmpex; .scl 2; .type 32; .endef\n"
	"_setjmpex:\n"
	"\tmov %rdx, 0(%rcx)\n"
	"\tmov %rbx, 8(%rcx)\n"
	"\tlea 8(%rsp), %rax\n"
	"\tmov %rax, 16(%rcx)\n"
	"\tmov %rbp, 24(%rcx)\n"
	"\tmov %rsi, 32(%rcx)\n"
	"\tmov %rdi, 40(%rcx)\n"
	"\tmov %r12, 48(%rcx)\n"
	"\tmov %r13, 56(%rcx)\n"
	"\tmov %r14, 64(%rcx)\n"
	"\tmov %r15, 72(%rcx)\n"
	"\tmov (%rsp), %rax\n"
	"\tmov %rax, 80(%rcx)\n"
	"\tstmxcsr 88(%rcx)\n"
	"\tfnstcw 92(%rcx)\n"
	"\tmovdqu %xmm6, 96(%rcx)\n"
	"\tmovdqu %xmm7, 112(%rcx)\n"
	"\tmovdqu %xmm8, 128(%rcx)\n"
	"\tmovdqu %xmm9, 144(%rcx)\n"
	"\tmovdqu %xmm10, 160(%rcx)\n"
	"\tmovdqu %xmm11, 176(%rcx)\n"
	"\tmovdqu %xmm12, 192(%rcx)\n"
	"\tmovdqu %xmm13, 208(%rcx)\n"
	"\tmovdqu %xmm14, 224(%rcx)\n"
	"\tmovdqu %xmm15, 240(%rcx)\n"
	"\txor %eax, %eax\n"
	"\tret\n"
	/* void longjmp(jmp_buf, int): a value of 0 returns 1 */
	".globl longjmp\n"
	".def longjmp; .scl 2; .type 32; .endef\n"
	"longjmp:\n"
	"\tmov %edx, %eax\n"
	"\ttest %eax, %eax\n"
	"\tjnz 1f\n"
	"\tinc %eax\n"
	"1:\n"
	"\tmov 8(%rcx), %rbx\n"
	"\tmov 24(%rcx), %rbp\n"
	"\tmov 32(%rcx), %rsi\n"
	"\tmov 40(%rcx), %rdi\n"
	"\tmov 48(%rcx), %r12\n"
	"\tmov 56(%rcx), %r13\n"
	"\tmov 64(%rcx), %r14\n"
	"\tmov 72(%rcx), %r15\n"
	"\tldmxcsr 88(%rcx)\n"
	"\tfnclex\n"
	"\tfldcw 92(%rcx)\n"
	"\tmovdqu 96(%rcx), %xmm6\n"
	"\tmovdqu 112(%rcx), %xmm7\n"
	"\tmovdqu 128(%rcx), %xmm8\n"
	"\tmovdqu 144(%rcx), %xmm9\n"
	"\tmovdqu 160(%rcx), %xmm10\n"
	"\tmovdqu 176(%rcx), %xmm11\n"
	"\tmovdqu 192(%rcx), %xmm12\n"
	"\tmovdqu 208(%rcx), %xmm13\n"
	"\tmovdqu 224(%rcx), %xmm14\n"
	"\tmovdqu 240(%rcx), %xmm15\n"
	"\tmov 16(%rcx), %rsp\n"
	"\tjmp *80(%rcx)\n");
