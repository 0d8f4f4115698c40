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
	/* the system DLLs served from C:\Windows\System32 (translate/nt/nt_sysdir.c) */
	.balign 16
	.globl pv_kernel32_dll, pv_kernel32_dll_end
pv_kernel32_dll:
	.incbin KERNEL32_DLL
pv_kernel32_dll_end:
	.balign 16
	.globl pv_msvcrt_dll, pv_msvcrt_dll_end
pv_msvcrt_dll:
	.incbin MSVCRT_DLL
pv_msvcrt_dll_end:
	.balign 16
	.globl pv_winmm_dll, pv_winmm_dll_end
pv_winmm_dll:
	.incbin WINMM_DLL
pv_winmm_dll_end:

	.section .note.GNU-stack, "", @progbits
