/*
 * x64 table-based unwinding: RtlLookupFunctionEntry finds a function's
 * RUNTIME_FUNCTION in its image's exception directory (.pdata),
 * RtlVirtualUnwind undoes its prologue's effects on a CONTEXT by the
 * UNWIND_INFO codes (.xdata), RtlUnwindEx walks the frames up to a target
 * calling each frame's termination handler, then resumes at the target
 * (RtlRestoreContext). RtlCaptureContext and RtlRestoreContext are in
 * context.S. The layouts are the documented x64 ones.
 */
#include "ntdll_internal.h"

#define CTX_RSP 0x98
#define CTX_RIP 0xf8
#define CTX_REG(ctx, n) (*(uint64_t *)((unsigned char *)(ctx) + 0x78 + 8 * (n)))
#define CTX_XMM(ctx, n) ((unsigned char *)(ctx) + 0x1a0 + 16 * (n))
#define CONTEXT_SIZE 0x4d0

#define UNW_FLAG_EHANDLER 1
#define UNW_FLAG_UHANDLER 2
#define UNW_FLAG_CHAININFO 4

#define EXCEPTION_UNWINDING 0x2
#define EXCEPTION_EXIT_UNWIND 0x4
#define EXCEPTION_TARGET_UNWIND 0x20
#define STATUS_UNWIND ((NTSTATUS)0xC0000027L)
#define STATUS_INVALID_UNWIND_TARGET ((NTSTATUS)0xC0000029L)
#define STATUS_BAD_FUNCTION_TABLE ((NTSTATUS)0xC00000FFL)


typedef int (*exception_routine)(EXCEPTION_RECORD *rec, uint64_t frame, void *ctx, DISPATCHER_CONTEXT *dc);

void RtlCaptureContext(void *ctx);
void RtlRestoreContext(void *ctx, EXCEPTION_RECORD *rec);
void *pv_module_of(uint64_t pc, uint64_t *base, uint64_t *size); /* loader.c */

/*
 * Function tables of code outside every image (a JIT's, RtlAddFunctionTable):
 * consulted for a pc no loaded image holds. The list is changed and read
 * under a lock (recursive: a bad table faults while it is held, and the fault
 * is dispatched by the same thread).
 */
struct fn_table {
	struct fn_table *next;
	RUNTIME_FUNCTION *entries;
	ULONG count;
	uint64_t base, lo, hi;
};

static struct fn_table *fn_tables;
static RTL_CRITICAL_SECTION fn_tables_lock = { NULL, -1, 0, NULL, NULL, 0 };

EXPORT BOOL RtlAddFunctionTable(RUNTIME_FUNCTION *entries, ULONG count, uint64_t base)
{
	struct fn_table *t;

	if (!entries || !count)
		return 0;
	t = RtlAllocateHeap(PROCESS_HEAP(), 0, sizeof(*t));
	if (!t)
		return 0;
	t->entries = entries;
	t->count = count;
	t->base = base;
	t->lo = ~0ULL;
	t->hi = 0;
	for (ULONG i = 0; i < count; i++) {
		if (base + entries[i].BeginAddress < t->lo)
			t->lo = base + entries[i].BeginAddress;
		if (base + entries[i].EndAddress > t->hi)
			t->hi = base + entries[i].EndAddress;
	}
	RtlEnterCriticalSection(&fn_tables_lock);
	t->next = fn_tables;
	fn_tables = t;
	RtlLeaveCriticalSection(&fn_tables_lock);
	return 1;
}

EXPORT BOOL RtlDeleteFunctionTable(RUNTIME_FUNCTION *entries)
{
	struct fn_table **pp, *found = NULL;

	RtlEnterCriticalSection(&fn_tables_lock);
	for (pp = &fn_tables; *pp; pp = &(*pp)->next)
		if ((*pp)->entries == entries) {
			found = *pp;
			*pp = found->next;
			break;
		}
	RtlLeaveCriticalSection(&fn_tables_lock);
	if (found)
		RtlFreeHeap(PROCESS_HEAP(), 0, found);
	return found != NULL;
}

