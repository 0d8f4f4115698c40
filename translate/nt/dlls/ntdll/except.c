/*
 * Exceptions, dispatched in user mode as NT's RtlDispatchException does: the
 * vectored handlers first, then each frame's language handler
 * (UNW_FLAG_EHANDLER) from the raise point outwards, found by the unwind
 * tables, then the unhandled-exception filter (kernel32's
 * SetUnhandledExceptionFilter, through RtlSetUnhandledExceptionFilter).
 * Handlers that resume the exception have the vectored continue handlers
 * called before it resumes. Faults of the program's code reach
 * KiUserExceptionDispatcher (context.S) from the supervisor, with the CONTEXT
 * and EXCEPTION_RECORD on the stack; software exceptions come through
 * RtlRaiseException. An exception nobody takes ends the process with its code
 * and a message (NtRaiseException, second chance).
 */
#include "ntdll_internal.h"

#define CONTEXT_SIZE 0x4d0
#define CTX_RIP 0xf8
#define CTX_REG(ctx, n) (*(uint64_t *)((unsigned char *)(ctx) + 0x78 + 8 * (n)))
#define EXCEPTION_NONCONTINUABLE 0x1
#define EXCEPTION_CONTINUE_EXECUTION (-1)
#define EXCEPTION_EXECUTE_HANDLER 1
#define STATUS_NONCONTINUABLE_EXCEPTION ((NTSTATUS)0xC0000025L)
#define UNW_FLAG_EHANDLER 1

typedef long (*vectored_handler)(EXCEPTION_POINTERS *);
typedef long (*unhandled_filter)(EXCEPTION_POINTERS *);
NTSTATUS NtContinue(void *ctx, BOOL test_alert);
NTSTATUS NtRaiseException(EXCEPTION_RECORD *rec, void *ctx, BOOL first_chance);
typedef int (*exception_routine)(EXCEPTION_RECORD *rec, uint64_t frame, void *ctx, DISPATCHER_CONTEXT *dc);

void RtlCaptureContext(void *ctx);
void RtlRestoreContext(void *ctx, EXCEPTION_RECORD *rec);
RUNTIME_FUNCTION *RtlLookupFunctionEntry(uint64_t pc, uint64_t *image_base, void *history);
void *RtlVirtualUnwind(ULONG type, uint64_t base, uint64_t pc, RUNTIME_FUNCTION *fn, void *ctx, void **handler_data,
		       uint64_t *frame, void *pointers);

struct vectored {
	struct vectored *next;
	vectored_handler fn;
};

/* The exception handlers and the continue handlers: two lists under one lock. */
static struct vectored *vectored_lists[2];
static RTL_CRITICAL_SECTION vectored_lock = { NULL, -1, 0, NULL, NULL, 0 };
static unhandled_filter top_filter;

static void *vectored_add(int list, ULONG first, vectored_handler fn)
{
	struct vectored *v = RtlAllocateHeap(PROCESS_HEAP(), 0, sizeof(*v));

	if (!v)
		return NULL;
	v->fn = fn;
	RtlEnterCriticalSection(&vectored_lock);
	if (first || !vectored_lists[list]) {
		v->next = vectored_lists[list];
		vectored_lists[list] = v;
	} else {
		struct vectored *last = vectored_lists[list];

		while (last->next)
			last = last->next;
		v->next = NULL;
		last->next = v;
	}
	RtlLeaveCriticalSection(&vectored_lock);
	return v;
}

static ULONG vectored_remove(int list, void *handle)
{
	struct vectored **pp;
	ULONG found = 0;

	RtlEnterCriticalSection(&vectored_lock);
	for (pp = &vectored_lists[list]; *pp; pp = &(*pp)->next)
		if (*pp == handle) {
			*pp = ((struct vectored *)handle)->next;
			found = 1;
			break;
		}
	RtlLeaveCriticalSection(&vectored_lock);
	if (found)
		RtlFreeHeap(PROCESS_HEAP(), 0, handle);
	return found;
}

EXPORT void *RtlAddVectoredExceptionHandler(ULONG first, vectored_handler fn)
{
	return vectored_add(0, first, fn);
}

EXPORT ULONG RtlRemoveVectoredExceptionHandler(void *handle)
{
	return vectored_remove(0, handle);
}

EXPORT void *RtlAddVectoredContinueHandler(ULONG first, vectored_handler fn)
{
	return vectored_add(1, first, fn);
}

