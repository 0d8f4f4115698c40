/* A DLL pvtest.dll depends on: its DllMain must run before pvtest's. It keeps the log both write to. */
#include "nt_test.h"

__declspec(dllexport) char pv_log[64];
__declspec(dllexport) int pv_log_len;

__declspec(dllexport) void pv_log_add(char c)
{
	if (pv_log_len < 63)
		pv_log[pv_log_len++] = c;
}

int __stdcall DllMainCRTStartup(void *self, ULONG reason, void *reserved);
int __stdcall DllMainCRTStartup(void *self, ULONG reason, void *reserved)
{
	(void)self;
	(void)reserved;
	pv_log_add(reason == 1 ? 'D' : reason == 0 ? 'd' : reason == 2 ? 'T' : 't');
	return 1;
}
