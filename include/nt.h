/*
 * The NT personality's shared facts: the Windows builds picovisor serves, the
 * service table (translate/nt/nt_services.def), the drive map, NTSTATUS, and
 * what the PE loader hands the personality when an NT image starts.
 * The ABI itself: docs/nt.md.
 */
#ifndef PICOVISOR_NT_H
#define PICOVISOR_NT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct tracee;

/* ---- Windows builds: which service numbers, and what the PEB says. */

enum nt_build {
	NT_BUILD_19045, /* Windows 10 22H2 (the default) */
	NT_BUILD_22631, /* Windows 11 23H2 */
	NT_BUILD_COUNT,
};

/* "19045" or "22631": 0 and *b, or -1. */
int nt_build_parse(const char *s, enum nt_build *b);
void nt_build_select(enum nt_build b);
enum nt_build nt_build_selected(void);
/* The build number the PEB reports (19045, 22631). */
unsigned nt_build_number(enum nt_build b);
/* The project's ntdll.dll built with this build's service numbers (embedded in picovisor). */
const unsigned char *nt_ntdll_image(enum nt_build b, size_t *len);

/* ---- The services: translate/nt/nt_services.h (their table, built from translate/nt/nt_services.def). */

/* ---- NTSTATUS. */

typedef uint32_t ntstatus;

enum {
	STATUS_SUCCESS = 0x00000000,
	STATUS_WAIT_0 = 0x00000000,
	STATUS_ABANDONED_WAIT_0 = 0x00000080,
	STATUS_USER_APC = 0x000000C0,
	STATUS_ALERTED = 0x00000101,
	STATUS_TIMEOUT = 0x00000102,
	STATUS_PENDING = 0x00000103,
	STATUS_OBJECT_NAME_EXISTS = 0x40000000,
	STATUS_BUFFER_OVERFLOW = 0x80000005,
	STATUS_NO_MORE_FILES = 0x80000006,
	STATUS_NO_MORE_ENTRIES = 0x8000001A,
	STATUS_UNSUCCESSFUL = 0xC0000001,
	STATUS_NOT_IMPLEMENTED = 0xC0000002,
	STATUS_INVALID_INFO_CLASS = 0xC0000003,
	STATUS_INFO_LENGTH_MISMATCH = 0xC0000004,
	STATUS_ACCESS_VIOLATION = 0xC0000005,
	STATUS_INVALID_HANDLE = 0xC0000008,
	STATUS_INVALID_PARAMETER = 0xC000000D,
	STATUS_NO_SUCH_DEVICE = 0xC000000E,
	STATUS_NO_SUCH_FILE = 0xC000000F,
	STATUS_INVALID_DEVICE_REQUEST = 0xC0000010,
	STATUS_END_OF_FILE = 0xC0000011,
	STATUS_NO_MEMORY = 0xC0000017,
	STATUS_CONFLICTING_ADDRESSES = 0xC0000018,
	STATUS_INVALID_SYSTEM_SERVICE = 0xC000001C,
	STATUS_ALREADY_COMMITTED = 0xC0000021,
	STATUS_ACCESS_DENIED = 0xC0000022,
	STATUS_BUFFER_TOO_SMALL = 0xC0000023,
	STATUS_OBJECT_TYPE_MISMATCH = 0xC0000024,
	STATUS_NOT_COMMITTED = 0xC000002D,
	STATUS_OBJECT_NAME_INVALID = 0xC0000033,
	STATUS_OBJECT_NAME_NOT_FOUND = 0xC0000034,
	STATUS_OBJECT_NAME_COLLISION = 0xC0000035,
	STATUS_OBJECT_PATH_INVALID = 0xC0000039,
	STATUS_OBJECT_PATH_NOT_FOUND = 0xC000003A,
	STATUS_OBJECT_PATH_SYNTAX_BAD = 0xC000003B,
	STATUS_SHARING_VIOLATION = 0xC0000043,
	STATUS_INVALID_PAGE_PROTECTION = 0xC0000045,
	STATUS_SECTION_PROTECTION = 0xC000004E,
	STATUS_INSUFFICIENT_RESOURCES = 0xC000009A,
	STATUS_MUTANT_NOT_OWNED = 0xC0000046,
	STATUS_SEMAPHORE_LIMIT_EXCEEDED = 0xC0000047,
	STATUS_DELETE_PENDING = 0xC0000056,
	STATUS_DISK_FULL = 0xC000007F,
	STATUS_INVALID_IMAGE_FORMAT = 0xC000007B,
	STATUS_MEMORY_NOT_ALLOCATED = 0xC00000A0,
	STATUS_DEVICE_NOT_READY = 0xC00000A3,
	STATUS_ILLEGAL_FUNCTION = 0xC00000AF,
	STATUS_PIPE_DISCONNECTED = 0xC00000B0,
	STATUS_FILE_IS_A_DIRECTORY = 0xC00000BA,
	STATUS_NOT_SUPPORTED = 0xC00000BB,
	STATUS_NOT_SAME_DEVICE = 0xC00000D4,
	STATUS_INTERNAL_ERROR = 0xC00000E5,
	STATUS_INVALID_USER_BUFFER = 0xC00000E8,
	STATUS_DIRECTORY_NOT_EMPTY = 0xC0000101,
	STATUS_NOT_A_DIRECTORY = 0xC0000103,
	STATUS_NAME_TOO_LONG = 0xC0000106,
	STATUS_TOO_MANY_OPENED_FILES = 0xC000011F,
	STATUS_CANCELLED = 0xC0000120,
	STATUS_CANNOT_DELETE = 0xC0000121,
	STATUS_PIPE_BROKEN = 0xC000014B,
	STATUS_HANDLE_NOT_CLOSABLE = 0xC0000235,
	STATUS_REPARSE_POINT_NOT_RESOLVED = 0xC0000280,
};

