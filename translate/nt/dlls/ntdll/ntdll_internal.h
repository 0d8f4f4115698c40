/*
 * Between the user-mode parts of picovisor's ntdll.dll (translate/ntdll/ntdll.c
 * holds the system-service stubs; this directory the loader, the heap and the
 * synchronisation the DLLs above it are built on). Freestanding: no CRT.
 */
#ifndef PV_NTDLL_INTERNAL_H
#define PV_NTDLL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#define EXPORT __declspec(dllexport)

typedef long NTSTATUS;
typedef void *HANDLE;
typedef uint16_t WCHAR;
typedef unsigned long ULONG;
typedef int BOOL;

typedef struct {
	uint16_t Length, MaximumLength;
	WCHAR *Buffer;
} UNICODE_STRING;

typedef struct {
	uint16_t Length, MaximumLength;
	char *Buffer;
} ANSI_STRING;

typedef struct {
	ULONG Length;
	HANDLE RootDirectory;
	UNICODE_STRING *ObjectName;
	ULONG Attributes;
	void *SecurityDescriptor, *SecurityQualityOfService;
} OBJECT_ATTRIBUTES;

typedef struct {
	NTSTATUS Status;
	uint64_t Information;
} IO_STATUS_BLOCK;

typedef struct {
	void *DebugInfo;
	volatile long LockCount;
	volatile long RecursionCount;
	volatile HANDLE OwningThread;
	volatile HANDLE LockSemaphore;
	uint64_t SpinCount;
} RTL_CRITICAL_SECTION;

#define STATUS_SUCCESS 0
#define STATUS_TIMEOUT 0x102L
#define STATUS_NO_MEMORY ((NTSTATUS)0xC0000017L)
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000DL)
#define STATUS_INVALID_IMAGE_FORMAT ((NTSTATUS)0xC000007BL)
#define STATUS_DLL_NOT_FOUND ((NTSTATUS)0xC0000135L)
#define STATUS_ORDINAL_NOT_FOUND ((NTSTATUS)0xC0000138L)
#define STATUS_ENTRYPOINT_NOT_FOUND ((NTSTATUS)0xC0000139L)
#define STATUS_DLL_INIT_FAILED ((NTSTATUS)0xC0000142L)
#define STATUS_PROCEDURE_NOT_FOUND ((NTSTATUS)0xC000007AL)
#define STATUS_OBJECT_NAME_NOT_FOUND ((NTSTATUS)0xC0000034L)
#define STATUS_CONFLICTING_ADDRESSES ((NTSTATUS)0xC0000018L)
#define STATUS_INVALID_HANDLE ((NTSTATUS)0xC0000008L)
#define STATUS_BUFFER_TOO_SMALL ((NTSTATUS)0xC0000023L)

#define NT_SUCCESS(s) ((NTSTATUS)(s) >= 0)

/* The system services ntdll.c exports (the ones used here). */
NTSTATUS NtAllocateVirtualMemory(HANDLE process, void **base, uint64_t zero_bits, size_t *size, ULONG type, ULONG protect);
NTSTATUS NtFreeVirtualMemory(HANDLE process, void **base, size_t *size, ULONG type);
NTSTATUS NtProtectVirtualMemory(HANDLE process, void **base, size_t *size, ULONG protect, ULONG *old);
NTSTATUS NtOpenFile(HANDLE *h, ULONG access, OBJECT_ATTRIBUTES *oa, IO_STATUS_BLOCK *iosb, ULONG share, ULONG options);
NTSTATUS NtReadFile(HANDLE h, HANDLE event, void *apc, void *ctx, IO_STATUS_BLOCK *iosb, void *buf, ULONG len,
		    int64_t *offset, ULONG *key);
NTSTATUS NtWriteFile(HANDLE h, HANDLE event, void *apc, void *ctx, IO_STATUS_BLOCK *iosb, const void *buf, ULONG len,
		     int64_t *offset, ULONG *key);
NTSTATUS NtClose(HANDLE h);
NTSTATUS NtQueryInformationFile(HANDLE h, IO_STATUS_BLOCK *iosb, void *info, ULONG len, ULONG cls);
NTSTATUS NtCreateEvent(HANDLE *h, ULONG access, OBJECT_ATTRIBUTES *oa, int type, BOOL initial);
NTSTATUS NtSetEvent(HANDLE h, long *prev);
NTSTATUS NtWaitForSingleObject(HANDLE h, BOOL alertable, const int64_t *timeout);
NTSTATUS NtYieldExecution(void);
NTSTATUS NtTerminateThread(HANDLE thread, NTSTATUS status);
NTSTATUS NtTerminateProcess(HANDLE process, NTSTATUS status);

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

