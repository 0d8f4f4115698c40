/*
 * picovisor's msvcrt.dll: what its parts share. Built freestanding with
 * mingw-w64 (no CRT, no Windows headers: the declarations below are the
 * documented Win32 API this DLL imports from KERNEL32, and nothing else).
 * The ABI facts (FILE layout, errno numbers, flag values, jmp_buf) are those
 * of mingw-w64's headers, which programs built for msvcrt compile against.
 */
#ifndef PICOVISOR_MSVCRT_CRT_H
#define PICOVISOR_MSVCRT_CRT_H

/* No system headers: mingw-w64's declare the CRT's own functions as imports. */
typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
typedef __INTPTR_TYPE__ intptr_t;
typedef __UINTPTR_TYPE__ uintptr_t;
typedef __INT8_TYPE__ int8_t;
typedef __UINT8_TYPE__ uint8_t;
typedef __INT16_TYPE__ int16_t;
typedef __UINT16_TYPE__ uint16_t;
typedef __INT32_TYPE__ int32_t;
typedef __UINT32_TYPE__ uint32_t;
typedef __INT64_TYPE__ int64_t;
typedef __UINT64_TYPE__ uint64_t;
typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define va_end(ap) __builtin_va_end(ap)
#define va_copy(d, s) __builtin_va_copy(d, s)
#define NULL ((void *)0)
#define SIZE_MAX __SIZE_MAX__
#define INT64_MAX __INT64_MAX__
#define UINT64_MAX __UINT64_MAX__

/* Exports are exactly the names of msvcrt.def (the linker takes no other list). */
#define EXPORT
#define WINAPI __stdcall
#define IMPORT __declspec(dllimport)

typedef void *HANDLE;
typedef uint32_t DWORD;
typedef int BOOL;
typedef uint16_t WCHAR;
typedef int64_t LONGLONG;

#define INVALID_HANDLE_VALUE ((HANDLE)(intptr_t)-1)
#define CP_UTF8 65001
#define STD_INPUT_HANDLE ((DWORD)-10)
#define STD_OUTPUT_HANDLE ((DWORD)-11)
#define STD_ERROR_HANDLE ((DWORD)-12)
#define HEAP_ZERO_MEMORY 0x8
#define FILE_TYPE_UNKNOWN 0
#define FILE_TYPE_DISK 1
#define FILE_TYPE_CHAR 2
#define FILE_TYPE_PIPE 3
#define FILE_ATTRIBUTE_READONLY 0x1
#define FILE_ATTRIBUTE_HIDDEN 0x2
#define FILE_ATTRIBUTE_SYSTEM 0x4
#define FILE_ATTRIBUTE_DIRECTORY 0x10
#define FILE_ATTRIBUTE_ARCHIVE 0x20
#define FILE_ATTRIBUTE_NORMAL 0x80
#define FILE_FLAG_BACKUP_SEMANTICS 0x02000000
#define FILE_FLAG_DELETE_ON_CLOSE 0x04000000
#define GENERIC_READ 0x80000000u
#define GENERIC_WRITE 0x40000000u
#define FILE_SHARE_READ 1
#define FILE_SHARE_WRITE 2
#define FILE_SHARE_DELETE 4
#define CREATE_NEW 1
#define CREATE_ALWAYS 2
#define OPEN_EXISTING 3
#define OPEN_ALWAYS 4
#define TRUNCATE_EXISTING 5
#define FILE_BEGIN 0
#define FILE_CURRENT 1
#define FILE_END 2
#define MOVEFILE_COPY_ALLOWED 2
#define ERROR_BROKEN_PIPE 109
#define ERROR_NO_MORE_FILES 18
#define TLS_OUT_OF_INDEXES 0xffffffffu

typedef struct {
	void *DebugInfo;
	long LockCount, RecursionCount;
	HANDLE OwningThread, LockSemaphore;
	uintptr_t SpinCount;
} CRITICAL_SECTION;

typedef struct {
	DWORD dwLowDateTime, dwHighDateTime;
} FILETIME;

typedef struct {
	uint16_t wYear, wMonth, wDayOfWeek, wDay, wHour, wMinute, wSecond, wMilliseconds;
} SYSTEMTIME;

typedef struct {
	long Bias;
	WCHAR StandardName[32];
	SYSTEMTIME StandardDate;
	long StandardBias;
	WCHAR DaylightName[32];
	SYSTEMTIME DaylightDate;
	long DaylightBias;
} TIME_ZONE_INFORMATION;

typedef struct {
	DWORD dwFileAttributes;
	FILETIME ftCreationTime, ftLastAccessTime, ftLastWriteTime;
	DWORD nFileSizeHigh, nFileSizeLow;
} WIN32_FILE_ATTRIBUTE_DATA;

