/*
 * picovisor's kernel32.dll without a C runtime (-nostdlib -lkernel32): last
 * error, heap, critical sections, SRW locks and condition variables, TLS
 * slots, files and directories with the Win32 errors Windows gives, the
 * current directory and relative names, environment variables, UTF-8 code
 * page conversions, time, virtual memory, modules, events and threads.
 */
#include "nt_test.h"

#define WINAPI __attribute__((ms_abi))
#define IMP __declspec(dllimport)
typedef int BOOL;
typedef unsigned long DWORD;
typedef struct {
	void *a;
	long b, c;
	void *d, *e;
	unsigned long long f;
} CS;
typedef struct {
	void *p;
} SRW, CONDVAR;
typedef struct {
	DWORD attrs;
	DWORD times[6];
	DWORD hi, lo, r0, r1;
	WCHAR name[260];
	WCHAR alt[14];
} FINDW;

IMP DWORD WINAPI GetLastError(void);
IMP void WINAPI SetLastError(DWORD);
IMP HANDLE WINAPI GetProcessHeap(void);
IMP void *WINAPI HeapAlloc(HANDLE, DWORD, SIZE_T);
IMP void *WINAPI HeapReAlloc(HANDLE, DWORD, void *, SIZE_T);
IMP BOOL WINAPI HeapFree(HANDLE, DWORD, void *);
IMP SIZE_T WINAPI HeapSize(HANDLE, DWORD, const void *);
IMP void WINAPI InitializeCriticalSection(CS *);
IMP void WINAPI EnterCriticalSection(CS *);
IMP void WINAPI LeaveCriticalSection(CS *);
IMP void WINAPI DeleteCriticalSection(CS *);
IMP void WINAPI AcquireSRWLockExclusive(SRW *);
IMP void WINAPI ReleaseSRWLockExclusive(SRW *);
IMP BOOL WINAPI SleepConditionVariableSRW(CONDVAR *, SRW *, DWORD, ULONG);
IMP void WINAPI WakeAllConditionVariable(CONDVAR *);
IMP DWORD WINAPI TlsAlloc(void);
IMP BOOL WINAPI TlsSetValue(DWORD, void *);
IMP void *WINAPI TlsGetValue(DWORD);
IMP HANDLE WINAPI CreateFileA(const char *, DWORD, DWORD, void *, DWORD, DWORD, HANDLE);
IMP BOOL WINAPI WriteFile(HANDLE, const void *, DWORD, DWORD *, void *);
IMP BOOL WINAPI ReadFile(HANDLE, void *, DWORD, DWORD *, void *);
IMP BOOL WINAPI SetFilePointerEx(HANDLE, long long, long long *, DWORD);
IMP BOOL WINAPI GetFileSizeEx(HANDLE, long long *);
IMP BOOL WINAPI CloseHandle(HANDLE);
IMP BOOL WINAPI CreateDirectoryA(const char *, void *);
IMP BOOL WINAPI RemoveDirectoryA(const char *);
IMP BOOL WINAPI DeleteFileA(const char *);
IMP BOOL WINAPI MoveFileExA(const char *, const char *, DWORD);
IMP DWORD WINAPI GetFileAttributesA(const char *);
IMP HANDLE WINAPI FindFirstFileW(const WCHAR *, FINDW *);
IMP BOOL WINAPI FindNextFileW(HANDLE, FINDW *);
IMP BOOL WINAPI FindClose(HANDLE);
IMP BOOL WINAPI SetCurrentDirectoryA(const char *);
IMP DWORD WINAPI GetCurrentDirectoryA(DWORD, char *);
IMP BOOL WINAPI SetEnvironmentVariableA(const char *, const char *);
IMP DWORD WINAPI GetEnvironmentVariableA(const char *, char *, DWORD);
IMP int WINAPI MultiByteToWideChar(unsigned, DWORD, const char *, int, WCHAR *, int);
IMP int WINAPI WideCharToMultiByte(unsigned, DWORD, const WCHAR *, int, char *, int, const char *, BOOL *);
IMP unsigned WINAPI GetACP(void);
IMP unsigned long long WINAPI GetTickCount64(void);
IMP BOOL WINAPI QueryPerformanceFrequency(long long *);
IMP BOOL WINAPI QueryPerformanceCounter(long long *);
IMP void WINAPI Sleep(DWORD);
IMP void *WINAPI VirtualAlloc(void *, SIZE_T, DWORD, DWORD);
IMP BOOL WINAPI VirtualProtect(void *, SIZE_T, DWORD, DWORD *);
IMP SIZE_T WINAPI VirtualQuery(const void *, void *, SIZE_T);
IMP BOOL WINAPI VirtualFree(void *, SIZE_T, DWORD);
IMP HANDLE WINAPI LoadLibraryA(const char *);
IMP HANDLE WINAPI GetModuleHandleA(const char *);
IMP void *WINAPI GetProcAddress(HANDLE, const char *);
IMP DWORD WINAPI GetModuleFileNameA(HANDLE, char *, DWORD);
IMP HANDLE WINAPI CreateEventA(void *, BOOL, BOOL, const char *);
IMP BOOL WINAPI SetEvent(HANDLE);
IMP DWORD WINAPI WaitForSingleObject(HANDLE, DWORD);
IMP HANDLE WINAPI CreateThread(void *, SIZE_T, DWORD(WINAPI *)(void *), void *, DWORD, DWORD *);
IMP BOOL WINAPI GetExitCodeThread(HANDLE, DWORD *);
IMP HANDLE WINAPI GetStdHandle(DWORD);
IMP DWORD WINAPI FlsAlloc(void(WINAPI *)(void *));
IMP BOOL WINAPI FlsSetValue(DWORD, void *);
IMP void *WINAPI FlsGetValue(DWORD);
IMP BOOL WINAPI FlsFree(DWORD);
IMP BOOL WINAPI GetConsoleMode(HANDLE, DWORD *);
IMP BOOL WINAPI WriteConsoleW(HANDLE, const WCHAR *, DWORD, DWORD *, void *);
IMP DWORD WINAPI GetTempPathA(DWORD, char *);

