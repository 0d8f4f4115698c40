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
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
size_t strlen(const char *s);

#endif
