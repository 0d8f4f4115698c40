/* I/O completion ports: CreateIoCompletionPort, PostQueuedCompletionStatus, GetQueuedCompletionStatus(Ex). */
#include "k32.h"

NTSTATUS NtCreateIoCompletion(HANDLE *h, ULONG access, OBJECT_ATTRIBUTES *oa, ULONG threads);
NTSTATUS NtSetIoCompletion(HANDLE h, ULONG_PTR key, void *apc_context, NTSTATUS status, ULONG_PTR information);
NTSTATUS NtRemoveIoCompletion(HANDLE h, ULONG_PTR *key, void **apc_context, IO_STATUS_BLOCK *iosb, const int64_t *timeout);
NTSTATUS NtRemoveIoCompletionEx(HANDLE h, void *entries, ULONG count, ULONG *removed, const int64_t *timeout,
				unsigned char alertable);

#define IO_COMPLETION_ALL_ACCESS 0x1f0003u
#define FileCompletionInformation 30
#define STATUS_TIMEOUT 0x102
#define STATUS_USER_APC 0xc0
#define ERROR_INVALID_PARAMETER 87
#define WAIT_TIMEOUT 258
#define WAIT_IO_COMPLETION 0xc0

/* OVERLAPPED: Internal (the status), InternalHigh (the bytes), the offset, hEvent. */
typedef struct {
	ULONG_PTR Internal, InternalHigh;
	DWORD Offset, OffsetHigh;
	HANDLE hEvent;
} OVERLAPPED_K;

typedef struct {
	ULONG_PTR lpCompletionKey;
	OVERLAPPED_K *lpOverlapped;
	ULONG_PTR Internal;
	DWORD dwNumberOfBytesTransferred;
} OVERLAPPED_ENTRY_K;

static const int64_t *timeout_of(DWORD ms, int64_t *t)
{
	if (ms == 0xffffffffu)
		return NULL;
	*t = -(int64_t)ms * 10000;
	return t;
}

/* A new port (file INVALID_HANDLE_VALUE), or file bound to port existing (a new one if it is NULL). */
EXPORT HANDLE WINAPI CreateIoCompletionPort(HANDLE file, HANDLE existing, ULONG_PTR key, DWORD threads)
{
	HANDLE port = existing;
	NTSTATUS st;

	if (!port) {
		st = NtCreateIoCompletion(&port, IO_COMPLETION_ALL_ACCESS, NULL, threads);
		if (st) {
			k32_fail_nt(st);
			return NULL;
		}
	}
	if (file != INVALID_HANDLE_VALUE) {
		struct {
			HANDLE port;
			ULONG_PTR key;
		} info = { port, key };
		IO_STATUS_BLOCK iosb;

		st = NtSetInformationFile(file, &iosb, &info, sizeof(info), FileCompletionInformation);
		if (st) {
			if (!existing)
				NtClose(port);
			k32_fail_nt(st);
			return NULL;
		}
	} else if (existing) {
		k32_fail(ERROR_INVALID_PARAMETER);
		return NULL;
	}
	return port;
}

EXPORT BOOL WINAPI PostQueuedCompletionStatus(HANDLE port, DWORD bytes, ULONG_PTR key, void *overlapped)
{
	NTSTATUS st = NtSetIoCompletion(port, key, overlapped, 0, bytes);

	return st ? k32_fail_nt(st) : 1;
}

EXPORT BOOL WINAPI GetQueuedCompletionStatus(HANDLE port, DWORD *bytes, ULONG_PTR *key, OVERLAPPED_K **overlapped,
					      DWORD ms)
{
	IO_STATUS_BLOCK iosb;
	int64_t t;
	NTSTATUS st = NtRemoveIoCompletion(port, key, (void **)overlapped, &iosb, timeout_of(ms, &t));

	if (st == STATUS_TIMEOUT) {
		*overlapped = NULL;
		return k32_fail(WAIT_TIMEOUT);
	}
	if (st) {
		*overlapped = NULL;
		return k32_fail_nt(st);
	}
	*bytes = (DWORD)iosb.Information;
	/* a packet of a failed I/O: FALSE with its error, *overlapped set */
	return iosb.Status < 0 ? k32_fail_nt(iosb.Status) : 1;
}

EXPORT BOOL WINAPI GetQueuedCompletionStatusEx(HANDLE port, OVERLAPPED_ENTRY_K *entries, ULONG count, ULONG *removed,
						DWORD ms, BOOL alertable)
{
	int64_t t;
	NTSTATUS st;

	/* FILE_IO_COMPLETION_INFORMATION has OVERLAPPED_ENTRY's layout: the array goes as it is */
	st = NtRemoveIoCompletionEx(port, entries, count, removed, timeout_of(ms, &t), (unsigned char)!!alertable);
	if (st == STATUS_TIMEOUT) {
		*removed = 0;
		return k32_fail(WAIT_TIMEOUT);
	}
	if (st == STATUS_USER_APC) {
		*removed = 0;
		return k32_fail(WAIT_IO_COMPLETION);
	}
	return st ? k32_fail_nt(st) : 1;
}

/* FILE_SKIP_COMPLETION_PORT_ON_SUCCESS (1), FILE_SKIP_SET_EVENT_ON_HANDLE (2), as NT keeps them per handle. */
EXPORT BOOL WINAPI SetFileCompletionNotificationModes(HANDLE file, unsigned char flags)
{
	ULONG v = flags;
	IO_STATUS_BLOCK iosb;
	NTSTATUS st = NtSetInformationFile(file, &iosb, &v, sizeof(v), 41 /* FileIoCompletionNotificationInformation */);

	return st ? k32_fail_nt(st) : 1;
}

NTSTATUS NtCancelIoFile(HANDLE h, IO_STATUS_BLOCK *iosb);
NTSTATUS NtCancelIoFileEx(HANDLE h, void *request, IO_STATUS_BLOCK *iosb);

/* ERROR_NOT_FOUND when nothing is pending, which is always here (every I/O completes within its call). */
EXPORT BOOL WINAPI CancelIoEx(HANDLE file, void *overlapped)
{
	IO_STATUS_BLOCK iosb;
	NTSTATUS st = NtCancelIoFileEx(file, overlapped, &iosb);

	return st ? k32_fail_nt(st) : 1;
}

EXPORT BOOL WINAPI CancelIo(HANDLE file)
{
	IO_STATUS_BLOCK iosb;
	NTSTATUS st = NtCancelIoFile(file, &iosb);

	return st ? k32_fail_nt(st) : 1;
}