static CS cs;
static volatile long counter;
static DWORD slot;
static SRW srw;
static CONDVAR cv;
static volatile int ready;

static DWORD WINAPI adder(void *arg)
{
	(void)arg;
	for (int i = 0; i < 20000; i++) {
		EnterCriticalSection(&cs);
		counter = counter + 1;
		LeaveCriticalSection(&cs);
	}
	return 5;
}

static DWORD WINAPI tls_thread(void *arg)
{
	(void)arg;
	if (TlsGetValue(slot) != 0)
		return 1;
	TlsSetValue(slot, (void *)0x1234);
	AcquireSRWLockExclusive(&srw);
	ready = 1;
	WakeAllConditionVariable(&cv);
	ReleaseSRWLockExclusive(&srw);
	return TlsGetValue(slot) == (void *)0x1234 ? 7 : 2;
}

static DWORD fls_slot;
static void *volatile fls_seen;
static volatile int fls_calls;

static void WINAPI fls_done(void *v)
{
	fls_seen = v;
	fls_calls++;
}

static DWORD WINAPI fls_thread(void *arg)
{
	(void)arg;
	FlsSetValue(fls_slot, (void *)0xf15);
	return FlsGetValue(fls_slot) == (void *)0xf15 ? 0 : 1;
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static unsigned char *teb(void)
{
	unsigned char *t;

	__asm__("mov %%gs:0x30, %0" : "=r"(t));
	return t;
}

int mainCRTStartup(void)
{
	HANDLE heap = GetProcessHeap(), th[4], f, k32, ev;
	unsigned char *p, *q;
	DWORD n, code = 0, old = 0;
	char buf[300];
	WCHAR w[64];
	long long pos, pos2, freq;
	unsigned long long t0;
	unsigned long long mbi[6];
	FINDW fd;
	int seen, ok;

	SetLastError(1234);
	check(GetLastError() == 1234 && *(DWORD *)(teb() + 0x68) == 1234, "SetLastError is TEB LastErrorValue (0x68)",
	      *(DWORD *)(teb() + 0x68));
	check(heap && heap == *(HANDLE *)(*(unsigned char **)(teb() + 0x60) + 0x30), "GetProcessHeap is PEB ProcessHeap",
	      (ULONG64)heap);
	p = HeapAlloc(heap, 8 /* HEAP_ZERO_MEMORY */, 3000);
	ok = p != 0;
	for (int i = 0; ok && i < 3000; i++)
		ok = p[i] == 0;
	check(ok && HeapSize(heap, 0, p) == 3000, "HeapAlloc with HEAP_ZERO_MEMORY, HeapSize the size asked for",
	      ok ? HeapSize(heap, 0, p) : 0);
	p[2999] = 0x5a;
	q = HeapReAlloc(heap, 0, p, 100000);
	check(q && q[2999] == 0x5a, "HeapReAlloc keeps the contents", (ULONG64)q);
	check(HeapFree(heap, 0, q) && !HeapFree(heap, 0, (char *)q + 16), "HeapFree; a pointer that is no block is refused",
	      0);
	for (int round = 0; round < 3; round++) {
		void *ptrs[2000];

		for (int i = 0; i < 2000; i++)
			ptrs[i] = HeapAlloc(heap, 0, (SIZE_T)(i * 37 % 5000 + 1));
		for (int i = 0; i < 2000; i++)
			HeapFree(heap, 0, ptrs[i]);
	}
	check(1, "6000 allocations of mixed sizes made and freed", 0);

	InitializeCriticalSection(&cs);
	for (int i = 0; i < 4; i++)
		th[i] = CreateThread(0, 0, adder, 0, 0, 0);
	for (int i = 0; i < 4; i++)
		WaitForSingleObject(th[i], 0xffffffff);
	GetExitCodeThread(th[0], &code);
	check(counter == 80000, "4 threads x 20000 increments under a critical section", (ULONG64)counter);
	check(code == 5, "GetExitCodeThread gives what the thread returned", code);
	for (int i = 0; i < 4; i++)
		CloseHandle(th[i]);
	DeleteCriticalSection(&cs);

	slot = TlsAlloc();
	TlsSetValue(slot, (void *)0x99);
	check(slot < 64 && *(void **)(teb() + 0x1480 + slot * 8) == (void *)0x99, "TlsAlloc's slot is the TEB's TlsSlots[i]",
	      slot);
	th[0] = CreateThread(0, 0, tls_thread, 0, 0, 0);
	AcquireSRWLockExclusive(&srw);
	while (!ready)
		SleepConditionVariableSRW(&cv, &srw, 0xffffffff, 0);
	ReleaseSRWLockExclusive(&srw);
	WaitForSingleObject(th[0], 0xffffffff);
	GetExitCodeThread(th[0], &code);
	check(code == 7 && TlsGetValue(slot) == (void *)0x99, "a TLS slot per thread; SRW lock and condition variable", code);
	CloseHandle(th[0]);

	f = CreateFileA("k32.txt", 0xC0000000, 0, 0, 1 /* CREATE_NEW */, 0x80, 0);
	check(f != (HANDLE)-1, "CreateFileA CREATE_NEW (a name relative to the current directory)", GetLastError());
	check(WriteFile(f, "hello, world", 12, &n, 0) && n == 12, "WriteFile", n);
	check(SetFilePointerEx(f, 7, &pos, 0) && pos == 7, "SetFilePointerEx FILE_BEGIN", (ULONG64)pos);
	check(ReadFile(f, buf, sizeof(buf), &n, 0) && n == 5 && buf[0] == 'w', "ReadFile from there", n);
	check(ReadFile(f, buf, sizeof(buf), &n, 0) && n == 0, "ReadFile at the end: TRUE, nothing read", n);
	check(GetFileSizeEx(f, &pos) && pos == 12, "GetFileSizeEx", (ULONG64)pos);
	check(!SetFilePointerEx(f, -20, &pos, 1) && GetLastError() == 131, "a seek before the start: ERROR_NEGATIVE_SEEK",
	      GetLastError());
	CloseHandle(f);
	check(CreateFileA("k32.txt", 0x80000000, 1, 0, 1, 0x80, 0) == (HANDLE)-1 && GetLastError() == 80,
	      "CREATE_NEW of a file that exists: ERROR_FILE_EXISTS", GetLastError());
	f = CreateFileA("k32.txt", 0x80000000, 1, 0, 4 /* OPEN_ALWAYS */, 0x80, 0);
	check(f != (HANDLE)-1 && GetLastError() == 183, "OPEN_ALWAYS of a file that exists: ERROR_ALREADY_EXISTS",
	      GetLastError());
	CloseHandle(f);
	check(CreateFileA("nosuch.txt", 0x80000000, 1, 0, 3, 0x80, 0) == (HANDLE)-1 && GetLastError() == 2,
	      "OPEN_EXISTING of a missing file: ERROR_FILE_NOT_FOUND", GetLastError());
	check(CreateFileA("nodir\\x.txt", 0x80000000, 1, 0, 3, 0x80, 0) == (HANDLE)-1 && GetLastError() == 3,
	      "a missing directory on the way: ERROR_PATH_NOT_FOUND", GetLastError());
	check(GetFileAttributesA("nosuch.txt") == 0xffffffff && GetLastError() == 2,
	      "GetFileAttributes of a missing file: INVALID_FILE_ATTRIBUTES, ERROR_FILE_NOT_FOUND", GetLastError());
	check(CreateDirectoryA("sub", 0), "CreateDirectoryA", GetLastError());
	check(!CreateDirectoryA("sub", 0) && GetLastError() == 183, "again: ERROR_ALREADY_EXISTS", GetLastError());
	check(GetFileAttributesA("sub") == 0x10, "GetFileAttributes of a directory: FILE_ATTRIBUTE_DIRECTORY",
	      GetFileAttributesA("sub"));
	check(MoveFileExA("k32.txt", "sub\\moved.txt", 0), "MoveFileExA into a directory", GetLastError());
	check(!RemoveDirectoryA("sub") && GetLastError() == 145, "RemoveDirectory of a directory that is not empty: 145",
	      GetLastError());
	ustr((UNICODE_STRING *)buf, w, "sub\\*.txt");
	f = FindFirstFileW(w, &fd);
	seen = 0;
	if (f != (HANDLE)-1) {
		do
			seen += fd.name[0] == 'm' && fd.lo == 12;
		while (FindNextFileW(f, &fd));
		check(GetLastError() == 18, "FindNextFile at the end: ERROR_NO_MORE_FILES", GetLastError());
		FindClose(f);
	}
	check(seen == 1, "FindFirstFileW/FindNextFileW find sub\\moved.txt (12 bytes)", (ULONG64)seen);
	check(SetCurrentDirectoryA("sub") && GetCurrentDirectoryA(sizeof(buf), buf) && GetFileAttributesA("moved.txt") == 0x20,
	      "SetCurrentDirectoryA: relative names resolve against it", GetLastError());
	n = GetCurrentDirectoryA(sizeof(buf), buf);
	check(n > 4 && buf[n - 4] == '\\' && buf[n - 3] == 's' && buf[n - 1] == 'b', "GetCurrentDirectoryA ends in \\sub",
	      n);
	check(DeleteFileA("moved.txt") && SetCurrentDirectoryA("..") && RemoveDirectoryA("sub"),
	      "DeleteFileA, .., RemoveDirectoryA", GetLastError());
	check(!DeleteFileA("moved.txt") && GetLastError() == 2, "DeleteFile of a missing file: ERROR_FILE_NOT_FOUND",
	      GetLastError());

	check(SetEnvironmentVariableA("PV_K32", "v\xc3\xa9") && GetEnvironmentVariableA("pv_k32", buf, sizeof(buf)) == 3 &&
		      streq(buf, "v\xc3\xa9"),
	      "Set/GetEnvironmentVariableA (names ignore case; UTF-8 values)", 0);
	check(GetEnvironmentVariableA("PV_NOT_SET", buf, sizeof(buf)) == 0 && GetLastError() == 203,
	      "a variable that is not set: ERROR_ENVVAR_NOT_FOUND", GetLastError());

	check(GetACP() == 65001, "the ANSI code page is UTF-8", GetACP());
	n = (DWORD)MultiByteToWideChar(0, 0, "h\xc3\xa9\xf0\x9f\x98\x80", -1, w, 64);
	check(n == 5 && w[1] == 0xe9 && w[2] == 0xd83d && w[3] == 0xde00, "MultiByteToWideChar: UTF-8 to UTF-16 (a surrogate pair)",
	      n);
	n = (DWORD)WideCharToMultiByte(65001, 0, w, -1, buf, sizeof(buf), 0, 0);
	check(n == 8 && streq(buf, "h\xc3\xa9\xf0\x9f\x98\x80"), "WideCharToMultiByte back", n);
	check(WideCharToMultiByte(65001, 0, w, -1, buf, 3, 0, 0) == 0 && GetLastError() == 122,
	      "a buffer too small: ERROR_INSUFFICIENT_BUFFER", GetLastError());

	QueryPerformanceFrequency(&freq);
	t0 = GetTickCount64();
	QueryPerformanceCounter(&pos);
	Sleep(30);
	QueryPerformanceCounter(&pos2);
	check(freq == 10000000 && pos2 - pos >= 300000 && GetTickCount64() >= t0,
	      "Sleep(30) takes 30 ms by the performance counter (10 MHz); GetTickCount64 does not go back",
	      (ULONG64)(pos2 - pos));

	p = VirtualAlloc(0, 65536, 0x3000, 4);
	check(p && VirtualProtect(p, 4096, 2 /* PAGE_READONLY */, &old) && old == 4, "VirtualAlloc, VirtualProtect", old);
	check(VirtualQuery(p, mbi, sizeof(mbi)) == 48 && (mbi[4] >> 32) == 2 && mbi[0] == (ULONG64)p,
	      "VirtualQuery sees the new protection", mbi[4]);
	check(VirtualFree(p, 0, 0x8000), "VirtualFree", GetLastError());

	k32 = LoadLibraryA("kernel32");
	check(k32 && k32 == GetModuleHandleA("KERNEL32.DLL"), "LoadLibraryA(\"kernel32\") is the module already loaded",
	      (ULONG64)k32);
	check(GetProcAddress(k32, "CreateFileA") == (void *)CreateFileA, "GetProcAddress", 0);
	check(!GetProcAddress(k32, "NoSuchFunction") && GetLastError() == 127, "a name not exported: ERROR_PROC_NOT_FOUND",
	      GetLastError());
	check(!LoadLibraryA("nosuch.dll") && GetLastError() == 126, "a DLL that is nowhere: ERROR_MOD_NOT_FOUND",
	      GetLastError());
	n = GetModuleFileNameA(0, buf, sizeof(buf));
	check(n > 16 && streq(buf + n - 16, "dll_kernel32.exe") && buf[1] == ':', "GetModuleFileNameA(NULL): the program's DOS path",
	      n);

	ev = CreateEventA(0, 1, 0, 0);
	check(WaitForSingleObject(ev, 0) == 0x102, "an event not set: WAIT_TIMEOUT", 0);
	SetEvent(ev);
	check(WaitForSingleObject(ev, 0) == 0, "set: WAIT_OBJECT_0", 0);
	check(!CloseHandle((HANDLE)0x7770) && GetLastError() == 6, "CloseHandle of a bad handle: ERROR_INVALID_HANDLE",
	      GetLastError());
	check(WriteFile(GetStdHandle((DWORD)-11), "", 0, &n, 0), "GetStdHandle(STD_OUTPUT_HANDLE) is writable", 0);

	fls_slot = FlsAlloc(fls_done);
	th[0] = CreateThread(0, 0, fls_thread, 0, 0, 0);
	WaitForSingleObject(th[0], 0xffffffff);
	GetExitCodeThread(th[0], &code);
	CloseHandle(th[0]);
	check(code == 0 && fls_calls == 1 && fls_seen == (void *)0xf15,
	      "an FLS value set by a thread goes to the slot's callback when the thread ends", (ULONG64)fls_calls);
	FlsSetValue(fls_slot, (void *)0xabc);
	check(FlsFree(fls_slot) && fls_calls == 2 && fls_seen == (void *)0xabc, "FlsFree gives this thread's value to the callback",
	      (ULONG64)fls_calls);
	check(!FlsGetValue(fls_slot), "a freed slot reads NULL", 0);

	/* the test's output is a pipe or a file, never a terminal: not a console */
	check(!GetConsoleMode(GetStdHandle((DWORD)-11), &n) && GetLastError() == 6,
	      "GetConsoleMode of a redirected handle: ERROR_INVALID_HANDLE", GetLastError());
	check(!WriteConsoleW(GetStdHandle((DWORD)-11), L"x", 1, &n, 0) && GetLastError() == 6,
	      "WriteConsoleW to a redirected handle: ERROR_INVALID_HANDLE", GetLastError());
	SetEnvironmentVariableA("TMP", "C:\\tmpdir\\.\\");
	n = GetTempPathA(sizeof(buf), buf);
	check(n == 10 && streq(buf, "C:\\tmpdir\\"), "GetTempPathA: TMP as a full path with a backslash at the end", n);
	done();
	return 0;
}
