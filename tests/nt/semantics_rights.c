/*
 * A section handle's access, and another thread's end (docs/nt.md, "NT
 * semantics checked against Windows"):
 *   - a view needs the section handle to grant what its protection does:
 *     SECTION_MAP_READ for READONLY and WRITECOPY, SECTION_MAP_WRITE for
 *     READWRITE, SECTION_MAP_EXECUTE too for the EXECUTE ones (NT's
 *     MmMakeSectionAccess): ACCESS_DENIED otherwise, before the section's own
 *     protection is looked at; a section's protection needs the file handle's
 *     access (a PAGE_READWRITE section of a read-only handle: ACCESS_DENIED);
 *   - NtTerminateThread of another thread: SUCCESS; a wait on the thread
 *     returns; ThreadBasicInformation's ExitStatus is STATUS_PENDING while it
 *     runs and the status given after; ending it again changes nothing (Wine
 *     8.0 takes the second status); a thread computing in a loop that makes
 *     no service call is ended too.
 */
#include "nt_test.h"

NTSTATUS NTAPI NtCreateSection(HANDLE *, ULONG, OBJECT_ATTRIBUTES *, LARGE_INTEGER *, ULONG, ULONG, HANDLE);
NTSTATUS NTAPI NtMapViewOfSection(HANDLE, HANDLE, void **, ULONG64, SIZE_T, LARGE_INTEGER *, SIZE_T *, ULONG, ULONG,
				  ULONG);
NTSTATUS NTAPI NtUnmapViewOfSection(HANDLE, void *);

#define SECTION_QUERY 0x1
#define SECTION_MAP_WRITE 0x2
#define SECTION_MAP_READ 0x4
#define SECTION_MAP_EXECUTE 0x8
#define SEC_COMMIT 0x8000000
#define ACCESS_DENIED 0xC0000022
#define SYNCHRONIZE 0x100000

static NTSTATUS view(HANDLE s, ULONG protect)
{
	void *base = 0;
	SIZE_T size = 0;
	NTSTATUS st = NtMapViewOfSection(s, NtCurrentProcess(), &base, 0, 0, 0, &size, 1, 0, protect);

	if (!st)
		NtUnmapViewOfSection(NtCurrentProcess(), base);
	return st;
}

static void section_access(void)
{
	HANDLE r, w, f, s;
	LARGE_INTEGER size;
	WCHAR buf[64];
	UNICODE_STRING u;
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK io;

	size.QuadPart = 65536;
	if (NtCreateSection(&r, SECTION_QUERY | SECTION_MAP_READ, 0, &size, 0x40, SEC_COMMIT, 0) ||
	    NtCreateSection(&w, SECTION_QUERY | SECTION_MAP_WRITE, 0, &size, 0x40, SEC_COMMIT, 0)) {
		out("cannot test: sections not made\n");
		NtTerminateProcess(NtCurrentProcess(), 2);
	}
	CHECK_STATUS(view(r, 0x02), 0, "SECTION_MAP_READ handle: a PAGE_READONLY view");
	CHECK_STATUS(view(r, 0x08), 0, "  a PAGE_WRITECOPY view");
	CHECK_STATUS(view(r, 0x04), ACCESS_DENIED, "  a PAGE_READWRITE view: ACCESS_DENIED (no SECTION_MAP_WRITE)");
	CHECK_STATUS(view(r, 0x20), ACCESS_DENIED, "  a PAGE_EXECUTE_READ view: ACCESS_DENIED (no SECTION_MAP_EXECUTE)");
	CHECK_STATUS(view(w, 0x04), 0, "SECTION_MAP_WRITE handle: a PAGE_READWRITE view");
	CHECK_STATUS(view(w, 0x02), ACCESS_DENIED, "  a PAGE_READONLY view: ACCESS_DENIED (no SECTION_MAP_READ)");
	CHECK_STATUS(view(w, 0x40), ACCESS_DENIED, "  a PAGE_EXECUTE_READWRITE view: ACCESS_DENIED");
	NtClose(r);
	NtClose(w);

	ustr(&u, buf, "\\??\\C:\\sem_sec.txt");
	init_oa(&oa, &u, 0, 0);
	if (NtCreateFile(&f, 0x40000000 | SYNCHRONIZE, &oa, &io, 0, 0x80, 7, 5, 0x60, 0, 0) ||
	    NtWriteFile(f, 0, 0, 0, &io, "section data", 12, 0, 0)) {
		out("cannot test: sem_sec.txt\n");
		NtTerminateProcess(NtCurrentProcess(), 2);
	}
	NtClose(f);
	NtCreateFile(&f, 0x80000000 | 0x10000 | SYNCHRONIZE, &oa, &io, 0, 0, 7, 1, 0x60, 0, 0);
	CHECK_STATUS(NtCreateSection(&s, 0xf001f, 0, 0, 0x04, SEC_COMMIT, f), ACCESS_DENIED,
		     "a PAGE_READWRITE section of a read-only file handle: ACCESS_DENIED");
	CHECK_STATUS(NtCreateSection(&s, 0xf001f, 0, 0, 0x02, SEC_COMMIT, f), 0,
		     "  a PAGE_READONLY one is made");
	CHECK_STATUS(view(s, 0x02), 0, "  and viewed read-only");
	NtClose(s);
	{
		BOOLEAN yes = 1;
		NtSetInformationFile(f, &io, &yes, 1, 13);
	}
	NtClose(f);
}

