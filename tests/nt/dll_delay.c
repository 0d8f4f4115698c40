/*
 * Delay-load imports (mingw-w64: dlltool -y writes the thunks, libmingwex's
 * __delayLoadHelper2 resolves them through LoadLibraryA and GetProcAddress):
 * pvlazy.dll is not loaded at start, its first call loads and initialises
 * it, and it is then in PEB->Ldr like any DLL. A delay-loaded DLL that is
 * nowhere raises VcppException(ERROR_SEVERITY_ERROR, ERROR_MOD_NOT_FOUND),
 * 0xC06D007E, with the DelayLoadInfo as its argument: a vectored handler
 * supplies a function and resumes once; the second time nobody takes it and
 * the program ends with that code (status 0x7E), after its closing TAP count.
 */
#include "nt_test.h"

#define WINAPI __attribute__((ms_abi))
#define IMP __declspec(dllimport)
typedef int BOOL;

typedef struct {
	unsigned long code, flags;
	void *rec, *addr;
	unsigned long nparams;
	unsigned long long info[15];
} EXC_RECORD;
typedef struct {
	EXC_RECORD *rec;
	void *ctx;
} EXC_POINTERS;

IMP void *WINAPI GetModuleHandleA(const char *);
IMP void *WINAPI AddVectoredExceptionHandler(unsigned long, long(WINAPI *)(EXC_POINTERS *));
IMP unsigned long WINAPI RemoveVectoredExceptionHandler(void *);

int pv_lazy_value(void);   /* delay-loaded from pvlazy.dll */
int pv_lazy_attached(void);
int pv_absent_function(void); /* delay-loaded from pvabsent.dll, which is nowhere */

static int handled;
static char dll_named[32];

static int fallback(void)
{
	return 55;
}

static long WINAPI on_exception(EXC_POINTERS *p)
{
	unsigned char *dli;

	if (p->rec->code != 0xC06D007EUL || p->rec->nparams < 1)
		return 0; /* EXCEPTION_CONTINUE_SEARCH */
	/* DelayLoadInfo: cb, pidd, ppfn, szDll (+0x18), dlp, hmodCur, pfnCur (+0x38), dwLastError */
	dli = (unsigned char *)p->rec->info[0];
	{
		const char *name = *(const char **)(dli + 0x18);
		int i = 0;

		for (; name && name[i] && i < 31; i++)
			dll_named[i] = name[i];
		dll_named[i] = 0;
	}
	*(void **)(dli + 0x38) = (void *)fallback;
	handled++;
	return -1; /* EXCEPTION_CONTINUE_EXECUTION: the helper returns pfnCur, which the thunk calls */
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

void mainCRTStartup(void)
{
	void *veh;

	check(GetModuleHandleA("pvlazy.dll") == 0, "a delay-loaded DLL is not loaded at start", 0);
	check(pv_lazy_value() == 7, "its first call loads it and calls the function", 0);
	check(GetModuleHandleA("pvlazy.dll") != 0, "it is loaded now", 0);
	check(pv_lazy_attached() == 1, "its DllMain ran once, before the call returned", 0);
	check(pv_lazy_value() == 7, "a second call goes straight to it", 0);

	veh = AddVectoredExceptionHandler(1, on_exception);
	check(pv_absent_function() == 55, "a DLL that is nowhere: 0xC06D007E, a handler's function is called", handled);
	check(handled == 1 && streq(dll_named, "pvabsent.dll"), "the exception's DelayLoadInfo names the DLL", handled);
	RemoveVectoredExceptionHandler(veh);

	out("1..");
	out_dec((unsigned long long)tests_run);
	out("\n");
	if (tests_failed)
		NtTerminateProcess(NtCurrentProcess(), 1);
	/* nobody takes it now: the program ends with the exception's code */
	pv_absent_function();
	out("not reached\n");
	NtTerminateProcess(NtCurrentProcess(), 2);
}