/* Exception codes: what a fault of the program is raised as (translate/nt/nt_exception.c). */
enum {
	STATUS_DATATYPE_MISALIGNMENT = 0x80000002,
	STATUS_BREAKPOINT = 0x80000003,
	STATUS_SINGLE_STEP = 0x80000004,
	STATUS_ILLEGAL_INSTRUCTION = 0xC000001D,
	STATUS_NONCONTINUABLE_EXCEPTION = 0xC0000025,
	STATUS_ARRAY_BOUNDS_EXCEEDED = 0xC000008C,
	STATUS_FLOAT_DENORMAL_OPERAND = 0xC000008D,
	STATUS_FLOAT_DIVIDE_BY_ZERO = 0xC000008E,
	STATUS_FLOAT_INEXACT_RESULT = 0xC000008F,
	STATUS_FLOAT_INVALID_OPERATION = 0xC0000090,
	STATUS_FLOAT_OVERFLOW = 0xC0000091,
	STATUS_FLOAT_UNDERFLOW = 0xC0000093,
	STATUS_INTEGER_DIVIDE_BY_ZERO = 0xC0000094,
	STATUS_INTEGER_OVERFLOW = 0xC0000095,
	STATUS_PRIVILEGED_INSTRUCTION = 0xC0000096,
	STATUS_STACK_OVERFLOW = 0xC00000FD,
	STATUS_STACK_BUFFER_OVERRUN = 0xC0000409,
};

static inline bool nt_success(ntstatus s)
{
	return (int32_t)s >= 0;
}

/* NT time: 100 ns ticks since 1601-01-01. */
#define NT_TICKS_PER_SECOND 10000000ULL
#define NT_EPOCH_1601_TO_1970 11644473600ULL

/* Little-endian fields of structures built for a program. */
static inline void nt_le64(unsigned char *b, size_t off, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		b[off + (size_t)i] = (unsigned char)(v >> (8 * i));
}

static inline void nt_le32(unsigned char *b, size_t off, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		b[off + (size_t)i] = (unsigned char)(v >> (8 * i));
}

static inline void nt_le16(unsigned char *b, size_t off, uint16_t v)
{
	b[off] = (unsigned char)v;
	b[off + 1] = (unsigned char)(v >> 8);
}

/* "STATUS_OBJECT_NAME_NOT_FOUND", or NULL for a status picovisor has no name for. */
const char *nt_status_name(ntstatus s);
/* A negative errno of a Linux call as the NTSTATUS a file service returns (docs/nt.md, "Services"). */
ntstatus nt_status_of_errno(int neg_errno);

