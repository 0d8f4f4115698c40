/* What a faulting instruction did (tracer/arch/x86_64/insn_x86_64.c; x86_64 encodings): the access an NT access violation reports. */
#include <criterion/criterion.h>

#include "arch.h"

#define BYTES(...) ((const unsigned char[]){ __VA_ARGS__ }), sizeof((const unsigned char[]){ __VA_ARGS__ })

Test(insn, stores_are_writes)
{
	cr_expect(arch_insn_writes_memory(BYTES(0x48, 0x89, 0x07)), "mov %%rax, (%%rdi)");
	cr_expect(arch_insn_writes_memory(BYTES(0xc7, 0x00, 0x01, 0, 0, 0)), "movl $1, (%%rax)");
	cr_expect(arch_insn_writes_memory(BYTES(0x48, 0xc7, 0x01, 0x01, 0, 0, 0)), "movq $1, (%%rcx)");
	cr_expect(arch_insn_writes_memory(BYTES(0xf3, 0x48, 0xab)), "rep stosq");
	cr_expect(arch_insn_writes_memory(BYTES(0x48, 0x01, 0x07)), "add %%rax, (%%rdi)");
	cr_expect(arch_insn_writes_memory(BYTES(0x83, 0x07, 0x01)), "addl $1, (%%rdi)");
	cr_expect(arch_insn_writes_memory(BYTES(0xf0, 0x48, 0x0f, 0xb1, 0x0f)), "lock cmpxchg %%rcx, (%%rdi)");
	cr_expect(arch_insn_writes_memory(BYTES(0x0f, 0x11, 0x07)), "movups %%xmm0, (%%rdi)");
	cr_expect(arch_insn_writes_memory(BYTES(0x66, 0x0f, 0x7f, 0x07)), "movdqa %%xmm0, (%%rdi)");
	cr_expect(arch_insn_writes_memory(BYTES(0x66, 0x0f, 0x7e, 0x07)), "movd %%xmm0, (%%rdi)");
	cr_expect(arch_insn_writes_memory(BYTES(0xff, 0x07)), "incl (%%rdi)");
}

Test(insn, loads_are_reads)
{
	cr_expect_not(arch_insn_writes_memory(BYTES(0x48, 0x8b, 0x07)), "mov (%%rdi), %%rax");
	cr_expect_not(arch_insn_writes_memory(BYTES(0x48, 0x39, 0x07)), "cmp %%rax, (%%rdi)");
	cr_expect_not(arch_insn_writes_memory(BYTES(0x83, 0x3f, 0x01)), "cmpl $1, (%%rdi)");
	cr_expect_not(arch_insn_writes_memory(BYTES(0xf3, 0x0f, 0x7e, 0x07)), "movq (%%rdi), %%xmm0");
	cr_expect_not(arch_insn_writes_memory(BYTES(0x0f, 0x10, 0x07)), "movups (%%rdi), %%xmm0");
	cr_expect_not(arch_insn_writes_memory(BYTES(0xff, 0x17)), "call *(%%rdi)");
	cr_expect_not(arch_insn_writes_memory(BYTES(0x48)), "a lone prefix");
	cr_expect_not(arch_insn_writes_memory(BYTES(0x66)), "nothing but a prefix");
}

Test(insn, privileged_and_fast_fail)
{
	cr_expect(arch_insn_privileged(BYTES(0xf4)), "hlt");
	cr_expect(arch_insn_privileged(BYTES(0xec)), "in (%%dx), %%al");
	cr_expect(arch_insn_privileged(BYTES(0x0f, 0x30)), "wrmsr");
	cr_expect_not(arch_insn_privileged(BYTES(0x48, 0x8b, 0x07)), "mov");
	cr_expect(arch_insn_fast_fail(BYTES(0xcd, 0x29)), "int $0x29");
	cr_expect_not(arch_insn_fast_fail(BYTES(0xcd, 0x2e)), "int $0x2e");
	cr_expect_not(arch_insn_fast_fail(BYTES(0xcd)), "one byte of it");
}
