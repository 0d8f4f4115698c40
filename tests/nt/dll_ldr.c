/*
 * PEB->Ldr as programs and runtimes walk it: PEB_LDR_DATA and the three lists
 * of LDR_DATA_TABLE_ENTRY at their documented x64 offsets, kept true when a
 * DLL is loaded and freed at run time; PEB->NtGlobalFlag and BeingDebugged (no
 * debugger). Runs under Wine too (tests/nt/run-wine), as the reference.
 */
#include "nt_test.h"

#define WINAPI __attribute__((ms_abi))
#define IMP __declspec(dllimport)
typedef int BOOL;
typedef unsigned long DWORD;

IMP int pv_add(int, int); /* pvtest.dll, which imports pvdep.dll: both loaded at start */
IMP void *WINAPI LoadLibraryA(const char *);
IMP BOOL WINAPI FreeLibrary(void *);
IMP BOOL WINAPI IsDebuggerPresent(void);
IMP void *WINAPI GetModuleHandleA(const char *);

typedef struct list {
	struct list *next, *prev;
} LIST;

static unsigned char *ldr(void)
{
	return *(unsigned char **)((unsigned char *)peb() + 0x18);
}

static LIST *head(int which) /* 0 load order, 1 memory order, 2 initialisation order */
{
	return (LIST *)(ldr() + 0x10 + 0x10 * which);
}

static unsigned char *entry_of(LIST *l, int which)
{
	return (unsigned char *)l - 0x10 * which;
}

static int name_is(unsigned char *e, const char *want)
{
	UNICODE_STRING *u = (UNICODE_STRING *)(e + 0x58);
	SIZE_T n = u->Length / 2, i;

	if (n != slen(want))
		return 0;
	for (i = 0; i < n; i++) {
		WCHAR c = u->Buffer[i];

		if (c >= 'A' && c <= 'Z')
			c += 32;
		if (c != (WCHAR)want[i])
			return 0;
	}
	return 1;
}

/* The place (from 1) of the module named want in list which, or 0. */
static int place(int which, const char *want)
{
	int i = 1;

	for (LIST *l = head(which)->next; l != head(which) && i < 1000; l = l->next, i++)
		if (name_is(entry_of(l, which), want))
			return i;
	return 0;
}

static int count(int which)
{
	int n = 0;

	for (LIST *l = head(which)->next; l != head(which) && n < 1000; l = l->next)
		n++;
	return n;
}

/* Every link's neighbours point back at it, both ways round, and the walk ends at the head. */
static int consistent(int which)
{
	int n = 0;

	for (LIST *l = head(which)->next; n < 1000; l = l->next, n++) {
		if (l->next->prev != l || l->prev->next != l)
			return 0;
		if (l == head(which))
			return 1;
	}
	return 0;
}

/* Each entry's fields match the image it names. */
static int entries_match_images(void)
{
	int n = 0;

	for (LIST *l = head(0)->next; l != head(0) && n < 1000; l = l->next, n++) {
		unsigned char *e = entry_of(l, 0), *base = *(unsigned char **)(e + 0x30);
		unsigned char *nt = base + *(unsigned *)(base + 0x3c);
		UNICODE_STRING *full = (UNICODE_STRING *)(e + 0x48), *name = (UNICODE_STRING *)(e + 0x58);
		SIZE_T fl = full->Length / 2, nl = name->Length / 2;

		if (base[0] != 'M' || base[1] != 'Z' || *(unsigned *)(e + 0x40) != *(unsigned *)(nt + 0x18 + 0x38))
			return 0;
		if (*(unsigned *)(e + 0x80) != *(unsigned *)(nt + 8)) /* TimeDateStamp */
			return 0;
		if (nl == 0 || fl < nl)
			return 0;
		for (SIZE_T i = 0; i < nl; i++)
			if (full->Buffer[fl - nl + i] != name->Buffer[i])
				return 0;
		if (full->Buffer[fl - nl - 1] != '\\')
			return 0;
	}
	return n > 0;
}