EXPORT ULONG RtlRemoveVectoredContinueHandler(void *handle)
{
	return vectored_remove(1, handle);
}

/* kernel32's SetUnhandledExceptionFilter installs its UnhandledExceptionFilter here. */
EXPORT void RtlSetUnhandledExceptionFilter(unhandled_filter fn)
{
	__atomic_store_n(&top_filter, fn, __ATOMIC_SEQ_CST);
}

/*
 * The handlers of a list, in order, until one says EXCEPTION_CONTINUE_EXECUTION:
 * did one? The lock is not held while a handler runs: a handler may add or
 * remove handlers, fault, or never return, and other threads' exceptions go
 * on. A handler removed meanwhile may be skipped.
 */
static int call_vectored(int list, EXCEPTION_RECORD *rec, void *ctx)
{
	EXCEPTION_POINTERS ptrs = { rec, ctx };
	struct vectored *v;

	for (int i = 0;; i++) {
		vectored_handler fn = NULL;

		RtlEnterCriticalSection(&vectored_lock);
		v = vectored_lists[list];
		for (int j = 0; v && j < i; j++)
			v = v->next;
		if (v)
			fn = v->fn;
		RtlLeaveCriticalSection(&vectored_lock);
		if (!fn)
			return 0;
		if (fn(&ptrs) == EXCEPTION_CONTINUE_EXECUTION)
			return 1;
	}
}

static void hex(char *out, uint64_t v, int digits)
{
	for (int i = digits - 1; i >= 0; i--, v >>= 4)
		out[i] = "0123456789abcdef"[v & 15];
	out[digits] = 0;
}

/* Nobody took it: the message, and the second chance, which ends the process with the code. */
static void __attribute__((noreturn)) unhandled(EXCEPTION_RECORD *rec, void *ctx)
{
	char msg[120], code[12], at[20];
	size_t n = 0;
	const char *parts[5];

	hex(code, (uint32_t)rec->ExceptionCode, 8);
	hex(at, (uint64_t)rec->ExceptionAddress, 16);
	parts[0] = "picovisor ntdll: unhandled exception 0x";
	parts[1] = code;
	parts[2] = " at 0x";
	parts[3] = at;
	parts[4] = "\n";
	for (int i = 0; i < 5; i++)
		for (const char *p = parts[i]; *p && n + 1 < sizeof(msg); p++)
			msg[n++] = *p;
	msg[n] = 0;
	pv_write_stderr(msg);
	NtRaiseException(rec, ctx, 0);
	NtTerminateProcess(CURRENT_PROCESS, rec->ExceptionCode);
	for (;;)
		;
}

/* A handler resumes the exception: may it (else STATUS_NONCONTINUABLE_EXCEPTION is what happened)? */
static BOOL resumable(EXCEPTION_RECORD *rec)
{
	if (rec->ExceptionFlags & EXCEPTION_NONCONTINUABLE) {
		rec->ExceptionCode = STATUS_NONCONTINUABLE_EXCEPTION;
		return 0;
	}
	return 1;
}

/*
 * Offer the exception to the vectored handlers, the handlers of the frames of
 * ctx's stack and the unhandled-exception filter: TRUE if one resumed it (ctx,
 * which it may have changed, is to be resumed), FALSE if nobody took it.
 */
