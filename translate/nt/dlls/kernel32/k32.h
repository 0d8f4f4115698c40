/* Between the files of picovisor's kernel32.dll. */
#ifndef PV_K32_H
#define PV_K32_H

#include "pv_win.h"

/* SetLastError with the Win32 code of an NTSTATUS; returns FALSE for "return BaseSetLastNTError(st)". */
BOOL k32_fail_nt(NTSTATUS st);
BOOL k32_fail(DWORD err);
/* A NUL-terminated ANSI (UTF-8) string as UTF-16 in buf of cap units: its length, or -1 if too long. */
int k32_a_to_w(const char *a, WCHAR *buf, size_t cap);

#endif
