/* NT virtual memory: reserve, commit, protect, query, decommit, release, and copies within the process. */
#include "nt_test.h"

#define MEM_COMMIT 0x1000
#define MEM_RESERVE 0x2000
#define MEM_DECOMMIT 0x4000
#define MEM_RELEASE 0x8000
#define MEM_FREE 0x10000
#define MEM_PRIVATE 0x20000
#define MEM_IMAGE 0x1000000
#define MEM_TOP_DOWN 0x100000
#define PAGE_NOACCESS 0x01
#define PAGE_READONLY 0x02
#define PAGE_READWRITE 0x04

typedef struct {
	void *BaseAddress, *AllocationBase;
	ULONG AllocationProtect;
	SIZE_T RegionSize;
	ULONG State, Protect, Type;
} MBI;

int mainCRTStartup(void)
{
	void *base = 0, *p;
	SIZE_T size = 100000, sz;
	ULONG old = 0;
	MBI mbi;
	NTSTATUS st;
	char src[16] = "picovisor", dst[16] = { 0 };
	SIZE_T moved = 0;

	st = NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size, MEM_RESERVE, PAGE_READWRITE);
	check(st == 0 && ((ULONG64)base & 0xffff) == 0, "reserve: base on a 64 KiB boundary", (ULONG64)base);
	check(size == 102400, "reserve: size rounded up to pages (100000 -> 102400)", size);
	st = NtQueryVirtualMemory(NtCurrentProcess(), base, 0, &mbi, sizeof(mbi), 0);
	check(st == 0 && mbi.State == MEM_RESERVE && mbi.Protect == 0 && mbi.Type == MEM_PRIVATE,
	      "query: reserved, no protection, private", mbi.State);
	p = (char *)base + 5000;
	sz = 10;
	st = NtAllocateVirtualMemory(NtCurrentProcess(), &p, 0, &sz, MEM_COMMIT, PAGE_READWRITE);
	check(st == 0 && p == (char *)base + 4096 && sz == 4096, "commit inside: the page holding [5000, 5010)",
	      (ULONG64)sz);
	*(volatile int *)((char *)base + 5000) = 42;
	check(*(volatile int *)((char *)base + 5000) == 42, "committed memory is writable", 0);
	st = NtQueryVirtualMemory(NtCurrentProcess(), (char *)base + 4096, 0, &mbi, sizeof(mbi), 0);
	check(st == 0 && mbi.State == MEM_COMMIT && mbi.Protect == PAGE_READWRITE && mbi.RegionSize == 4096 &&
		      mbi.AllocationBase == base,
	      "query: one committed read-write page in the allocation", mbi.RegionSize);
	p = (char *)base + 4096;
	sz = 4096;
	st = NtProtectVirtualMemory(NtCurrentProcess(), &p, &sz, PAGE_READONLY, &old);
	check(st == 0 && old == PAGE_READWRITE, "protect: the old protection comes back", old);
	st = NtQueryVirtualMemory(NtCurrentProcess(), (char *)base + 4096, 0, &mbi, sizeof(mbi), 0);
	check(st == 0 && mbi.Protect == PAGE_READONLY, "query: now read-only", mbi.Protect);
	p = base;
	sz = 4096;
	CHECK_STATUS(NtProtectVirtualMemory(NtCurrentProcess(), &p, &sz, PAGE_READONLY, &old), 0xC000002D,
		     "protect a reserved page: NOT_COMMITTED");
	p = (char *)base + 4096;
	sz = 4096;
	CHECK_STATUS(NtProtectVirtualMemory(NtCurrentProcess(), &p, &sz, 0x3, &old), 0xC0000045,
		     "a protection that is two at once: INVALID_PAGE_PROTECTION");
	p = (char *)base + 4096;
	sz = 4096;
	CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &p, &sz, MEM_DECOMMIT), 0, "decommit the page");
	st = NtQueryVirtualMemory(NtCurrentProcess(), (char *)base + 4096, 0, &mbi, sizeof(mbi), 0);
	check(st == 0 && mbi.State == MEM_RESERVE, "query: reserved again", mbi.State);
	p = (char *)base + 4096;
	sz = 4096;
	NtAllocateVirtualMemory(NtCurrentProcess(), &p, 0, &sz, MEM_COMMIT, PAGE_READWRITE);
	check(*(volatile int *)((char *)base + 5000) == 0, "recommitted memory reads as zero", 0);
	p = (char *)base + 4096;
	sz = 0;
	CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &p, &sz, MEM_RELEASE), 0xC000009F,
		     "release not at the allocation base: FREE_VM_NOT_AT_BASE");
	p = base;
	sz = 0;
	st = NtFreeVirtualMemory(NtCurrentProcess(), &p, &sz, MEM_RELEASE);
	check(st == 0 && sz == 102400, "release the whole allocation", sz);
	st = NtQueryVirtualMemory(NtCurrentProcess(), base, 0, &mbi, sizeof(mbi), 0);
	check(st == 0 && mbi.State == MEM_FREE, "query: free", mbi.State);
	p = base;
	sz = 0;
	CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &p, &sz, MEM_RELEASE), 0xC00000A0,
		     "release it again: MEMORY_NOT_ALLOCATED");

	base = 0;
	size = 65536;
	st = NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size, MEM_RESERVE | MEM_COMMIT | MEM_TOP_DOWN,
				     PAGE_READWRITE);
	check(st == 0 && (ULONG64)base > 0x100000000ULL, "top-down allocation lands high", (ULONG64)base);
	((char *)base)[65535] = 1;
	base = 0;
	size = 4096;
	CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size, MEM_FREE, PAGE_READWRITE), 0xC000000D,
		     "an allocation type that is neither reserve nor commit: INVALID_PARAMETER");

	/* the image's own pages */
	st = NtQueryVirtualMemory(NtCurrentProcess(), (void *)mainCRTStartup, 0, &mbi, sizeof(mbi), 0);
	check(st == 0 && mbi.Type == MEM_IMAGE && mbi.State == MEM_COMMIT && mbi.Protect == 0x20,
	      "query of the program's code: image, committed, PAGE_EXECUTE_READ", mbi.Protect);
	CHECK_STATUS(NtQueryVirtualMemory(NtCurrentProcess(), base, 0, &mbi, 8, 0), 0xC0000004,
		     "a short buffer: INFO_LENGTH_MISMATCH");

	st = NtWriteVirtualMemory(NtCurrentProcess(), dst, src, 10, &moved);
	check(st == 0 && moved == 10 && dst[0] == 'p' && dst[8] == 'r', "NtWriteVirtualMemory copies", moved);
	st = NtReadVirtualMemory(NtCurrentProcess(), (void *)0x10, dst, 4, &moved);
	check(st != 0 && moved == 0, "NtReadVirtualMemory of unmapped memory fails, nothing copied", (ULONG)st);
	done();
	return 0;
}