/* ---- UTF-16 (translate/nt/nt_unicode.c). Both return the units/bytes the whole conversion needs and
 * write at most cap; invalid UTF-8 bytes travel as lone surrogates U+DC80..U+DCFF. */
size_t nt_utf8_to_utf16(const char *s, size_t len, uint16_t *out, size_t cap);
size_t nt_utf16_to_utf8(const uint16_t *s, size_t len, char *out, size_t cap);

/* NT name matching (translate/nt/nt_path.c): wildcards as FsRtlIsNameInExpression, case folded as NT does. */
bool nt_wildcard_match(const char *mask, const char *name);
/* The same, with the steps it took in *work: never more than 2 x (mask + 1) x (name + 1), in code points. */
bool nt_wildcard_match_work(const char *mask, const char *name, size_t *work);
#define NT_WILDCARD_MAX 256 /* code points of a mask or a name beyond which nothing matches */
int nt_name_casecmp(const char *a, const char *b);

/* ---- Drives: letters mapped to host directories (--drive X:=DIR; C: defaults to the launch directory). */

/* Map letter to host directory dir (made absolute). 0, or -1 with a message in err. */
int nt_drive_add(char letter, const char *dir, char *err, size_t errsize);
/* C: as the launch directory unless --drive gave it. 0, or -1 and errno (the command line says so). */
int nt_drives_finish(void);
/* The host directory of a drive letter, or NULL. */
const char *nt_drive_host(char letter);
/* Is this host object a drive's root or one of its parents? Those the program may not move or remove. */
bool nt_drive_protected(dev_t dev, ino_t ino);
/* A host path as a DOS path ("C:\dir\file") through the drive map: 0, or -1 if no drive reaches it. */
int nt_dos_path_of_host(const char *host, char *out, size_t size);
/* The working directory's DOS name: on another drive than the launch directory's C: where one reaches
 * it (Z:, all of /, by default: rooted names then mean what they mean on Linux). 0, or -1. */
int nt_dos_cwd_of_host(const char *host, char *out, size_t size);

/* ---- Starting an NT process: what the loader set up (tracer/load/pe_load.c). */

struct nt_start {
	uint64_t image_base, ntdll_base;
	uint64_t peb, teb;           /* the first thread's TEB */
	uint64_t params;             /* RTL_USER_PROCESS_PARAMETERS */
	uint64_t stack_base, stack_limit; /* of the first thread: top and lowest committed address */
	uint64_t stack_reserve_lo;   /* the lowest address of its reservation */
	uint64_t work;               /* writable memory for the services' results (nt_personality.c) */
	uint64_t work_size;
	uint32_t tls_size;           /* bytes of the image's TLS block (template + zero fill), 0: none */
	uint64_t tls_template;       /* its template in the image, after relocation */
	uint32_t tls_template_size;
	uint32_t handle_stdin, handle_stdout, handle_stderr;
	uint64_t image_size, ntdll_size;
	uint64_t ntdll_thread_start; /* RtlUserThreadStart in the loaded ntdll */
	uint64_t ntdll_apc_dispatcher; /* KiUserApcDispatcher in it (user APCs, translate/nt/nt_apc.c), or 0 */
	uint64_t ntdll_exception_dispatcher; /* KiUserExceptionDispatcher, where faults are delivered */
	uint64_t ntdll_terminate_process;    /* NtTerminateProcess's stub */
	uint64_t start_block;        /* what ntdll's LdrInitializeThunk gets */
};

/* What the process environment of a new NT process is built from (tracer/load/pe_load.c gathers it). */
struct nt_env_in {
	char **argv;
	int argc;
	char **envp;
	int envc;
	const char *image_host;      /* the image's host path */
	const char *cwd_host;        /* the process's working directory */
	uint64_t image_base, entry, tls_callbacks; /* relocated VAs; tls_callbacks 0 when none */
	const unsigned char *tls_template;         /* the image's TLS template (relocated), or NULL */
	uint32_t tls_template_size, tls_zero_fill;
	uint64_t stack_base, stack_limit;
	uint32_t pid, tid;
};

/*
 * The environment area of a new NT process (translate/nt/nt_env.c): PEB, the
 * first thread's TEB and work area, RTL_USER_PROCESS_PARAMETERS with its
 * strings (UTF-16), the start block and the TLS block. nt_env_size says how
 * much to map; nt_env_build fills buf (that many zeroed bytes, to be written
 * at addr) and the addresses in *out.
 */
