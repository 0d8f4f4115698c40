/* Sections: pagefile-backed and file-backed, views mapped, shared between views, unmapped. */
#include "nt_test.h"

NTSTATUS NTAPI NtCreateSection(HANDLE *, ULONG, OBJECT_ATTRIBUTES *, LARGE_INTEGER *, ULONG, ULONG, HANDLE);
NTSTATUS NTAPI NtMapViewOfSection(HANDLE, HANDLE, void **, ULONG64, SIZE_T, LARGE_INTEGER *, SIZE_T *, ULONG, ULONG,
				  ULONG);
NTSTATUS NTAPI NtUnmapViewOfSection(HANDLE, void *);

int mainCRTStartup(void)
{
	HANDLE s, f;
	LARGE_INTEGER size;
	void *v1 = 0, *v2 = 0;
	SIZE_T vs = 0;
	NTSTATUS st;
	IO_STATUS_BLOCK io;
	WCHAR nb[32];
	UNICODE_STRING u;
	OBJECT_ATTRIBUTES oa;
	char buf[8];

	size.QuadPart = 65536;
	CHECK_STATUS(NtCreateSection(&s, 0xf001f, 0, &size, 0x04, 0x8000000, 0), 0, "pagefile-backed section of 64 KiB");
	st = NtMapViewOfSection(s, NtCurrentProcess(), &v1, 0, 0, 0, &vs, 1, 0, 0x04);
	check(st == 0 && v1 && vs == 65536, "map a view of all of it", vs);
	vs = 0;
	NtMapViewOfSection(s, NtCurrentProcess(), &v2, 0, 0, 0, &vs, 1, 0, 0x04);
	((char *)v1)[100] = 'x';
	check(v2 != v1 && ((char *)v2)[100] == 'x', "a second view shares the memory", 0);
	CHECK_STATUS(NtUnmapViewOfSection(NtCurrentProcess(), v1), 0, "unmap the first view");
	CHECK_STATUS(NtUnmapViewOfSection(NtCurrentProcess(), v1), 0xC0000019, "unmap it again: NOT_MAPPED_VIEW");
	NtClose(s);
	check(((char *)v2)[100] == 'x', "the view outlives the section handle", 0);
	NtUnmapViewOfSection(NtCurrentProcess(), v2);

	ustr(&u, nb, "\\??\\C:\\sec.bin");
	init_oa(&oa, &u, 0, 0);
	NtCreateFile(&f, 0xC0000000 | 0x100000, &oa, &io, 0, 0, 0, 2, 0x20, 0, 0);
	NtWriteFile(f, 0, 0, 0, &io, "file data", 9, 0, 0);
	CHECK_STATUS(NtCreateSection(&s, 0xf001f, 0, 0, 0x02, 0x8000000, f), 0, "file-backed section, read-only");
	NtClose(f);
	v1 = 0;
	vs = 0;
	st = NtMapViewOfSection(s, NtCurrentProcess(), &v1, 0, 0, 0, &vs, 1, 0, 0x02);
	check(st == 0 && ((char *)v1)[5] == 'd', "its view shows the file's bytes", (ULONG)st);
	size.QuadPart = 4096;
	v2 = 0;
	CHECK_STATUS(NtMapViewOfSection(s, NtCurrentProcess(), &v2, 0, 0, &size, &vs, 1, 0, 0x02), 0xC0000220,
		     "a view at an offset off the 64 KiB granularity: MAPPED_ALIGNMENT");
	NtUnmapViewOfSection(NtCurrentProcess(), v1);
	NtClose(s);
	(void)buf;
	done();
	return 0;
}
