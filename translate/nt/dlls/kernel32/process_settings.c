/*
 * Process-wide settings the Go runtime and others make at start: SetErrorMode,
 * GetErrorMode, SetConsoleCtrlHandler, SetProcessPriorityBoost,
 * GetSystemDirectoryA / W.
 */
#include "k32.h"

#define ERROR_INVALID_PARAMETER 87
#define ERROR_NOT_ENOUGH_MEMORY 8
#define MAX_CTRL_HANDLERS 64

static UINT error_mode;

/* No dialog is ever shown here: the mode is kept and given back, as Windows does. */
EXPORT UINT WINAPI SetErrorMode(UINT mode)
{
	return __atomic_exchange_n(&error_mode, mode, __ATOMIC_SEQ_CST);
}

EXPORT UINT WINAPI GetErrorMode(void)
{
	return __atomic_load_n(&error_mode, __ATOMIC_SEQ_CST);
}

/*
 * Console control handlers are registered and removed as on Windows; the
 * events that would call them (Ctrl-C, Ctrl-Break, closing) reach an NT
 * process as Linux signals, with Linux's default action (docs/nt.md).
 */
static BOOL(WINAPI *ctrl_handlers[MAX_CTRL_HANDLERS])(DWORD);
static int nctrl;
static BOOL ctrl_c_ignored;
static RTL_CRITICAL_SECTION_K ctrl_lock = { NULL, -1, 0, NULL, NULL, 0 };

EXPORT BOOL WINAPI SetConsoleCtrlHandler(BOOL(WINAPI *handler)(DWORD), BOOL add)
{
	BOOL ok = 1;

	RtlEnterCriticalSection(&ctrl_lock);
	if (!handler) {
		ctrl_c_ignored = add;
	} else if (add) {
		if (nctrl == MAX_CTRL_HANDLERS)
			ok = k32_fail(ERROR_NOT_ENOUGH_MEMORY);
		else
			ctrl_handlers[nctrl++] = handler;
	} else {
		int i = nctrl - 1;

		while (i >= 0 && ctrl_handlers[i] != handler)
			i--;
		if (i < 0) {
			ok = k32_fail(ERROR_INVALID_PARAMETER);
		} else {
			for (; i + 1 < nctrl; i++)
				ctrl_handlers[i] = ctrl_handlers[i + 1];
			nctrl--;
		}
	}
	RtlLeaveCriticalSection(&ctrl_lock);
	return ok;
}

/* Linux gives no dynamic boost to take away: disabling it (or not) changes nothing. */
EXPORT BOOL WINAPI SetProcessPriorityBoost(HANDLE process, BOOL disable)
{
	(void)disable;
	if (process != (HANDLE)(intptr_t)-1) /* this process only */
		return k32_fail(6 /* ERROR_INVALID_HANDLE */);
	return 1;
}

static const char sysdir[] = "C:\\Windows\\System32";

/* The length without the NUL; or the size needed, NUL included, when buf is short. */
EXPORT UINT WINAPI GetSystemDirectoryA(char *buf, UINT size)
{
	UINT n = sizeof(sysdir) - 1;

	if (!buf || size <= n)
		return n + 1;
	memcpy(buf, sysdir, n + 1);
	return n;
}

EXPORT UINT WINAPI GetSystemDirectoryW(WCHAR *buf, UINT size)
{
	UINT n = sizeof(sysdir) - 1;

	if (!buf || size <= n)
		return n + 1;
	for (UINT i = 0; i <= n; i++)
		buf[i] = (WCHAR)(unsigned char)sysdir[i];
	return n;
}
