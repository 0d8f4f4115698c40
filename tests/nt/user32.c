/*
 * user32 as a console process on a window station without input sees it:
 * no foreground, focus or active window, no clipboard owner, and no right
 * to hand the foreground on. Under Wine (the reference, tests/nt/run-wine)
 * the foreground and the refusal are skipped: Wine runs an interactive
 * desktop, and its AllowSetForegroundWindow always succeeds.
 * What picovisor cannot answer truthfully is absent (GetProcAddress fails).
 * Linked with -luser32 -lkernel32.
 */
#include "nt_test.h"

#define WINAPI __attribute__((ms_abi))
#define IMP __declspec(dllimport)
typedef unsigned long DWORD;
typedef int BOOL;
typedef void *HWND;

IMP HWND WINAPI GetForegroundWindow(void);
IMP HWND WINAPI GetFocus(void);
IMP HWND WINAPI GetActiveWindow(void);
IMP HWND WINAPI GetClipboardOwner(void);
IMP BOOL WINAPI AllowSetForegroundWindow(DWORD pid);
IMP DWORD WINAPI GetLastError(void);
IMP void WINAPI SetLastError(DWORD);
IMP HANDLE WINAPI GetModuleHandleA(const char *);
IMP void *WINAPI GetProcAddress(HANDLE, const char *);

int mainCRTStartup(void);
int mainCRTStartup(void)
{
	int wine = GetProcAddress(GetModuleHandleA("ntdll.dll"), "wine_get_version") != 0;
	HANDLE user32 = GetModuleHandleA("user32.dll");
	BOOL r;

	check(user32 != 0, "user32.dll is loaded", 0);
	if (wine)
		out("# skip: Wine shows an interactive desktop, whose window is in the foreground\n");
	else
		check(!GetForegroundWindow(), "GetForegroundWindow: NULL", (unsigned long long)GetForegroundWindow());
	check(!GetFocus(), "GetFocus: NULL (the thread has no window)", (unsigned long long)GetFocus());
	check(!GetActiveWindow(), "GetActiveWindow: NULL", (unsigned long long)GetActiveWindow());
	check(!GetClipboardOwner(), "GetClipboardOwner: NULL", (unsigned long long)GetClipboardOwner());
	if (wine) {
		out("# skip: Wine's AllowSetForegroundWindow always succeeds\n");
	} else {
		SetLastError(0);
		r = AllowSetForegroundWindow((DWORD)-1 /* ASFW_ANY */);
		check(!r && GetLastError() == 5, "AllowSetForegroundWindow: FALSE, ERROR_ACCESS_DENIED", GetLastError());
		check(!GetProcAddress(user32, "GetDesktopWindow") && GetLastError() == 127,
		      "GetDesktopWindow is absent (no desktop to name): ERROR_PROC_NOT_FOUND", GetLastError());
		check(!GetProcAddress(user32, "MessageBoxW"), "MessageBoxW is absent (nobody could answer it)", 0);
	}
	done();
	return 0;
}
