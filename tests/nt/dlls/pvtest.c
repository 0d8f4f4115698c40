/*
 * The test DLL of tests/nt/dll_load.c: exports by name, one by ordinal only
 * (pvtest.def), a variable, and a forwarder to ntdll; imports pvdep.dll.
 * Linked to prefer a base the program's loader finds taken (so it moves).
 */
#include "nt_test.h"

__declspec(dllimport) void pv_log_add(char c);

__declspec(dllexport) int pv_data = 1234;
static int attached_before_me;

int pv_add(int a, int b)
{
	return a + b;
}

int pv_by_ordinal(void)
{
	return 77;
}

/* A pointer in data: right only if the DLL was relocated properly. */
static int (*const adder)(int, int) = pv_add;

int pv_call_through_table(int a, int b)
{
	return adder(a, b);
}

int pv_dep_was_first(void)
{
	return attached_before_me;
}

extern char pv_log[];
__declspec(dllimport) extern int pv_log_len;

int __stdcall DllMainCRTStartup(void *self, ULONG reason, void *reserved);
int __stdcall DllMainCRTStartup(void *self, ULONG reason, void *reserved)
{
	(void)self;
	(void)reserved;
	if (reason == 1)
		attached_before_me = pv_log_len > 0;
	pv_log_add(reason == 1 ? 'P' : reason == 0 ? 'p' : reason == 2 ? 'R' : 'r');
	return 1;
}