#define MEM_COMMIT 0x1000
#define MEM_RESERVE 0x2000
#define MEM_RELEASE 0x8000
#define PAGE_NOACCESS 0x01
#define PAGE_READONLY 0x02
#define PAGE_READWRITE 0x04
#define PAGE_EXECUTE 0x10
#define PAGE_EXECUTE_READ 0x20
#define PAGE_EXECUTE_READWRITE 0x40
#define HEAP_NO_SERIALIZE 0x1
#define HEAP_GENERATE_EXCEPTIONS 0x4
#define HEAP_ZERO_MEMORY 0x8
#define HEAP_REALLOC_IN_PLACE_ONLY 0x10

#define CURRENT_PROCESS ((HANDLE)-1)

/* The TEB (gs:[0x30]) and the PEB it points at; offsets are the documented x64 ones. */
static inline unsigned char *pv_teb(void)
{
	unsigned char *teb;

	__asm__("mov %%gs:0x30, %0" : "=r"(teb));
	return teb;
}
#define TEB_FIELD(type, off) (*(type *)(pv_teb() + (off)))
#define PEB() TEB_FIELD(unsigned char *, 0x60)
#define PEB_FIELD(type, off) (*(type *)(PEB() + (off)))
#define TEB_CLIENT_TID() TEB_FIELD(uint64_t, 0x48)

/*
 * ntdll's own word per thread: past the end of the documented TEB (0x1838 in
 * Windows 10, 0x1878 in 24H2), inside the 8 KiB block picovisor gives each
 * thread's TEB.
 */
#define TEB_PV_THREAD 0x1f00
struct pv_thread {
	HANDLE wait_event;            /* for waits on an address (sync.c) */
	struct pv_thread *next_waiter;
	volatile const void *wait_addr;
	volatile int woken;
	void **tls_vec;               /* the TLS vector the loader made for it (loader.c), or NULL */
	void *fls[128];               /* FLS slots */
};
struct pv_thread *pv_thread_self(void);

/* Heap (heap.c). */
void *RtlAllocateHeap(void *heap, ULONG flags, size_t size);
BOOL RtlFreeHeap(void *heap, ULONG flags, void *p);
void *pv_heap_create_process_heap(void);
#define PROCESS_HEAP() PEB_FIELD(void *, 0x30)

/* Synchronisation (sync.c). */
NTSTATUS RtlInitializeCriticalSection(RTL_CRITICAL_SECTION *cs);
NTSTATUS RtlEnterCriticalSection(RTL_CRITICAL_SECTION *cs);
NTSTATUS RtlLeaveCriticalSection(RTL_CRITICAL_SECTION *cs);
/* Wait while *addr (size bytes) equals *cmp, or for timeout (NULL: none): STATUS_SUCCESS or STATUS_TIMEOUT. */
NTSTATUS RtlWaitOnAddress(volatile void *addr, void *cmp, size_t size, const int64_t *timeout);
void RtlWakeAddressSingle(void *addr);
void RtlWakeAddressAll(void *addr);

/* The loader (loader.c). */
void pv_loader_thread_attach(void);
void pv_loader_thread_detach(void);
void pv_loader_process_detach(void);
/* PEB->Ldr, the documented module lists (ldr_list.c), kept by the loader under its lock. */
/* The DOS device a path's last component names ("NUL", "COM1"...) into out: its length, or 0 (dos_device.c). */
size_t pv_dos_device(const WCHAR *path, WCHAR out[5]);
void pv_ldr_setup(void *loader_lock);
void *pv_ldr_add(void *base, uint32_t size, void *entry_point, const WCHAR *full, const WCHAR *name, int is_dll,
		 int static_load);
void pv_ldr_initialised(void *entry);
void pv_ldr_remove(void *entry);

/* Strings (string.c). */
size_t pv_wcslen(const WCHAR *s);
int pv_wcsicmp(const WCHAR *a, const WCHAR *b);
WCHAR pv_towlower(WCHAR c);
void pv_write_stderr(const char *s);
/* Append ASCII a (or UTF-16 w) to buf of cap units at *n, NUL-terminated, truncating. */
void pv_wcat_a(WCHAR *buf, size_t cap, size_t *n, const char *a);
void pv_wcat_w(WCHAR *buf, size_t cap, size_t *n, const WCHAR *w);

#endif
