/* picovisor's ntdll.dll for each Windows build (translate/nt/dlls/ntdll/ntdll.c), embedded in picovisor. */
	.section .rodata
	.balign 16
	.globl pv_ntdll_19045, pv_ntdll_19045_end
pv_ntdll_19045:
	.incbin NTDLL_19045
pv_ntdll_19045_end:
	.balign 16
	.globl pv_ntdll_22631, pv_ntdll_22631_end
pv_ntdll_22631:
	.incbin NTDLL_22631
pv_ntdll_22631_end:

	.section .note.GNU-stack, "", @progbits
