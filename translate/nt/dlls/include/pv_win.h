/*
 * The Win32 types and the ntdll functions picovisor's own DLLs are written
 * with (no Windows headers: the facts are the documented ABI). Freestanding.
 */
#ifndef PV_WIN_H
#define PV_WIN_H

#include <stddef.h>
#include <stdint.h>

#define WINAPI __attribute__((ms_abi))
#define EXPORT __declspec(dllexport)

typedef int BOOL;
typedef unsigned long DWORD, ULONG;
typedef long LONG, NTSTATUS;
typedef unsigned int UINT;
typedef void *HANDLE, *HMODULE, *LPVOID;
typedef uint16_t WCHAR;
typedef unsigned char BYTE;
typedef uint64_t ULONG_PTR, SIZE_T;

typedef struct {
	uint16_t Length, MaximumLength;
	WCHAR *Buffer;
} UNICODE_STRING;

typedef struct {
	uint16_t Length, MaximumLength;
	char *Buffer;
} ANSI_STRING;

typedef struct {
	NTSTATUS Status;
	uint64_t Information;
} IO_STATUS_BLOCK;

typedef struct {
	ULONG Length;
	HANDLE RootDirectory;
	UNICODE_STRING *ObjectName;
	ULONG Attributes;
	void *SecurityDescriptor, *SecurityQualityOfService;
} OBJECT_ATTRIBUTES;

#define INVALID_HANDLE_VALUE ((HANDLE)(intptr_t)-1)

typedef struct {
	void *DebugInfo;
	volatile LONG LockCount;
	volatile LONG RecursionCount;
	volatile HANDLE OwningThread;
	volatile HANDLE LockSemaphore;
	uint64_t SpinCount;
} RTL_CRITICAL_SECTION_K;

typedef struct {
	DWORD dwLowDateTime, dwHighDateTime;
} FILETIME;

static inline unsigned char *pv_teb(void)
{
	unsigned char *teb;

	__asm__("mov %%gs:0x30, %0" : "=r"(teb));
	return teb;
}
#define TEB_FIELD(type, off) (*(type *)(pv_teb() + (off)))
#define PEB() TEB_FIELD(unsigned char *, 0x60)
#define PEB_FIELD(type, off) (*(type *)(PEB() + (off)))
#define PROCESS_PARAMS() PEB_FIELD(unsigned char *, 0x20)
#define LAST_ERROR() TEB_FIELD(DWORD, 0x68)

/* ntdll */
NTSTATUS LdrLoadDll(const WCHAR *path, ULONG *flags, const UNICODE_STRING *name, void **handle);
NTSTATUS LdrGetDllHandle(const WCHAR *path, ULONG *chars, const UNICODE_STRING *name, void **handle);
NTSTATUS LdrGetProcedureAddress(void *base, const ANSI_STRING *name, ULONG ordinal, void **addr);
NTSTATUS LdrUnloadDll(void *base);
NTSTATUS LdrGetDllFullName(void *base, UNICODE_STRING *name);
NTSTATUS LdrDisableThreadLibraryCalls(void *base);
ULONG RtlNtStatusToDosError(NTSTATUS st);
void RtlExitUserProcess(NTSTATUS st);
void *RtlAllocateHeap(void *heap, ULONG flags, size_t size);
BOOL RtlFreeHeap(void *heap, ULONG flags, void *p);
NTSTATUS NtWriteFile(HANDLE h, HANDLE event, void *apc, void *ctx, IO_STATUS_BLOCK *iosb, const void *buf, ULONG len,
		     int64_t *offset, ULONG *key);
NTSTATUS NtReadFile(HANDLE h, HANDLE event, void *apc, void *ctx, IO_STATUS_BLOCK *iosb, void *buf, ULONG len,
		    int64_t *offset, ULONG *key);
NTSTATUS NtClose(HANDLE h);
NTSTATUS NtDelayExecution(BOOL alertable, const int64_t *interval);
NTSTATUS NtYieldExecution(void);
NTSTATUS NtProtectVirtualMemory(HANDLE process, void **base, size_t *size, ULONG protect, ULONG *old);
NTSTATUS NtQueryVirtualMemory(HANDLE process, const void *base, int cls, void *info, size_t len, size_t *ret);
NTSTATUS NtAllocateVirtualMemory(HANDLE process, void **base, uint64_t zero_bits, size_t *size, ULONG type, ULONG protect);
NTSTATUS NtFreeVirtualMemory(HANDLE process, void **base, size_t *size, ULONG type);
NTSTATUS RtlEnterCriticalSection(RTL_CRITICAL_SECTION_K *cs);
NTSTATUS RtlLeaveCriticalSection(RTL_CRITICAL_SECTION_K *cs);
unsigned char RtlDosPathNameToNtPathName_U(const WCHAR *dos, UNICODE_STRING *nt, WCHAR **file_part, void *relative);
ULONG RtlGetFullPathName_U(const WCHAR *name, ULONG size, WCHAR *buf, WCHAR **file_part);
void RtlFreeUnicodeString(UNICODE_STRING *s);
NTSTATUS NtCreateFile(HANDLE *h, ULONG access, OBJECT_ATTRIBUTES *oa, IO_STATUS_BLOCK *iosb, int64_t *alloc, ULONG attrs,
		      ULONG share, ULONG disposition, ULONG options, void *ea, ULONG ea_len);
