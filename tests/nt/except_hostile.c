/*
 * NtContinue and NtRaiseException given what a hostile program gives: bad
 * pointers (STATUS_ACCESS_VIOLATION, the program goes on), a context asking
 * for IOPL 3 and virtual-8086 mode in its EFlags and reserved MXCSR bits in
 * FltSave (resumed without them), an EXCEPTION_RECORD claiming 0xffffffff
 * parameters (the handler sees at most 15). Under picovisor only: what Wine
 * does with such arguments is no reference.
 */
#include "nt_test.h"

#define WINAPI __attribute__((ms_abi))
typedef struct {
	ULONG *rec;
	unsigned char *ctx;
} PTRS;

__declspec(dllimport) void *WINAPI AddVectoredExceptionHandler(ULONG, long(WINAPI *)(PTRS *));
NTSTATUS NTAPI NtContinue(void *, BOOLEAN);
NTSTATUS NTAPI NtRaiseException(void *, void *, BOOLEAN);

#define C_FLAGS 0x30
#define C_MXCSR 0x34
#define C_EFLAGS 0x44
#define C_RAX 0x78
#define C_RSP 0x98
#define C_RIP 0xf8
#define C_FLT_MXCSR (0x100 + 24)

ULONG64 resume_via(void *ctx, void (*prepare)(unsigned char *), void *rec);
ULONG64 read_eflags(void);
/*
 * The context of this very frame (RtlCaptureContext here, so every non-volatile register is current), changed by
 * prepare, resumed at "continued" with NtContinue(ctx), or with NtRaiseException(rec, ctx, TRUE) when rec is given
 * (a handler resumes it): returns the context's rax.
 */
__asm__(".text\n"
	".globl resume_via\nresume_via:\n"
	"push %rbx\npush %rsi\npush %rdi\npush %r12\nsub $40, %rsp\n"
	"mov %rcx, %rbx\nmov %rdx, %rsi\nmov %r8, %r12\n"
	"call *__imp_RtlCaptureContext(%rip)\n"
	"mov %rbx, %rcx\ncall *%rsi\n"
	"mov %rsp, 0x98(%rbx)\n"
	"lea continued(%rip), %rax\nmov %rax, 0xf8(%rbx)\n"
	"test %r12, %r12\njz 1f\n"
	"mov %r12, %rcx\nmov %rbx, %rdx\nmov $1, %r8d\ncall NtRaiseException\njmp 2f\n"
	"1: mov %rbx, %rcx\nxor %edx, %edx\ncall NtContinue\n"
	"2: mov $0xbad, %eax\n"
	"continued: add $40, %rsp\npop %r12\npop %rdi\npop %rsi\npop %rbx\nret\n"
	".globl read_eflags\nread_eflags:\npushfq\npop %rax\nret\n");

static unsigned char ctx[0x4d0] __attribute__((aligned(16)));
static volatile ULONG seen_params, seen_code;

static void hostile_flags(unsigned char *c)
{
	*(ULONG64 *)(c + C_RAX) = 0x600d;
	*(ULONG *)(c + C_EFLAGS) = 0x3000 | 0x20000 | 0x4000 | 0x200 | 0xd5; /* IOPL 3, VM, NT, IF, arithmetic */
	*(ULONG *)(c + C_MXCSR) = 0xffffffff;
	*(ULONG *)(c + C_FLT_MXCSR) = 0xffffffff;
	*(ULONG *)(c + C_FLAGS) = 0x10000b; /* CONTROL | INTEGER | FLOATING_POINT */
}

static void integer_control(unsigned char *c)
{
	*(ULONG64 *)(c + C_RAX) = 0x7777;
	*(ULONG *)(c + C_FLAGS) = 0x100003;
}

static long WINAPI count_params(PTRS *p)
{
	if (p->rec[0] != 0xE0000042)
		return 0; /* EXCEPTION_CONTINUE_SEARCH: anything else is a failure, unhandled */
	seen_code = p->rec[0];
	seen_params = p->rec[6];
	return -1;
}

int mainCRTStartup(void)
{
	ULONG64 r, fl;
	ULONG rec[0x98 / 4] = { 0 };

	check(NtContinue((void *)0x10, 0) == (NTSTATUS)0xC0000005, "NtContinue(0x10): STATUS_ACCESS_VIOLATION, goes on",
	      0);
	check(NtRaiseException((void *)0x10, ctx, 1) == (NTSTATUS)0xC0000005,
	      "NtRaiseException with a bad record: STATUS_ACCESS_VIOLATION", 0);

	r = resume_via(ctx, hostile_flags, 0);
	fl = read_eflags();
	check(r == 0x600d, "NtContinue resumed the context (rip, rax)", r);
	check((fl & 0x3000) == 0 && (fl & 0x20000) == 0 && (fl & 0x200), "without IOPL 3 or VM, interrupts on", fl);

	AddVectoredExceptionHandler(1, count_params);
	rec[0] = 0xE0000042;
	rec[6] = 0xffffffff; /* NumberParameters */
	r = resume_via(ctx, integer_control, rec);
	check(seen_code == 0xE0000042 && seen_params == 15, "NtRaiseException's first chance: 0xffffffff parameters seen as 15",
	      seen_params);
	check(r == 0x7777, "the handler resumed the raised context", r);
	out("1..");
	out_dec((unsigned long long)tests_run);
	out("\n");
	NtTerminateProcess(NtCurrentProcess(), tests_failed);
	return 0;
}
