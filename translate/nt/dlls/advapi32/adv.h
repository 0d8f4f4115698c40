/* Between the files of picovisor's advapi32.dll. */
#ifndef PV_ADV_H
#define PV_ADV_H

#include "pv_win.h"

typedef void *HKEY;
typedef DWORD REGSAM;

#define ERROR_SUCCESS 0
#define ERROR_FILE_NOT_FOUND 2
#define ERROR_ACCESS_DENIED 5
#define ERROR_INVALID_HANDLE 6
#define ERROR_NOT_ENOUGH_MEMORY 8
#define ERROR_INVALID_PARAMETER 87
#define ERROR_INSUFFICIENT_BUFFER 122
#define ERROR_BAD_PATHNAME 161
#define ERROR_MORE_DATA 234
#define ERROR_NO_MORE_ITEMS 259
#define ERROR_NONE_MAPPED 1332
#define ERROR_UNSUPPORTED_TYPE 1630

#define CP_ACP 0

/* kernel32 */
int WINAPI MultiByteToWideChar(UINT cp, DWORD flags, const char *src, int srclen, WCHAR *dst, int dstlen);
int WINAPI WideCharToMultiByte(UINT cp, DWORD flags, const WCHAR *src, int srclen, char *dst, int dstlen,
			       const char *dflt, BOOL *used);
DWORD WINAPI GetEnvironmentVariableW(const WCHAR *name, WCHAR *buf, DWORD size);

void *adv_alloc(size_t n);
void adv_free(void *p);
/* An ANSI (UTF-8) string as a heap copy in UTF-16 in *w (NULL for NULL): 0, or a Win32 error. */
LONG adv_a_to_w(const char *a, WCHAR **w);
/* The user's name, read at process attach (user.c). */
void adv_user_init(void);

#endif