EXPORT BOOL RtlDispatchException(EXCEPTION_RECORD *rec, void *ctx)
{
	unsigned char frame_ctx[CONTEXT_SIZE] __attribute__((aligned(16)));
	unsigned char next[CONTEXT_SIZE] __attribute__((aligned(16)));
	/* frames lie between here and the stack's base (StackLimit is only the committed part's end) */
	uint64_t stack_lo = (uint64_t)__builtin_frame_address(0), stack_hi = TEB_FIELD(uint64_t, 0x8);
	BOOL resumed = 0;

	if (call_vectored(0, rec, ctx)) {
		if (!resumable(rec))
			return 0;
		resumed = 1;
		goto out;
	}
	memcpy(frame_ctx, ctx, CONTEXT_SIZE);
	for (int depth = 0; depth < 100000; depth++) {
		uint64_t pc = *(uint64_t *)(frame_ctx + CTX_RIP), base = 0;
		RUNTIME_FUNCTION *fn = RtlLookupFunctionEntry(pc, &base, NULL);
		DISPATCHER_CONTEXT dc;
		exception_routine handler = NULL;

		memset(&dc, 0, sizeof(dc));
		memcpy(next, frame_ctx, CONTEXT_SIZE);
		if (fn) {
			handler = RtlVirtualUnwind(UNW_FLAG_EHANDLER, base, pc, fn, next, &dc.HandlerData, &dc.EstablisherFrame,
						   NULL);
		} else { /* a leaf function: only its return address is on the stack */
			uint64_t rsp = CTX_REG(next, 4);

			if (rsp < stack_lo || rsp + 8 > stack_hi)
				break; /* a stack pointer off this thread's stack: no frames to walk */
			dc.EstablisherFrame = rsp;
			*(uint64_t *)(next + CTX_RIP) = *(uint64_t *)rsp;
			CTX_REG(next, 4) = rsp + 8;
		}
		if (dc.EstablisherFrame < stack_lo || dc.EstablisherFrame >= stack_hi)
			break; /* off this thread's stack: the end of the frames */
		if (handler) {
			int r;

			dc.ControlPc = pc;
			dc.ImageBase = base;
			dc.FunctionEntry = fn;
			dc.ContextRecord = frame_ctx;
			dc.LanguageHandler = (void *)handler;
			r = handler(rec, dc.EstablisherFrame, ctx, &dc);
			if (r == 0) { /* ExceptionContinueExecution */
				if (!resumable(rec))
					return 0;
				resumed = 1;
				goto out;
			}
			/* ExceptionContinueSearch, and the nested and collided cases: on to the next frame */
		}
		memcpy(frame_ctx, next, CONTEXT_SIZE);
		if (!*(uint64_t *)(frame_ctx + CTX_RIP))
			break;
	}
	/* past the outermost frame: what the handler of NT's RtlUserThreadStart does, the top-level filter */
	{
		unhandled_filter filter = __atomic_load_n(&top_filter, __ATOMIC_SEQ_CST);
		EXCEPTION_POINTERS ptrs = { rec, ctx };
		long r = filter ? filter(&ptrs) : 0;

		if (r == EXCEPTION_EXECUTE_HANDLER)
			NtTerminateProcess(CURRENT_PROCESS, rec->ExceptionCode); /* the filter chose the end: no message */
		if (r == EXCEPTION_CONTINUE_EXECUTION) {
			if (!resumable(rec))
				return 0;
			resumed = 1;
		}
	}
out:
	/*
	 * The continue handlers are called whatever happened (as Go's runtime expects of Windows: its first one
	 * stops the search for an exception it resumed, its last one reports one nobody took); one that says
	 * EXCEPTION_CONTINUE_EXECUTION resumes an exception nobody else took.
	 */
	if (call_vectored(1, rec, ctx) && !resumed) {
		if (!resumable(rec))
			return 0;
		resumed = 1;
	}
	return resumed;
}

/*
 * A fault, delivered by the supervisor (KiUserExceptionDispatcher, context.S, passes the record and the
 * context it found on the stack): resumed with NtContinue, or the process ends.
 */
void __attribute__((noreturn)) pv_user_exception(EXCEPTION_RECORD *rec, void *ctx)
{
	if (RtlDispatchException(rec, ctx))
		NtContinue(ctx, 0);
	unhandled(rec, ctx);
}

EXPORT void RtlRaiseException(EXCEPTION_RECORD *rec)
{
	unsigned char ctx[CONTEXT_SIZE] __attribute__((aligned(16)));
	uint64_t base = 0;
	RUNTIME_FUNCTION *fn;
	void *data;
	uint64_t frame;

	RtlCaptureContext(ctx);
	/* the raise point is our caller: this function's own frame is unwound first */
	fn = RtlLookupFunctionEntry(*(uint64_t *)(ctx + CTX_RIP), &base, NULL);
	if (fn)
		RtlVirtualUnwind(0, base, *(uint64_t *)(ctx + CTX_RIP), fn, ctx, &data, &frame, NULL);
	rec->ExceptionAddress = (void *)*(uint64_t *)(ctx + CTX_RIP);
	CTX_REG(ctx, 0) = 0; /* what the raise returns if a handler resumes it */
	if (RtlDispatchException(rec, ctx))
		RtlRestoreContext(ctx, rec);
	unhandled(rec, ctx);
}
