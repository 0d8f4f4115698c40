/*
 * RaiseException: a vectored handler that resumes the exception (the raise
 * returns), then one no handler takes: the program ends with the exception's
 * code and picovisor's ntdll says so on stderr.
 */
#include "nt_test.h"

#define WINAPI __attribute__((ms_abi))
typedef struct {
	ULONG *rec;
	void *ctx;
} PTRS;

__declspec(dllimport) void *WINAPI AddVectoredExceptionHandler(ULONG, long(WINAPI *)(PTRS *));
__declspec(dllimport) void WINAPI RaiseException(ULONG, ULONG, ULONG, const ULONG64 *);

static volatile int seen;
static volatile ULONG64 arg0;

static long WINAPI resume_ours(PTRS *p)
{
	if (p->rec[0] != 0xE0000001)
		return 0; /* EXCEPTION_CONTINUE_SEARCH */
	seen++;
	arg0 = *(ULONG64 *)((char *)p->rec + 0x20);
	return -1; /* EXCEPTION_CONTINUE_EXECUTION */
}

int mainCRTStartup(void)
{
	ULONG64 args[2] = { 0x1234, 5 };

	check(AddVectoredExceptionHandler(1, resume_ours) != 0, "AddVectoredExceptionHandler", 0);
	RaiseException(0xE0000001, 0, 2, args);
	check(seen == 1 && arg0 == 0x1234, "a vectored handler saw the exception and its arguments, and resumed it",
	      (ULONG64)seen);
	out("1..2\n");
	RaiseException(0xE0000077, 0, 0, 0);
	out("not reached\n");
	return 0;
}