static RUNTIME_FUNCTION *lookup_added(uint64_t pc, uint64_t *image_base)
{
	RUNTIME_FUNCTION *hit = NULL;

	RtlEnterCriticalSection(&fn_tables_lock);
	for (struct fn_table *t = fn_tables; t && !hit; t = t->next)
		if (pc >= t->lo && pc < t->hi)
			for (ULONG i = 0; i < t->count; i++)
				if (pc >= t->base + t->entries[i].BeginAddress && pc < t->base + t->entries[i].EndAddress) {
					hit = &t->entries[i];
					*image_base = t->base;
					break;
				}
	RtlLeaveCriticalSection(&fn_tables_lock);
	return hit;
}

EXPORT RUNTIME_FUNCTION *RtlLookupFunctionEntry(uint64_t pc, uint64_t *image_base, void *history)
{
	uint64_t base, size;
	unsigned char *o;
	uint32_t rva, dsize, lo = 0, hi, at;
	RUNTIME_FUNCTION *table;

	(void)history;
	if (!pv_module_of(pc, &base, &size))
		return lookup_added(pc, image_base);
	*image_base = base;
	o = (unsigned char *)base + *(uint32_t *)(base + 0x3c) + 24;
	if (*(uint32_t *)(o + 0x6c) <= 3)
		return NULL;
	rva = *(uint32_t *)(o + 0x70 + 3 * 8);
	dsize = *(uint32_t *)(o + 0x74 + 3 * 8);
	if (!rva || (uint64_t)rva + dsize > size)
		return NULL;
	table = (RUNTIME_FUNCTION *)(base + rva);
	hi = dsize / sizeof(RUNTIME_FUNCTION);
	at = (uint32_t)(pc - base);
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (at < table[mid].BeginAddress)
			hi = mid;
		else if (at >= table[mid].EndAddress)
			lo = mid + 1;
		else
			return &table[mid];
	}
	return NULL;
}

/* How many 16-bit slots an unwind code takes. */
static int code_slots(const unsigned char *code)
{
	switch (code[1] & 15) {
	case 1:
		return (code[1] >> 4) ? 3 : 2;
	case 4:
	case 8:
	case 6:
		return 2;
	case 5:
	case 9:
		return 3;
	default:
		return 1;
	}
}

/*
 * Is pc in an epilogue (add rsp / lea rsp, pops, ret)? Then its remaining instructions are emulated on ctx and 1
 * is returned. Frames being unwound are at call sites, so only the innermost frame can be in one.
 */
static int in_epilogue(uint64_t pc, void *ctx)
{
	const unsigned char *p = (const unsigned char *)pc;
	uint64_t rsp = CTX_REG(ctx, 4);
	int n = 0;

	if (p[0] == 0x48 && p[1] == 0x83 && p[2] == 0xc4)
		n = 4;
	else if (p[0] == 0x48 && p[1] == 0x81 && p[2] == 0xc4)
		n = 7;
	for (const unsigned char *q = p + n;; q++) {
		if (*q == 0xc3)
			break;
		if (*q >= 0x58 && *q <= 0x5f)
			continue;
		if (*q == 0x41 && q[1] >= 0x58 && q[1] <= 0x5f) {
			q++;
			continue;
		}
		return 0;
	}
	if (n == 4)
		rsp += (uint64_t)(int8_t)p[3];
	else if (n == 7)
		rsp += (uint64_t)(int64_t) * (const int32_t *)(p + 3);
	for (p += n; *p != 0xc3; p++) {
		int reg = *p == 0x41 ? 8 + (*++p - 0x58) : *p - 0x58;

		CTX_REG(ctx, reg) = *(uint64_t *)rsp;
		rsp += 8;
	}
	*(uint64_t *)((unsigned char *)ctx + CTX_RIP) = *(uint64_t *)rsp;
	CTX_REG(ctx, 4) = rsp + 8;
	return 1;
}

