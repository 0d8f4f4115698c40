/*
 * kernel32 exports the C++ runtime DLLs import (libstdc++-6.dll,
 * libwinpthread-1.dll): FormatMessage, disk space and volume information,
 * the volume enumeration, hard links, handle flags, GetModuleHandleEx, the
 * process's times and affinity, OpenProcess, the clock's adjustment. Without
 * a C runtime (-nostdlib). Runs under Wine too (tests/nt/run-wine); where
 * Wine's answer is its own (its message texts are not Windows' words, and its
 * SetSystemTime would set the host's clock as root), the check is skipped there.
 */
#include "nt_test.h"

#define WINAPI __attribute__((ms_abi))
#define IMP __declspec(dllimport)
typedef int BOOL;
typedef unsigned long DWORD;
typedef struct {
	DWORD lo, hi;
} FT;
typedef struct {
	DWORD attrs;
	FT c, a, w;
	DWORD serial, size_hi, size_lo, links, idx_hi, idx_lo;
} BYHANDLE;

IMP DWORD WINAPI GetLastError(void);
IMP void WINAPI SetLastError(DWORD);
IMP DWORD WINAPI FormatMessageA(DWORD, const void *, DWORD, DWORD, char *, DWORD, void *);
IMP DWORD WINAPI FormatMessageW(DWORD, const void *, DWORD, DWORD, WCHAR *, DWORD, void *);
IMP void *WINAPI LocalFree(void *);
IMP BOOL WINAPI GetDiskFreeSpaceExW(const WCHAR *, unsigned long long *, unsigned long long *, unsigned long long *);
IMP BOOL WINAPI GetDiskFreeSpaceExA(const char *, unsigned long long *, unsigned long long *, unsigned long long *);
IMP BOOL WINAPI GetVolumeInformationW(const WCHAR *, WCHAR *, DWORD, DWORD *, DWORD *, DWORD *, WCHAR *, DWORD);
IMP BOOL WINAPI GetVolumeInformationA(const char *, char *, DWORD, DWORD *, DWORD *, DWORD *, char *, DWORD);
IMP HANDLE WINAPI FindFirstVolumeW(WCHAR *, DWORD);
IMP BOOL WINAPI FindNextVolumeW(HANDLE, WCHAR *, DWORD);
IMP BOOL WINAPI FindVolumeClose(HANDLE);
IMP BOOL WINAPI CreateHardLinkW(const WCHAR *, const WCHAR *, void *);
IMP BOOL WINAPI CreateHardLinkA(const char *, const char *, void *);
IMP HANDLE WINAPI CreateFileA(const char *, DWORD, DWORD, void *, DWORD, DWORD, HANDLE);
IMP HANDLE WINAPI CreateFileW(const WCHAR *, DWORD, DWORD, void *, DWORD, DWORD, HANDLE);
IMP BOOL WINAPI WriteFile(HANDLE, const void *, DWORD, DWORD *, void *);
IMP BOOL WINAPI ReadFile(HANDLE, void *, DWORD, DWORD *, void *);
IMP BOOL WINAPI CloseHandle(HANDLE);
IMP BOOL WINAPI DeleteFileA(const char *);
IMP BOOL WINAPI SetFileAttributesA(const char *, DWORD);
IMP BOOL WINAPI GetFileInformationByHandle(HANDLE, BYHANDLE *);
IMP BOOL WINAPI GetHandleInformation(HANDLE, DWORD *);
IMP BOOL WINAPI SetHandleInformation(HANDLE, DWORD, DWORD);
IMP BOOL WINAPI GetModuleHandleExW(DWORD, const WCHAR *, void **);
IMP BOOL WINAPI GetModuleHandleExA(DWORD, const char *, void **);
IMP void *WINAPI GetModuleHandleA(const char *);
IMP void *WINAPI GetProcAddress(void *, const char *);
IMP BOOL WINAPI GetProcessTimes(HANDLE, FT *, FT *, FT *, FT *);
IMP void WINAPI GetSystemTimeAsFileTime(FT *);
IMP HANDLE WINAPI GetCurrentProcess(void);
IMP DWORD WINAPI GetCurrentProcessId(void);
IMP HANDLE WINAPI OpenProcess(DWORD, BOOL, DWORD);
IMP BOOL WINAPI GetProcessAffinityMask(HANDLE, unsigned long long *, unsigned long long *);
IMP BOOL WINAPI SetProcessAffinityMask(HANDLE, unsigned long long);
IMP BOOL WINAPI GetSystemTimeAdjustment(DWORD *, DWORD *, BOOL *);
IMP BOOL WINAPI SetSystemTime(const void *);
IMP void WINAPI OutputDebugStringA(const char *);
IMP void WINAPI OutputDebugStringW(const WCHAR *);
IMP HANDLE WINAPI CreateSemaphoreA(void *, long, long, const char *);
IMP BOOL WINAPI ReleaseSemaphore(HANDLE, long, long *);

