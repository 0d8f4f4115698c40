/*
 * Hostile: a section is no way around a file handle's access. The runner
 * puts appendonly.txt, secret.txt and cow.txt ("ORIGINAL") in C: and checks
 * afterwards that none changed.
 * 1. A READ|APPEND handle (no FILE_WRITE_DATA): a PAGE_READWRITE section is
 *    ACCESS_DENIED; a PAGE_READONLY one is made, but a read-write view of it
 *    is STATUS_SECTION_PROTECTION, and so is making that view writable with
 *    NtProtectVirtualMemory; WRITECOPY on it is refused (it is shared).
 * 2. A READ_ATTRIBUTES-only handle: not even a PAGE_READONLY section.
 * 3. A READ|WRITE handle, PAGE_WRITECOPY section: a read-write view is
 *    STATUS_SECTION_PROTECTION; a WRITECOPY view is private: written (also
 *    after NtProtectVirtualMemory to PAGE_READWRITE), the file is not.
 */
#include "nt_test.h"

NTSTATUS NTAPI NtCreateSection(HANDLE *, ULONG, OBJECT_ATTRIBUTES *, LARGE_INTEGER *, ULONG, ULONG, HANDLE);
NTSTATUS NTAPI NtMapViewOfSection(HANDLE, HANDLE, void **, ULONG64, SIZE_T, LARGE_INTEGER *, SIZE_T *, ULONG, ULONG,
				  ULONG);

#define FILE_READ_DATA 0x1
#define FILE_WRITE_DATA 0x2
#define FILE_APPEND_DATA 0x4
#define FILE_READ_ATTRIBUTES 0x80
#define SYNCHRONIZE 0x100000
#define ACCESS_DENIED 0xC0000022
#define SECTION_PROTECTION 0xC000004E
#define INVALID_PAGE_PROTECTION 0xC0000045

static NTSTATUS open_name(HANDLE *h, const char *name, ULONG access)
{
	WCHAR buf[64];
	UNICODE_STRING u;
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK io;

	ustr(&u, buf, name);
	init_oa(&oa, &u, 0, 0);
	return NtCreateFile(h, access | SYNCHRONIZE, &oa, &io, 0, 0, 7, 1, 0x20 | 0x40, 0, 0);
}

static NTSTATUS section(HANDLE *s, ULONG protect, HANDLE file)
{
	return NtCreateSection(s, 0xf001f, 0, 0, protect, 0x8000000, file);
}

static NTSTATUS view(HANDLE s, void **base, ULONG protect)
{
	SIZE_T size = 0;

	*base = 0;
	return NtMapViewOfSection(s, NtCurrentProcess(), base, 0, 0, 0, &size, 1, 0, protect);
}

static NTSTATUS protect(void *base, ULONG prot)
{
	SIZE_T size = 4096;
	ULONG old;

	return NtProtectVirtualMemory(NtCurrentProcess(), &base, &size, prot, &old);
}

int mainCRTStartup(void)
{
	HANDLE app, attrs, rw, s;
	void *v;
	NTSTATUS st;

	if (open_name(&app, "\\??\\C:\\appendonly.txt", FILE_READ_DATA | FILE_APPEND_DATA) ||
	    open_name(&attrs, "\\??\\C:\\secret.txt", FILE_READ_ATTRIBUTES) ||
	    open_name(&rw, "\\??\\C:\\cow.txt", FILE_READ_DATA | FILE_WRITE_DATA)) {
		out("cannot test: the files were not opened\n");
		NtTerminateProcess(NtCurrentProcess(), 2);
	}

	CHECK_STATUS(section(&s, 0x04, app), ACCESS_DENIED, "append-only handle: PAGE_READWRITE section refused");
	CHECK_STATUS(section(&s, 0x40, app), ACCESS_DENIED, "append-only handle: PAGE_EXECUTE_READWRITE refused");
	st = section(&s, 0x02, app);
	check(st == 0, "append-only handle: PAGE_READONLY section made (FILE_READ_DATA)", (ULONG)st);
	if (!st) {
		CHECK_STATUS(view(s, &v, 0x04), SECTION_PROTECTION, "its read-write view: beyond the section");
		CHECK_STATUS(view(s, &v, 0x08), SECTION_PROTECTION, "its WRITECOPY view: beyond a read-only section");
		st = view(s, &v, 0x02);
		check(st == 0, "its read-only view mapped", (ULONG)st);
		if (!st) {
			CHECK_STATUS(protect(v, 0x04), SECTION_PROTECTION, "the view made read-write: refused");
			CHECK_STATUS(protect(v, 0x40), SECTION_PROTECTION, "the view made EXECUTE_READWRITE: refused");
			CHECK_STATUS(protect(v, 0x08), INVALID_PAGE_PROTECTION, "the shared view made WRITECOPY: refused");
			check(((char *)v)[0] == 'O', "the view reads the file", (unsigned char)((char *)v)[0]);
		}
	}

	CHECK_STATUS(section(&s, 0x02, attrs), ACCESS_DENIED, "READ_ATTRIBUTES-only handle: PAGE_READONLY refused");
	CHECK_STATUS(section(&s, 0x20, attrs), ACCESS_DENIED, "READ_ATTRIBUTES-only handle: PAGE_EXECUTE_READ refused");

	st = section(&s, 0x08, rw);
	check(st == 0, "read-write handle: PAGE_WRITECOPY section made", (ULONG)st);
	if (!st) {
		CHECK_STATUS(view(s, &v, 0x04), SECTION_PROTECTION, "its read-write (shared) view: beyond the section");
		st = view(s, &v, 0x08);
		check(st == 0, "its WRITECOPY view mapped", (ULONG)st);
		if (!st) {
			char *p = v;
			p[0] = 'C', p[1] = 'O', p[2] = 'W';
			check(p[0] == 'C', "the WRITECOPY view written (its own copy)", (unsigned char)p[0]);
			CHECK_STATUS(protect(v, 0x04), 0, "the private view made read-write");
			p[4096 - 1] = 'Z';
		}
		{
			char b[8] = { 0 };
			IO_STATUS_BLOCK io;
			LARGE_INTEGER off = { 0 };

			st = NtReadFile(rw, 0, 0, 0, &io, b, 8, &off, 0);
			check(st == 0 && b[0] == 'O' && b[1] == 'R', "the file itself unchanged", (unsigned char)b[0]);
		}
	}
	done();
	return 0;
}