EXPORT void *RtlVirtualUnwind(ULONG type, uint64_t base, uint64_t pc, RUNTIME_FUNCTION *fn, void *ctx, void **handler_data,
			      uint64_t *frame, void *pointers)
{
	const unsigned char *info = (const unsigned char *)(base + fn->UnwindData);
	uint64_t offset = pc - (base + fn->BeginAddress);
	int mach_frame = 0, chained = 0;
	void *handler = NULL;

	(void)pointers;
	*handler_data = NULL;
	{
		unsigned fr = info[3] & 15;

		*frame = CTX_REG(ctx, 4);
		if (fr) {
			/* the frame register is set once the prologue's SET_FPREG has run */
			int set = 0;

			for (int i = 0; i < info[2]; i += code_slots(info + 4 + 2 * i))
				if ((info[4 + 2 * i + 1] & 15) == 3 && offset >= info[4 + 2 * i])
					set = 1;
			if (set || offset >= info[1])
				*frame = CTX_REG(ctx, fr) - (uint64_t)(info[3] >> 4) * 16;
		}
	}
	if (offset >= info[1] && in_epilogue(pc, ctx))
		return NULL;
	for (;;) {
		int count = info[2];

		for (int i = 0; i < count;) {
			const unsigned char *c = info + 4 + 2 * i;
			int op = c[1] & 15, op_info = c[1] >> 4, slots = code_slots(c);
			const uint16_t *next = (const uint16_t *)(c + 2);
			uint64_t rsp = CTX_REG(ctx, 4);

			i += slots;
			if (!chained && c[0] > offset)
				continue; /* not executed yet: pc is inside the prologue */
			switch (op) {
			case 0: /* PUSH_NONVOL */
				CTX_REG(ctx, op_info) = *(uint64_t *)rsp;
				CTX_REG(ctx, 4) = rsp + 8;
				break;
			case 1: /* ALLOC_LARGE */
				CTX_REG(ctx, 4) = rsp + (op_info ? (uint64_t)(next[0] | (uint32_t)next[1] << 16) : (uint64_t)next[0] * 8);
				break;
			case 2: /* ALLOC_SMALL */
				CTX_REG(ctx, 4) = rsp + (uint64_t)op_info * 8 + 8;
				break;
			case 3: /* SET_FPREG */
				CTX_REG(ctx, 4) = CTX_REG(ctx, info[3] & 15) - (uint64_t)(info[3] >> 4) * 16;
				break;
			case 4: /* SAVE_NONVOL */
				CTX_REG(ctx, op_info) = *(uint64_t *)(rsp + (uint64_t)next[0] * 8);
				break;
			case 5: /* SAVE_NONVOL_FAR */
				CTX_REG(ctx, op_info) = *(uint64_t *)(rsp + (next[0] | (uint32_t)next[1] << 16));
				break;
			case 8: /* SAVE_XMM128 */
				memcpy(CTX_XMM(ctx, op_info), (void *)(rsp + (uint64_t)next[0] * 16), 16);
				break;
			case 9: /* SAVE_XMM128_FAR */
				memcpy(CTX_XMM(ctx, op_info), (void *)(rsp + (next[0] | (uint32_t)next[1] << 16)), 16);
				break;
			case 10: /* PUSH_MACHFRAME */
				if (op_info)
					rsp += 8; /* an error code */
				*(uint64_t *)((unsigned char *)ctx + CTX_RIP) = *(uint64_t *)rsp;
				CTX_REG(ctx, 4) = *(uint64_t *)(rsp + 24);
				mach_frame = 1;
				break;
			default: /* EPILOG (version 2) and spare codes describe nothing to undo */
				break;
			}
		}
		if (!(info[0] >> 3 & UNW_FLAG_CHAININFO))
			break;
		/* the chained entry's codes all ran (it is the function's main body) */
		{
			const RUNTIME_FUNCTION *c = (const RUNTIME_FUNCTION *)(info + 4 + 2 * ((count + 1) & ~1));

			info = (const unsigned char *)(base + c->UnwindData);
			chained = 1;
		}
	}
	if (!mach_frame) {
		uint64_t rsp = CTX_REG(ctx, 4);

		*(uint64_t *)((unsigned char *)ctx + CTX_RIP) = *(uint64_t *)rsp;
		CTX_REG(ctx, 4) = rsp + 8;
	}
	{
		/* the handler of the function's own (first) unwind info, if it asks for this kind */
		const unsigned char *first = (const unsigned char *)(base + fn->UnwindData);
		int count = first[2];

		if ((first[0] >> 3) & type & (UNW_FLAG_EHANDLER | UNW_FLAG_UHANDLER) && offset >= first[1]) {
			const uint32_t *h = (const uint32_t *)(first + 4 + 2 * ((count + 1) & ~1));

			handler = (void *)(base + h[0]);
			*handler_data = (void *)(h + 1);
		}
	}
	return handler;
}