size_t nt_env_size(const struct nt_env_in *in);
/* The name of uid in the passwd file at passwd (translate/nt/nt_user.c): 0 and the name in buf, or -1. */
int nt_passwd_name(const char *passwd, uid_t uid, char *buf, size_t cap);
void nt_env_build(const struct nt_env_in *in, uint64_t addr, unsigned char *buf, struct nt_start *out);

/* The inaccessible pages at the bottom of the first thread's stack reservation. */
#define NT_STACK_GUARD 0x1000UL

/* A thread's TEB and the work area after it (services' results land there): one block per thread. */
#define NT_TEB_SIZE 0x2000UL
#define NT_WORK_SIZE 0x10000UL
#define NT_THREAD_BLOCK_SIZE (NT_TEB_SIZE + NT_WORK_SIZE)

/* The image is in place: the process becomes an NT process served by personality_nt. NULL, or why it cannot
 * (the load fails). */
const char *nt_process_start(struct tracee *t, const struct nt_start *s);

/*
 * Memory the loader mapped, recorded as NT sees it: [base, base+size) with
 * protection prot (PROT_*), inside the allocation that starts at alloc_base
 * (made on first mention, alloc_size bytes; image: MEM_IMAGE, else MEM_PRIVATE).
 */
void nt_process_add_region(struct tracee *t, uint64_t alloc_base, uint64_t alloc_size, uint64_t base, uint64_t size,
			   int prot, bool image);

/* KUSER_SHARED_DATA (translate/nt/nt_kuser.c): where every NT process has it, and its first contents. */
#define NT_KUSER_ADDR 0x7ffe0000UL
#define NT_KUSER_SIZE 4096
void nt_kuser_build(unsigned char *page);

/*
 * The gate (translate/nt/nt_gate.c; docs/nt.md, "Served in the process"): a read-only, executable page
 * beside KUSER_SHARED_DATA in every NT process. Its one instruction pair, `syscall; ret`, is the only
 * place from which the NT filter lets a Linux call through, and only the calls that are harmless
 * whatever their arguments (filter_bpf_nt); ntdll uses it for the time, the performance counter,
 * yielding and short delays. At NT_GATE_VDSO_CLOCK the page holds the address of the vDSO's
 * clock_gettime in the process (0 if it has none), at NT_GATE_VDSO_CLOCK + 8 a format version.
 */
#define NT_GATE_ADDR 0x7ffe1000UL
#define NT_GATE_SIZE 4096
#define NT_GATE_CALL_IP (NT_GATE_ADDR + 2) /* the ip a call made there reports: past the syscall instruction */
#define NT_GATE_VDSO_CLOCK 0x800
#define NT_GATE_VERSION 1
/* A word of each thread's TEB block (past the documented TEB, beside ntdll's own at 0x1f00): nonzero once
 * another thread has ended it, so that ntdll makes its next service a system call, where it ends. */
#define NT_TEB_GATE_STOP 0x1f08
/* Where the process's vDSO is, as its auxiliary vector says, and its clock_gettime (0s without one). */
struct nt_gate_vdso {
	uint64_t lo, hi, clock_gettime;
};
/* From the blank process's auxiliary vector: AT_SYSINFO_EHDR and the supervisor's own vDSO's layout (the same
 * kernel maps the same image into every 64-bit process). */
void nt_gate_vdso_find(const uint64_t (*auxv)[2], size_t nauxv, struct nt_gate_vdso *v);
void nt_gate_build(unsigned char *page, const struct nt_gate_vdso *v);

/* The NT personality's tick (a timer signal, an event; clock: the clock host_tick_every asked for came): time out
 * the NT waits that are due, and on the clock take back the waits of threads a signal waits for. */
void nt_waits_tick(bool clock);

/* The handles of the standard streams a new NT process is given (fds 0, 1, 2). */
enum {
	NT_HANDLE_STDIN = 0x4,
	NT_HANDLE_STDOUT = 0x8,
	NT_HANDLE_STDERR = 0xC,
	NT_FIRST_FREE_HANDLE = 0x10,
};

#endif
