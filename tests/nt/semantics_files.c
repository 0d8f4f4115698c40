/*
 * A file's life as NT keeps it (docs/nt.md, "NT semantics checked against
 * Windows"):
 *   - a RootDirectory handle that is a file, not a directory: a name
 *     relative to it is OBJECT_PATH_NOT_FOUND, as a file in the middle of
 *     a path is (FastFAT's create, public in Microsoft's driver samples,
 *     treats the related file as the parent and finds no directory there;
 *     Wine agrees), and nothing is made;
 *   - delete-pending is the file's, shared by all its handles: set by
 *     FileDispositionInformation (and shown by FileStandardInformation's
 *     DeletePending on every handle), cleared by it again; while set, a new
 *     open is DELETE_PENDING; the file goes when its last handle closes;
 *   - FILE_DELETE_ON_CLOSE: other handles may still open it; when the handle
 *     that asked closes, the file is delete-pending, and goes with the last;
 *   - FILE_ATTRIBUTE_READONLY: an open for writing or appending, or one that
 *     overwrites, is ACCESS_DENIED (whoever the program runs as: root on the
 *     Linux side may write a 0444 file, NT's caller may not); the
 *     disposition, FILE_DELETE_ON_CLOSE and NtDeleteFile are CANNOT_DELETE;
 *     reading and changing attributes are allowed, and once the attribute is
 *     cleared the file can be deleted.
 */
#include "nt_test.h"

#define SYNCHRONIZE 0x100000
#define FILE_READ_DATA 0x1
#define FILE_WRITE_DATA 0x2
#define FILE_APPEND_DATA 0x4
#define FILE_READ_ATTRIBUTES 0x80
#define FILE_WRITE_ATTRIBUTES 0x100
#define DELETE 0x10000
#define GENERIC_WRITE 0x40000000
#define NON_DIR 0x40
#define DELETE_ON_CLOSE 0x1000
#define SYNC_IO 0x20
#define OPEN 1
#define CREATE 2
#define OVERWRITE 4
#define OVERWRITE_IF 5
#define ACCESS_DENIED 0xC0000022
#define CANNOT_DELETE 0xC0000121
#define DELETE_PENDING 0xC0000056
#define NAME_NOT_FOUND 0xC0000034
#define FileBasicInformation 4
#define FileStandardInformation 5
#define FileDispositionInformation 13

static NTSTATUS open_rel(HANDLE *h, HANDLE root, const char *name, ULONG access, ULONG disposition, ULONG options,
			 ULONG attributes)
{
	WCHAR buf[96];
	UNICODE_STRING u;
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK io;

	ustr(&u, buf, name);
	init_oa(&oa, &u, root, OBJ_CASE_INSENSITIVE);
	return NtCreateFile(h, access | SYNCHRONIZE, &oa, &io, 0, attributes, 7, disposition, options | SYNC_IO, 0, 0);
}

static NTSTATUS open_file(HANDLE *h, const char *name, ULONG access, ULONG disposition, ULONG options)
{
	return open_rel(h, 0, name, access, disposition, options | NON_DIR, 0x80);
}

static NTSTATUS exists(const char *name)
{
	WCHAR buf[96];
	UNICODE_STRING u;
	OBJECT_ATTRIBUTES oa;
	unsigned char info[0x28];

	ustr(&u, buf, name);
	init_oa(&oa, &u, 0, OBJ_CASE_INSENSITIVE);
	return NtQueryAttributesFile(&oa, info);
}

static NTSTATUS dispose(HANDLE h, int yes)
{
	IO_STATUS_BLOCK io;
	BOOLEAN b = (BOOLEAN)yes;

	return NtSetInformationFile(h, &io, &b, 1, FileDispositionInformation);
}

static int delete_pending(HANDLE h)
{
	IO_STATUS_BLOCK io;
	unsigned char b[0x18] = { 0 };

	if (NtQueryInformationFile(h, &io, b, sizeof(b), FileStandardInformation))
		return -1;
	return b[0x14];
}

