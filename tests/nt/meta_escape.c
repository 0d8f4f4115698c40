/*
 * Hostile: FileBasicInformation (times, the read-only attribute) changes a
 * file's metadata, which Landlock does not cover. The runner plants
 * C:\dir2\a, a symlink to a file outside the policy's writable area.
 * 1. A handle's file is changed, never a name walked again: with a handle
 *    on C:\dir1\a, the program renames dir1 away and dir2 in its place, so
 *    the name now leads through the symlink; setting the handle's times
 *    must change the file it holds (checked), not the outside one (the
 *    runner checks); renaming the handle renames that file where it is,
 *    not the symlink its old name now leads to; a handle on C:\dir1\inner
 *    lists that directory, and names relative to it are found there, not in
 *    the outside one dir2\inner (a symlink) leads to.
 * 2. With "policy": the outside file, not reached through the symlink
 *    (never followed) but as D:\victim (D: maps the outside directory,
 *    which the policy lets the program read), cannot have its times or mode changed:
 *    the policy's write rule applies (ACCESS_DENIED), as to fchmod/utimensat.
 */
#include "nt_test.h"

#define FILE_LIST_DIRECTORY 0x1
#define FILE_READ_ATTRIBUTES 0x80
#define FILE_WRITE_ATTRIBUTES 0x100
#define DELETE 0x10000
#define SYNCHRONIZE 0x100000
#define T_2011 ((1300000000ULL + 11644473600ULL) * 10000000ULL)

static NTSTATUS open_name(HANDLE *h, const char *name, ULONG access, ULONG disposition, ULONG options)
{
	WCHAR buf[64];
	UNICODE_STRING u;
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK io;

	ustr(&u, buf, name);
	init_oa(&oa, &u, 0, 0);
	return NtCreateFile(h, access | SYNCHRONIZE, &oa, &io, 0, 0, 7, disposition, 0x20 | options, 0, 0);
}

static NTSTATUS rename_bare(HANDLE h, const char *name)
{
	static unsigned char info[0x14 + 64];
	IO_STATUS_BLOCK io;
	ULONG n = (ULONG)slen(name);

	memset(info, 0, sizeof(info));
	*(ULONG *)(info + 0x10) = n * 2;
	for (ULONG i = 0; i < n; i++)
		*(WCHAR *)(info + 0x14 + 2 * i) = (WCHAR)name[i];
	return NtSetInformationFile(h, &io, info, 0x14 + n * 2, 10);
}

static NTSTATUS set_basic(HANDLE h)
{
	unsigned char b[0x28];
	IO_STATUS_BLOCK io;

	memset(b, 0, sizeof(b));
	*(ULONG64 *)(b + 0x10) = T_2011; /* LastWriteTime */
	*(ULONG *)(b + 0x20) = 0x1;      /* FILE_ATTRIBUTE_READONLY */
	return NtSetInformationFile(h, &io, b, sizeof(b), 4);
}

static int has_arg(const char *word)
{
	UNICODE_STRING *cmd = (UNICODE_STRING *)((char *)params() + 0x70);
	int k = (int)slen(word);

	for (int i = 0; i + k <= cmd->Length / 2; i++) {
		int j = 0;
		while (j < k && cmd->Buffer[i + j] == (WCHAR)word[j])
			j++;
		if (j == k)
			return 1;
	}
	return 0;
}

/* Does a FILE_NAMES_INFORMATION chain name this (ASCII) file? */
static int listed(unsigned char *b, const char *want)
{
	for (;;) {
		ULONG next = *(ULONG *)b, len = *(ULONG *)(b + 8) / 2, k = (ULONG)slen(want), i = 0;
		while (i < len && i < k && *(WCHAR *)(b + 0xc + 2 * i) == (WCHAR)want[i])
			i++;
		if (i == k && len == k)
			return 1;
		if (!next)
			return 0;
		b += next;
	}
}