/* One frame up: a function with an entry is unwound by its codes; a leaf function only returned. */
static void *unwind_one(void *ctx, ULONG type, DISPATCHER_CONTEXT *dc)
{
	uint64_t pc = *(uint64_t *)((unsigned char *)ctx + CTX_RIP), base = 0;
	RUNTIME_FUNCTION *fn = RtlLookupFunctionEntry(pc, &base, NULL);

	dc->ControlPc = pc;
	dc->ImageBase = base;
	dc->FunctionEntry = fn;
	dc->LanguageHandler = NULL;
	dc->HandlerData = NULL;
	if (!fn) {
		uint64_t rsp = CTX_REG(ctx, 4);

		dc->EstablisherFrame = rsp;
		*(uint64_t *)((unsigned char *)ctx + CTX_RIP) = *(uint64_t *)rsp;
		CTX_REG(ctx, 4) = rsp + 8;
		return NULL;
	}
	return RtlVirtualUnwind(type, base, pc, fn, ctx, &dc->HandlerData, &dc->EstablisherFrame, NULL);
}

EXPORT void RtlUnwindEx(void *target_frame, void *target_ip, EXCEPTION_RECORD *rec, void *retval, void *orig_ctx,
			void *history)
{
	unsigned char ctx[CONTEXT_SIZE] __attribute__((aligned(16)));
	unsigned char next[CONTEXT_SIZE] __attribute__((aligned(16)));
	EXCEPTION_RECORD local;
	DISPATCHER_CONTEXT dc;

	RtlCaptureContext(ctx);
	if (!rec) {
		memset(&local, 0, sizeof(local));
		local.ExceptionCode = STATUS_UNWIND;
		local.ExceptionAddress = (void *)*(uint64_t *)(ctx + CTX_RIP);
		rec = &local;
	}
	rec->ExceptionFlags |= EXCEPTION_UNWINDING | (target_frame ? 0 : EXCEPTION_EXIT_UNWIND);
	/* RtlUnwindEx's own frame first: its caller's is where handlers start */
	memset(&dc, 0, sizeof(dc));
	unwind_one(ctx, 0, &dc);
	for (int depth = 0; depth < 100000; depth++) {
		exception_routine handler;

		memcpy(next, ctx, CONTEXT_SIZE);
		handler = unwind_one(next, UNW_FLAG_UHANDLER, &dc);
		if (target_frame && dc.EstablisherFrame > (uint64_t)target_frame)
			break; /* past the target: it was not a frame of this stack */
		if (handler) {
			if (dc.EstablisherFrame == (uint64_t)target_frame)
				rec->ExceptionFlags |= EXCEPTION_TARGET_UNWIND;
			dc.TargetIp = (uint64_t)target_ip;
			dc.ContextRecord = ctx;
			dc.LanguageHandler = (void *)handler;
			dc.HistoryTable = history;
			dc.ScopeIndex = 0;
			handler(rec, dc.EstablisherFrame, ctx, &dc);
			rec->ExceptionFlags &= ~(ULONG)EXCEPTION_TARGET_UNWIND;
		}
		if (dc.EstablisherFrame == (uint64_t)target_frame) {
			/* the target frame: resume in it at target_ip with the registers its callees restored */
			CTX_REG(ctx, 0) = (uint64_t)retval;
			*(uint64_t *)(ctx + CTX_RIP) = (uint64_t)target_ip;
			if (orig_ctx)
				memcpy(orig_ctx, ctx, CONTEXT_SIZE);
			RtlRestoreContext(ctx, rec);
		}
		memcpy(ctx, next, CONTEXT_SIZE);
		if (!*(uint64_t *)(ctx + CTX_RIP) || (!target_frame && !dc.FunctionEntry && !dc.ControlPc))
			break;
	}
	/* no such frame on this stack: what Windows raises, as the end of the process */
	pv_write_stderr("picovisor ntdll: RtlUnwindEx: the target frame is not on this thread's stack\n");
	NtTerminateProcess(CURRENT_PROCESS, STATUS_INVALID_UNWIND_TARGET);
}
