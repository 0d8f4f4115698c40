/* A DLL whose DllMain refuses to attach: loading it fails with STATUS_DLL_INIT_FAILED. */
#include "nt_test.h"

__declspec(dllexport) int pv_never(void)
{
	return 1;
}

int __stdcall DllMainCRTStartup(void *self, ULONG reason, void *reserved);
int __stdcall DllMainCRTStartup(void *self, ULONG reason, void *reserved)
{
	(void)self;
	(void)reserved;
	return reason != 1;
}
