/*
 * NT file services against the files of drive C: (the directory the test
 * runs in, empty at the start): create dispositions, directory options,
 * reads and writes with ByteOffset, append and end of file, information
 * classes, rename, delete, share modes, names and their errors.
 */
#include "nt_test.h"

#define FILE_READ_DATA 0x1
#define FILE_WRITE_DATA 0x2
#define FILE_APPEND_DATA 0x4
#define FILE_READ_ATTRIBUTES 0x80
#define DELETE 0x10000
#define SYNCHRONIZE 0x100000
#define GENERIC_READ 0x80000000
#define GENERIC_WRITE 0x40000000
#define FILE_SHARE_READ 1
#define FILE_SHARE_WRITE 2
#define FILE_SHARE_DELETE 4
#define FILE_SUPERSEDE 0
#define FILE_OPEN 1
#define FILE_CREATE 2
#define FILE_OPEN_IF 3
#define FILE_OVERWRITE 4
#define FILE_OVERWRITE_IF 5
#define FILE_DIRECTORY_FILE 0x1
#define FILE_SYNCHRONOUS_IO_NONALERT 0x20
#define FILE_NON_DIRECTORY_FILE 0x40
#define FILE_DELETE_ON_CLOSE 0x1000

static NTSTATUS create(HANDLE *h, const char *name, ULONG access, ULONG share, ULONG disp, ULONG opts,
		       IO_STATUS_BLOCK *io)
{
	WCHAR buf[260];
	UNICODE_STRING u;
	OBJECT_ATTRIBUTES oa;

	ustr(&u, buf, name);
	init_oa(&oa, &u, 0, OBJ_CASE_INSENSITIVE);
	return NtCreateFile(h, access | SYNCHRONIZE, &oa, io, 0, 0x80, share, disp, opts | FILE_SYNCHRONOUS_IO_NONALERT,
			    0, 0);
}

