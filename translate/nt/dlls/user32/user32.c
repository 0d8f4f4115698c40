/*
 * picovisor's user32.dll: what a console process gets from user32 on a
 * window station that is not interactive (as a service or a job on a build
 * machine runs): there is no window of its own, none has the focus or the
 * foreground, nothing owns the clipboard, and the process may not hand the
 * foreground to another. Functions that would need a desktop to be answered
 * truthfully (GetDesktopWindow, MessageBox, CreateWindow...) are absent, so a
 * program that needs them fails at start naming them (docs/nt.md).
 */
#include "pv_win.h"

typedef void *HWND;

#define ERROR_ACCESS_DENIED 5

BOOL WINAPI DllMainCRTStartup(HMODULE self, DWORD reason, void *reserved);
BOOL WINAPI DllMainCRTStartup(HMODULE self, DWORD reason, void *reserved)
{
	(void)self;
	(void)reason;
	(void)reserved;
	return 1;
}

/* No window of the station is in the foreground for this process's desktop. */
EXPORT HWND WINAPI GetForegroundWindow(void)
{
	return NULL;
}

/* The thread has no window, so none of its windows has the keyboard focus. */
EXPORT HWND WINAPI GetFocus(void)
{
	return NULL;
}

/* ... nor is any of them the active window. */
EXPORT HWND WINAPI GetActiveWindow(void)
{
	return NULL;
}

/* Nothing has opened and emptied the clipboard: it has no owner. */
EXPORT HWND WINAPI GetClipboardOwner(void)
{
	return NULL;
}

/*
 * Only the foreground process (or one it allowed) may pass the right to set
 * the foreground window on; a process on a station without input never is,
 * so the call fails with ERROR_ACCESS_DENIED, as for a background process.
 */
EXPORT BOOL WINAPI AllowSetForegroundWindow(DWORD pid)
{
	(void)pid;
	LAST_ERROR() = ERROR_ACCESS_DENIED;
	return 0;
}
