/*
 * Services no other test program calls, each checked by what it does, not
 * only by its status: NtOpenFile (the handle it returns reads, writes and is
 * the file named; the errors of a missing name and of a directory opened as a
 * file), NtQueryDirectoryFileEx through a directory handle NtOpenFile gave,
 * and NtTerminateThread (the thread ends with its status, the process goes on).
 */
#include "nt_test.h"

#define FILE_READ_DATA 0x1
#define FILE_LIST_DIRECTORY 0x1
#define FILE_WRITE_DATA 0x2
#define SYNCHRONIZE 0x100000
#define GENERIC_READ 0x80000000
#define GENERIC_WRITE 0x40000000
#define FILE_SHARE_READ 1
#define FILE_SHARE_WRITE 2
#define FILE_CREATE 2
#define FILE_DIRECTORY_FILE 0x1
#define FILE_SYNCHRONOUS_IO_NONALERT 0x20
#define FILE_NON_DIRECTORY_FILE 0x40
#define FILE_OPENED 1
#define FILE_STANDARD_INFORMATION 5
#define FILE_NAMES_INFORMATION 12
#define SL_RESTART_SCAN 1

NTSTATUS NTAPI NtQueryDirectoryFileEx(HANDLE, HANDLE, void *, void *, IO_STATUS_BLOCK *, void *, ULONG, ULONG, ULONG,
				      UNICODE_STRING *);

static NTSTATUS open_file(HANDLE *h, const char *name, ULONG access, ULONG opts, IO_STATUS_BLOCK *io)
{
	WCHAR buf[260];
	UNICODE_STRING u;
	OBJECT_ATTRIBUTES oa;

	*h = 0;
	ustr(&u, buf, name);
	init_oa(&oa, &u, 0, OBJ_CASE_INSENSITIVE);
	return NtOpenFile(h, access | SYNCHRONIZE, &oa, io, FILE_SHARE_READ | FILE_SHARE_WRITE,
			  opts | FILE_SYNCHRONOUS_IO_NONALERT);
}

