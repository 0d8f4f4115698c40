/*
 * What NT answers when a service's buffers are not what they should be, and
 * how it reports short buffers and the end of a listing (docs/nt.md, "NT
 * semantics checked against Windows"):
 *   - an out-parameter (IO_STATUS_BLOCK, the handle NtCreateFile returns, a
 *     read buffer, a query's buffer) in read-only memory: ACCESS_VIOLATION,
 *     and nothing done (no file created, nothing read, the listing not
 *     advanced): NT probes them for writing before it acts;
 *   - NtWriteFile from a NULL buffer with a length: INVALID_USER_BUFFER (the
 *     I/O manager only range-checks a write's buffer; the file system's copy
 *     faults); NtReadFile into one: ACCESS_VIOLATION (the buffer is probed
 *     for writing); a zero length with a NULL buffer is a transfer of nothing;
 *   - the status of a listing in the IO_STATUS_BLOCK: NO_SUCH_FILE for a
 *     first query that matches nothing (an error: the block is not written),
 *     NO_MORE_FILES at the end (a warning: written, Information 0), a restart
 *     starts again; a buffer shorter than one entry's structure is
 *     INFO_LENGTH_MISMATCH, one that holds the structure but not the whole
 *     name BUFFER_OVERFLOW with the whole name's length and what fits;
 *   - FileNameInformation into a short buffer: BUFFER_OVERFLOW, FileNameLength
 *     the whole name's, as much of the name as fits, Information the bytes
 *     written; shorter than FILE_NAME_INFORMATION itself: INFO_LENGTH_MISMATCH.
 */
#include "nt_test.h"

#define SYNCHRONIZE 0x100000
#define GENERIC_READ 0x80000000
#define GENERIC_WRITE 0x40000000
#define DELETE 0x10000
#define SYNC_IO 0x20
#define NON_DIR 0x40
#define DIR_FILE 0x1
#define ACCESS_VIOLATION 0xC0000005
#define INVALID_USER_BUFFER 0xC00000E8
#define INFO_LENGTH_MISMATCH 0xC0000004
#define BUFFER_OVERFLOW 0x80000005
#define NO_MORE_FILES 0x80000006
#define NO_SUCH_FILE 0xC000000F
#define NAME_NOT_FOUND 0xC0000034
#define FileDirectoryInformation 1
#define FileStandardInformation 5
#define FileNameInformation 9
#define FileDispositionInformation 13

