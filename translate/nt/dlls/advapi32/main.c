/*
 * picovisor's advapi32.dll: the registry as a read-only hive of the few keys
 * programs read (registry.c), the user's name (user.c), and the documented
 * ways to ask for random bytes (random.c). What it does not export is
 * absent, never a stub (docs/nt.md lists the exports). The ANSI code page
 * is UTF-8: the A functions convert through it.
 */
#include "adv.h"

#define PROCESS_HEAP() PEB_FIELD(void *, 0x30)

BOOL WINAPI DllMainCRTStartup(HMODULE self, DWORD reason, void *reserved);
BOOL WINAPI DllMainCRTStartup(HMODULE self, DWORD reason, void *reserved)
{
	(void)self;
	(void)reserved;
	if (reason == 1 /* DLL_PROCESS_ATTACH */)
		adv_user_init();
	return 1;
}

void *adv_alloc(size_t n)
{
	return RtlAllocateHeap(PROCESS_HEAP(), 0, n);
}

void adv_free(void *p)
{
	if (p)
		RtlFreeHeap(PROCESS_HEAP(), 0, p);
}

LONG adv_a_to_w(const char *a, WCHAR **w)
{
	int n;

	*w = NULL;
	if (!a)
		return ERROR_SUCCESS;
	n = MultiByteToWideChar(CP_ACP, 0, a, -1, NULL, 0);
	if (n <= 0)
		return ERROR_INVALID_PARAMETER;
	*w = adv_alloc((size_t)n * sizeof(WCHAR));
	if (!*w)
		return ERROR_NOT_ENOUGH_MEMORY;
	MultiByteToWideChar(CP_ACP, 0, a, -1, *w, n);
	return ERROR_SUCCESS;
}
