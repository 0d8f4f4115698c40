/*
 * kernel32's threads, waits and completion ports as a program calls them (no C runtime): a file
 * opened FILE_FLAG_OVERLAPPED and bound to a port (WriteFile/ReadFile at an OVERLAPPED's offset,
 * each completion through GetQueuedCompletionStatus with its key), PostQueuedCompletionStatus and
 * GetQueuedCompletionStatusEx, a high-resolution waitable timer, QueueUserAPC and an alertable
 * SleepEx (WAIT_IO_COMPLETION), CreatePipe (EOF as ERROR_BROKEN_PIPE once the writer closes),
 * CREATE_SUSPENDED with ResumeThread, thread priorities, GetSystemDirectoryA, and winmm.dll's
 * timeBeginPeriod/timeEndPeriod. The same program runs under Wine.
 */
#include "nt_test.h"

typedef int BOOL;
typedef unsigned long DWORD;
typedef unsigned long long ULONG_PTR;
#define WINAPI __attribute__((ms_abi))
#define INVALID_HANDLE_VALUE ((HANDLE)-1)

typedef struct {
	ULONG_PTR Internal, InternalHigh;
	DWORD Offset, OffsetHigh;
	HANDLE hEvent;
} OVERLAPPED;

typedef struct {
	ULONG_PTR key;
	OVERLAPPED *ov;
	ULONG_PTR internal;
	DWORD bytes;
} OVERLAPPED_ENTRY;

__declspec(dllimport) HANDLE WINAPI CreateFileA(const char *, DWORD, DWORD, void *, DWORD, DWORD, HANDLE);
__declspec(dllimport) BOOL WINAPI CloseHandle(HANDLE);
__declspec(dllimport) BOOL WINAPI DeleteFileA(const char *);
__declspec(dllimport) BOOL WINAPI ReadFile(HANDLE, void *, DWORD, DWORD *, OVERLAPPED *);
__declspec(dllimport) BOOL WINAPI WriteFile(HANDLE, const void *, DWORD, DWORD *, OVERLAPPED *);
__declspec(dllimport) DWORD WINAPI GetLastError(void);
__declspec(dllimport) HANDLE WINAPI CreateIoCompletionPort(HANDLE, HANDLE, ULONG_PTR, DWORD);
__declspec(dllimport) BOOL WINAPI PostQueuedCompletionStatus(HANDLE, DWORD, ULONG_PTR, OVERLAPPED *);
__declspec(dllimport) BOOL WINAPI GetQueuedCompletionStatus(HANDLE, DWORD *, ULONG_PTR *, OVERLAPPED **, DWORD);
__declspec(dllimport) BOOL WINAPI GetQueuedCompletionStatusEx(HANDLE, OVERLAPPED_ENTRY *, ULONG, ULONG *, DWORD, BOOL);
__declspec(dllimport) HANDLE WINAPI CreateWaitableTimerExW(void *, const WCHAR *, DWORD, DWORD);
__declspec(dllimport) BOOL WINAPI SetWaitableTimer(HANDLE, const LONGLONG *, long, void *, void *, BOOL);
__declspec(dllimport) DWORD WINAPI WaitForSingleObject(HANDLE, DWORD);
__declspec(dllimport) DWORD WINAPI QueueUserAPC(void(WINAPI *)(ULONG_PTR), HANDLE, ULONG_PTR);
__declspec(dllimport) DWORD WINAPI SleepEx(DWORD, BOOL);
__declspec(dllimport) HANDLE WINAPI GetCurrentThread(void);
__declspec(dllimport) BOOL WINAPI CreatePipe(HANDLE *, HANDLE *, void *, DWORD);
__declspec(dllimport) HANDLE WINAPI CreateThread(void *, SIZE_T, DWORD(WINAPI *)(void *), void *, DWORD, DWORD *);
__declspec(dllimport) DWORD WINAPI ResumeThread(HANDLE);
__declspec(dllimport) BOOL WINAPI SetThreadPriority(HANDLE, int);
__declspec(dllimport) int WINAPI GetThreadPriority(HANDLE);
__declspec(dllimport) unsigned WINAPI GetSystemDirectoryA(char *, unsigned);
__declspec(dllimport) HANDLE WINAPI LoadLibraryA(const char *);
__declspec(dllimport) void *WINAPI GetProcAddress(HANDLE, const char *);

static volatile ULONG_PTR apc_data;
static volatile int thread_ran;

static void WINAPI apc(ULONG_PTR data)
{
	apc_data = data;
}

static DWORD WINAPI runner(void *arg)
{
	thread_ran = (int)(ULONG_PTR)arg;
	return 0;
}

