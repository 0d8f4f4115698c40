/*
 * user32 as a console process on a window station without input sees it:
 * no foreground, focus or active window, no clipboard owner; with no
 * foreground window, the process may let any other set it. Under Wine (the
 * reference, tests/nt/run-wine) the foreground window and the refusal of an
 * unknown pid are skipped: Wine runs an interactive desktop, and its
 * AllowSetForegroundWindow succeeds for any pid.
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
IMP DWORD WINAPI GetCurrentProcessId(void);
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
	r = AllowSetForegroundWindow((DWORD)-1 /* ASFW_ANY */);
	check(r, "AllowSetForegroundWindow(ASFW_ANY): no foreground window, so any process may set it", GetLastError());
	r = AllowSetForegroundWindow(GetCurrentProcessId());
	check(r, "AllowSetForegroundWindow(this process)", GetLastError());
	if (wine) {
		out("# skip: Wine's AllowSetForegroundWindow succeeds for any pid; GetDesktopWindow and MessageBoxW exist\n");
	} else {
		SetLastError(0);
		r = AllowSetForegroundWindow(0x7ffffff0);
		check(!r && GetLastError() == 87, "AllowSetForegroundWindow of a process that is not there: "
		      "ERROR_INVALID_PARAMETER", GetLastError());
		check(!GetProcAddress(user32, "GetDesktopWindow") && GetLastError() == 127,
		      "GetDesktopWindow is absent (no desktop to name): ERROR_PROC_NOT_FOUND", GetLastError());
		check(!GetProcAddress(user32, "MessageBoxW"), "MessageBoxW is absent (nobody could answer it)", 0);
	}
	done();
	return 0;
}