static int same(const char *a, const char *b, SIZE_T n)
{
	for (SIZE_T i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

int mainCRTStartup(void)
{
	IO_STATUS_BLOCK io;
	HANDLE h, h2, d;
	char buf[64];
	LARGE_INTEGER off;
	NTSTATUS st;
	unsigned char info[512];

	/* dispositions */
	st = create(&h, "\\??\\C:\\a.txt", GENERIC_READ | GENERIC_WRITE, 0, FILE_CREATE, FILE_NON_DIRECTORY_FILE, &io);
	check(st == 0 && io.Information == 2, "FILE_CREATE makes a new file (FILE_CREATED)", (ULONG)st);
	CHECK_STATUS(NtWriteFile(h, 0, 0, 0, &io, "hello world", 11, 0, 0), 0, "write 11 bytes");
	check(io.Information == 11, "IO_STATUS_BLOCK counts the bytes written", io.Information);
	NtClose(h);
	CHECK_STATUS(create(&h, "\\??\\C:\\a.txt", GENERIC_READ, 0, FILE_CREATE, 0, &io), 0xC0000035,
		     "FILE_CREATE on an existing file: OBJECT_NAME_COLLISION");
	CHECK_STATUS(create(&h, "\\??\\C:\\missing.txt", GENERIC_READ, 0, FILE_OPEN, 0, &io), 0xC0000034,
		     "FILE_OPEN of a missing file: OBJECT_NAME_NOT_FOUND");
	CHECK_STATUS(create(&h, "\\??\\C:\\nodir\\x.txt", GENERIC_READ, 0, FILE_OPEN_IF, 0, &io), 0xC000003A,
		     "missing directory on the way: OBJECT_PATH_NOT_FOUND");
	CHECK_STATUS(create(&h, "\\??\\C:\\missing.txt", GENERIC_READ, 0, FILE_OVERWRITE, 0, &io), 0xC0000034,
		     "FILE_OVERWRITE of a missing file: OBJECT_NAME_NOT_FOUND");

	/* read back, with ByteOffset */
	st = create(&h, "\\??\\C:\\A.TXT", GENERIC_READ, FILE_SHARE_READ, FILE_OPEN, 0, &io);
	check(st == 0 && io.Information == 1, "case-insensitive open finds a.txt (FILE_OPENED)", (ULONG)st);
	st = NtReadFile(h, 0, 0, 0, &io, buf, 5, 0, 0);
	check(st == 0 && io.Information == 5 && same(buf, "hello", 5), "read 5 bytes from the start", io.Information);
	off.QuadPart = 6;
	st = NtReadFile(h, 0, 0, 0, &io, buf, 64, &off, 0);
	check(st == 0 && io.Information == 5 && same(buf, "world", 5), "read at ByteOffset 6", io.Information);
	CHECK_STATUS(NtReadFile(h, 0, 0, 0, &io, buf, 64, 0, 0), 0xC0000011, "read at the end: END_OF_FILE");
	CHECK_STATUS(NtWriteFile(h, 0, 0, 0, &io, "x", 1, 0, 0), 0xC0000022,
		     "write on a handle opened for reading: ACCESS_DENIED");
	st = NtQueryInformationFile(h, &io, info, 8, 14);
	check(st == 0 && *(LONGLONG *)info == 11, "FilePositionInformation after reading to the end", *(LONGLONG *)info);
	st = NtQueryInformationFile(h, &io, info, 0x18, 5);
	check(st == 0 && *(LONGLONG *)(info + 8) == 11 && info[0x15] == 0, "FileStandardInformation: EndOfFile 11",
	      *(LONGLONG *)(info + 8));
	CHECK_STATUS(NtQueryInformationFile(h, &io, info, 0x10, 5), 0xC0000004,
		     "FileStandardInformation in a short buffer: INFO_LENGTH_MISMATCH");
	st = NtQueryInformationFile(h, &io, info, sizeof(info), 9);
	check(st == 0 && *(ULONG *)info == 12 && *(WCHAR *)(info + 4) == '\\' && *(WCHAR *)(info + 6) == 'a',
	      "FileNameInformation: \\a.txt with the file's own case", *(ULONG *)info);
	st = NtQueryInformationFile(h, &io, info, 0x38, 34);
	check(st == 0 && *(LONGLONG *)(info + 0x28) == 11 && (*(ULONG *)(info + 0x30) & 0x20),
	      "FileNetworkOpenInformation: size and ARCHIVE", *(ULONG *)(info + 0x30));
	st = NtQueryInformationFile(h, &io, info, sizeof(info), 18);
	check(st == 0 && *(LONGLONG *)(info + 0x30) == 11 && *(ULONG *)(info + 0x60) == 12,
	      "FileAllInformation: standard part and name", (ULONG)st);
	CHECK_STATUS(NtQueryInformationFile(h, &io, info, sizeof(info), 200), 0xC0000003,
		     "an unknown class: INVALID_INFO_CLASS");

	/* share modes between handles of the run */
	CHECK_STATUS(create(&h2, "\\??\\C:\\a.txt", GENERIC_WRITE, FILE_SHARE_READ, FILE_OPEN, 0, &io), 0xC0000043,
		     "write open while a reader does not share write: SHARING_VIOLATION");
	st = create(&h2, "\\??\\C:\\a.txt", GENERIC_READ, FILE_SHARE_READ, FILE_OPEN, 0, &io);
	check(st == 0, "a second reader sharing read opens", (ULONG)st);
	NtClose(h2);
	NtClose(h);

	/* append and write to end of file */
	st = create(&h, "\\??\\C:\\a.txt", FILE_APPEND_DATA, FILE_SHARE_READ, FILE_OPEN, 0, &io);
	check(st == 0, "open for FILE_APPEND_DATA only", (ULONG)st);
	off.QuadPart = 0;
	CHECK_STATUS(NtWriteFile(h, 0, 0, 0, &io, "!", 1, &off, 0), 0, "append-only write (offset ignored)");
	NtClose(h);
	st = create(&h, "\\??\\C:\\a.txt", GENERIC_READ | GENERIC_WRITE, 0, FILE_OPEN, 0, &io);
	off.LowPart = 0xffffffff;
	off.HighPart = -1;
	CHECK_STATUS(NtWriteFile(h, 0, 0, 0, &io, "?", 1, &off, 0), 0, "write at FILE_WRITE_TO_END_OF_FILE");
	off.QuadPart = 0;
	st = NtReadFile(h, 0, 0, 0, &io, buf, 64, &off, 0);
	check(st == 0 && io.Information == 13 && same(buf, "hello world!?", 13), "both landed at the end",
	      io.Information);
	/* set information: end of file, position */
	*(LONGLONG *)info = 5;
	CHECK_STATUS(NtSetInformationFile(h, &io, info, 8, 20), 0, "FileEndOfFileInformation truncates to 5");
	*(LONGLONG *)info = 1;
	CHECK_STATUS(NtSetInformationFile(h, &io, info, 8, 14), 0, "FilePositionInformation to 1");
	st = NtReadFile(h, 0, 0, 0, &io, buf, 64, 0, 0);
	check(st == 0 && io.Information == 4 && same(buf, "ello", 4), "read from position 1 to the new end",
	      io.Information);
	CHECK_STATUS(NtFlushBuffersFile(h, &io), 0, "NtFlushBuffersFile");
	st = NtQueryVolumeInformationFile(h, &io, info, 8, 4);
	check(st == 0 && *(ULONG *)info == 7, "FileFsDeviceInformation: FILE_DEVICE_DISK", *(ULONG *)info);
	st = NtQueryVolumeInformationFile(h, &io, info, 0x18, 3);
	check(st == 0 && *(ULONG *)(info + 0x14) == 512, "FileFsSizeInformation: 512-byte sectors", *(ULONG *)(info + 0x14));
	NtClose(h);
	CHECK_STATUS(NtClose(h), 0xC0000008, "closing a closed handle: INVALID_HANDLE");

	/* overwrite, supersede */
	st = create(&h, "\\??\\C:\\a.txt", GENERIC_WRITE, 0, FILE_OVERWRITE_IF, 0, &io);
	check(st == 0 && io.Information == 3, "FILE_OVERWRITE_IF on an existing file: FILE_OVERWRITTEN", io.Information);
	st = NtQueryInformationFile(h, &io, info, 0x18, 5);
	check(st == 0 && *(LONGLONG *)(info + 8) == 0, "overwritten to 0 bytes", *(LONGLONG *)(info + 8));
	NtClose(h);

	/* directories */
	st = create(&d, "\\??\\C:\\sub", FILE_READ_DATA, FILE_SHARE_READ, FILE_CREATE, FILE_DIRECTORY_FILE, &io);
	check(st == 0 && io.Information == 2, "FILE_DIRECTORY_FILE + FILE_CREATE makes a directory", (ULONG)st);
	CHECK_STATUS(create(&h, "\\??\\C:\\sub", GENERIC_READ, 0, FILE_OPEN, FILE_NON_DIRECTORY_FILE, &io), 0xC00000BA,
		     "FILE_NON_DIRECTORY_FILE on a directory: FILE_IS_A_DIRECTORY");
	CHECK_STATUS(create(&h, "\\??\\C:\\a.txt", GENERIC_READ, 0, FILE_OPEN, FILE_DIRECTORY_FILE, &io), 0xC0000103,
		     "FILE_DIRECTORY_FILE on a file: NOT_A_DIRECTORY");
	{
		WCHAR nb[32];
		UNICODE_STRING u;
		OBJECT_ATTRIBUTES oa;

		ustr(&u, nb, "inner.txt");
		init_oa(&oa, &u, d, 0);
		st = NtCreateFile(&h, GENERIC_WRITE | SYNCHRONIZE, &oa, &io, 0, 0, 0, FILE_CREATE,
				  FILE_SYNCHRONOUS_IO_NONALERT, 0, 0);
		check(st == 0, "a name relative to a RootDirectory handle", (ULONG)st);
		NtClose(h);
		ustr(&u, nb, "\\inner.txt");
		CHECK_STATUS(NtCreateFile(&h, GENERIC_READ, &oa, &io, 0, 0, 0, FILE_OPEN, 0, 0, 0), 0xC000000D,
			     "a RootDirectory-relative name with a leading separator: INVALID_PARAMETER");
	}
	NtClose(d);

	/* names NT refuses */
	CHECK_STATUS(create(&h, "C:\\a.txt", GENERIC_READ, 0, FILE_OPEN, 0, &io), 0xC000003B,
		     "a DOS path without \\??\\: OBJECT_PATH_SYNTAX_BAD");
	CHECK_STATUS(create(&h, "\\??\\C:\\a*.txt", GENERIC_READ, 0, FILE_OPEN, 0, &io), 0xC0000033,
		     "a wildcard in a name: OBJECT_NAME_INVALID");
	CHECK_STATUS(create(&h, "\\??\\Q:\\a.txt", GENERIC_READ, 0, FILE_OPEN, 0, &io), 0xC000003A,
		     "an unmapped drive: OBJECT_PATH_NOT_FOUND");
	CHECK_STATUS(create(&h, "\\DosDevices\\c:\\a.txt", GENERIC_READ, FILE_SHARE_READ, FILE_OPEN, 0, &io), 0,
		     "\\DosDevices\\c: reaches drive C:");
	NtClose(h);

	/* attributes by name */
	{
		WCHAR nb[64];
		UNICODE_STRING u;
		OBJECT_ATTRIBUTES oa;

		ustr(&u, nb, "\\??\\C:\\sub\\inner.txt");
		init_oa(&oa, &u, 0, 0);
		st = NtQueryAttributesFile(&oa, info);
		check(st == 0 && (*(ULONG *)(info + 0x20) & 0x20), "NtQueryAttributesFile: an archive file", (ULONG)st);
		ustr(&u, nb, "\\??\\C:\\sub");
		st = NtQueryFullAttributesFile(&oa, info);
		check(st == 0 && (*(ULONG *)(info + 0x30) & 0x10), "NtQueryFullAttributesFile: a directory", (ULONG)st);
		ustr(&u, nb, "\\??\\C:\\nothing");
		CHECK_STATUS(NtQueryAttributesFile(&oa, info), 0xC0000034, "attributes of nothing: OBJECT_NAME_NOT_FOUND");
		ustr(&u, nb, "\\??\\C:\\sub");
		CHECK_STATUS(NtDeleteFile(&oa), 0xC0000101, "NtDeleteFile of a non-empty directory: DIRECTORY_NOT_EMPTY");
		ustr(&u, nb, "\\??\\C:\\sub\\inner.txt");
		CHECK_STATUS(NtDeleteFile(&oa), 0, "NtDeleteFile of a file");
		CHECK_STATUS(NtQueryAttributesFile(&oa, info), 0xC0000034, "and it is gone");
		ustr(&u, nb, "\\??\\C:\\sub");
		CHECK_STATUS(NtDeleteFile(&oa), 0, "NtDeleteFile of the empty directory");
	}

	/* rename, disposition, delete on close */
	st = create(&h, "\\??\\C:\\a.txt", GENERIC_READ | DELETE, 0, FILE_OPEN, 0, &io);
	{
		unsigned char ri[0x14 + 64];
		const char *to = "b.txt";
		int n = 0;
		*(ULONG64 *)ri = 0;
		*(ULONG64 *)(ri + 8) = 0;
		for (; to[n]; n++)
			*(WCHAR *)(ri + 0x14 + 2 * n) = (WCHAR)to[n];
		*(ULONG *)(ri + 0x10) = (ULONG)(2 * n);
		CHECK_STATUS(NtSetInformationFile(h, &io, ri, 0x14 + 2 * n, 10), 0, "FileRenameInformation to b.txt");
		st = NtQueryInformationFile(h, &io, info, sizeof(info), 9);
		check(st == 0 && *(WCHAR *)(info + 6) == 'b', "the handle's name follows the rename", (ULONG)st);
		info[0] = 1;
		CHECK_STATUS(NtSetInformationFile(h, &io, info, 1, 13), 0, "FileDispositionInformation: delete");
		CHECK_STATUS(create(&h2, "\\??\\C:\\b.txt", GENERIC_READ, 7, FILE_OPEN, 0, &io), 0xC0000056,
			     "opening a file pending deletion: DELETE_PENDING");
		NtClose(h);
		CHECK_STATUS(create(&h2, "\\??\\C:\\b.txt", GENERIC_READ, 7, FILE_OPEN, 0, &io), 0xC0000034,
			     "gone after the last handle closed");
	}
	st = create(&h, "\\??\\C:\\tmp.txt", GENERIC_WRITE | DELETE, 0, FILE_CREATE, FILE_DELETE_ON_CLOSE, &io);
	check(st == 0, "FILE_DELETE_ON_CLOSE create", (ULONG)st);
	NtClose(h);
	CHECK_STATUS(create(&h, "\\??\\C:\\tmp.txt", GENERIC_READ, 0, FILE_OPEN, 0, &io), 0xC0000034,
		     "deleted on close");
	CHECK_STATUS(create(&h, "\\??\\C:\\x.txt", GENERIC_READ, 0, FILE_CREATE, FILE_DELETE_ON_CLOSE, &io), 0xC000000D,
		     "FILE_DELETE_ON_CLOSE without DELETE access: INVALID_PARAMETER");
	done();
	return 0;
}
