/*
 * GetUserName: the name of the user the program runs as. Windows takes it
 * from the process's token; picovisor has no tokens, so the supervisor
 * writes the run's passwd name into the environment as USERNAME (as
 * Windows' logon does), and this DLL keeps the value it finds there when
 * the process attaches it, so a later SetEnvironmentVariable does not
 * change who the program is.
 */
#include "adv.h"

#define UNLEN 256

static WCHAR user_name[UNLEN + 1];
static DWORD user_len; /* 0: the supervisor gave no name (no passwd entry for the run's uid) */

void adv_user_init(void)
{
	static const WCHAR var[] = { 'U', 'S', 'E', 'R', 'N', 'A', 'M', 'E', 0 };
	DWORD n = GetEnvironmentVariableW(var, user_name, UNLEN + 1);

	user_len = n <= UNLEN ? n : 0;
}

/* size: characters of buf, with the NUL; set to what was written (with the NUL) or what is needed. */
EXPORT BOOL WINAPI GetUserNameW(WCHAR *buf, DWORD *size)
{
	if (!user_len) {
		LAST_ERROR() = ERROR_NONE_MAPPED;
		return 0;
	}
	if (!size) {
		LAST_ERROR() = ERROR_INVALID_PARAMETER;
		return 0;
	}
	if (!buf || *size < user_len + 1) {
		*size = user_len + 1;
		LAST_ERROR() = ERROR_INSUFFICIENT_BUFFER;
		return 0;
	}
	for (DWORD i = 0; i < user_len; i++)
		buf[i] = user_name[i];
	buf[user_len] = 0;
	*size = user_len + 1;
	return 1;
}

/* The same in the ANSI code page (UTF-8); size counts bytes. */
EXPORT BOOL WINAPI GetUserNameA(char *buf, DWORD *size)
{
	int need;

	if (!user_len) {
		LAST_ERROR() = ERROR_NONE_MAPPED;
		return 0;
	}
	if (!size) {
		LAST_ERROR() = ERROR_INVALID_PARAMETER;
		return 0;
	}
	need = WideCharToMultiByte(CP_ACP, 0, user_name, (int)user_len, NULL, 0, NULL, NULL) + 1;
	if (!buf || *size < (DWORD)need) {
		*size = (DWORD)need;
		LAST_ERROR() = ERROR_INSUFFICIENT_BUFFER;
		return 0;
	}
	WideCharToMultiByte(CP_ACP, 0, user_name, (int)user_len, buf, need - 1, NULL, NULL);
	buf[need - 1] = 0;
	*size = (DWORD)need;
	return 1;
}
