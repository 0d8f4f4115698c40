/*
 * The blank tracee's image. The supervisor stops it at PTRACE_EVENT_EXEC,
 * before its first instruction, and runs the executor in its RWX region; so
 * _start only runs if something went wrong, and then it exits 127.
 */
	.section .text, "ax"
	.globl _start
_start:
	mov $231, %eax        /* exit_group */
	mov $127, %edi
	syscall
	hlt

	.section .note.GNU-stack, "", @progbits