NTSTATUS NtOpenFile(HANDLE *h, ULONG access, OBJECT_ATTRIBUTES *oa, IO_STATUS_BLOCK *iosb, ULONG share, ULONG options);
NTSTATUS NtQueryInformationFile(HANDLE h, IO_STATUS_BLOCK *iosb, void *info, ULONG len, ULONG cls);
NTSTATUS NtSetInformationFile(HANDLE h, IO_STATUS_BLOCK *iosb, void *info, ULONG len, ULONG cls);
NTSTATUS NtQueryVolumeInformationFile(HANDLE h, IO_STATUS_BLOCK *iosb, void *info, ULONG len, ULONG cls);
NTSTATUS NtQueryDirectoryFile(HANDLE h, HANDLE ev, void *apc, void *ctx, IO_STATUS_BLOCK *iosb, void *info, ULONG len,
			      ULONG cls, unsigned char single, UNICODE_STRING *mask, unsigned char restart);
NTSTATUS NtQueryFullAttributesFile(OBJECT_ATTRIBUTES *oa, void *info);
NTSTATUS NtFlushBuffersFile(HANDLE h, IO_STATUS_BLOCK *iosb);
NTSTATUS NtDuplicateObject(HANDLE sp, HANDLE s, HANDLE tp, HANDLE *t, ULONG access, ULONG attrs, ULONG options);
NTSTATUS NtQuerySystemTime(int64_t *t);
NTSTATUS NtQueryPerformanceCounter(int64_t *counter, int64_t *freq);
NTSTATUS NtCreateEvent(HANDLE *h, ULONG access, OBJECT_ATTRIBUTES *oa, int type, unsigned char initial);
NTSTATUS NtSetEvent(HANDLE h, LONG *prev);
NTSTATUS NtResetEvent(HANDLE h, LONG *prev);
NTSTATUS NtCreateMutant(HANDLE *h, ULONG access, OBJECT_ATTRIBUTES *oa, unsigned char owner);
NTSTATUS NtReleaseMutant(HANDLE h, LONG *prev);
NTSTATUS NtCreateSemaphore(HANDLE *h, ULONG access, OBJECT_ATTRIBUTES *oa, LONG initial, LONG max);
NTSTATUS NtReleaseSemaphore(HANDLE h, LONG count, LONG *prev);
NTSTATUS NtWaitForSingleObject(HANDLE h, unsigned char alertable, const int64_t *timeout);
NTSTATUS NtWaitForMultipleObjects(ULONG n, const HANDLE *h, int type, unsigned char alertable, const int64_t *timeout);
NTSTATUS NtCreateThreadEx(HANDLE *h, ULONG access, OBJECT_ATTRIBUTES *oa, HANDLE process, void *start, void *arg,
			  ULONG flags, size_t zero_bits, size_t stack, size_t max_stack, void *attrs);
NTSTATUS NtQueryInformationThread(HANDLE h, ULONG cls, void *info, ULONG len, ULONG *ret);
NTSTATUS NtQueryInformationProcess(HANDLE h, ULONG cls, void *info, ULONG len, ULONG *ret);
NTSTATUS NtTerminateThread(HANDLE h, NTSTATUS st);
NTSTATUS NtTerminateProcess(HANDLE h, NTSTATUS st);
NTSTATUS NtQueryInformationProcess(HANDLE h, ULONG cls, void *info, ULONG len, ULONG *ret);
NTSTATUS NtSetInformationProcess(HANDLE h, ULONG cls, void *info, ULONG len);
NTSTATUS NtQueryObject(HANDLE h, ULONG cls, void *info, ULONG len, ULONG *ret);
NTSTATUS NtSetInformationObject(HANDLE h, ULONG cls, void *info, ULONG len);
NTSTATUS LdrAddRefDll(ULONG flags, void *base);
void *RtlPcToFileHeader(void *pc, void **base);
void *RtlReAllocateHeap(void *heap, ULONG flags, void *p, size_t size);
void *RtlCreateHeap(ULONG flags, void *base, size_t reserve, size_t commit, void *lock, void *params);
void *RtlDestroyHeap(void *heap);
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
size_t strlen(const char *s);

#endif
