/*
 * kernel32's process facts: ExpandEnvironmentStrings (known names replaced,
 * unknown ones kept, the size with its NUL, a short buffer), GetThreadLocale,
 * IsValidCodePage, GetExitCodeProcess (STILL_ACTIVE for this process), GetPriorityClass (NORMAL_PRIORITY_CLASS, or the class the
 * variable PV_WANT_PRIORITY names in decimal: the e2e test runs it niced).
 * Runs under Wine too (tests/nt/run-wine), the reference.
 * Linked with -lkernel32.
 */
#include "nt_test.h"

#define WINAPI __attribute__((ms_abi))
#define IMP __declspec(dllimport)
typedef unsigned long DWORD;
typedef int BOOL;
typedef unsigned int UINT;

IMP DWORD WINAPI ExpandEnvironmentStringsA(const char *, char *, DWORD);
IMP DWORD WINAPI ExpandEnvironmentStringsW(const WCHAR *, WCHAR *, DWORD);
IMP BOOL WINAPI SetEnvironmentVariableA(const char *, const char *);
IMP DWORD WINAPI GetThreadLocale(void);
IMP BOOL WINAPI IsValidCodePage(UINT);
IMP DWORD WINAPI GetPriorityClass(HANDLE);
IMP BOOL WINAPI GetExitCodeProcess(HANDLE, DWORD *);
IMP BOOL WINAPI DuplicateHandle(HANDLE, HANDLE, HANDLE, HANDLE *, DWORD, BOOL, DWORD);
IMP BOOL WINAPI CloseHandle(HANDLE);
IMP DWORD WINAPI GetLastError(void);
IMP DWORD WINAPI GetEnvironmentVariableA(const char *, char *, DWORD);

static int same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static void expand(void)
{
	char buf[128];
	WCHAR wbuf[64];
	static const WCHAR wsrc[] = { '<', '%', 'p', 'v', '_', 'n', 'a', 'm', 'e', '%', '>', 0 };
	DWORD n;

	SetEnvironmentVariableA("PV_NAME", "value");
	SetEnvironmentVariableA("PV_EMPTY", "");
	n = ExpandEnvironmentStringsA("a %PV_NAME% b", buf, sizeof(buf));
	check(n == 10 && same(buf, "a value b"), "ExpandEnvironmentStringsA: %PV_NAME% replaced, the size counts the NUL",
	      n);
	n = ExpandEnvironmentStringsA("%pv_name%%PV_NAME%", buf, sizeof(buf));
	check(n == 11 && same(buf, "valuevalue"), "names compare ignoring case; two names side by side", n);
	n = ExpandEnvironmentStringsA("%PV_UNKNOWN_1%PV_NAME%", buf, sizeof(buf));
	check(n == 23 && same(buf, "%PV_UNKNOWN_1%PV_NAME%"), "an unknown name stays with both its %", n);
	n = ExpandEnvironmentStringsA("100% sure %PV_NAME", buf, sizeof(buf));
	check(n == 19 && same(buf, "100% sure %PV_NAME"), "a % with no closing % stays", n);
	n = ExpandEnvironmentStringsA("[%PV_EMPTY%]", buf, sizeof(buf));
	check(n == 3 && same(buf, "[]"), "an empty value", n);
	n = ExpandEnvironmentStringsA("%%", buf, sizeof(buf));
	check(n == 3 && same(buf, "%%"), "%% stays", n);
	buf[0] = 'x';
	n = ExpandEnvironmentStringsA("a %PV_NAME% b", buf, 5);
	check(n == 10, "a short buffer: the size needed", n);
	n = ExpandEnvironmentStringsW(wsrc, wbuf, 64);
	check(n == 8 && wbuf[0] == '<' && wbuf[1] == 'v' && wbuf[5] == 'e' && wbuf[6] == '>' && wbuf[7] == 0,
	      "ExpandEnvironmentStringsW: the size in units with the NUL", n);
	n = ExpandEnvironmentStringsW(wsrc, 0, 0);
	check(n == 8, "ExpandEnvironmentStringsW with no buffer: the size needed", n);
}

static DWORD want_priority(void)
{
	char b[16];
	DWORD n = GetEnvironmentVariableA("PV_WANT_PRIORITY", b, sizeof(b)), v = 0;

	if (!n || n >= sizeof(b))
		return 0x20;
	for (DWORD i = 0; i < n; i++)
		v = v * 10 + (DWORD)(b[i] - '0');
	return v;
}

static void exit_codes(void)
{
	DWORD code = 0;
	HANDLE dup = 0;
	BOOL ok = GetExitCodeProcess(NtCurrentProcess(), &code);

	check(ok && code == 259, "GetExitCodeProcess(GetCurrentProcess()): STILL_ACTIVE", code);
	ok = DuplicateHandle(NtCurrentProcess(), NtCurrentProcess(), NtCurrentProcess(), &dup, 0, 0,
			     2 /* DUPLICATE_SAME_ACCESS */);
	code = 0;
	ok = ok && GetExitCodeProcess(dup, &code);
	check(ok && code == 259, "GetExitCodeProcess of a real handle to this process: STILL_ACTIVE", code);
	CloseHandle(dup);
	code = 7;
	ok = GetExitCodeProcess((HANDLE)(unsigned long long)0x7ff0, &code);
	check(!ok && GetLastError() == 6 && code == 7, "GetExitCodeProcess of no handle: ERROR_INVALID_HANDLE",
	      GetLastError());
}

int mainCRTStartup(void);
int mainCRTStartup(void)
{
	DWORD lcid = GetThreadLocale(), prio;

	expand();
	check(lcid && (lcid & 0x3ff) != 0, "GetThreadLocale: a locale with a language", lcid);
	check(IsValidCodePage(65001), "IsValidCodePage(65001): UTF-8", 0);
	check(!IsValidCodePage(0), "IsValidCodePage(CP_ACP): no code page of its own", 0);
	check(!IsValidCodePage(12345), "IsValidCodePage(12345): no such code page", 0);
	prio = GetPriorityClass(NtCurrentProcess());
	check(prio == want_priority(), "GetPriorityClass: the class the nice value gives", prio);
	exit_codes();
	done();
	return 0;
}
