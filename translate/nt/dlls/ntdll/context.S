/*
 * RtlCaptureContext and RtlRestoreContext (x64 CONTEXT: the integer registers
 * from Rax at 0x78 in register-number order, Rip at 0xf8, EFlags at 0x44,
 * MxCsr at 0x34, Xmm0-15 from 0x1a0).
 */
	.text
	.globl RtlCaptureContext
	.def RtlCaptureContext; .scl 2; .type 32; .endef
	.p2align 4
RtlCaptureContext:
	pushfq
	mov %rax, 0x78(%rcx)
	mov %rcx, 0x80(%rcx)
	mov %rdx, 0x88(%rcx)
	mov %rbx, 0x90(%rcx)
	lea 16(%rsp), %rax        /* the caller's rsp after our return (pushfq and the return address) */
	mov %rax, 0x98(%rcx)
	mov %rbp, 0xa0(%rcx)
	mov %rsi, 0xa8(%rcx)
	mov %rdi, 0xb0(%rcx)
	mov %r8, 0xb8(%rcx)
	mov %r9, 0xc0(%rcx)
	mov %r10, 0xc8(%rcx)
	mov %r11, 0xd0(%rcx)
	mov %r12, 0xd8(%rcx)
	mov %r13, 0xe0(%rcx)
	mov %r14, 0xe8(%rcx)
	mov %r15, 0xf0(%rcx)
	mov 8(%rsp), %rax         /* rip: our return address */
	mov %rax, 0xf8(%rcx)
	pop %rax
	mov %eax, 0x44(%rcx)
	stmxcsr 0x34(%rcx)
	movl $0x10000f, 0x30(%rcx)  /* CONTEXT_FULL | CONTEXT_FLOATING_POINT... : CONTROL, INTEGER, FLOATING_POINT */
	movdqu %xmm0, 0x1a0(%rcx)
	movdqu %xmm1, 0x1b0(%rcx)
	movdqu %xmm2, 0x1c0(%rcx)
	movdqu %xmm3, 0x1d0(%rcx)
	movdqu %xmm4, 0x1e0(%rcx)
	movdqu %xmm5, 0x1f0(%rcx)
	movdqu %xmm6, 0x200(%rcx)
	movdqu %xmm7, 0x210(%rcx)
	movdqu %xmm8, 0x220(%rcx)
	movdqu %xmm9, 0x230(%rcx)
	movdqu %xmm10, 0x240(%rcx)
	movdqu %xmm11, 0x250(%rcx)
	movdqu %xmm12, 0x260(%rcx)
	movdqu %xmm13, 0x270(%rcx)
	movdqu %xmm14, 0x280(%rcx)
	movdqu %xmm15, 0x290(%rcx)
	mov 0x78(%rcx), %rax
	ret
	.section .drectve
	.ascii " -export:RtlCaptureContext"
	.text

	.globl RtlRestoreContext
	.def RtlRestoreContext; .scl 2; .type 32; .endef
	.p2align 4
RtlRestoreContext:
	movdqu 0x1a0(%rcx), %xmm0
	movdqu 0x1b0(%rcx), %xmm1
	movdqu 0x1c0(%rcx), %xmm2
	movdqu 0x1d0(%rcx), %xmm3
	movdqu 0x1e0(%rcx), %xmm4
	movdqu 0x1f0(%rcx), %xmm5
	movdqu 0x200(%rcx), %xmm6
	movdqu 0x210(%rcx), %xmm7
	movdqu 0x220(%rcx), %xmm8
	movdqu 0x230(%rcx), %xmm9
	movdqu 0x240(%rcx), %xmm10
	movdqu 0x250(%rcx), %xmm11
	movdqu 0x260(%rcx), %xmm12
	movdqu 0x270(%rcx), %xmm13
	movdqu 0x280(%rcx), %xmm14
	movdqu 0x290(%rcx), %xmm15
	ldmxcsr 0x34(%rcx)
	mov 0x90(%rcx), %rbx
	mov 0xa0(%rcx), %rbp
	mov 0xa8(%rcx), %rsi
	mov 0xb0(%rcx), %rdi
	mov 0xb8(%rcx), %r8
	mov 0xc0(%rcx), %r9
	mov 0xc8(%rcx), %r10
	mov 0xd0(%rcx), %r11
	mov 0xd8(%rcx), %r12
	mov 0xe0(%rcx), %r13
	mov 0xe8(%rcx), %r14
	mov 0xf0(%rcx), %r15
	/* the new stack gets rip, rflags, rcx and rax; then everything is popped from there */
	mov 0x98(%rcx), %rax
	sub $32, %rax
	mov 0xf8(%rcx), %rdx
	mov %rdx, 24(%rax)
	mov 0x44(%rcx), %edx
	mov %rdx, 16(%rax)
	mov 0x80(%rcx), %rdx
	mov %rdx, 8(%rax)
	mov 0x78(%rcx), %rdx
	mov %rdx, (%rax)
	mov 0x88(%rcx), %rdx
	mov %rax, %rsp
	pop %rax
	pop %rcx
	popfq
	ret
	.section .drectve
	.ascii " -export:RtlRestoreContext"
	.text

/*
 * Where a fault of the program is delivered (translate/nt/nt_exception.c):
 * entered, not called, with rsp at the fault's CONTEXT, the EXCEPTION_RECORD
 * at +0x4f0 and a machine frame (rip, cs, eflags, rsp, ss of the fault) at
 * +0x590. Its unwind information says so (a machine frame under 0x590
 * bytes), so unwinding from a handler goes on to the faulting frame; the
 * callee's home slots are the CONTEXT's P1Home-P4Home, as in NT's.
 */
	.globl KiUserExceptionDispatcher
	.def KiUserExceptionDispatcher; .scl 2; .type 32; .endef
	.p2align 4
	.seh_proc KiUserExceptionDispatcher
KiUserExceptionDispatcher:
	.seh_pushframe
	.seh_stackalloc 0x590
	.seh_endprologue
	cld
	lea 0x4f0(%rsp), %rcx
	mov %rsp, %rdx
	call pv_user_exception
	int3
	.seh_endproc
	.section .drectve
	.ascii " -export:KiUserExceptionDispatcher"
	.text
