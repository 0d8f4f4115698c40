/*
 * How an exception nobody resumes ends the process, chosen by the last word
 * of the command line (tests/e2e/nt_except_tests.py checks the status and
 * stderr from outside):
 *   av             a write through NULL: status 0x05 (0xC0000005) and ntdll's line naming code and address
 *   div            a division by zero: 0x94 (0xC0000094)
 *   filter_exec    SetUnhandledExceptionFilter's filter returns EXCEPTION_EXECUTE_HANDLER: 0x05, no line
 *   filter_resume  the filter repairs the context and resumes (-1): "resumed" and status 0; the vectored
 *                  continue handler ran
 *   continue_resume  nobody handles a write through NULL but a vectored continue handler, which repairs the
 *                  context and resumes (as Go's runtime's do); the continue handler after it is not called:
 *                  "resumed" and status 0
 *   noncontinuable a vectored handler resumes a noncontinuable RaiseException: 0x25
 *                  (STATUS_NONCONTINUABLE_EXCEPTION)
 *   badstack, rostack, noncanon
 *                  the stack pointer is garbage (a low unmapped page, the program's own read-only code, a
 *                  non-canonical address) when it faults: the frame cannot be written, the process ends with
 *                  0x05 and the supervisor lives on
 *   overflow       endless recursion: 0xFD (STATUS_STACK_OVERFLOW)
 *   thread_av      a write through NULL in a second thread while the first waits for it: the process ends, 0x05
 *   fastfail       __fastfail(7) (int 0x29) with a vectored handler that would resume anything: 0x09
 *                  (STATUS_STACK_BUFFER_OVERRUN 0xC0000409), no handler sees it
 */
#include "nt_test.h"

#define WINAPI __attribute__((ms_abi))
typedef struct {
	ULONG *rec;
	unsigned char *ctx;
} PTRS;
typedef long(WINAPI *filter_fn)(PTRS *);

__declspec(dllimport) void *WINAPI AddVectoredExceptionHandler(ULONG, filter_fn);
__declspec(dllimport) void *WINAPI AddVectoredContinueHandler(ULONG, filter_fn);
__declspec(dllimport) filter_fn WINAPI SetUnhandledExceptionFilter(filter_fn);
__declspec(dllimport) void WINAPI RaiseException(ULONG, ULONG, ULONG, const ULONG64 *);
__declspec(dllimport) char *WINAPI GetCommandLineA(void);

extern char null_write_resume[];
void null_write(void);
void fault_on_stack(ULONG64 sp);
void fast_fail(ULONG code);
__asm__(".text\n"
	".globl null_write\nnull_write:\n"
	"xor %eax, %eax\nmovl $1, (%rax)\n"
	"null_write_resume: ret\n"
	".globl fault_on_stack\nfault_on_stack:\n"
	"mov %rcx, %rsp\nxor %eax, %eax\nmov (%rax), %rax\nud2\n"
	".globl fast_fail\nfast_fail:\nint $0x29\nret\n");

static volatile ULONG filter_code, continue_calls;

static long WINAPI filter_exec(PTRS *p)
{
	filter_code = p->rec[0];
	return 1; /* EXCEPTION_EXECUTE_HANDLER */
}

static long WINAPI filter_resume(PTRS *p)
{
	filter_code = p->rec[0];
	*(ULONG64 *)(p->ctx + 0xf8) = (ULONG64)null_write_resume;
	return -1;
}

static long WINAPI counting_continue(PTRS *p)
{
	(void)p;
	continue_calls++;
	return 0;
}

static long WINAPI never_called(PTRS *p)
{
	(void)p;
	continue_calls += 100;
	return 0;
}

static long WINAPI resume_anything(PTRS *p)
{
	(void)p;
	return -1;
}

static volatile ULONG64 depth;

static ULONG64 recurse(ULONG64 n)
{
	volatile char pad[256];

	pad[0] = (char)n;
	depth = n;
	if (depth == ~0ULL) /* never: it recurses until the stack is used up */
		return 0;
	return recurse(n + 1) + pad[0];
}

static NTSTATUS NTAPI faulting_thread(void *arg)
{
	(void)arg;
	null_write();
	return 0;
}

static int is(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

int mainCRTStartup(void)
{
	const char *cmd = GetCommandLineA(), *mode = cmd;
	static const char text_bytes[64] __attribute__((aligned(16))) = { 1 };

	for (const char *p = cmd; *p; p++)
		if (*p == ' ')
			mode = p + 1;
	if (is(mode, "av")) {
		null_write();
	} else if (is(mode, "div")) {
		volatile ULONG64 zero = 0;
		out_dec(7 / zero);
	} else if (is(mode, "filter_exec")) {
		SetUnhandledExceptionFilter(filter_exec);
		null_write();
	} else if (is(mode, "filter_resume")) {
		AddVectoredContinueHandler(1, counting_continue);
		SetUnhandledExceptionFilter(filter_resume);
		null_write();
		if (filter_code == 0xC0000005 && continue_calls == 1)
			out("resumed\n");
		NtTerminateProcess(NtCurrentProcess(), 0);
	} else if (is(mode, "continue_resume")) {
		AddVectoredContinueHandler(1, filter_resume);
		AddVectoredContinueHandler(0, never_called);
		null_write();
		if (filter_code == 0xC0000005 && continue_calls == 0)
			out("resumed\n");
		NtTerminateProcess(NtCurrentProcess(), 0);
	} else if (is(mode, "noncontinuable")) {
		AddVectoredExceptionHandler(1, resume_anything);
		RaiseException(0xE0000001, 1 /* EXCEPTION_NONCONTINUABLE */, 0, 0);
		out("returned\n");
	} else if (is(mode, "badstack")) {
		fault_on_stack(0x1000);
	} else if (is(mode, "rostack")) {
		fault_on_stack(((ULONG64)text_bytes + 48) & ~15ULL);
	} else if (is(mode, "noncanon")) {
		fault_on_stack(0x8000000000001000ULL);
	} else if (is(mode, "thread_av")) {
		HANDLE th = 0;

		NtCreateThreadEx(&th, 0x1fffff, 0, NtCurrentProcess(), (void *)faulting_thread, 0, 0, 0, 0, 0, 0);
		NtWaitForSingleObject(th, 0, 0);
	} else if (is(mode, "fastfail")) {
		AddVectoredExceptionHandler(1, resume_anything);
		fast_fail(7);
	} else if (is(mode, "overflow")) {
		out_dec(recurse(0));
	}
	out("not reached\n");
	return 0;
}
