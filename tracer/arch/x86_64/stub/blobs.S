/* The stub image and the executor code, built from tracer/stub/, embedded in picovisor. */
	.section .rodata
	.balign 16
	.globl pv_stub_image, pv_stub_image_end
pv_stub_image:
	.incbin STUB_ELF
pv_stub_image_end:
	.balign 16
	.globl pv_executor_code, pv_executor_code_end
pv_executor_code:
	.incbin EXECUTOR_BIN
pv_executor_code_end:

	.section .note.GNU-stack, "", @progbits