typedef struct {
	DWORD dwFileAttributes;
	FILETIME ftCreationTime, ftLastAccessTime, ftLastWriteTime;
	DWORD nFileSizeHigh, nFileSizeLow, dwReserved0, dwReserved1;
	WCHAR cFileName[260];
	WCHAR cAlternateFileName[14];
} WIN32_FIND_DATAW;

typedef struct {
	DWORD dwFileAttributes;
	FILETIME ftCreationTime, ftLastAccessTime, ftLastWriteTime;
	DWORD dwVolumeSerialNumber, nFileSizeHigh, nFileSizeLow, nNumberOfLinks, nFileIndexHigh, nFileIndexLow;
} BY_HANDLE_FILE_INFORMATION;

typedef DWORD(WINAPI *THREAD_START)(void *);

/* KERNEL32 functions msvcrt.dll may call; the ones it does call are its import table (listed in docs/nt.md). */
IMPORT HANDLE WINAPI GetProcessHeap(void);
IMPORT void *WINAPI HeapAlloc(HANDLE, DWORD, size_t);
IMPORT void *WINAPI HeapReAlloc(HANDLE, DWORD, void *, size_t);
IMPORT BOOL WINAPI HeapFree(HANDLE, DWORD, void *);
IMPORT size_t WINAPI HeapSize(HANDLE, DWORD, const void *);
IMPORT HANDLE WINAPI GetStdHandle(DWORD);
IMPORT BOOL WINAPI WriteFile(HANDLE, const void *, DWORD, DWORD *, void *);
IMPORT BOOL WINAPI ReadFile(HANDLE, void *, DWORD, DWORD *, void *);
IMPORT HANDLE WINAPI CreateFileW(const WCHAR *, DWORD, DWORD, void *, DWORD, DWORD, HANDLE);
IMPORT BOOL WINAPI CloseHandle(HANDLE);
IMPORT BOOL WINAPI SetFilePointerEx(HANDLE, LONGLONG, LONGLONG *, DWORD);
IMPORT BOOL WINAPI SetEndOfFile(HANDLE);
IMPORT DWORD WINAPI GetFileType(HANDLE);
IMPORT BOOL WINAPI FlushFileBuffers(HANDLE);
IMPORT BOOL WINAPI GetFileInformationByHandle(HANDLE, BY_HANDLE_FILE_INFORMATION *);
IMPORT BOOL WINAPI GetFileAttributesExW(const WCHAR *, int, WIN32_FILE_ATTRIBUTE_DATA *);
IMPORT HANDLE WINAPI FindFirstFileW(const WCHAR *, WIN32_FIND_DATAW *);
IMPORT BOOL WINAPI FindNextFileW(HANDLE, WIN32_FIND_DATAW *);
IMPORT BOOL WINAPI FindClose(HANDLE);
IMPORT BOOL WINAPI CreateDirectoryW(const WCHAR *, void *);
IMPORT BOOL WINAPI RemoveDirectoryW(const WCHAR *);
IMPORT BOOL WINAPI DeleteFileW(const WCHAR *);
IMPORT BOOL WINAPI MoveFileExW(const WCHAR *, const WCHAR *, DWORD);
IMPORT DWORD WINAPI GetCurrentDirectoryW(DWORD, WCHAR *);
IMPORT BOOL WINAPI SetCurrentDirectoryW(const WCHAR *);
IMPORT DWORD WINAPI GetFullPathNameW(const WCHAR *, DWORD, WCHAR *, WCHAR **);
IMPORT char *WINAPI GetCommandLineA(void);
IMPORT WCHAR *WINAPI GetCommandLineW(void);
IMPORT WCHAR *WINAPI GetEnvironmentStringsW(void);
IMPORT BOOL WINAPI FreeEnvironmentStringsW(WCHAR *);
IMPORT BOOL WINAPI SetEnvironmentVariableW(const WCHAR *, const WCHAR *);
IMPORT void WINAPI ExitProcess(unsigned);
IMPORT DWORD WINAPI TlsAlloc(void);
IMPORT void *WINAPI TlsGetValue(DWORD);
IMPORT BOOL WINAPI TlsSetValue(DWORD, void *);
IMPORT BOOL WINAPI TlsFree(DWORD);
IMPORT DWORD WINAPI GetLastError(void);
IMPORT void WINAPI SetLastError(DWORD);
IMPORT int WINAPI MultiByteToWideChar(unsigned, DWORD, const char *, int, WCHAR *, int);
IMPORT int WINAPI WideCharToMultiByte(unsigned, DWORD, const WCHAR *, int, char *, int, const char *, BOOL *);
IMPORT void WINAPI InitializeCriticalSection(CRITICAL_SECTION *);
IMPORT void WINAPI EnterCriticalSection(CRITICAL_SECTION *);
IMPORT void WINAPI LeaveCriticalSection(CRITICAL_SECTION *);
IMPORT void WINAPI DeleteCriticalSection(CRITICAL_SECTION *);
IMPORT void WINAPI GetSystemTimeAsFileTime(FILETIME *);
IMPORT DWORD WINAPI GetTimeZoneInformation(TIME_ZONE_INFORMATION *);
IMPORT BOOL WINAPI QueryPerformanceCounter(LONGLONG *);
IMPORT BOOL WINAPI QueryPerformanceFrequency(LONGLONG *);
IMPORT HANDLE WINAPI CreateThread(void *, size_t, THREAD_START, void *, DWORD, DWORD *);
IMPORT void WINAPI ExitThread(DWORD);
IMPORT DWORD WINAPI GetCurrentThreadId(void);
IMPORT DWORD WINAPI GetCurrentProcessId(void);
IMPORT void WINAPI Sleep(DWORD);
IMPORT DWORD WINAPI GetTempPathW(DWORD, WCHAR *);
IMPORT void WINAPI RtlUnwindEx(void *, void *, void *, void *, void *, void *);

