/*
 * picovisor's system directory against the program: C:\Windows\System32's
 * DLLs are picovisor's own copies, read-only. The program plants its own
 * Windows\System32\kernel32.dll on drive C: (the test harness plants one) and still gets picovisor's; it
 * cannot open one for writing, deleting or creating, write through a read
 * handle, map it writable, or change what the next open reads (the memfd is
 * sealed). Other names in the directory are the drive's.
 */
#include "nt_test.h"

NTSTATUS NTAPI NtCreateSection(HANDLE *, ULONG, OBJECT_ATTRIBUTES *, LARGE_INTEGER *, ULONG, ULONG, HANDLE);
NTSTATUS NTAPI NtMapViewOfSection(HANDLE, HANDLE, void **, ULONG64, SIZE_T, LARGE_INTEGER *, SIZE_T *, ULONG, ULONG,
				  ULONG);

static NTSTATUS open_name(const char *name, ULONG access, ULONG disposition, ULONG options, HANDLE *h)
{
	WCHAR buf[260];
	UNICODE_STRING u;
	OBJECT_ATTRIBUTES oa = { sizeof(oa), 0, &u, OBJ_CASE_INSENSITIVE, 0, 0 };
	IO_STATUS_BLOCK iosb;

	ustr(&u, buf, name);
	return NtCreateFile(h, access | 0x100000, &oa, &iosb, 0, 0x80, 7, disposition, options | 0x20, 0, 0);
}

static ULONG64 first_bytes(HANDLE h)
{
	IO_STATUS_BLOCK iosb;
	LARGE_INTEGER at = { 0 };
	ULONG64 v = 0;

	NtReadFile(h, 0, 0, 0, &iosb, &v, 8, &at, 0);
	return v;
}

int mainCRTStartup(void)
{
	HANDLE h, h2, dir, sec;
	IO_STATUS_BLOCK iosb;
	NTSTATUS st;
	ULONG64 v;
	void *view = 0;
	SIZE_T size = 0;

	/* the program's own C:\Windows\System32\kernel32.dll, and a file only the drive has */
	open_name("\\??\\C:\\Windows", 1, 2, 1, &dir);
	NtClose(dir);
	open_name("\\??\\C:\\Windows\\System32", 1, 2, 1, &dir);
	NtClose(dir);
	st = open_name("\\??\\C:\\Windows\\System32\\mine.dll", 0x2, 2, 0x40, &h);
	check(st == 0, "a name that is not picovisor's is the drive's (created)", (ULONG64)st);
	NtWriteFile(h, 0, 0, 0, &iosb, "PLANTED!", 8, 0, 0);
	NtClose(h);

	st = open_name("\\??\\C:\\Windows\\System32\\KERNEL32.DLL", 0x1, 1, 0x40, &h);
	v = st ? 0 : first_bytes(h);
	check(st == 0 && (v & 0xffff) == 0x5a4d, "kernel32.dll opens (any case) and reads as a PE image", v);
	st = NtWriteFile(h, 0, 0, 0, &iosb, "XX", 2, 0, 0);
	check(st == (NTSTATUS)0xC0000022, "writing through the read handle: ACCESS_DENIED", (ULONG64)st);
	st = NtCreateSection(&sec, 0xf001f, 0, 0, 0x04 /* PAGE_READWRITE */, 0x8000000, h);
	check(st == (NTSTATUS)0xC0000022, "a writable section of it: ACCESS_DENIED", (ULONG64)st);
	st = NtCreateSection(&sec, 0xf001f, 0, 0, 0x08 /* PAGE_WRITECOPY */, 0x8000000, h);
	if (!st) {
		st = NtMapViewOfSection(sec, NtCurrentProcess(), &view, 0, 0, 0, &size, 1, 0, 0x08);
		if (!st)
			((volatile char *)view)[0] = 'X'; /* a private copy */
	}
	check(st == 0, "a copy-on-write view of it (private)", (ULONG64)st);
	NtClose(h);
	st = open_name("\\??\\C:\\Windows\\System32\\kernel32.dll", 0x1, 1, 0x40, &h2);
	v = st ? 0 : first_bytes(h2);
	check(st == 0 && (v & 0xffff) == 0x5a4d, "the next open still reads picovisor's image", v);
	NtClose(h2);

	st = open_name("\\??\\C:\\Windows\\System32\\kernel32.dll", 0x2, 1, 0x40, &h);
	check(st == (NTSTATUS)0xC0000022, "opening it for writing: ACCESS_DENIED", (ULONG64)st);
	st = open_name("\\??\\C:\\Windows\\System32\\kernel32.dll", 0x10000, 1, 0x40 | 0x1000, &h);
	check(st == (NTSTATUS)0xC0000022, "opening it for deletion (delete on close): ACCESS_DENIED", (ULONG64)st);
	st = open_name("\\??\\C:\\Windows\\System32\\kernel32.dll", 0x1, 2, 0x40, &h);
	check(st == (NTSTATUS)0xC0000035, "FILE_CREATE: OBJECT_NAME_COLLISION", (ULONG64)st);
	st = open_name("\\??\\C:\\Windows\\System32\\kernel32.dll", 0x1, 5, 0x40, &h);
	check(st == (NTSTATUS)0xC0000022, "FILE_OVERWRITE_IF: ACCESS_DENIED", (ULONG64)st);
	st = open_name("\\??\\C:\\Windows\\System32\\msvcrt.dll", 0x1, 1, 0x40, &h);
	check(st == 0 && (first_bytes(h) & 0xffff) == 0x5a4d, "msvcrt.dll is there too", (ULONG64)st);
	NtClose(h);
	st = open_name("\\??\\C:\\Windows\\System32\\mine.dll", 0x1, 1, 0x40, &h);
	v = st ? 0 : first_bytes(h);
	check(st == 0 && v == 0x214445544e414c50ULL, "the drive's own file in that directory reads as written", v);
	NtClose(h);
	done();
	return 0;
}
