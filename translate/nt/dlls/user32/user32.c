/*
 * picovisor's user32.dll: what a console process gets from user32 on a
 * window station that is not interactive (as a service or a job on a build
 * machine runs): there is no window of its own, none has the focus or the
 * foreground, nothing owns the clipboard. Functions that would need a desktop to be answered
 * truthfully (GetDesktopWindow, MessageBox, CreateWindow...) are absent, so a
 * program that needs them fails at start naming them (docs/nt.md).
 */
#include "pv_win.h"

typedef void *HWND;

#define ERROR_INVALID_PARAMETER 87
#define ASFW_ANY ((DWORD)-1)

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
 * A process may pass on the right to set the foreground window when it can
 * set it itself, and with no foreground window at all, any process can
 * (documented): so the call succeeds for ASFW_ANY and for this process. Any
 * other pid is ERROR_INVALID_PARAMETER: this process is the only NT process
 * of the run (other processes are not served), so no other can be named.
 */
EXPORT BOOL WINAPI AllowSetForegroundWindow(DWORD pid)
{
	if (pid != ASFW_ANY && pid != (DWORD)TEB_FIELD(uint64_t, 0x40)) {
		LAST_ERROR() = ERROR_INVALID_PARAMETER;
		return 0;
	}
	return 1;
}