/* errno values (mingw-w64's errno.h, the msvcrt numbering). */
#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define ENOEXEC 8
#define EBADF 9
#define ECHILD 10
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define EXDEV 18
#define ENODEV 19
#define ENOTDIR 20
#define EISDIR 21
#define EINVAL 22
#define ENFILE 23
#define EMFILE 24
#define ENOTTY 25
#define EFBIG 27
#define ENOSPC 28
#define ESPIPE 29
#define EROFS 30
#define EMLINK 31
#define EPIPE 32
#define EDOM 33
#define ERANGE 34
#define EDEADLK 36
#define ENAMETOOLONG 38
#define ENOLCK 39
#define ENOSYS 40
#define ENOTEMPTY 41
#define EILSEQ 42

/* The stream layout of mingw-w64's stdio.h (struct _iobuf, msvcrt flavour). */
typedef struct _iobuf {
	char *_ptr;
	int _cnt;
	char *_base;
	int _flag;
	int _file;
	int _charbuf;
	int _bufsiz;
	char *_tmpfname;
} FILE;

#define _IOREAD 0x0001
#define _IOWRT 0x0002
#define _IONBF 0x0004
#define _IOMYBUF 0x0008
#define _IOEOF 0x0010
#define _IOERR 0x0020
#define _IOSTRG 0x0040
#define _IOLBF 0x0040
#define _IORW 0x0080
#define _IOFBF 0x0000
/* Our own bits, in the part of _flag mingw's headers leave unnamed. */
#define _IOUSERBUF 0x0100
#define _IOCHARDEV 0x0200
#define _IOLINEBUF 0x0400
#define EOF (-1)
#define BUFSIZ 512
#define CRT_STREAM_BUF 4096

/* _open flags (mingw-w64's fcntl.h). */
#define _O_RDONLY 0x0000
#define _O_WRONLY 0x0001
#define _O_RDWR 0x0002
#define _O_ACCMODE 0x0003
#define _O_APPEND 0x0008
#define _O_RANDOM 0x0010
#define _O_SEQUENTIAL 0x0020
#define _O_TEMPORARY 0x0040
#define _O_NOINHERIT 0x0080
#define _O_CREAT 0x0100
#define _O_TRUNC 0x0200
#define _O_EXCL 0x0400
#define _O_SHORT_LIVED 0x1000
#define _O_TEXT 0x4000
#define _O_BINARY 0x8000
#define _O_WTEXT 0x10000
#define _O_U16TEXT 0x20000
#define _O_U8TEXT 0x40000

#define _S_IFIFO 0x1000
#define _S_IFCHR 0x2000
#define _S_IFDIR 0x4000
#define _S_IFREG 0x8000
#define _S_IREAD 0x0100
#define _S_IWRITE 0x0080
#define _S_IEXEC 0x0040

/* Locks of _lock/_unlock (the numbers mingw's CRT passes: _EXIT_LOCK1 is 8). */
#define CRT_LOCKS 36
#define CRT_LOCK_HEAP 4
#define CRT_LOCK_ENV 7
#define CRT_LOCK_EXIT 8
#define CRT_LOCK_STREAMS 1
#define CRT_LOCK_FD 10
/* _lock(CRT_STREAM_LOCKS + i) is the lock of _iob[i], i < CRT_STREAM_LOCK_COUNT: mingw-w64's own _lock_file takes
 * a standard stream's lock that way (msvcrt's layout), so it is the one the stream functions take. */
