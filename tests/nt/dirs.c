/*
 * Directory listings: NtQueryDirectoryFile(Ex) over a directory the test
 * makes (b.txt, a.txt, C.dat, sub), in each information class, with masks,
 * ReturnSingleEntry, RestartScan, and the end of the listing.
 */
#include "nt_test.h"

#define FILE_LIST_DIRECTORY 0x1
#define SYNCHRONIZE 0x100000
#define GENERIC_WRITE 0x40000000

static HANDLE open_dir(const char *name, int create)
{
	WCHAR buf[64];
	UNICODE_STRING u;
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK io;
	HANDLE h = 0;

	ustr(&u, buf, name);
	init_oa(&oa, &u, 0, OBJ_CASE_INSENSITIVE);
	NtCreateFile(&h, FILE_LIST_DIRECTORY | SYNCHRONIZE, &oa, &io, 0, 0, 7, create ? 2 : 1, 0x21, 0, 0);
	return h;
}

static void make_file(const char *name)
{
	WCHAR buf[64];
	UNICODE_STRING u;
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK io;
	HANDLE h;

	ustr(&u, buf, name);
	init_oa(&oa, &u, 0, 0);
	if (NtCreateFile(&h, GENERIC_WRITE | SYNCHRONIZE, &oa, &io, 0, 0, 0, 2, 0x60, 0, 0) == 0) {
		NtWriteFile(h, 0, 0, 0, &io, "12345", 5, 0, 0);
		NtClose(h);
	}
}

/* The names of a FILE_NAMES_INFORMATION / FILE_DIRECTORY_INFORMATION chain, comma-separated, into out. */
static void names(unsigned char *b, int name_at, int len_at, char *out)
{
	SIZE_T n = 0;
	for (;;) {
		ULONG next = *(ULONG *)b, len = *(ULONG *)(b + len_at) / 2;
		for (ULONG i = 0; i < len; i++)
			out[n++] = (char)*(WCHAR *)(b + name_at + 2 * i);
		if (!next)
			break;
		out[n++] = ',';
		b += next;
	}
	out[n] = 0;
}

static int eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

int mainCRTStartup(void)
{
	static unsigned char buf[4096];
	IO_STATUS_BLOCK io;
	char list[512];
	HANDLE d;
	NTSTATUS st;
	WCHAR mb[16];
	UNICODE_STRING mask;

	d = open_dir("\\??\\C:\\d", 1);
	check(d != 0, "create directory d", 0);
	make_file("\\??\\C:\\d\\b.txt");
	make_file("\\??\\C:\\d\\a.txt");
	make_file("\\??\\C:\\d\\C.dat");
	NtClose(open_dir("\\??\\C:\\d\\sub", 1));

	st = NtQueryDirectoryFile(d, 0, 0, 0, &io, buf, sizeof(buf), 12, 0, 0, 0);
	names(buf, 0xc, 8, list);
	check(st == 0 && eq(list, ".,..,a.txt,b.txt,C.dat,sub"), "FileNamesInformation: all, sorted ignoring case",
	      (ULONG)st);
	out("# ");
	out(list);
	out("\n");
	CHECK_STATUS(NtQueryDirectoryFile(d, 0, 0, 0, &io, buf, sizeof(buf), 12, 0, 0, 0), 0x80000006,
		     "the next call: NO_MORE_FILES");
	ustr(&mask, mb, "*.none");
	st = NtQueryDirectoryFile(d, 0, 0, 0, &io, buf, sizeof(buf), 12, 1, &mask, 1);
	check(st == 0, "RestartScan keeps the first call's mask (none: all entries)", (ULONG)st);
	NtClose(d);
	d = open_dir("\\??\\C:\\d", 0);
	ustr(&mask, mb, "*.TXT");
	st = NtQueryDirectoryFile(d, 0, 0, 0, &io, buf, sizeof(buf), 1, 0, &mask, 0);
	names(buf, 0x40, 0x3c, list);
	check(st == 0 && eq(list, "a.txt,b.txt"), "RestartScan with mask *.TXT: FileDirectoryInformation", (ULONG)st);
	check(*(LONGLONG *)(buf + 0x28) == 5 && (*(ULONG *)(buf + 0x38) & 0x20), "EndOfFile 5, ARCHIVE", *(ULONG *)(buf + 0x38));
	check(*(ULONG *)buf % 8 == 0, "NextEntryOffset aligned to 8", *(ULONG *)buf);
	NtClose(d);
	d = open_dir("\\??\\C:\\d", 0);
	ustr(&mask, mb, "?.dat");
	st = NtQueryDirectoryFile(d, 0, 0, 0, &io, buf, sizeof(buf), 3, 1, &mask, 0);
	names(buf, 0x5e, 0x3c, list);
	check(st == 0 && eq(list, "C.dat") && *(ULONG *)buf == 0, "ReturnSingleEntry, mask ?.dat, FileBothDirectoryInformation",
	      (ULONG)st);
	NtClose(d);
	d = open_dir("\\??\\C:\\d", 0);
	ustr(&mask, mb, "sub");
	st = NtQueryDirectoryFile(d, 0, 0, 0, &io, buf, sizeof(buf), 2, 1, &mask, 0);
	check(st == 0 && (*(ULONG *)(buf + 0x38) & 0x10), "FileFullDirectoryInformation: sub is a directory",
	      *(ULONG *)(buf + 0x38));
	NtClose(d);
	d = open_dir("\\??\\C:\\d", 0);
	ustr(&mask, mb, "*.none");
	CHECK_STATUS(NtQueryDirectoryFile(d, 0, 0, 0, &io, buf, sizeof(buf), 1, 0, &mask, 0), 0xC000000F,
		     "a mask nothing matches: NO_SUCH_FILE");
	CHECK_STATUS(NtQueryDirectoryFile(d, 0, 0, 0, &io, buf, 8, 1, 0, 0, 1), 0xC0000004,
		     "a buffer too small for one entry: INFO_LENGTH_MISMATCH");
	CHECK_STATUS(NtQueryDirectoryFile(d, 0, 0, 0, &io, buf, sizeof(buf), 99, 0, 0, 1), 0xC0000003,
		     "an unknown class: INVALID_INFO_CLASS");
	NtClose(d);
	done();
	return 0;
}
