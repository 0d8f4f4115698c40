/*
 * What the NT test programs share: the NT types and services they call (as
 * docs/nt.md describes them; no Windows headers, no CRT), output through
 * NtWriteFile on the standard output handle of the process parameters, and
 * TAP: "ok N - what" / "not ok N - what (got ...)", then "1..N" at the end.
 * Built with x86_64-w64-mingw32-gcc -nostdlib and linked with -lntdll.
 */
#ifndef NT_TEST_H
#define NT_TEST_H

typedef long NTSTATUS;
typedef void *HANDLE;
typedef unsigned long ULONG;
typedef unsigned short USHORT;
typedef unsigned long long SIZE_T, ULONG64;
typedef long long LONGLONG;
typedef unsigned char BOOLEAN;
typedef unsigned short WCHAR;

typedef struct {
	USHORT Length, MaximumLength;
	WCHAR *Buffer;
} UNICODE_STRING;

typedef struct {
	ULONG Length;
	HANDLE RootDirectory;
	UNICODE_STRING *ObjectName;
	ULONG Attributes;
	void *SecurityDescriptor, *SecurityQualityOfService;
} OBJECT_ATTRIBUTES;

typedef struct {
	union {
		NTSTATUS Status;
		void *Pointer;
	};
	ULONG64 Information;
} IO_STATUS_BLOCK;

typedef union {
	LONGLONG QuadPart;
	struct {
		ULONG LowPart;
		long HighPart;
	};
} LARGE_INTEGER;

#define NTAPI __attribute__((ms_abi))
#define NtCurrentProcess() ((HANDLE)-1)
#define NtCurrentThread() ((HANDLE)-2)
#define OBJ_CASE_INSENSITIVE 0x40

NTSTATUS NTAPI NtClose(HANDLE);
NTSTATUS NTAPI NtCreateFile(HANDLE *, ULONG, OBJECT_ATTRIBUTES *, IO_STATUS_BLOCK *, LARGE_INTEGER *, ULONG, ULONG, ULONG,
			    ULONG, void *, ULONG);
NTSTATUS NTAPI NtOpenFile(HANDLE *, ULONG, OBJECT_ATTRIBUTES *, IO_STATUS_BLOCK *, ULONG, ULONG);
NTSTATUS NTAPI NtReadFile(HANDLE, HANDLE, void *, void *, IO_STATUS_BLOCK *, void *, ULONG, LARGE_INTEGER *, ULONG *);
NTSTATUS NTAPI NtWriteFile(HANDLE, HANDLE, void *, void *, IO_STATUS_BLOCK *, const void *, ULONG, LARGE_INTEGER *,
			   ULONG *);
NTSTATUS NTAPI NtQueryInformationFile(HANDLE, IO_STATUS_BLOCK *, void *, ULONG, ULONG);
NTSTATUS NTAPI NtSetInformationFile(HANDLE, IO_STATUS_BLOCK *, void *, ULONG, ULONG);
NTSTATUS NTAPI NtQueryDirectoryFile(HANDLE, HANDLE, void *, void *, IO_STATUS_BLOCK *, void *, ULONG, ULONG, BOOLEAN,
				    UNICODE_STRING *, BOOLEAN);
NTSTATUS NTAPI NtQueryAttributesFile(OBJECT_ATTRIBUTES *, void *);
NTSTATUS NTAPI NtQueryFullAttributesFile(OBJECT_ATTRIBUTES *, void *);
NTSTATUS NTAPI NtDeleteFile(OBJECT_ATTRIBUTES *);
NTSTATUS NTAPI NtFlushBuffersFile(HANDLE, IO_STATUS_BLOCK *);
NTSTATUS NTAPI NtQueryVolumeInformationFile(HANDLE, IO_STATUS_BLOCK *, void *, ULONG, ULONG);
NTSTATUS NTAPI NtTerminateProcess(HANDLE, NTSTATUS);
NTSTATUS NTAPI NtTerminateThread(HANDLE, NTSTATUS);
NTSTATUS NTAPI NtQuerySystemTime(LARGE_INTEGER *);
NTSTATUS NTAPI NtQueryPerformanceCounter(LARGE_INTEGER *, LARGE_INTEGER *);
NTSTATUS NTAPI NtDelayExecution(BOOLEAN, LARGE_INTEGER *);
NTSTATUS NTAPI NtYieldExecution(void);
NTSTATUS NTAPI NtQueryInformationProcess(HANDLE, ULONG, void *, ULONG, ULONG *);
NTSTATUS NTAPI NtQueryInformationThread(HANDLE, ULONG, void *, ULONG, ULONG *);
NTSTATUS NTAPI NtQuerySystemInformation(ULONG, void *, ULONG, ULONG *);

NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE, void **, ULONG64, SIZE_T *, ULONG, ULONG);
NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE, void **, SIZE_T *, ULONG);
NTSTATUS NTAPI NtProtectVirtualMemory(HANDLE, void **, SIZE_T *, ULONG, ULONG *);
NTSTATUS NTAPI NtQueryVirtualMemory(HANDLE, void *, ULONG, void *, SIZE_T, SIZE_T *);
NTSTATUS NTAPI NtReadVirtualMemory(HANDLE, void *, void *, SIZE_T, SIZE_T *);
NTSTATUS NTAPI NtWriteVirtualMemory(HANDLE, void *, const void *, SIZE_T, SIZE_T *);
NTSTATUS NTAPI NtCreateEvent(HANDLE *, ULONG, OBJECT_ATTRIBUTES *, ULONG, BOOLEAN);
NTSTATUS NTAPI NtSetEvent(HANDLE, long *);
NTSTATUS NTAPI NtResetEvent(HANDLE, long *);
NTSTATUS NTAPI NtClearEvent(HANDLE);
NTSTATUS NTAPI NtCreateMutant(HANDLE *, ULONG, OBJECT_ATTRIBUTES *, BOOLEAN);
NTSTATUS NTAPI NtReleaseMutant(HANDLE, long *);
NTSTATUS NTAPI NtCreateSemaphore(HANDLE *, ULONG, OBJECT_ATTRIBUTES *, long, long);
NTSTATUS NTAPI NtReleaseSemaphore(HANDLE, long, long *);
NTSTATUS NTAPI NtWaitForSingleObject(HANDLE, BOOLEAN, LARGE_INTEGER *);
NTSTATUS NTAPI NtWaitForMultipleObjects(ULONG, HANDLE *, ULONG, BOOLEAN, LARGE_INTEGER *);
NTSTATUS NTAPI NtDuplicateObject(HANDLE, HANDLE, HANDLE, HANDLE *, ULONG, ULONG, ULONG);
NTSTATUS NTAPI NtQueryObject(HANDLE, ULONG, void *, ULONG, ULONG *);
NTSTATUS NTAPI NtCreateThreadEx(HANDLE *, ULONG, OBJECT_ATTRIBUTES *, HANDLE, void *, void *, ULONG, SIZE_T, SIZE_T,
				SIZE_T, void *);

/* Compilers may call these for structure copies and zeroing; no CRT here. */
void *memset(void *d, int c, SIZE_T n);
void *memcpy(void *d, const void *s, SIZE_T n);
void *memset(void *d, int c, SIZE_T n)
{
	unsigned char *p = d;
	while (n--)
		*p++ = (unsigned char)c;
	return d;
}
void *memcpy(void *d, const void *s, SIZE_T n)
{
	unsigned char *p = d;
	const unsigned char *q = s;
	while (n--)
		*p++ = *q++;
	return d;
}

/* The PEB: gs:[0x60]; its ProcessParameters at +0x20. */
static inline void *peb(void)
{
	void *p;
	__asm__ volatile("mov %%gs:0x60, %0" : "=r"(p));
	return p;
}

static inline void *params(void)
{
	return *(void **)((char *)peb() + 0x20);
}

static inline HANDLE std_handle(int which) /* 0 in, 1 out, 2 err */
{
	return *(HANDLE *)((char *)params() + 0x20 + 8 * which);
}

static inline SIZE_T slen(const char *s)
{
	SIZE_T n = 0;
	while (s[n])
		n++;
	return n;
}

static inline void out(const char *s)
{
	IO_STATUS_BLOCK io;
	NtWriteFile(std_handle(1), 0, 0, 0, &io, s, (ULONG)slen(s), 0, 0);
}

static inline void out_hex(unsigned long long v)
{
	char b[19], *p = b + 18;
	*p = 0;
	do {
		*--p = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	*--p = 'x';
	*--p = '0';
	out(p);
}

static inline void out_dec(unsigned long long v)
{
	char b[21], *p = b + 20;
	*p = 0;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out(p);
}

static int tests_run, tests_failed;

/* One TAP line; got is shown when the check failed. */
static inline void check(int ok, const char *what, unsigned long long got)
{
	tests_run++;
	if (!ok) {
		tests_failed++;
		out("not ");
	}
	out("ok ");
	out_dec((unsigned long long)tests_run);
	out(" - ");
	out(what);
	if (!ok) {
		out(" (got ");
		out_hex(got);
		out(")");
	}
	out("\n");
}

#define CHECK_STATUS(call, want, what)                                                                               \
	do {                                                                                                         \
		NTSTATUS st_ = (call);                                                                               \
		check(st_ == (NTSTATUS)(want), what, (unsigned long)st_);                                            \
	} while (0)

/* The closing count; the exit status says whether everything passed. */
static inline void done(void)
{
	out("1..");
	out_dec((unsigned long long)tests_run);
	out("\n");
	NtTerminateProcess(NtCurrentProcess(), tests_failed ? 1 : 0);
}

/* An ASCII string as a UNICODE_STRING in buf (at most 259 characters). */
static inline void ustr(UNICODE_STRING *u, WCHAR *buf, const char *s)
{
	SIZE_T n = 0;
	while (s[n] && n < 259) {
		buf[n] = (WCHAR)(unsigned char)s[n];
		n++;
	}
	buf[n] = 0;
	u->Length = (USHORT)(n * 2);
	u->MaximumLength = (USHORT)(n * 2 + 2);
	u->Buffer = buf;
}

static inline void init_oa(OBJECT_ATTRIBUTES *oa, UNICODE_STRING *name, HANDLE root, ULONG attrs)
{
	oa->Length = sizeof(*oa);
	oa->RootDirectory = root;
	oa->ObjectName = name;
	oa->Attributes = attrs;
	oa->SecurityDescriptor = 0;
	oa->SecurityQualityOfService = 0;
}

#endif
