/* A DLL tests/nt/dll_load.c loads and unloads at run time: its DllMain writes 'A' and 'a' into pvdep's log. */
#include "nt_test.h"

__declspec(dllimport) void pv_log_add(char c);

__declspec(dllexport) int pv_dyn_value(void)
{
	return 99;
}

int __stdcall DllMainCRTStartup(void *self, ULONG reason, void *reserved);
int __stdcall DllMainCRTStartup(void *self, ULONG reason, void *reserved)
{
	(void)self;
	if (reason == 1)
		pv_log_add(reserved ? 'S' : 'A'); /* a DLL loaded at run time gets a NULL reserved */
	else if (reason == 0)
		pv_log_add('a');
	return 1;
}
