/*
 * ntdll's loader: the program imports pvtest.dll (found in its own
 * directory), which imports pvdep.dll; by name, by ordinal, a variable, a
 * forwarder to ntdll; pvtest.dll prefers the program's own base and is
 * relocated. DllMain runs for the dependency first, and for each new thread
 * (attach in that order, detach in the reverse). LdrLoadDll and
 * LdrGetProcedureAddress find what is there and name what is not.
 */
#include "nt_test.h"

__declspec(dllimport) int pv_add(int, int);
__declspec(dllimport) int pv_call_through_table(int, int);
__declspec(dllimport) int pv_dep_was_first(void);
__declspec(dllimport) int pv_by_ordinal(void);   /* imported by ordinal 42 (NONAME) */
__declspec(dllimport) unsigned long long pv_strlen(const char *); /* forwarded to ntdll.strlen */
__declspec(dllimport) extern int pv_data;       /* a data import */

typedef struct {
	USHORT Length, MaximumLength;
	char *Buffer;
} ANSI_STRING;

NTSTATUS NTAPI LdrLoadDll(const WCHAR *, ULONG *, UNICODE_STRING *, void **);
NTSTATUS NTAPI LdrGetProcedureAddress(void *, ANSI_STRING *, ULONG, void **);
NTSTATUS NTAPI LdrGetDllHandle(const WCHAR *, ULONG *, UNICODE_STRING *, void **);
NTSTATUS NTAPI LdrUnloadDll(void *);

static char *log_of(void)
{
	UNICODE_STRING name = { 18, 20, (WCHAR *)L"pvdep.dll" };
	ANSI_STRING sym = { 6, 7, "pv_log" };
	void *dep = 0, *log = 0;

	LdrGetDllHandle(0, 0, &name, &dep);
	LdrGetProcedureAddress(dep, &sym, 0, &log);
	return log;
}

static NTSTATUS NTAPI thread(void *arg)
{
	(void)arg;
	return 0;
}

int mainCRTStartup(void)
{
	UNICODE_STRING name = { 20, 22, (WCHAR *)L"pvtest.dll" }, nosuch = { 20, 22, (WCHAR *)L"nosuch.dll" };
	UNICODE_STRING initfail = { 28, 30, (WCHAR *)L"pvinitfail.dll" }, api = { 54, 56, (WCHAR *)L"api-ms-win-core-synch-l1-2-0" };
	ANSI_STRING add = { 6, 7, "pv_add" }, none = { 7, 8, "pv_none" };
	void *h = 0, *h2 = 0, *fn = 0, *exe_base;
	char *log = log_of(), *peb;
	HANDLE th;
	NTSTATUS st;

	__asm__("mov %%gs:0x60, %0" : "=r"(peb));
	exe_base = *(void **)(peb + 0x10);

	check(pv_add(2, 3) == 5, "a function imported by name", (ULONG64)pv_add(2, 3));
	check(pv_by_ordinal() == 77, "a function imported by ordinal", (ULONG64)pv_by_ordinal());
	check(pv_data == 1234, "a variable imported (data import)", (ULONG64)pv_data);
	check(pv_strlen("hello") == 5, "a forwarder to ntdll.strlen", pv_strlen("hello"));
	check(pv_call_through_table(4, 5) == 9, "the DLL moved from its base (taken by the program) was relocated",
	      (ULONG64)pv_call_through_table(4, 5));
	check(((char *)pv_add < (char *)exe_base || (char *)pv_add > (char *)exe_base + 0x100000),
	      "and it does not sit at the program's base", (ULONG64)pv_add);
	check(pv_dep_was_first(), "DllMain of the dependency (pvdep.dll) ran before pvtest.dll's", 0);
	check(log && log[0] == 'D' && log[1] == 'P' && log[2] == 0, "process attach: pvdep then pvtest, once each",
	      log ? (ULONG64)log[0] << 8 | (ULONG64)log[1] : 0);
	st = LdrLoadDll(0, 0, &name, &h);
	check(st == 0, "LdrLoadDll of a DLL already loaded", (ULONG64)st);
	LdrGetDllHandle(0, 0, &name, &h2);
	check(h && h == h2, "gives the same module", (ULONG64)h);
	st = LdrGetProcedureAddress(h, &add, 0, &fn);
	check(st == 0 && fn == (void *)pv_add, "LdrGetProcedureAddress by name", (ULONG64)fn);
	st = LdrGetProcedureAddress(h, 0, 42, &fn);
	check(st == 0 && fn == (void *)pv_by_ordinal, "LdrGetProcedureAddress by ordinal", (ULONG64)fn);
	st = LdrGetProcedureAddress(h, &none, 0, &fn);
	check(st == (NTSTATUS)0xC000007A, "a name it does not export: STATUS_PROCEDURE_NOT_FOUND", (ULONG64)st);
	st = LdrGetProcedureAddress(h, 0, 43, &fn);
	check(st == (NTSTATUS)0xC000007A, "an ordinal it does not export: STATUS_PROCEDURE_NOT_FOUND", (ULONG64)st);
	LdrUnloadDll(h);
	st = LdrLoadDll(0, 0, &nosuch, &h);
	check(st == (NTSTATUS)0xC0000135, "LdrLoadDll of a DLL nowhere: STATUS_DLL_NOT_FOUND", (ULONG64)st);
	st = LdrLoadDll(0, 0, &initfail, &h);
	check(st == (NTSTATUS)0xC0000142, "a DLL whose DllMain fails: STATUS_DLL_INIT_FAILED", (ULONG64)st);
	st = LdrLoadDll(0, 0, &api, &h);
	LdrGetDllHandle(0, 0, &(UNICODE_STRING){ 24, 26, (WCHAR *)L"kernel32.dll" }, &h2);
	check(st == 0 && h == h2, "an api-ms-win-core set is kernel32.dll, from the system directory", (ULONG64)st);
	{
		UNICODE_STRING dyn = { 18, 20, (WCHAR *)L"pvdyn.dll" };
		ANSI_STRING value = { 12, 13, "pv_dyn_value" };
		void *hd = 0, *again = 0;
		int (*fn_dyn)(void) = 0;

		st = LdrLoadDll(0, 0, &dyn, &hd);
		check(st == 0 && log[2] == 'A' && log[3] == 0, "LdrLoadDll of a new DLL: its DllMain attaches (reserved NULL)",
		      (ULONG64)st);
		LdrGetProcedureAddress(hd, &value, 0, (void **)&fn_dyn);
		check(fn_dyn && fn_dyn() == 99, "and its export is called", 0);
		st = LdrUnloadDll(hd);
		check(st == 0 && log[3] == 'a', "LdrUnloadDll: DLL_PROCESS_DETACH", (ULONG64)st);
		st = LdrGetDllHandle(0, 0, &dyn, &again);
		check(st == (NTSTATUS)0xC0000135, "and it is gone", (ULONG64)st);
	}
	NtCreateThreadEx(&th, 0x1fffff, 0, NtCurrentProcess(), (void *)thread, 0, 0, 0, 0, 0, 0);
	NtWaitForSingleObject(th, 0, 0);
	check(log[4] == 'T' && log[5] == 'R' && log[6] == 'r' && log[7] == 't' && log[8] == 0,
	      "a thread: DLL_THREAD_ATTACH dependency first, DLL_THREAD_DETACH in the reverse order (the unloaded DLL not told)",
	      (ULONG64)log[4] << 24 | (ULONG64)log[5] << 16 | (ULONG64)log[6] << 8 | (ULONG64)log[7]);
	done();
	return 0;
}
