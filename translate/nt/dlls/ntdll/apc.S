/*
 * KiUserApcDispatcher: where the supervisor sends a thread to run a user APC
 * (translate/nt/nt_apc.c). On entry rsp points at a CONTEXT (16-byte
 * aligned) to go back to: the registers of the alertable wait it left, which
 * returns STATUS_USER_APC. Its home slots carry the APC: P1Home the routine's
 * first argument (NormalContext), P2Home and P3Home the other two, P4Home the
 * routine. After the routine, NtTestAlert runs the next APC queued (from
 * here, and back here); then the CONTEXT is restored.
 */
	.text
	.globl KiUserApcDispatcher
	.def KiUserApcDispatcher; .scl 2; .type 32; .endef
	.p2align 4
KiUserApcDispatcher:
	mov (%rsp), %rcx
	mov 8(%rsp), %rdx
	mov 0x10(%rsp), %r8
	mov 0x18(%rsp), %rax
	call *%rax                /* its shadow space is the home slots, read already */
	call NtTestAlert
	mov %rsp, %rcx
	xor %edx, %edx
	call RtlRestoreContext
	int3                      /* RtlRestoreContext does not return */
	.section .drectve
	.ascii " -export:KiUserApcDispatcher"
	.text