static NTSTATUS create(HANDLE *h, const char *name, ULONG access, ULONG disposition, ULONG options, IO_STATUS_BLOCK *io)
{
	WCHAR buf[96];
	UNICODE_STRING u;
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK own;

	ustr(&u, buf, name);
	init_oa(&oa, &u, 0, OBJ_CASE_INSENSITIVE);
	return NtCreateFile(h, access | SYNCHRONIZE, &oa, io ? io : &own, 0, 0x80, 7, disposition, options, 0, 0);
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

static void remove_on_close(HANDLE h)
{
	IO_STATUS_BLOCK io;
	BOOLEAN yes = 1;

	NtSetInformationFile(h, &io, &yes, 1, FileDispositionInformation);
	NtClose(h);
}

static void mark(IO_STATUS_BLOCK *io)
{
	io->Status = (NTSTATUS)0xdeadbeef;
	io->Information = 0xdeadbeef;
}

static int unmarked(const IO_STATUS_BLOCK *io)
{
	return io->Status == (NTSTATUS)0xdeadbeef && io->Information == 0xdeadbeef;
}

static void buffers(void)
{
	HANDLE h, h2;
	IO_STATUS_BLOCK io, *ro_io;
	LARGE_INTEGER zero = { 0 };
	unsigned char *ro = 0, rw[64];
	SIZE_T size = 4096;
	NTSTATUS st;

	if (NtAllocateVirtualMemory(NtCurrentProcess(), (void **)&ro, 0, &size, 0x3000, 0x02) ||
	    create(&h, "\\??\\C:\\sem_io.txt", GENERIC_READ | GENERIC_WRITE | DELETE, 5, SYNC_IO | NON_DIR, 0) ||
	    NtWriteFile(h, 0, 0, 0, &io, "0123456789", 10, &zero, 0)) {
		out("cannot test: setup failed\n");
		NtTerminateProcess(NtCurrentProcess(), 2);
	}
	ro_io = (IO_STATUS_BLOCK *)ro;

	/* out-parameters in read-only memory */
	CHECK_STATUS(NtReadFile(h, 0, 0, 0, &io, ro, 4, &zero, 0), ACCESS_VIOLATION,
		     "NtReadFile into a PAGE_READONLY buffer: ACCESS_VIOLATION");
	check(ro[0] == 0, "  and the page is unchanged", ro[0]);
	rw[0] = 'x';
	CHECK_STATUS(NtReadFile(h, 0, 0, 0, ro_io, rw, 4, &zero, 0), ACCESS_VIOLATION,
		     "NtReadFile with its IO_STATUS_BLOCK in read-only memory: ACCESS_VIOLATION");
	check(rw[0] == 'x', "  and nothing was read", rw[0]);
	CHECK_STATUS(NtWriteFile(h, 0, 0, 0, ro_io, "ABCD", 4, &zero, 0), ACCESS_VIOLATION,
		     "NtWriteFile with its IO_STATUS_BLOCK in read-only memory: ACCESS_VIOLATION");
	st = NtReadFile(h, 0, 0, 0, &io, rw, 4, &zero, 0);
	check(st == 0 && rw[0] == '0', "  and nothing was written", rw[0]);
	CHECK_STATUS(NtQueryInformationFile(h, ro_io, rw, 0x18, FileStandardInformation), ACCESS_VIOLATION,
		     "NtQueryInformationFile with its IO_STATUS_BLOCK in read-only memory: ACCESS_VIOLATION");
	CHECK_STATUS(NtQueryInformationFile(h, &io, ro, 0x18, FileStandardInformation), ACCESS_VIOLATION,
		     "NtQueryInformationFile into a read-only buffer: ACCESS_VIOLATION");
	CHECK_STATUS(create((HANDLE *)ro, "\\??\\C:\\sem_new1.txt", GENERIC_WRITE, 2, NON_DIR, 0), ACCESS_VIOLATION,
		     "NtCreateFile returning its handle into read-only memory: ACCESS_VIOLATION");
	CHECK_STATUS(exists("\\??\\C:\\sem_new1.txt"), NAME_NOT_FOUND, "  and the file was not made");
	CHECK_STATUS(create(&h2, "\\??\\C:\\sem_new2.txt", GENERIC_WRITE, 2, NON_DIR, ro_io), ACCESS_VIOLATION,
		     "NtCreateFile with its IO_STATUS_BLOCK in read-only memory: ACCESS_VIOLATION");
	CHECK_STATUS(exists("\\??\\C:\\sem_new2.txt"), NAME_NOT_FOUND, "  and the file was not made");

	/* NULL buffers */
	mark(&io);
	CHECK_STATUS(NtWriteFile(h, 0, 0, 0, &io, 0, 5, &zero, 0), INVALID_USER_BUFFER,
		     "NtWriteFile from a NULL buffer, length 5: INVALID_USER_BUFFER");
	check(unmarked(&io), "  and the IO_STATUS_BLOCK is not written", (ULONG)io.Status);
	mark(&io);
	CHECK_STATUS(NtReadFile(h, 0, 0, 0, &io, 0, 5, &zero, 0), ACCESS_VIOLATION,
		     "NtReadFile into a NULL buffer, length 5: ACCESS_VIOLATION");
	check(unmarked(&io), "  and the IO_STATUS_BLOCK is not written", (ULONG)io.Status);
	mark(&io);
	st = NtWriteFile(h, 0, 0, 0, &io, 0, 0, &zero, 0);
	check(st == 0 && io.Status == 0 && io.Information == 0, "NtWriteFile of 0 bytes from NULL: success, 0 written",
	      (ULONG)st);
	mark(&io);
	st = NtReadFile(h, 0, 0, 0, &io, 0, 0, &zero, 0);
	check(st == 0 && io.Status == 0 && io.Information == 0, "NtReadFile of 0 bytes into NULL: success, 0 read",
	      (ULONG)st);

	/* FileNameInformation into short buffers: the name is \sem_io.txt (22 bytes) */
	{
		unsigned char b[16];

		for (int i = 0; i < 16; i++)
			b[i] = 0xcc;
		mark(&io);
		CHECK_STATUS(NtQueryInformationFile(h, &io, b, 6, FileNameInformation), INFO_LENGTH_MISMATCH,
			     "FileNameInformation into 6 bytes: INFO_LENGTH_MISMATCH");
		mark(&io);
		st = NtQueryInformationFile(h, &io, b, 10, FileNameInformation);
		check(st == (NTSTATUS)BUFFER_OVERFLOW, "FileNameInformation into 10 bytes: BUFFER_OVERFLOW", (ULONG)st);
		check(*(ULONG *)b == 22, "  FileNameLength is the whole name's", *(ULONG *)b);
		check(b[4] == '\\' && b[6] == 's' && b[8] == 'e' && b[10] == 0xcc, "  the name as far as it fits, no further",
		      b[10]);
		check(io.Status == (NTSTATUS)BUFFER_OVERFLOW && io.Information == 10,
		      "  IO_STATUS_BLOCK: BUFFER_OVERFLOW, 10 bytes", io.Information);
	}
	remove_on_close(h);
}

/* The entries of a FILE_DIRECTORY_INFORMATION answer. */
static int count_entries(unsigned char *b)
{
	int n = 1;

	while (*(ULONG *)b) {
		b += *(ULONG *)b;
		n++;
	}
	return n;
}

static void listing(void)
{
	HANDLE d, f;
	IO_STATUS_BLOCK io;
	static unsigned char b[4096];
	unsigned char *ro = 0;
	SIZE_T size = 4096;
	WCHAR mb[32];
	UNICODE_STRING mask;
	NTSTATUS st;
	int seen = 0;

	NtAllocateVirtualMemory(NtCurrentProcess(), (void **)&ro, 0, &size, 0x3000, 0x02);
	if (create(&d, "\\??\\C:\\sem_dir", GENERIC_READ | DELETE, 3, DIR_FILE | SYNC_IO, 0) ||
	    create(&f, "\\??\\C:\\sem_dir\\abcdefgh.txt", GENERIC_WRITE | DELETE, 5, NON_DIR, 0)) {
		out("cannot test: directory setup failed\n");
		NtTerminateProcess(NtCurrentProcess(), 2);
	}
	NtClose(d);

	create(&d, "\\??\\C:\\sem_dir", GENERIC_READ, 1, DIR_FILE | SYNC_IO, 0);
	ustr(&mask, mb, "nomatch*");
	mark(&io);
	CHECK_STATUS(NtQueryDirectoryFile(d, 0, 0, 0, &io, b, sizeof(b), FileDirectoryInformation, 0, &mask, 1),
		     NO_SUCH_FILE, "a first query matching nothing: NO_SUCH_FILE");
	check(io.Status == (NTSTATUS)0xdeadbeef, "  and its status is not in the IO_STATUS_BLOCK (an error)",
	      (ULONG)io.Status);
	NtClose(d);

	create(&d, "\\??\\C:\\sem_dir", GENERIC_READ, 1, DIR_FILE | SYNC_IO, 0);
	for (int i = 0; i < 10; i++) {
		mark(&io);
		st = NtQueryDirectoryFile(d, 0, 0, 0, &io, b, sizeof(b), FileDirectoryInformation, 0, 0, 0);
		if (st)
			break;
		seen += count_entries(b);
	}
	check(seen == 3, "the whole listing: ., .., abcdefgh.txt", (ULONG)seen);
	check(st == (NTSTATUS)NO_MORE_FILES, "the end of the listing: NO_MORE_FILES", (ULONG)st);
	check(io.Status == (NTSTATUS)NO_MORE_FILES && io.Information == 0,
	      "  and the IO_STATUS_BLOCK says so (a warning is written), Information 0", (ULONG)io.Status);
	mark(&io);
	CHECK_STATUS(NtQueryDirectoryFile(d, 0, 0, 0, &io, b, sizeof(b), FileDirectoryInformation, 0, 0, 0), NO_MORE_FILES,
		     "asked again: NO_MORE_FILES again");
	st = NtQueryDirectoryFile(d, 0, 0, 0, &io, b, sizeof(b), FileDirectoryInformation, 0, 0, 1);
	check(st == 0 && io.Status == 0 && count_entries(b) == 3, "RestartScan: the listing again", (ULONG)st);
	NtClose(d);

	create(&d, "\\??\\C:\\sem_dir", GENERIC_READ, 1, DIR_FILE | SYNC_IO, 0);
	ustr(&mask, mb, "abcdefgh.txt");
	CHECK_STATUS(NtQueryDirectoryFile(d, 0, 0, 0, &io, b, 0x40, FileDirectoryInformation, 0, &mask, 1),
		     INFO_LENGTH_MISMATCH, "a buffer shorter than FILE_DIRECTORY_INFORMATION: INFO_LENGTH_MISMATCH");
	for (int i = 0; i < 0x60; i++)
		b[i] = 0xcc;
	mark(&io);
	st = NtQueryDirectoryFile(d, 0, 0, 0, &io, b, 0x48, FileDirectoryInformation, 0, &mask, 1);
	check(st == (NTSTATUS)BUFFER_OVERFLOW, "room for 4 of its 12 characters: BUFFER_OVERFLOW", (ULONG)st);
	check(*(ULONG *)(b + 0x3c) == 24, "  FileNameLength is the whole name's", *(ULONG *)(b + 0x3c));
	check(b[0x40] == 'a' && b[0x46] == 'd' && b[0x48] == 0xcc, "  the name as far as it fits, no further", b[0x48]);
	check(io.Status == (NTSTATUS)BUFFER_OVERFLOW && io.Information == 0x48,
	      "  IO_STATUS_BLOCK: BUFFER_OVERFLOW, 0x48 bytes", io.Information);
	NtClose(d);

	/* (Wine 8.0 hangs in the next query of a handle after this one: the handle is not used again) */
	create(&d, "\\??\\C:\\sem_dir", GENERIC_READ, 1, DIR_FILE | SYNC_IO, 0);
	CHECK_STATUS(NtQueryDirectoryFile(d, 0, 0, 0, &io, ro, 4096, FileDirectoryInformation, 0, 0, 1),
		     ACCESS_VIOLATION, "a listing into a read-only buffer: ACCESS_VIOLATION");
	NtClose(d);

	remove_on_close(f);
	create(&d, "\\??\\C:\\sem_dir", GENERIC_READ | DELETE, 1, DIR_FILE | SYNC_IO, 0);
	remove_on_close(d);
}

int mainCRTStartup(void)
{
	buffers();
	listing();
	done();
	return 0;
}