static NTSTATUS set_attributes(HANDLE h, ULONG attributes)
{
	IO_STATUS_BLOCK io;
	unsigned char b[0x28] = { 0 };

	*(ULONG *)(b + 0x20) = attributes;
	return NtSetInformationFile(h, &io, b, sizeof(b), FileBasicInformation);
}

static void cannot(const char *what)
{
	out("cannot test: ");
	out(what);
	out("\n");
	NtTerminateProcess(NtCurrentProcess(), 2);
}

static void root_is_a_file(void)
{
	HANDLE f, h;

	if (open_file(&f, "\\??\\C:\\sem_root.txt", FILE_READ_DATA | DELETE, OVERWRITE_IF, 0))
		cannot("sem_root.txt");
	CHECK_STATUS(open_rel(&h, f, "x.txt", FILE_READ_DATA, OPEN, 0, 0x80), 0xC000003A,
		     "a name relative to a file handle, opened: OBJECT_PATH_NOT_FOUND");
	CHECK_STATUS(open_rel(&h, f, "x.txt", GENERIC_WRITE, CREATE, 0, 0x80), 0xC000003A,
		     "  created: OBJECT_PATH_NOT_FOUND");
	CHECK_STATUS(exists("\\??\\C:\\sem_root.txt\\x.txt"), 0xC000003A, "  and nothing was made");
	dispose(f, 1);
	NtClose(f);
}

static void disposition(void)
{
	HANDLE h1, h2, h3;

	if (open_file(&h1, "\\??\\C:\\sem_del.txt", FILE_READ_DATA | DELETE, OVERWRITE_IF, 0) ||
	    open_file(&h2, "\\??\\C:\\sem_del.txt", FILE_READ_DATA, OPEN, 0))
		cannot("sem_del.txt");
	check(delete_pending(h1) == 0 && delete_pending(h2) == 0, "a new file: DeletePending 0", 0);
	CHECK_STATUS(dispose(h1, 1), 0, "FileDispositionInformation TRUE");
	check(delete_pending(h1) == 1, "  DeletePending 1 on that handle", (ULONG)delete_pending(h1));
	check(delete_pending(h2) == 1, "  and on the file's other handle", (ULONG)delete_pending(h2));
	CHECK_STATUS(open_file(&h3, "\\??\\C:\\sem_del.txt", FILE_READ_ATTRIBUTES, OPEN, 0), DELETE_PENDING,
		     "  a new open: DELETE_PENDING");
	CHECK_STATUS(dispose(h1, 0), 0, "FileDispositionInformation FALSE");
	check(delete_pending(h2) == 0, "  DeletePending 0 again", (ULONG)delete_pending(h2));
	CHECK_STATUS(open_file(&h3, "\\??\\C:\\sem_del.txt", FILE_READ_ATTRIBUTES, OPEN, 0), 0, "  a new open works");
	NtClose(h3);
	dispose(h1, 1);
	NtClose(h1);
	CHECK_STATUS(exists("\\??\\C:\\sem_del.txt"), 0, "the handle that set it closed: the file is still there");
	NtClose(h2);
	CHECK_STATUS(exists("\\??\\C:\\sem_del.txt"), NAME_NOT_FOUND, "the last handle closed: the file is gone");
}

static void delete_on_close(void)
{
	HANDLE h1, h2, h3;

	if (open_file(&h1, "\\??\\C:\\sem_doc.txt", FILE_READ_DATA | DELETE, OVERWRITE_IF, DELETE_ON_CLOSE))
		cannot("sem_doc.txt");
	CHECK_STATUS(open_file(&h2, "\\??\\C:\\sem_doc.txt", FILE_READ_DATA, OPEN, 0), 0,
		     "FILE_DELETE_ON_CLOSE: another open of the file works meanwhile");
	check(delete_pending(h2) == 0, "  DeletePending 0 until it closes", (ULONG)delete_pending(h2));
	NtClose(h1);
	CHECK_STATUS(exists("\\??\\C:\\sem_doc.txt"), 0, "its handle closed, another open: the file is still there");
	check(delete_pending(h2) == 1, "  delete-pending (on the other handle)", (ULONG)delete_pending(h2));
	CHECK_STATUS(open_file(&h3, "\\??\\C:\\sem_doc.txt", FILE_READ_ATTRIBUTES, OPEN, 0), DELETE_PENDING,
		     "  a new open: DELETE_PENDING");
	NtClose(h2);
	CHECK_STATUS(exists("\\??\\C:\\sem_doc.txt"), NAME_NOT_FOUND, "the last handle closed: the file is gone");
}

