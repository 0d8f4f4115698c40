/* picovisor's ntdll.dll for each Windows build (translate/nt/dlls/ntdll/) and the other system DLLs (translate/nt/dlls/NAME/), embedded in picovisor. */
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

/* The system DLLs served from C:\Windows\System32 (translate/nt/nt_sysdir.c), one per line of
 * nt_sysdlls.def: build/sysdlls/NAME.dll, found through the assembler's -I. */
	.macro sysdll name
	.balign 16
	.globl pv_\name\()_dll, pv_\name\()_dll_end
pv_\name\()_dll:
	.incbin "\name\().dll"
pv_\name\()_dll_end:
	.endm
#define SYSDLL(name, base) sysdll name
#include "nt_sysdlls.def"

	.section .note.GNU-stack, "", @progbits
