/* A DLL tests/nt/dll_delay.c imports through delay-load thunks: loaded at its first call, not at start. */
#include "nt_test.h"

static int attached;

__declspec(dllexport) int pv_lazy_value(void)
{
	return 7;
}

__declspec(dllexport) int pv_lazy_attached(void)
{
	return attached;
}

int __stdcall DllMainCRTStartup(void *self, ULONG reason, void *reserved);
int __stdcall DllMainCRTStartup(void *self, ULONG reason, void *reserved)
{
	(void)self;
	(void)reserved;
	if (reason == 1)
		attached++;
	return 1;
}
