/* Virtual memory and heaps: VirtualAlloc & co over the NT memory services, the Heap functions over ntdll's heap. */
#include "k32.h"

#define ERROR_INVALID_PARAMETER 87

EXPORT void *WINAPI VirtualAlloc(void *addr, SIZE_T size, DWORD type, DWORD protect)
{
	size_t s = size;
	NTSTATUS st = NtAllocateVirtualMemory((HANDLE)(intptr_t)-1, &addr, 0, &s, type, protect);

	if (st) {
		k32_fail_nt(st);
		return NULL;
	}
	return addr;
}

EXPORT BOOL WINAPI VirtualFree(void *addr, SIZE_T size, DWORD type)
{
	size_t s = size;
	NTSTATUS st = NtFreeVirtualMemory((HANDLE)(intptr_t)-1, &addr, &s, type);

	return st ? k32_fail_nt(st) : 1;
}

EXPORT BOOL WINAPI VirtualProtect(void *addr, SIZE_T size, DWORD protect, DWORD *old)
{
	size_t s = size;
	ULONG o = 0;
	NTSTATUS st;

	if (!old)
		return k32_fail(998 /* ERROR_NOACCESS: Windows needs somewhere to put the old protection */);
	st = NtProtectVirtualMemory((HANDLE)(intptr_t)-1, &addr, &s, protect, &o);
	if (st)
		return k32_fail_nt(st);
	*old = o;
	return 1;
}

EXPORT SIZE_T WINAPI VirtualQuery(const void *addr, void *info, SIZE_T len)
{
	size_t ret = 0;
	NTSTATUS st = NtQueryVirtualMemory((HANDLE)(intptr_t)-1, addr, 0 /* MemoryBasicInformation */, info, len, &ret);

	if (st) {
		k32_fail_nt(st);
		return 0;
	}
	return ret;
}

EXPORT HANDLE WINAPI GetProcessHeap(void)
{
	return PROCESS_HEAP_K();
}

EXPORT BOOL WINAPI HeapFree(HANDLE heap, DWORD flags, void *p)
{
	return RtlFreeHeap(heap, flags, p) ? 1 : k32_fail(ERROR_INVALID_PARAMETER);
}

EXPORT HANDLE WINAPI HeapCreate(DWORD flags, SIZE_T initial, SIZE_T max)
{
	HANDLE h = RtlCreateHeap(flags | 0x2, NULL, max, initial, NULL, NULL);

	if (!h)
		k32_fail(8);
	return h;
}

EXPORT BOOL WINAPI HeapDestroy(HANDLE heap)
{
	return RtlDestroyHeap(heap) ? k32_fail(ERROR_INVALID_PARAMETER) : 1;
}

EXPORT void *WINAPI LocalAlloc(UINT flags, SIZE_T size)
{
	void *p = RtlAllocateHeap(PROCESS_HEAP_K(), flags & 0x40 /* LMEM_ZEROINIT */ ? 8 : 0, size);

	if (!p)
		k32_fail(8);
	return p; /* LMEM_FIXED: the pointer is the handle; LMEM_MOVEABLE blocks are fixed too */
}

EXPORT void *WINAPI LocalFree(void *p)
{
	return !p || RtlFreeHeap(PROCESS_HEAP_K(), 0, p) ? NULL : p;
}

typedef struct {
	uint16_t wProcessorArchitecture, wReserved;
	DWORD dwPageSize;
	void *lpMinimumApplicationAddress, *lpMaximumApplicationAddress;
	uint64_t dwActiveProcessorMask;
	DWORD dwNumberOfProcessors, dwProcessorType, dwAllocationGranularity;
	uint16_t wProcessorLevel, wProcessorRevision;
} SYSTEM_INFO;

EXPORT void WINAPI GetSystemInfo(SYSTEM_INFO *si)
{
	DWORD n = PEB_FIELD(DWORD, 0xb8);

	memset(si, 0, sizeof(*si));
	si->wProcessorArchitecture = 9; /* PROCESSOR_ARCHITECTURE_AMD64 */
	si->dwPageSize = 4096;
	si->lpMinimumApplicationAddress = (void *)0x10000;
	si->lpMaximumApplicationAddress = (void *)0x7ffffffeffffULL;
	si->dwNumberOfProcessors = n;
	si->dwActiveProcessorMask = n >= 64 ? ~0ULL : (1ULL << n) - 1;
	si->dwProcessorType = 8664; /* PROCESSOR_AMD_X8664 */
	si->dwAllocationGranularity = 0x10000;
	si->wProcessorLevel = 6;
}

EXPORT void WINAPI GetNativeSystemInfo(SYSTEM_INFO *si)
{
	GetSystemInfo(si);
}

EXPORT BOOL WINAPI GetProcessAffinityMask(HANDLE process, uint64_t *mask, uint64_t *system)
{
	DWORD n = PEB_FIELD(DWORD, 0xb8);
	uint64_t m = n >= 64 ? ~0ULL : (1ULL << n) - 1;

	if (process != (HANDLE)(intptr_t)-1)
		return k32_fail(6 /* ERROR_INVALID_HANDLE: other processes are not served */);
	*mask = m;
	*system = m;
	return 1;
}