#define CRT_STREAM_LOCKS 16
#define CRT_STREAM_LOCK_COUNT 20

/* Per-thread state (a TLS slot). */
struct crt_thread {
	int err;
	unsigned long doserr;
	char *strtok_next;
	WCHAR *wcstok_next;
	unsigned rand_next;
	char errbuf[96];
	char tmbuf[64];
	char asctime_buf[32];
	char tm_storage[64];
};

/* shared between the parts */
extern HANDLE crt_heap;
struct crt_thread *crt_self(void);
int *_errno(void);
unsigned long *__doserrno(void);
void crt_set_errno_from_win32(DWORD err);
int crt_errno_from_win32(DWORD err);
void _lock(int n);
void _unlock(int n);
void crt_init_locks(void);
void crt_init_ctype(void);
void crt_init_heap(void);
void crt_init_fds(void);
void crt_init_stdio(void);
void crt_flush_all_streams(void);
void crt_init_env(void);
void crt_init_args(void);
void crt_thread_detach(void);
void _exit(int) __attribute__((noreturn));
void _amsg_exit(int) __attribute__((noreturn));
FILE *_fdopen(int fd, const char *mode);

/* memory and strings, used everywhere */
void *malloc(size_t);
void *calloc(size_t, size_t);
void *realloc(void *, size_t);
void free(void *);
void *memcpy(void *, const void *, size_t);
void *memmove(void *, const void *, size_t);
void *memset(void *, int, size_t);
int memcmp(const void *, const void *, size_t);
size_t strlen(const char *);
size_t strnlen(const char *, size_t);
size_t wcsnlen(const WCHAR *, size_t);
char *strcat(char *, const char *);
size_t wcslen(const WCHAR *);
char *strchr(const char *, int);
int strcmp(const char *, const char *);
int strncmp(const char *, const char *, size_t);
int _stricmp(const char *, const char *);
int _strnicmp(const char *, const char *, size_t);
char *strcpy(char *, const char *);
char *_strdup(const char *);
int tolower(int);
int toupper(int);
int isspace(int);
int isdigit(int);
int isalpha(int);

/* UTF-8 (the ANSI code page) and UTF-16 */
WCHAR *crt_to_wide(const char *s);   /* malloc'd; NULL on failure (errno set) */
char *crt_to_utf8(const WCHAR *s);   /* malloc'd */

/* fd layer (io.c) */
HANDLE crt_fd_handle(int fd);
int crt_fd_is_text(int fd);
int crt_fd_alloc(HANDLE h, int oflag);
int _write(int fd, const void *buf, unsigned n);
int _read(int fd, void *buf, unsigned n);
int _close(int fd);
long long _lseeki64(int fd, long long off, int whence);
int _isatty(int fd);
int _wsopen(const WCHAR *path, int oflag, int share, ...);
int _setmode(int fd, int mode);
long long _telli64(int fd);

/* stdio (stdio.c) */
extern FILE _iob[];
int fflush(FILE *);
int fputc(int, FILE *);
size_t fwrite(const void *, size_t, size_t, FILE *);
int fputs(const char *, FILE *);
void _lock_file(FILE *);
void _unlock_file(FILE *);
int sprintf(char *, const char *, ...);
int fprintf(FILE *, const char *, ...);
int crt_stream_write(FILE *f, const char *p, size_t n); /* unlocked; 0 or EOF */
int crt_stream_getc(FILE *f);                          /* unlocked */
int crt_stream_ungetc(int c, FILE *f);                 /* unlocked */
void crt_stream_done(FILE *f);                         /* end of a public output call (unlocked) */

/* formatted output (printf.c): the engine writes through a sink */
struct crt_sink {
	int (*put)(struct crt_sink *, const char *, size_t); /* 0, or -1 to stop */
	void *ctx;
	size_t total;
};
int crt_format(struct crt_sink *sink, const char *fmt, va_list ap);
int crt_wformat(struct crt_sink *sink, const WCHAR *fmt, va_list ap); /* sink gets UTF-16 bytes */

/* formatted input (scanf.c): the engine reads through a source */
struct crt_source {
	int (*get)(struct crt_source *); /* a byte, or EOF */
	void (*unget)(struct crt_source *, int);
	void *ctx;
	size_t count;
};
int crt_scan(struct crt_source *src, const char *fmt, va_list ap);

/* numbers */
double strtod(const char *, char **);
long long _strtoi64(const char *, char **, int);
unsigned long long _strtoui64(const char *, char **, int);
int raise(int);
void abort(void) __attribute__((noreturn));
char *getenv(const char *);

#endif
