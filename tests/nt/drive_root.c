/*
 * Hostile: a drive's root (and any directory above another drive's root) is
 * not an object the program may move or remove. The runner maps empty
 * directories as D: (renamed by a bare name), E: (NtDeleteFile), F:
 * (FileDispositionInformation), G: (FILE_DELETE_ON_CLOSE), J: (replaced by
 * a rename onto it), and H: with I: inside it (H:\inner is I:'s root), then
 * checks that every one of them is still there.
 */
#include "nt_test.h"

#define FILE_LIST_DIRECTORY 0x1
#define DELETE 0x10000
#define SYNCHRONIZE 0x100000

static NTSTATUS open_dir(HANDLE *h, const char *name, ULONG options)
{
	WCHAR buf[64];
	UNICODE_STRING u;
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK io;

	ustr(&u, buf, name);
	init_oa(&oa, &u, 0, OBJ_CASE_INSENSITIVE);
	return NtOpenFile(h, FILE_LIST_DIRECTORY | DELETE | SYNCHRONIZE, &oa, &io, 7, 0x21 | options);
}

/* FILE_RENAME_INFORMATION with name (ASCII), no RootDirectory. */
static NTSTATUS rename_to(HANDLE h, const char *name, int replace)
{
	static unsigned char info[0x14 + 128];
	IO_STATUS_BLOCK io;
	ULONG n = (ULONG)slen(name);

	memset(info, 0, sizeof(info));
	info[0] = (unsigned char)replace;
	*(ULONG *)(info + 0x10) = n * 2;
	for (ULONG i = 0; i < n; i++)
		*(WCHAR *)(info + 0x14 + 2 * i) = (WCHAR)name[i];
	return NtSetInformationFile(h, &io, info, 0x14 + n * 2, 10 /* FileRenameInformation */);
}

static NTSTATUS delete_by_name(const char *name)
{
	WCHAR buf[64];
	UNICODE_STRING u;
	OBJECT_ATTRIBUTES oa;

	ustr(&u, buf, name);
	init_oa(&oa, &u, 0, OBJ_CASE_INSENSITIVE);
	return NtDeleteFile(&oa);
}

int mainCRTStartup(void)
{
	HANDLE h;
	IO_STATUS_BLOCK io;
	unsigned char yes = 1;
	NTSTATUS st;

	st = open_dir(&h, "\\??\\D:\\", 0);
	check(st == 0, "open D:\\ with DELETE access", (ULONG)st);
	CHECK_STATUS(rename_to(h, "moved-d", 0), 0xC0000022, "rename D:\\ by a bare name: ACCESS_DENIED");
	NtClose(h);

	CHECK_STATUS(delete_by_name("\\??\\E:\\"), 0xC0000121, "NtDeleteFile of E:\\: CANNOT_DELETE");

	st = open_dir(&h, "\\??\\F:\\", 0);
	check(st == 0, "open F:\\ with DELETE access", (ULONG)st);
	CHECK_STATUS(NtSetInformationFile(h, &io, &yes, 1, 13 /* FileDispositionInformation */), 0xC0000121,
		     "FileDispositionInformation on F:\\: CANNOT_DELETE");
	NtClose(h);

	CHECK_STATUS(open_dir(&h, "\\??\\G:\\", 0x1000 /* FILE_DELETE_ON_CLOSE */), 0xC0000121,
		     "opening G:\\ delete-on-close: CANNOT_DELETE");

	st = open_dir(&h, "\\??\\H:\\inner", 0);
	check(st == 0, "open H:\\inner (I:'s root) with DELETE access", (ULONG)st);
	CHECK_STATUS(rename_to(h, "moved-i", 0), 0xC0000022, "rename another drive's root: ACCESS_DENIED");
	CHECK_STATUS(NtSetInformationFile(h, &io, &yes, 1, 13), 0xC0000121, "mark it for deletion: CANNOT_DELETE");
	NtClose(h);
	CHECK_STATUS(delete_by_name("\\??\\H:\\inner"), 0xC0000121, "NtDeleteFile of it: CANNOT_DELETE");

	/* an empty directory renamed onto J:\, replacing it */
	{
		WCHAR buf[64];
		UNICODE_STRING u;
		OBJECT_ATTRIBUTES oa;

		ustr(&u, buf, "\\??\\C:\\victim");
		init_oa(&oa, &u, 0, 0);
		st = NtCreateFile(&h, FILE_LIST_DIRECTORY | DELETE | SYNCHRONIZE, &oa, &io, 0, 0, 7, 2, 0x21, 0, 0);
		check(st == 0, "create C:\\victim", (ULONG)st);
		CHECK_STATUS(rename_to(h, "\\??\\J:\\", 1), 0xC0000022, "rename onto J:\\ replacing it: ACCESS_DENIED");
		NtClose(h);
	}
	check(open_dir(&h, "\\??\\D:\\", 0) == 0, "D:\\ is still there", 0);
	done();
	return 0;
}