void mainCRTStartup(void)
{
	unsigned char *p = peb(), *first;
	void *dyn;
	int before;

	check(pv_add(2, 3) == 5, "pvtest.dll is linked (and pvdep.dll, its import)", 0);
	check(ldr() != 0, "PEB->Ldr (0x18) is set", 0);
	check(*(ULONG *)ldr() >= 0x48, "PEB_LDR_DATA.Length", *(ULONG *)ldr());
	check(ldr()[4] == 1, "PEB_LDR_DATA.Initialized", ldr()[4]);
	for (int w = 0; w < 3; w++)
		check(consistent(w), w == 0 ? "InLoadOrderModuleList links both ways"
				  : w == 1 ? "InMemoryOrderModuleList links both ways"
					   : "InInitializationOrderModuleList links both ways", w);
	first = entry_of(head(0)->next, 0);
	check(*(void **)(first + 0x30) == *(void **)(p + 0x10), "the first in load order is the program (DllBase)",
	      (unsigned long long)*(void **)(first + 0x30));
	check(place(0, "ntdll.dll") == 2, "ntdll.dll is second in load order", place(0, "ntdll.dll"));
	check(place(0, "kernel32.dll") > 2, "kernel32.dll is in load order", 0);
	check(place(0, "pvtest.dll") > 0 && place(0, "pvdep.dll") > 0, "the program's own DLLs are in load order", 0);
	check(count(1) == count(0), "memory order has the modules load order has", count(1));
	check(place(1, "pvtest.dll") > 0, "InMemoryOrderLinks at +0x10 of the entry", 0);
	check(entries_match_images(), "DllBase, SizeOfImage, TimeDateStamp, FullDllName ending in BaseDllName", 0);
	check(place(2, "ntdll.dll") == 1, "ntdll.dll is initialised first", place(2, "ntdll.dll"));
	check(count(2) == count(0) - 1, "every module but the program is in initialisation order", count(2));
	check(place(2, "pvdep.dll") > 0 && place(2, "pvdep.dll") < place(2, "pvtest.dll"),
	      "pvdep.dll is initialised before pvtest.dll, which imports it", place(2, "pvdep.dll"));
	check(*(void **)(entry_of(head(0)->next->next, 0) + 0x30) == GetModuleHandleA("ntdll.dll"),
	      "ntdll.dll's entry holds its base", 0);

	before = count(0);
	dyn = LoadLibraryA("pvdyn.dll");
	check(dyn != 0, "LoadLibrary(pvdyn.dll)", 0);
	check(count(0) == before + 1 && place(0, "pvdyn.dll") == before + 1, "a DLL loaded at run time comes last in load order",
	      place(0, "pvdyn.dll"));
	check(place(2, "pvdyn.dll") == count(2), "and last in initialisation order", place(2, "pvdyn.dll"));
	check(*(void **)(entry_of(head(0)->prev, 0) + 0x30) == dyn, "its entry holds the handle LoadLibrary gave", 0);
	check(FreeLibrary(dyn), "FreeLibrary(pvdyn.dll)", 0);
	check(count(0) == before && place(0, "pvdyn.dll") == 0 && place(1, "pvdyn.dll") == 0 && place(2, "pvdyn.dll") == 0,
	      "a DLL unloaded is in none of the lists", count(0));
	for (int w = 0; w < 3; w++)
		check(consistent(w), "the lists still link both ways after the unload", w);

	check(*(ULONG *)(p + 0xbc) == 0, "PEB->NtGlobalFlag (0xBC) is 0 without a debugger", *(ULONG *)(p + 0xbc));
	check(p[2] == 0, "PEB->BeingDebugged is 0", p[2]);
	check(!IsDebuggerPresent(), "IsDebuggerPresent() is FALSE", 0);
	check(*(void **)(p + 0x110) != 0, "PEB->LoaderLock (0x110) is set", 0);
	done();
}