static int same(const char *a, const char *b, int n)
{
	for (int i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

static void ports_and_files(void)
{
	HANDLE f, port;
	OVERLAPPED ov = { 0 }, *got = 0;
	DWORD n = 0;
	ULONG_PTR key = 0;
	BOOL ok;
	char buf[8];
	OVERLAPPED_ENTRY e[2];
	ULONG removed = 0;

	f = CreateFileA("overlapped.txt", 0xC0000000, 0, 0, 2 /* CREATE_ALWAYS */, 0x40000000 /* FILE_FLAG_OVERLAPPED */, 0);
	check(f != INVALID_HANDLE_VALUE, "CreateFileA with FILE_FLAG_OVERLAPPED", GetLastError());
	port = CreateIoCompletionPort(f, 0, 42, 0);
	check(port != 0, "CreateIoCompletionPort binds it to a new port", GetLastError());
	ov.Offset = 3;
	ok = WriteFile(f, "abcdef", 6, &n, &ov);
	check(ok || GetLastError() == 997, "WriteFile at offset 3 (done, or ERROR_IO_PENDING)", GetLastError());
	ok = GetQueuedCompletionStatus(port, &n, &key, &got, 2000);
	check(ok && n == 6 && key == 42 && got == &ov, "its completion: 6 bytes, the file's key, its OVERLAPPED", n);
	ov.Offset = 5;
	ok = ReadFile(f, buf, 4, &n, &ov);
	check(ok || GetLastError() == 997, "ReadFile at offset 5", GetLastError());
	ok = GetQueuedCompletionStatus(port, &n, &key, &got, 2000);
	check(ok && n == 4 && same(buf, "cdef", 4), "reads what is there", n);
	ok = GetQueuedCompletionStatus(port, &n, &key, &got, 10);
	check(!ok && GetLastError() == 258 && !got, "an empty port: WAIT_TIMEOUT, no OVERLAPPED", GetLastError());
	check(PostQueuedCompletionStatus(port, 7, 8, (OVERLAPPED *)9), "PostQueuedCompletionStatus", GetLastError());
	check(PostQueuedCompletionStatus(port, 1, 2, 0), "and another", GetLastError());
	ok = GetQueuedCompletionStatusEx(port, e, 2, &removed, 0, 0);
	check(ok && removed == 2 && e[0].bytes == 7 && e[0].key == 8 && e[0].ov == (OVERLAPPED *)9 && e[1].key == 2,
	      "GetQueuedCompletionStatusEx takes both", removed);
	CloseHandle(f);
	CloseHandle(port);
	DeleteFileA("overlapped.txt");
}

static void timers_apcs_pipes(void)
{
	HANDLE t = CreateWaitableTimerExW(0, 0, 0x2 /* CREATE_WAITABLE_TIMER_HIGH_RESOLUTION */, 0x1f0003);
	LONGLONG due = -20 * 10000;
	HANDLE r, w, th;
	DWORD n = 0, st;
	char buf[8];
	BOOL ok;

	check(t != 0, "CreateWaitableTimerExW (high resolution)", GetLastError());
	check(SetWaitableTimer(t, &due, 0, 0, 0, 0), "SetWaitableTimer 20 ms", GetLastError());
	check(WaitForSingleObject(t, 2000) == 0, "it fires", 0);
	CloseHandle(t);

	check(QueueUserAPC(apc, GetCurrentThread(), 77), "QueueUserAPC", GetLastError());
	st = SleepEx(2000, 1);
	check(st == 0xc0 && apc_data == 77, "an alertable SleepEx runs it: WAIT_IO_COMPLETION", st);

	check(CreatePipe(&r, &w, 0, 0), "CreatePipe", GetLastError());
	check(WriteFile(w, "pipe", 4, &n, 0) && n == 4, "write to it", n);
	CloseHandle(w);
	ok = ReadFile(r, buf, sizeof(buf), &n, 0);
	check(ok && n == 4 && same(buf, "pipe", 4), "read it back", n);
	ok = ReadFile(r, buf, sizeof(buf), &n, 0);
	check(!ok && GetLastError() == 109, "then ERROR_BROKEN_PIPE: the writer is gone", GetLastError());
	CloseHandle(r);

	th = CreateThread(0, 0, runner, (void *)3, 0x4 /* CREATE_SUSPENDED */, 0);
	SleepEx(20, 0);
	check(th && thread_ran == 0, "CREATE_SUSPENDED: it has not run", thread_ran);
	check(ResumeThread(th) == 1, "ResumeThread says its count was 1", 0);
	check(WaitForSingleObject(th, 2000) == 0 && thread_ran == 3, "then it runs", thread_ran);
	CloseHandle(th);
	check(SetThreadPriority(GetCurrentThread(), 1) && GetThreadPriority(GetCurrentThread()) == 1,
	      "SetThreadPriority / GetThreadPriority", (unsigned long long)GetThreadPriority(GetCurrentThread()));
	SetThreadPriority(GetCurrentThread(), 0);
}

void mainCRTStartup(void)
{
	char dir[64];
	HANDLE winmm;
	unsigned(WINAPI * begin)(unsigned), (WINAPI * end)(unsigned);

	ports_and_files();
	timers_apcs_pipes();
	check(GetSystemDirectoryA(dir, sizeof(dir)) == 19 && same(dir, "C:\\windows\\system32", 3),
	      "GetSystemDirectoryA", 0);
	winmm = LoadLibraryA("winmm.dll");
	begin = winmm ? (unsigned(WINAPI *)(unsigned))GetProcAddress(winmm, "timeBeginPeriod") : 0;
	end = winmm ? (unsigned(WINAPI *)(unsigned))GetProcAddress(winmm, "timeEndPeriod") : 0;
	check(begin && end, "winmm.dll has timeBeginPeriod and timeEndPeriod", 0);
	if (begin && end) {
		check(begin(1) == 0 && end(1) == 0, "timeBeginPeriod(1), timeEndPeriod(1)", 0);
		check(begin(0) == 97, "a period of 0: TIMERR_NOCANDO", 0);
	}
	done();
}
