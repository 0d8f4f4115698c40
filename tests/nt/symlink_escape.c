/*
 * Hostile: a symlink planted in a drive must not lead out of it. The runner
 * makes C:\esc a symlink to a directory outside every drive (holding
 * secret.txt and victim), C:\in a symlink to C:\sub (inside), C:\move.txt,
 * and C:\sw a directory that a thread of the runner keeps swapping with a
 * symlink to the outside directory.
 * 1. Every NT name through a symlink is refused, whether it leads out or
 *    stays in (docs/nt.md, "Paths and drives"): reading, creating files and
 *    directories, deleting, renaming into it, a name relative to a handle.
 * 2. The race: names under C:\sw are created, made directories, renamed
 *    into and deleted many times while C:\sw changes; the runner checks
 *    that nothing appeared in or vanished from the outside directory.
 */
#include "nt_test.h"

#define FILE_READ_DATA 0x1
#define FILE_WRITE_DATA 0x2
#define DELETE 0x10000
#define SYNCHRONIZE 0x100000
#define ACCESS_DENIED 0xC0000022

static NTSTATUS open_rel(HANDLE *h, HANDLE root, const char *name, ULONG access, ULONG disposition, ULONG options)
{
	WCHAR buf[128];
	UNICODE_STRING u;
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK io;

	ustr(&u, buf, name);
	init_oa(&oa, &u, root, OBJ_CASE_INSENSITIVE);
	return NtCreateFile(h, access | SYNCHRONIZE, &oa, &io, 0, 0, 7, disposition, 0x20 | options, 0, 0);
}

static NTSTATUS open_name(HANDLE *h, const char *name, ULONG access, ULONG disposition, ULONG options)
{
	return open_rel(h, 0, name, access, disposition, options);
}

static NTSTATUS delete_name(const char *name)
{
	WCHAR buf[128];
	UNICODE_STRING u;
	OBJECT_ATTRIBUTES oa;

	ustr(&u, buf, name);
	init_oa(&oa, &u, 0, OBJ_CASE_INSENSITIVE);
	return NtDeleteFile(&oa);
}

static NTSTATUS rename_to(HANDLE h, const char *full)
{
	static unsigned char info[0x14 + 256];
	IO_STATUS_BLOCK io;
	ULONG n = (ULONG)slen(full);

	memset(info, 0, sizeof(info));
	*(ULONG *)(info + 0x10) = n * 2;
	for (ULONG i = 0; i < n; i++)
		*(WCHAR *)(info + 0x14 + 2 * i) = (WCHAR)full[i];
	return NtSetInformationFile(h, &io, info, 0x14 + n * 2, 10);
}

/* "\\??\\C:\\sw\\r" followed by the number i. */
static const char *numbered(char *buf, const char *prefix, unsigned i)
{
	SIZE_T n = slen(prefix);
	char digits[12];
	int k = 0;

	memcpy(buf, prefix, n);
	do
		digits[k++] = (char)('0' + i % 10);
	while (i /= 10);
	while (k)
		buf[n++] = digits[--k];
	buf[n] = 0;
	return buf;
}

int mainCRTStartup(void)
{
	HANDLE h, mv, dir;
	NTSTATUS st;
	char name[64];
	unsigned made = 0;

	st = open_name(&mv, "\\??\\C:\\move.txt", DELETE, 1, 0x40);
	if (st) {
		out("cannot test: C:\\move.txt not opened\n");
		NtTerminateProcess(NtCurrentProcess(), 2);
	}
	CHECK_STATUS(open_name(&h, "\\??\\C:\\esc\\secret.txt", FILE_READ_DATA, 1, 0x40), ACCESS_DENIED,
		     "a file through a symlink leading out: not opened");
	CHECK_STATUS(open_name(&h, "\\??\\C:\\ESC\\SECRET.TXT", FILE_READ_DATA, 1, 0x40), ACCESS_DENIED,
		     "the same, case-insensitively");
	CHECK_STATUS(open_name(&h, "\\??\\C:\\esc\\made", FILE_WRITE_DATA, 2, 0x40), ACCESS_DENIED,
		     "a file created through it: refused");
	CHECK_STATUS(open_name(&h, "\\??\\C:\\esc\\madedir", FILE_READ_DATA, 2, 1), ACCESS_DENIED,
		     "a directory created through it: refused");
	CHECK_STATUS(delete_name("\\??\\C:\\esc\\victim"), ACCESS_DENIED, "a file deleted through it: refused");
	CHECK_STATUS(open_name(&h, "\\??\\C:\\esc", FILE_READ_DATA, 1, 1), ACCESS_DENIED,
		     "the symlink itself opened as a directory: refused");
	CHECK_STATUS(rename_to(mv, "\\??\\C:\\esc\\moved"), ACCESS_DENIED, "a file renamed through it: refused");
	CHECK_STATUS(open_name(&h, "\\??\\C:\\in\\inside.txt", FILE_READ_DATA, 1, 0x40), ACCESS_DENIED,
		     "a symlink that stays inside the drive: not followed either");
	st = open_name(&dir, "\\??\\C:\\sub", FILE_READ_DATA, 1, 1);
	check(st == 0, "C:\\sub opened", (ULONG)st);
	if (!st)
		CHECK_STATUS(open_rel(&h, dir, "link\\secret.txt", FILE_READ_DATA, 1, 0x40), ACCESS_DENIED,
			     "a name relative to a handle, through a symlink: refused");

	/* The race: each call resolves C:\sw while it is a directory, then the thread's call walks it again. */
	for (unsigned i = 0; i < 1000; i++) {
		st = open_name(&h, numbered(name, "\\??\\C:\\sw\\r", i), FILE_WRITE_DATA | DELETE, 2, 0x40);
		if (!st) {
			made++;
			if (i % 3 == 0)
				rename_to(h, numbered(name, "\\??\\C:\\sw\\m", i));
			NtClose(h);
		}
		if (!open_name(&h, numbered(name, "\\??\\C:\\sw\\d", i), FILE_READ_DATA, 2, 1))
			NtClose(h);
		delete_name("\\??\\C:\\sw\\victim");
		if (!open_name(&h, "\\??\\C:\\sw\\secret.txt", FILE_READ_DATA, 1, 0x40)) {
			unsigned char b[8] = { 0 };
			IO_STATUS_BLOCK io;
			LARGE_INTEGER off = { 0 };

			NtReadFile(h, 0, 0, 0, &io, b, 6, &off, 0);
			if (b[0] == 'S' && b[1] == 'E' && b[2] == 'C')
				out("READ-OUTSIDE-SECRET\n");
			NtClose(h);
		}
	}
	check(made > 0, "files were made under C:\\sw while it was a directory (the race ran)", made);
	done();
	return 0;
}