static int same(const char *a, const char *b, SIZE_T n)
{
	for (SIZE_T i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

static HANDLE go;

static NTSTATUS NTAPI ends_itself(void *arg)
{
	(void)arg;
	/*
	 * Not before NtCreateThreadEx has returned: a thread that ends sooner
	 * loses its exit status today (its handle does not exist yet when it
	 * ends; a known fault of the NT personality, not what this checks).
	 */
	NtWaitForSingleObject(go, 0, 0);
	NtTerminateThread(NtCurrentThread(), 0x4321);
	return 1; /* never: NtTerminateThread does not return */
}

int mainCRTStartup(void)
{
	static unsigned char info[4096];
	IO_STATUS_BLOCK io;
	WCHAR maskbuf[16];
	UNICODE_STRING mask;
	OBJECT_ATTRIBUTES oa;
	HANDLE h, d, th;
	char buf[32];
	NTSTATUS st;

	/* a file with known contents, made with NtCreateFile */
	{
		WCHAR nb[64];
		UNICODE_STRING u;
		ustr(&u, nb, "\\??\\C:\\o.txt");
		init_oa(&oa, &u, 0, 0);
		st = NtCreateFile(&h, GENERIC_WRITE | SYNCHRONIZE, &oa, &io, 0, 0x80, 0, FILE_CREATE,
				  FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT, 0, 0);
		check(st == 0, "NtCreateFile makes o.txt", (ULONG)st);
		NtWriteFile(h, 0, 0, 0, &io, "opened!", 7, 0, 0);
		NtClose(h);
	}

	/* NtOpenFile: the handle is the file */
	st = open_file(&h, "\\??\\C:\\O.TXT", GENERIC_READ, FILE_NON_DIRECTORY_FILE, &io);
	check(st == 0 && io.Information == FILE_OPENED, "NtOpenFile opens o.txt by another case (FILE_OPENED)", (ULONG)st);
	check(h != 0 && ((ULONG64)h & 3) == 0, "NtOpenFile returns a handle, a multiple of 4", (ULONG64)h);
	st = NtReadFile(h, 0, 0, 0, &io, buf, sizeof(buf), 0, 0);
	check(st == 0 && io.Information == 7 && same(buf, "opened!", 7), "the handle reads the file's contents",
	      io.Information);
	st = NtQueryInformationFile(h, &io, info, 24, FILE_STANDARD_INFORMATION);
	check(st == 0 && *(LONGLONG *)(info + 8) == 7, "FileStandardInformation through it: EndOfFile 7",
	      *(ULONG64 *)(info + 8));
	CHECK_STATUS(NtClose(h), 0, "NtClose of the opened handle");
	st = open_file(&h, "\\??\\C:\\o.txt", FILE_WRITE_DATA, FILE_NON_DIRECTORY_FILE, &io);
	check(st == 0, "NtOpenFile for writing", (ULONG)st);
	st = NtWriteFile(h, 0, 0, 0, &io, "X", 1, 0, 0);
	check(st == 0 && io.Information == 1, "the handle writes", (ULONG)st);
	NtClose(h);
	open_file(&h, "\\??\\C:\\o.txt", FILE_READ_DATA, 0, &io);
	st = NtReadFile(h, 0, 0, 0, &io, buf, sizeof(buf), 0, 0);
	check(st == 0 && io.Information == 7 && same(buf, "Xpened!", 7), "what it wrote is in the file", io.Information);
	NtClose(h);
	CHECK_STATUS(open_file(&h, "\\??\\C:\\missing.txt", GENERIC_READ, 0, &io), 0xC0000034,
		     "NtOpenFile of a missing file: OBJECT_NAME_NOT_FOUND");
	CHECK_STATUS(open_file(&h, "\\??\\C:\\", GENERIC_READ, FILE_NON_DIRECTORY_FILE, &io), 0xC00000BA,
		     "NtOpenFile of a directory as a file: FILE_IS_A_DIRECTORY");

	/* NtQueryDirectoryFileEx through a directory NtOpenFile opened */
	st = open_file(&d, "\\??\\C:\\", FILE_LIST_DIRECTORY, FILE_DIRECTORY_FILE, &io);
	check(st == 0, "NtOpenFile of the drive's directory", (ULONG)st);
	ustr(&mask, maskbuf, "o.*");
	st = NtQueryDirectoryFileEx(d, 0, 0, 0, &io, info, sizeof(info), FILE_NAMES_INFORMATION, SL_RESTART_SCAN, &mask);
	check(st == 0 && *(ULONG *)info == 0 && *(ULONG *)(info + 8) == 10 && *(WCHAR *)(info + 12) == 'o' &&
		      *(WCHAR *)(info + 14) == '.',
	      "NtQueryDirectoryFileEx with a mask lists o.txt alone", (ULONG)st);
	CHECK_STATUS(NtQueryDirectoryFileEx(d, 0, 0, 0, &io, info, sizeof(info), FILE_NAMES_INFORMATION, 0, &mask),
		     0x80000006, "and then no more files (NO_MORE_FILES)");
	NtClose(d);

	/* NtTerminateThread: the thread ends with its status; the process goes on */
	NtCreateEvent(&go, 0x1f0003 /* EVENT_ALL_ACCESS */, 0, 0, 0);
	st = NtCreateThreadEx(&th, 0x1fffff, 0, NtCurrentProcess(), (void *)ends_itself, 0, 0, 0, 0, 0, 0);
	check(st == 0, "NtCreateThreadEx", (ULONG)st);
	NtSetEvent(go, 0);
	CHECK_STATUS(NtWaitForSingleObject(th, 0, 0), 0, "the thread that called NtTerminateThread has ended");
	st = NtQueryInformationThread(th, 0, info, 0x30, 0);
	check(st == 0 && *(ULONG *)info == 0x4321, "its exit status is the one NtTerminateThread gave",
	      *(ULONG *)info);
	NtClose(th);
	done();
	return 0;
}