static ULONG NTAPI busy(void *arg)
{
	(void)arg;
	for (;;)
		NtYieldExecution();
	return 0;
}

static volatile unsigned long long spins;

static ULONG NTAPI computing(void *arg)
{
	(void)arg;
	for (;;)
		spins++; /* no service call, ever */
	return 0;
}

static ULONG exit_status(HANDLE th)
{
	unsigned char info[0x30];

	if (NtQueryInformationThread(th, 0, info, sizeof(info), 0))
		return 0xffffffff;
	return *(ULONG *)info;
}

static void terminate(void)
{
	HANDLE th;
	LARGE_INTEGER d, five_s;

	if (NtCreateThreadEx(&th, 0x1fffff, 0, NtCurrentProcess(), (void *)busy, 0, 0, 0, 0, 0, 0)) {
		out("cannot test: NtCreateThreadEx failed\n");
		NtTerminateProcess(NtCurrentProcess(), 2);
	}
	d.QuadPart = -200000; /* 20 ms */
	NtDelayExecution(0, &d);
	check(exit_status(th) == 0x103, "a running thread's ExitStatus: STATUS_PENDING", exit_status(th));
	CHECK_STATUS(NtTerminateThread(th, 0x4321), 0, "NtTerminateThread of it: SUCCESS");
	five_s.QuadPart = -50000000;
	CHECK_STATUS(NtWaitForSingleObject(th, 0, &five_s), 0, "  a wait on it returns");
	check(exit_status(th) == 0x4321, "  its ExitStatus is the status given", exit_status(th));
	NtTerminateThread(th, 0x9999);
	check(exit_status(th) == 0x4321, "  ended again: its ExitStatus stays", exit_status(th));
	NtClose(th);

	if (NtCreateThreadEx(&th, 0x1fffff, 0, NtCurrentProcess(), (void *)computing, 0, 0, 0, 0, 0, 0)) {
		out("cannot test: NtCreateThreadEx failed\n");
		NtTerminateProcess(NtCurrentProcess(), 2);
	}
	while (spins < 1000)
		NtYieldExecution();
	CHECK_STATUS(NtTerminateThread(th, 0x5678), 0, "a thread computing without service calls: ended, SUCCESS");
	CHECK_STATUS(NtWaitForSingleObject(th, 0, &five_s), 0, "  a wait on it returns");
	check(exit_status(th) == 0x5678, "  its ExitStatus is the status given", exit_status(th));
	{
		unsigned long long then = spins;

		NtDelayExecution(0, &d);
		check(spins == then, "  and it computes no more", spins - then);
	}
	NtClose(th);
}

int mainCRTStartup(void)
{
	section_access();
	terminate();
	done();
	return 0;
}
