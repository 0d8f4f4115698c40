/* Anonymous pipes: CreatePipe, as Windows makes them (a named pipe of a unique name and its client end). */
#include "k32.h"

NTSTATUS NtCreateNamedPipeFile(HANDLE *h, ULONG access, OBJECT_ATTRIBUTES *oa, IO_STATUS_BLOCK *iosb, ULONG share,
			       ULONG disposition, ULONG options, ULONG type, ULONG read_mode, ULONG completion,
			       ULONG max_instances, ULONG in_quota, ULONG out_quota, const int64_t *timeout);

#define GENERIC_READ 0x80000000u
#define GENERIC_WRITE 0x40000000u
#define SYNCHRONIZE 0x100000u
#define FILE_READ_ATTRIBUTES 0x80u
#define FILE_WRITE_ATTRIBUTES 0x100u
#define FILE_SHARE_READ 1
#define FILE_SHARE_WRITE 2
#define FILE_CREATE 2
#define FILE_SYNCHRONOUS_IO_NONALERT 0x20
#define FILE_NON_DIRECTORY_FILE 0x40
#define OBJ_CASE_INSENSITIVE 0x40
#define DEFAULT_SIZE 4096

static volatile LONG pipe_serial;

/* \Device\NamedPipe\Win32Pipes.<pid>.<serial> into buf: its length in units. */
static size_t pipe_name(WCHAR *buf, DWORD pid, DWORD serial)
{
	static const char prefix[] = "\\Device\\NamedPipe\\Win32Pipes.";
	size_t n = 0;
	DWORD parts[2] = { pid, serial };

	for (size_t i = 0; prefix[i]; i++)
		buf[n++] = (WCHAR)prefix[i];
	for (int p = 0; p < 2; p++) {
		for (int shift = 28; shift >= 0; shift -= 4)
			buf[n++] = (WCHAR) "0123456789abcdef"[(parts[p] >> shift) & 15];
		if (p == 0)
			buf[n++] = '.';
	}
	buf[n] = 0;
	return n;
}

EXPORT BOOL WINAPI CreatePipe(HANDLE *read_end, HANDLE *write_end, void *sa, DWORD size)
{
	WCHAR buf[64];
	UNICODE_STRING us;
	OBJECT_ATTRIBUTES oa = { sizeof(oa), NULL, &us, OBJ_CASE_INSENSITIVE, NULL, NULL };
	IO_STATUS_BLOCK iosb;
	int64_t timeout = -1200000000LL; /* NT's default: 120 s */
	HANDLE r = NULL, w = NULL;
	NTSTATUS st;
	size_t n;

	(void)sa;
	if (!size)
		size = DEFAULT_SIZE;
	n = pipe_name(buf, (DWORD)TEB_FIELD(uint64_t, 0x40), (DWORD)__atomic_add_fetch(&pipe_serial, 1, __ATOMIC_SEQ_CST));
	us.Buffer = buf;
	us.Length = (uint16_t)(n * 2);
	us.MaximumLength = (uint16_t)(n * 2 + 2);
	st = NtCreateNamedPipeFile(&r, GENERIC_READ | SYNCHRONIZE | FILE_WRITE_ATTRIBUTES, &oa, &iosb,
				   FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_CREATE, FILE_SYNCHRONOUS_IO_NONALERT, 0, 0, 0, 1,
				   size, size, &timeout);
	if (st)
		return k32_fail_nt(st);
	st = NtOpenFile(&w, GENERIC_WRITE | SYNCHRONIZE | FILE_READ_ATTRIBUTES, &oa, &iosb, FILE_SHARE_READ,
			FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE);
	if (st) {
		NtClose(r);
		return k32_fail_nt(st);
	}
	*read_end = r;
	*write_end = w;
	return 1;
}
