/*
 * Hostile: what a program sends must not stop the supervisor or exhaust its
 * memory. A wildcard mask that makes backtracking exponential (12 stars
 * against a 200-character name: minutes), a directory query whose Length
 * says 4 GiB, a 64 TiB reservation (2 bytes of bookkeeping per page would be
 * 32 GiB), a 64 GiB section view, and a 1 TiB NtReadVirtualMemory. Each must
 * answer, and quickly: the runner's time limit is the check that the
 * supervisor did not spin. "memory-only" leaves the mask out. Exit 2: the
 * setup failed.
 */
#include "nt_test.h"

#define FILE_LIST_DIRECTORY 0x1
#define SYNCHRONIZE 0x100000
#define MEM_COMMIT 0x1000
#define MEM_RESERVE 0x2000
#define MEM_RELEASE 0x8000
#define PAGE_READWRITE 0x04

NTSTATUS NTAPI NtCreateSection(HANDLE *, ULONG, OBJECT_ATTRIBUTES *, LARGE_INTEGER *, ULONG, ULONG, HANDLE);
NTSTATUS NTAPI NtMapViewOfSection(HANDLE, HANDLE, void **, ULONG64, SIZE_T, LARGE_INTEGER *, SIZE_T *, ULONG, ULONG,
				  ULONG);

static void cannot_test(const char *why)
{
	out("# cannot test: ");
	out(why);
	out("\n");
	NtTerminateProcess(NtCurrentProcess(), 2);
}

/* Is word on the command line (ASCII)? */
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

static HANDLE open_root(void)
{
	WCHAR buf[16];
	UNICODE_STRING u;
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK io;
	HANDLE h = 0;

	ustr(&u, buf, "\\??\\C:\\");
	init_oa(&oa, &u, 0, 0);
	if (NtOpenFile(&h, FILE_LIST_DIRECTORY | SYNCHRONIZE, &oa, &io, 7, 0x21))
		cannot_test("cannot open C:\\");
	return h;
}

int mainCRTStartup(void)
{
	static unsigned char buf[65536];
	char name[260] = "\\??\\C:\\", evil[64];
	WCHAR nb[260], mb[64];
	UNICODE_STRING u, mask;
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK io;
	HANDLE h, d, sec;
	NTSTATUS st;
	void *base = 0, *view = 0;
	SIZE_T size, moved = 0;
	LARGE_INTEGER ssize;
	unsigned char mbi[0x30];
	int n = 7;

	/* a 200-character name of a's, and a mask of 12 stars that never matches it */
	for (int i = 0; i < 200; i++)
		name[n++] = 'a';
	name[n] = 0;
	ustr(&u, nb, name);
	init_oa(&oa, &u, 0, 0);
	if (NtCreateFile(&h, 0x40000000 | SYNCHRONIZE, &oa, &io, 0, 0, 0, 5, 0x60, 0, 0))
		cannot_test("cannot create the long name");
	NtClose(h);
	n = 0;
	for (int i = 0; i < 12; i++) {
		evil[n++] = '*';
		evil[n++] = 'a';
	}
	evil[n++] = '*';
	evil[n++] = 'b';
	evil[n] = 0;
	ustr(&mask, mb, evil);
	if (!has_arg("memory-only")) {
		d = open_root();
		CHECK_STATUS(NtQueryDirectoryFile(d, 0, 0, 0, &io, buf, sizeof(buf), 12, 0, &mask, 1), 0xC000000F,
			     "mask *a*a...*b (12 stars) against a 200-character name: NO_SUCH_FILE, at once");
		NtClose(d);
	}

	/* a Length of almost 4 GiB on a 64 KiB buffer: the listing fits, and the supervisor allocates no 4 GiB */
	d = open_root();
	st = NtQueryDirectoryFile(d, 0, 0, 0, &io, buf, 0xfffffff0u, 12, 0, 0, 1);
	check(st == 0 && io.Information > 0 && io.Information < sizeof(buf), "a directory query with Length 4 GiB",
	      (ULONG)st);
	NtClose(d);

	/* 64 TiB reserved: one record, not 32 GiB of page bookkeeping */
	size = 64ULL << 40;
	st = NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size, MEM_RESERVE, PAGE_READWRITE);
	check(st == 0 && size == 64ULL << 40, "reserve 64 TiB", (ULONG)st);
	if (st == 0) {
		void *mid = (char *)base + (32ULL << 40);
		SIZE_T one = 4096;
		CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &mid, 0, &one, MEM_COMMIT, PAGE_READWRITE), 0,
			     "commit a page in its middle");
		*(volatile char *)mid = 1;
		st = NtQueryVirtualMemory(NtCurrentProcess(), base, 0, mbi, sizeof(mbi), 0);
		check(st == 0 && *(SIZE_T *)(mbi + 0x18) == 32ULL << 40 && *(ULONG *)(mbi + 0x20) == MEM_RESERVE,
		      "its first 32 TiB: one reserved region", *(SIZE_T *)(mbi + 0x18));
		st = NtQueryVirtualMemory(NtCurrentProcess(), mid, 0, mbi, sizeof(mbi), 0);
		check(st == 0 && *(SIZE_T *)(mbi + 0x18) == 4096 && *(ULONG *)(mbi + 0x20) == MEM_COMMIT,
		      "the committed page", *(SIZE_T *)(mbi + 0x18));
		/* 1 TiB asked of NtReadVirtualMemory from it: a bounded part is moved, never the whole */
		st = NtReadVirtualMemory(NtCurrentProcess(), mid, buf, 1ULL << 40, &moved);
		check(st == (NTSTATUS)0x8000000D && moved < sizeof(buf) + 4096, "a 1 TiB copy: PARTIAL_COPY", (ULONG)st);
		size = 0;
		CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &base, &size, MEM_RELEASE), 0, "release it");
	}

	/* a 64 GiB page-file section mapped whole: one record */
	ssize.QuadPart = 64LL << 30;
	st = NtCreateSection(&sec, 0xf001f, 0, &ssize, PAGE_READWRITE, 0x8000000, 0);
	check(st == 0, "a 64 GiB section", (ULONG)st);
	if (st == 0) {
		size = 0;
		st = NtMapViewOfSection(sec, NtCurrentProcess(), &view, 0, 0, 0, &size, 1, 0, PAGE_READWRITE);
		check(st == 0 && size == 64ULL << 30, "mapped whole", (ULONG)st);
		NtClose(sec);
	}
	done();
	return 0;
}