int mainCRTStartup(void)
{
	HANDLE h, d1, d2, outside, tmp, list;
	static unsigned char names[4096];
	unsigned char b[0x28];
	IO_STATUS_BLOCK io;
	NTSTATUS st;

	if (open_name(&tmp, "\\??\\C:\\dir1", FILE_LIST_DIRECTORY, 2, 1) || (NtClose(tmp), 0) ||
	    open_name(&list, "\\??\\C:\\dir1\\inner", FILE_LIST_DIRECTORY, 2, 1) ||
	    open_name(&h, "\\??\\C:\\dir1\\a", FILE_WRITE_ATTRIBUTES | FILE_READ_ATTRIBUTES | DELETE, 2, 0x40) ||
	    open_name(&d1, "\\??\\C:\\dir1", DELETE, 1, 1) || open_name(&d2, "\\??\\C:\\dir2", DELETE, 1, 1)) {
		out("# cannot test: the directories\n");
		NtTerminateProcess(NtCurrentProcess(), 2);
	}
	CHECK_STATUS(rename_bare(d1, "dir1-old"), 0, "dir1 renamed away, its file's handle open");
	CHECK_STATUS(rename_bare(d2, "dir1"), 0, "dir2 (with the symlink a) renamed to dir1");
	CHECK_STATUS(set_basic(h), 0, "FileBasicInformation on the handle");
	st = NtQueryInformationFile(h, &io, b, sizeof(b), 4);
	check(st == 0 && *(ULONG64 *)(b + 0x10) / 10000000 == T_2011 / 10000000 && (*(ULONG *)(b + 0x20) & 1),
	      "the handle's own file has the new time and is read-only", *(ULONG64 *)(b + 0x10));
	/* the directory handle lists the (empty) directory it holds, not the outside one its old name leads to */
	st = NtQueryDirectoryFile(list, 0, 0, 0, &io, names, sizeof(names), 12, 0, 0, 1);
	check(st == 0 && !listed(names, "victim"), "a directory handle lists its own directory", (ULONG)st);
	{
		WCHAR rb[16];
		UNICODE_STRING ru;
		OBJECT_ATTRIBUTES roa;

		ustr(&ru, rb, "rel.txt");
		init_oa(&roa, &ru, list, 0);
		st = NtCreateFile(&tmp, 0x40000000 | SYNCHRONIZE, &roa, &io, 0, 0, 7, 2, 0x60, 0, 0);
		check(st == 0, "a file created relative to the directory handle", (ULONG)st);
		NtClose(tmp);
		CHECK_STATUS(open_name(&tmp, "\\??\\C:\\dir1-old\\inner\\rel.txt", FILE_READ_ATTRIBUTES, 1, 0x40), 0,
			     "it is in the directory the handle holds");
		NtClose(tmp);
	}
	NtClose(list);
	CHECK_STATUS(rename_bare(h, "renamed"), 0, "the handle's file renamed by a bare name");
	NtClose(h);
	CHECK_STATUS(open_name(&tmp, "\\??\\C:\\dir1-old\\renamed", FILE_READ_ATTRIBUTES, 1, 0x40), 0,
		     "it is renamed where it is (dir1-old), not where its old name leads");
	NtClose(tmp);
	if (has_arg("policy")) {
		CHECK_STATUS(open_name(&outside, "\\??\\C:\\dir1\\a", FILE_READ_ATTRIBUTES, 1, 0x40), 0xC0000022,
			     "the outside file through the symlink: not opened (symlinks are never followed)");
		st = open_name(&outside, "\\??\\D:\\victim", FILE_WRITE_ATTRIBUTES | FILE_READ_ATTRIBUTES, 1, 0x40);
		check(st == 0, "the outside file opened as D:\\victim (the policy lets it be read)", (ULONG)st);
		CHECK_STATUS(set_basic(outside), 0xC0000022, "its times and mode changed: ACCESS_DENIED by the policy");
	}
	done();
	return 0;
}