static void read_only(void)
{
	HANDLE h, h2;
	IO_STATUS_BLOCK io;
	WCHAR buf[64];
	UNICODE_STRING u;
	OBJECT_ATTRIBUTES oa;

	if (open_rel(&h, 0, "\\??\\C:\\sem_ro.txt", GENERIC_WRITE, CREATE, NON_DIR, 0x1))
		cannot("sem_ro.txt");
	CHECK_STATUS(NtWriteFile(h, 0, 0, 0, &io, "ro", 2, 0, 0), 0,
		     "a file made FILE_ATTRIBUTE_READONLY: its creating handle writes");
	NtClose(h);
	CHECK_STATUS(open_file(&h, "\\??\\C:\\sem_ro.txt", FILE_WRITE_DATA, OPEN, 0), ACCESS_DENIED,
		     "read-only file opened for FILE_WRITE_DATA: ACCESS_DENIED");
	CHECK_STATUS(open_file(&h, "\\??\\C:\\sem_ro.txt", FILE_APPEND_DATA, OPEN, 0), ACCESS_DENIED,
		     "  for FILE_APPEND_DATA: ACCESS_DENIED");
	CHECK_STATUS(open_file(&h, "\\??\\C:\\sem_ro.txt", GENERIC_WRITE, OPEN, 0), ACCESS_DENIED,
		     "  for GENERIC_WRITE: ACCESS_DENIED");
	CHECK_STATUS(open_file(&h, "\\??\\C:\\sem_ro.txt", FILE_READ_DATA, OVERWRITE, 0), ACCESS_DENIED,
		     "  FILE_OVERWRITE: ACCESS_DENIED");
	CHECK_STATUS(open_file(&h, "\\??\\C:\\sem_ro.txt", FILE_READ_DATA | DELETE, OPEN, DELETE_ON_CLOSE), CANNOT_DELETE,
		     "  FILE_DELETE_ON_CLOSE: CANNOT_DELETE");
	ustr(&u, buf, "\\??\\C:\\sem_ro.txt");
	init_oa(&oa, &u, 0, OBJ_CASE_INSENSITIVE);
	CHECK_STATUS(NtDeleteFile(&oa), CANNOT_DELETE, "  NtDeleteFile: CANNOT_DELETE");
	if (open_file(&h, "\\??\\C:\\sem_ro.txt", FILE_READ_DATA | DELETE | FILE_WRITE_ATTRIBUTES, OPEN, 0)) {
		check(0, "  opened for reading, DELETE and attributes", 0);
		return;
	}
	check(1, "  opened for reading, DELETE and attributes: works", 0);
	CHECK_STATUS(dispose(h, 1), CANNOT_DELETE, "  its disposition set: CANNOT_DELETE");
	check(delete_pending(h) == 0, "  and it is not delete-pending", (ULONG)delete_pending(h));
	CHECK_STATUS(exists("\\??\\C:\\sem_ro.txt"), 0, "  and the file is there");
	CHECK_STATUS(set_attributes(h, 0x80), 0, "the attribute cleared (FILE_ATTRIBUTE_NORMAL)");
	CHECK_STATUS(open_file(&h2, "\\??\\C:\\sem_ro.txt", FILE_WRITE_DATA, OPEN, 0), 0, "  opened for writing: works");
	NtClose(h2);
	CHECK_STATUS(dispose(h, 1), 0, "  its disposition set: works");
	NtClose(h);
	CHECK_STATUS(exists("\\??\\C:\\sem_ro.txt"), NAME_NOT_FOUND, "  closed: gone");
}

int mainCRTStartup(void)
{
	root_is_a_file();
	disposition();
	delete_on_close();
	read_only();
	done();
	return 0;
}