#define FROM_SYSTEM 0x1000u
#define FROM_STRING 0x400u
#define ALLOCATE 0x100u
#define IGNORE_INSERTS 0x200u
#define ARRAY 0x2000u
#define GENERIC_READ 0x80000000u
#define GENERIC_WRITE 0x40000000u

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static int wstreq(const WCHAR *a, const char *b)
{
	while (*a && *a == (WCHAR)(unsigned char)*b)
		a++, b++;
	return *a == (WCHAR)(unsigned char)*b;
}

static unsigned long long ft(FT f)
{
	return (unsigned long long)f.hi << 32 | f.lo;
}

static void skip(const char *what)
{
	tests_run++;
	out("ok ");
	out_dec((unsigned long long)tests_run);
	out(" - ");
	out(what);
	out(" # SKIP Wine's own answer\n");
}

void mainCRTStartup(void)
{
	int wine = GetProcAddress(GetModuleHandleA("ntdll.dll"), "wine_get_version") != 0;
	char buf[512], *alloc = 0;
	WCHAR wbuf[512];
	DWORD n, flags;
	unsigned long long args[3];

	/* ---- FormatMessage */
	n = FormatMessageA(FROM_SYSTEM | IGNORE_INSERTS, 0, 2, 0, buf, sizeof(buf), 0);
	check(n == slen(buf) && n > 2 && buf[n - 2] == '\r' && buf[n - 1] == '\n',
	      "FormatMessageA(FROM_SYSTEM, ERROR_FILE_NOT_FOUND): a text ending with CRLF, its length returned", n);
	if (wine)
		skip("ERROR_FILE_NOT_FOUND's text is Windows'");
	else
		check(streq(buf, "The system cannot find the file specified.\r\n"), "ERROR_FILE_NOT_FOUND's text is Windows'", n);
	n = FormatMessageA(FROM_SYSTEM | IGNORE_INSERTS | ALLOCATE, 0, 5, 0, (char *)&alloc, 0, 0);
	check(n > 0 && alloc && n == slen(alloc), "ALLOCATE_BUFFER: the buffer is the program's, with the text", n);
	if (wine)
		skip("ERROR_ACCESS_DENIED's text is Windows'");
	else
		check(alloc && streq(alloc, "Access is denied.\r\n"), "ERROR_ACCESS_DENIED's text is Windows'", n);
	check(LocalFree(alloc) == 0, "LocalFree takes it back", 0);
	SetLastError(0);
	n = FormatMessageA(FROM_SYSTEM | IGNORE_INSERTS, 0, 0x12345678, 0, buf, sizeof(buf), 0);
	check(n == 0 && GetLastError() == 317, "an unknown message id: 0, ERROR_MR_MID_NOT_FOUND", GetLastError());
	n = FormatMessageA(FROM_SYSTEM | IGNORE_INSERTS, 0, 193, 0, buf, sizeof(buf), 0);
	if (wine) /* Wine's text for it has no insert */
		skip("IGNORE_INSERTS keeps %1 as it is (ERROR_BAD_EXE_FORMAT)");
	else
		check(n > 2 && buf[0] == '%' && buf[1] == '1', "IGNORE_INSERTS keeps %1 as it is (ERROR_BAD_EXE_FORMAT)", n);
	args[0] = (unsigned long long)"file";
	args[1] = 42;
	args[2] = (unsigned long long)"x";
	n = FormatMessageA(FROM_STRING | ARRAY, "%1 has %2!d! lines%n%3!5s!|%%|%2!04x!%0 tail", 0, 0, buf, sizeof(buf), args);
	check(n == slen(buf) && streq(buf, "file has 42 lines\r\n    x|%|002a"),
	      "FROM_STRING with %1, %2!d!, %n, %3!5s!, %%, %2!04x!, %0", n);
	n = FormatMessageW(FROM_STRING | ARRAY, u"<%1>", 0, 0, wbuf, 512, (unsigned long long[]){ (unsigned long long)u"wide" });
	check(n == 6 && wstreq(wbuf, "<wide>"), "FormatMessageW: %1 is a wide string", n);
	SetLastError(0);
	n = FormatMessageA(FROM_STRING | ARRAY, "0123456789", 0, 0, buf, 4, args);
	check(n == 0 && GetLastError() == 122, "a buffer too small: ERROR_INSUFFICIENT_BUFFER", GetLastError());
	n = FormatMessageA(FROM_SYSTEM | IGNORE_INSERTS | 0xff, 0, 2, 0, buf, sizeof(buf), 0);
	check(n > 1 && buf[n - 1] == ' ' && buf[n - 2] == '.', "MAX_WIDTH_MASK: the line break becomes a space", n);

	/* ---- disk space, volume information, volumes */
	{
		unsigned long long avail = 0, total = 0, free_ = 0;

		check(GetDiskFreeSpaceExW(u"C:\\", &avail, &total, &free_), "GetDiskFreeSpaceExW(C:\\)", GetLastError());
		check(total > 0 && avail <= free_ && free_ <= total, "free space within the total, the caller's within it",
		      total);
		check(GetDiskFreeSpaceExA(0, &avail, &total, 0), "GetDiskFreeSpaceExA(NULL): the current drive", GetLastError());
		if (wine) {
			skip("a directory that is not there: ERROR_PATH_NOT_FOUND"); /* Wine answers for the drive */
		} else {
			SetLastError(0);
			check(!GetDiskFreeSpaceExA("C:\\no such dir\\sub\\", &avail, 0, 0) && GetLastError() == 3,
			      "a directory that is not there: ERROR_PATH_NOT_FOUND", GetLastError());
		}
	}
	{
		DWORD serial = 0, maxlen = 0, fsflags = 0;
		WCHAR fs[64], label[64];
		char fsa[64];

		check(GetVolumeInformationW(u"C:\\", label, 64, &serial, &maxlen, &fsflags, fs, 64),
		      "GetVolumeInformationW(C:\\)", GetLastError());
		check(maxlen == 255 && fs[0] != 0, "255-unit components and a file system name", maxlen);
		check(GetVolumeInformationA("C:\\", 0, 0, 0, 0, 0, fsa, 64) && fsa[0] != 0, "GetVolumeInformationA(C:\\)",
		      GetLastError());
		if (wine) {
			skip("a root without its backslash: ERROR_INVALID_NAME"); /* Wine takes it */
		} else {
			SetLastError(0);
			check(!GetVolumeInformationW(u"C:", 0, 0, 0, 0, 0, 0, 0) && GetLastError() == 123,
			      "a root without its backslash: ERROR_INVALID_NAME (the backslash is required)", GetLastError());
		}
	}
	{
		HANDLE f = FindFirstVolumeW(wbuf, 512);
		int k = 0, ok = 1;

		check(f != (HANDLE)-1, "FindFirstVolumeW: a volume", GetLastError());
		if (f != (HANDLE)-1) {
			do {
				DWORD fsflags = 0;

				/* \\?\Volume{GUID}\, which GetVolumeInformation takes as a root */
				ok &= wbuf[0] == '\\' && wbuf[1] == '\\' && wbuf[2] == '?' && wbuf[3] == '\\' && wbuf[4] == 'V';
				ok &= GetVolumeInformationW(wbuf, 0, 0, 0, 0, &fsflags, 0, 0) != 0 || GetLastError() == 5 ||
				      GetLastError() == 21;
				k++;
			} while (k < 64 && FindNextVolumeW(f, wbuf, 512));
			check(ok && GetLastError() == 18, "each a \\\\?\\Volume{...}\\ name; then ERROR_NO_MORE_FILES",
			      GetLastError());
			check(FindVolumeClose(f), "FindVolumeClose", 0);
		}
	}

	/* picovisor's volume names are NT names of the drives: a file opens through one (Wine's are its own) */
	if (wine) {
		skip("a file created through C:'s volume name is C:'s");
	} else {
		HANDLE h = CreateFileW(u"\\\\?\\Volume{5069636f-7669-736f-7200-000000000043}\\k32more_v.txt",
				       GENERIC_WRITE, 0, 0, 2, 0x80, 0);

		CloseHandle(h);
		check(h != (HANDLE)-1 && DeleteFileA("C:\\k32more_v.txt"), "a file created through C:'s volume name is C:'s",
		      GetLastError());
	}

	/* ---- hard links */
	{
		HANDLE h = CreateFileA("k32more_a.txt", GENERIC_READ | GENERIC_WRITE, 0, 0, 2, 0x80, 0);
		BYHANDLE bh;
		DWORD got = 0;
		char rb[8] = { 0 };

		WriteFile(h, "link", 4, &got, 0);
		CloseHandle(h);
		DeleteFileA("k32more_b.txt");
		check(CreateHardLinkA("k32more_b.txt", "k32more_a.txt", 0), "CreateHardLinkA", GetLastError());
		h = CreateFileA("k32more_b.txt", GENERIC_READ, 7, 0, 3, 0x80, 0);
		check(h != (HANDLE)-1 && ReadFile(h, rb, 8, &got, 0) && got == 4 && rb[0] == 'l', "the new name reads the file",
		      got);
		check(GetFileInformationByHandle(h, &bh) && bh.links == 2, "the file has two links", bh.links);
		CloseHandle(h);
		SetLastError(0);
		check(!CreateHardLinkW(u"k32more_b.txt", u"k32more_a.txt", 0) && GetLastError() == 183,
		      "a link over a name that exists: ERROR_ALREADY_EXISTS", GetLastError());
		SetLastError(0);
		check(!CreateHardLinkW(u"k32more_c.txt", u"k32more_none.txt", 0) && GetLastError() == 2,
		      "a link to a file that is not there: ERROR_FILE_NOT_FOUND", GetLastError());
		DeleteFileA("k32more_a.txt");
		DeleteFileA("k32more_b.txt");
	}

	/* ---- DOS device names: the last component names the device, whatever the directory */
	{
		DWORD got = 0;
		HANDLE h = CreateFileA("NUL", GENERIC_WRITE, 7, 0, 3, 0x80, 0);

		check(h != (HANDLE)-1 && WriteFile(h, "gone", 4, &got, 0) && got == 4, "CreateFile(NUL): writes vanish",
		      GetLastError());
		CloseHandle(h);
		h = CreateFileA("C:\\nul.txt", GENERIC_READ, 7, 0, 3, 0x80, 0);
		check(h != (HANDLE)-1 && ReadFile(h, buf, 8, &got, 0) && got == 0, "C:\\nul.txt is NUL: reads end at once",
		      GetLastError());
		CloseHandle(h);
		check(!DeleteFileA("NUL"), "NUL cannot be deleted", GetLastError());
		if (wine) /* as root, Wine's answer could be the host /dev/null made read-only */
			skip("NUL has no attributes to set");
		else
			check(!SetFileAttributesA("NUL", 1), "NUL has no attributes to set (the host's /dev/null stays as it is)",
			      GetLastError());
	}

	/* ---- handle flags */
	{
		HANDLE s = CreateSemaphoreA(0, 0, 1, 0);

		check(s != 0 && GetHandleInformation(s, &flags) && flags == 0, "GetHandleInformation: no flags", flags);
		check(SetHandleInformation(s, 3, 3) && GetHandleInformation(s, &flags) && flags == 3,
		      "SetHandleInformation: inherit and protect from close", flags);
		SetLastError(0);
		check(!CloseHandle(s) && GetLastError() == 6, "CloseHandle of a protected handle: ERROR_INVALID_HANDLE",
		      GetLastError());
		check(ReleaseSemaphore(s, 1, 0), "and the handle is still open", GetLastError());
		check(SetHandleInformation(s, 2, 0) && GetHandleInformation(s, &flags) && flags == 1,
		      "the mask changes only the flags it names", flags);
		check(CloseHandle(s), "unprotected, it closes", GetLastError());
		SetLastError(0);
		check(!GetHandleInformation(s, &flags) && GetLastError() == 6, "a closed handle: ERROR_INVALID_HANDLE",
		      GetLastError());
		s = CreateSemaphoreA(0, 0, 1, "pv_k32more_sem");
		check(s != 0 && GetLastError() == 0, "CreateSemaphoreA with a name", GetLastError());
		{
			HANDLE s2 = CreateSemaphoreA(0, 0, 1, "pv_k32more_sem");

			check(s2 != 0 && GetLastError() == 183, "the same name again: ERROR_ALREADY_EXISTS", GetLastError());
			CloseHandle(s2);
		}
		CloseHandle(s);
	}

	/* ---- GetModuleHandleEx */
	{
		void *k32 = GetModuleHandleA("kernel32.dll"), *m = (void *)1;
		void *fn = GetProcAddress(k32, "GetLastError");

		check(GetModuleHandleExW(4 | 2, (const WCHAR *)fn, &m) && m == k32,
		      "FROM_ADDRESS|UNCHANGED_REFCOUNT: the module holding an address", (unsigned long long)m);
		check(GetModuleHandleExA(0, "kernel32.dll", &m) && m == k32, "by name", (unsigned long long)m);
		check(GetModuleHandleExW(0, 0, &m) && m == *(void **)((char *)peb() + 0x10), "NULL: the program",
		      (unsigned long long)m);
		SetLastError(0);
		check(!GetModuleHandleExW(1 | 2, 0, &m) && GetLastError() == 87 && m == 0,
		      "PIN with UNCHANGED_REFCOUNT: ERROR_INVALID_PARAMETER", GetLastError());
		SetLastError(0);
		check(!GetModuleHandleExW(4, (const WCHAR *)(unsigned long long)0x10000, &m) && GetLastError() == 126 && m == 0,
		      "an address in no module: ERROR_MOD_NOT_FOUND", GetLastError());
		SetLastError(0);
		check(!GetModuleHandleExA(0, "pv_not_loaded.dll", &m) && GetLastError() == 126,
		      "a module not loaded: ERROR_MOD_NOT_FOUND", GetLastError());
	}

	/* ---- the process */
	{
		FT c, e, k, u, now;
		volatile unsigned long long spin = 0;
		unsigned long long proc = 0, sys = 0, t0;
		HANDLE self;

		GetSystemTimeAsFileTime(&now);
		check(GetProcessTimes(GetCurrentProcess(), &c, &e, &k, &u), "GetProcessTimes", GetLastError());
		check(ft(c) <= ft(now) && ft(c) > ft(now) - 600000000ULL, "it started within the last minute", ft(c));
		check(ft(e) == 0, "it has not exited", ft(e));
		t0 = ft(u) + ft(k);
		for (unsigned long long i = 0; i < 300000000ULL; i++)
			spin += i;
		GetProcessTimes(GetCurrentProcess(), &c, &e, &k, &u);
		check(ft(u) + ft(k) > t0, "time spent computing shows in its user and kernel times", ft(u));
		self = OpenProcess(0x400 /* QUERY_INFORMATION */, 0, GetCurrentProcessId());
		check(self != 0 && GetProcessTimes(self, &c, &e, &k, &u), "OpenProcess of itself: a handle that works",
		      GetLastError());
		CloseHandle(self);
		SetLastError(0);
		check(OpenProcess(0x400, 0, 0) == 0 && GetLastError() == 87, "OpenProcess(0): ERROR_INVALID_PARAMETER",
		      GetLastError());
		SetLastError(0);
		check(OpenProcess(0x400, 0, 0xfffffff0u) == 0 && GetLastError() == 87,
		      "OpenProcess of an id no process has: ERROR_INVALID_PARAMETER", GetLastError());
		check(GetProcessAffinityMask(GetCurrentProcess(), &proc, &sys) && proc,
		      "GetProcessAffinityMask", GetLastError());
		check(SetProcessAffinityMask(GetCurrentProcess(), proc), "SetProcessAffinityMask with the mask it has",
		      GetLastError());
		SetLastError(0);
		check(!SetProcessAffinityMask(GetCurrentProcess(), 0) && GetLastError() == 87,
		      "SetProcessAffinityMask(0): ERROR_INVALID_PARAMETER", GetLastError());
	}
	{
		DWORD adj = 0, inc = 0;
		BOOL off = 0;

		check(GetSystemTimeAdjustment(&adj, &inc, &off) && inc > 0, "GetSystemTimeAdjustment", inc);
		if (wine) {
			skip("SetSystemTime: ERROR_PRIVILEGE_NOT_HELD");
		} else {
			unsigned short st[8] = { 2020, 1, 3, 1, 0, 0, 0, 0 };

			SetLastError(0);
			check(!SetSystemTime(st) && GetLastError() == 1314, "SetSystemTime: ERROR_PRIVILEGE_NOT_HELD",
			      GetLastError());
		}
		OutputDebugStringA("to no debugger\n");
		OutputDebugStringW(u"to no debugger\n");
		check(1, "OutputDebugString without a debugger returns", 0);
	}
	done();
}
