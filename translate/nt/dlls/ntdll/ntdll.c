/*
 * picovisor's ntdll.dll: what a PE32+ program imports from ntdll when the NT
 * personality runs it. Each system service is the standard stub
 * (mov r10,rcx; mov eax,N; syscall; ret) with N from the Windows build this
 * copy is built for (-DNT_BUILD=19045 or 22631); the supervisor serves the
 * syscall. A few Rtl helpers and the start routines are plain code.
 *
 * Built with mingw-w64 (x86_64-w64-mingw32-gcc), freestanding: no CRT, no
 * imports, together with the loader, heap and synchronisation of
 * translate/nt/dlls/ntdll/. The supervisor loads this image into every NT
 * process.
 */
#include <stddef.h>
#include <stdint.h>

#ifndef NT_BUILD
#error "build with -DNT_BUILD=19045 or -DNT_BUILD=22631"
#endif

#if NT_BUILD == 22631
#define PICK(n19045, n22631) n22631
#elif NT_BUILD == 19045
#define PICK(n19045, n22631) n19045
#else
#error "unknown NT_BUILD"
#endif

#define STR(x) #x
#define XSTR(x) STR(x)

/*
 * One exported stub per service of translate/nt/nt_services.def. The services
 * ntdll serves in the process when it can (gate.c) are named pv_sys_NAME
 * here, not exported: gate.c's NAME is the export, and calls these when the
 * supervisor must answer.
 */
#define NtDelayExecution pv_sys_NtDelayExecution
#define NtQueryPerformanceCounter pv_sys_NtQueryPerformanceCounter
#define NtQuerySystemTime pv_sys_NtQuerySystemTime
#define NtYieldExecution pv_sys_NtYieldExecution
#define NT_SERVICE(name, n19045, n22631, classes, ...) NT_STUB(name, #name, PICK(n19045, n22631))
/* label: the name as expanded (pv_sys_... for those above); exported only where it is the service's own name */
#define NT_STUB(label, service, nr)                                                                             \
	__asm__(".text\n\t.globl " #label "\n\t.def " #label "; .scl 2; .type 32; .endef\n\t.p2align 4\n" #label \
		":\n\tmov %rcx, %r10\n\tmov $" XSTR(nr) ", %eax\n\tsyscall\n\tret\n"                                \
		"\t.ifc " #label "," service "\n\t.section .drectve\n\t.ascii \" -export:" #label "\"\n\t.text\n\t.endif\n");
#include "../../nt_services.def"
#undef NT_SERVICE
#undef NT_STUB
#undef NtDelayExecution
#undef NtQueryPerformanceCounter
#undef NtQuerySystemTime
#undef NtYieldExecution

#define EXPORT __declspec(dllexport)

typedef long NTSTATUS;
typedef void *HANDLE;

typedef struct {
	uint16_t Length, MaximumLength;
	uint16_t *Buffer;
} UNICODE_STRING;

NTSTATUS NtTerminateThread(HANDLE thread, NTSTATUS status);

EXPORT void RtlInitUnicodeString(UNICODE_STRING *s, const uint16_t *src)
{
	size_t n = 0;

	if (src)
		while (src[n] && n < 0x7ffe)
			n++;
	s->Length = (uint16_t)(n * 2);
	s->MaximumLength = src ? (uint16_t)(n * 2 + 2) : 0;
	s->Buffer = (uint16_t *)src;
}

EXPORT void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

EXPORT void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

EXPORT void *memmove(void *d, const void *s, size_t n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	if (p < q)
		while (n--)
			*p++ = *q++;
	else
		while (n--)
			p[n] = q[n];
	return d;
}

EXPORT int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

EXPORT size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

EXPORT size_t wcslen(const uint16_t *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b);
void pv_loader_thread_attach(void);
void RtlExitUserThread(NTSTATUS status);

EXPORT int strcmp(const char *a, const char *b)
{
	for (; *a && *a == *b; a++, b++)
		;
	return (unsigned char)*a - (unsigned char)*b;
}

/*
 * Every thread but the first starts here: the DLLs learn of it (DLL_THREAD_ATTACH, loader.c), then the start
 * routine runs as a function (so its stack is aligned as after a call) and the thread ends with what it
 * returns, after DLL_THREAD_DETACH; the last thread's end is the process's. The first thread starts in
 * LdrInitializeThunk (translate/nt/dlls/ntdll/loader.c).
 */
EXPORT void RtlUserThreadStart(NTSTATUS (*start)(void *), void *arg)
{
	pv_loader_thread_attach();
	RtlExitUserThread(start(arg));
}
