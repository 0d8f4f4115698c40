/* Between the files of picovisor's kernel32.dll. */
#ifndef PV_K32_H
#define PV_K32_H

#include "pv_win.h"

/* SetLastError with the Win32 code of an NTSTATUS; returns FALSE for "return BaseSetLastNTError(st)". */
BOOL k32_fail_nt(NTSTATUS st);
BOOL k32_fail(DWORD err);
/* A NUL-terminated ANSI (UTF-8) string as UTF-16 in buf of cap units: its length, or -1 if too long. */
int k32_a_to_w(const char *a, WCHAR *buf, size_t cap);

/* UTF-16 (n units) as UTF-8 into buf of cap bytes (buf NULL: just count): the bytes it takes, or -1 if cap is short. */
int k32_w_to_a(const WCHAR *w, size_t n, char *buf, size_t cap);
/* An ANSI (UTF-8) path as a heap copy in UTF-16 (NULL and ERROR_... set on failure); free with k32_free. */
WCHAR *k32_a_path(const char *a);
void k32_free(void *p);
/* The calling thread ends: its fiber-local values go to their callbacks (fls.c). */
void k32_fls_thread_end(void);
DWORD WINAPI GetEnvironmentVariableW(const WCHAR *name, WCHAR *buf, DWORD size);
void *k32_alloc(size_t n);
#define PROCESS_HEAP_K() PEB_FIELD(void *, 0x30)
/* An NT name (\??\...) for a DOS path in *nt: 0, or FALSE with the error set (free with RtlFreeUnicodeString). */
BOOL k32_nt_name(const WCHAR *dos, UNICODE_STRING *nt);
/* A 64-bit NT time as a FILETIME. */
static inline FILETIME k32_filetime(int64_t t)
{
	FILETIME f = { (DWORD)(uint64_t)t, (DWORD)((uint64_t)t >> 32) };
	return f;
}

#endif
