/*
 * __C_specific_handler: the language handler of functions with
 * __try/__except/__finally scope tables. ntdll exports it, and kernel32 and
 * msvcrt forward to it, as on Windows (programs and DLLs import it from any
 * of the three).
 */
#include "ntdll_internal.h"

void RtlUnwindEx(void *target_frame, void *target_ip, EXCEPTION_RECORD *rec, void *retval, void *orig_ctx,
		 void *history); /* unwind.c */

typedef struct {
	uint32_t Count;
	struct {
		uint32_t BeginAddress, EndAddress, HandlerAddress, JumpTarget;
	} ScopeRecord[1];
} SCOPE_TABLE;

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
		for (ULONG i = disp->ScopeIndex; i < table->Count; i++) {
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
	for (ULONG i = disp->ScopeIndex; i < table->Count; i++) {
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
				    (void *)(uintptr_t)(uint32_t)rec->ExceptionCode, ctx, disp->HistoryTable);
			__builtin_unreachable();
		}
	}
	return 1;
}
