/* Files and directories over the NT file services, with the Win32 errors Windows gives for each failure. */
#include "k32.h"

#define GENERIC_READ 0x80000000u
#define GENERIC_WRITE 0x40000000u
#define SYNCHRONIZE 0x100000u
#define DELETE 0x10000u
#define FILE_READ_ATTRIBUTES 0x80u
#define FILE_LIST_DIRECTORY 0x1u
#define FILE_SHARE_ALL 7u
#define FILE_DIRECTORY_FILE 0x1u
#define FILE_SYNCHRONOUS_IO_NONALERT 0x20u
#define FILE_NON_DIRECTORY_FILE 0x40u
#define FILE_DELETE_ON_CLOSE 0x1000u
#define FILE_OPEN_FOR_BACKUP_INTENT 0x4000u
#define FILE_FLAG_BACKUP_SEMANTICS 0x02000000u
#define FILE_FLAG_DELETE_ON_CLOSE 0x04000000u
#define FILE_ATTRIBUTE_DIRECTORY 0x10u
#define OBJ_CASE_INSENSITIVE 0x40u
#define INVALID_FILE_ATTRIBUTES 0xffffffffu
#define STATUS_END_OF_FILE ((NTSTATUS)0xC0000011)
#define STATUS_OBJECT_NAME_COLLISION ((NTSTATUS)0xC0000035)
#define STATUS_NO_MORE_FILES ((NTSTATUS)0x80000006)
#define STATUS_NO_SUCH_FILE ((NTSTATUS)0xC000000F)
#define STATUS_PIPE_BROKEN ((NTSTATUS)0xC000014B)
#define ERROR_FILE_NOT_FOUND 2
#define ERROR_INVALID_HANDLE 6
#define ERROR_NOT_ENOUGH_MEMORY 8
#define ERROR_NO_MORE_FILES 18
#define ERROR_FILE_EXISTS 80
#define ERROR_INVALID_PARAMETER 87
#define ERROR_BROKEN_PIPE 109
#define ERROR_NEGATIVE_SEEK 131
#define ERROR_ALREADY_EXISTS 183
#define ERROR_FILENAME_EXCED_RANGE 206

void *k32_alloc(size_t n)
{
	return RtlAllocateHeap(PROCESS_HEAP_K(), 0, n);
}

void k32_free(void *p)
{
	if (p)
		RtlFreeHeap(PROCESS_HEAP_K(), 0, p);
}

WCHAR *k32_a_path(const char *a)
{
	size_t n;
	WCHAR *w;

	if (!a) {
		k32_fail(ERROR_INVALID_PARAMETER);
		return NULL;
	}
	n = strlen(a) + 1;
	w = k32_alloc(n * 2 + 2);
	if (!w) {
		k32_fail(ERROR_NOT_ENOUGH_MEMORY);
		return NULL;
	}
	k32_a_to_w(a, w, n + 1);
	return w;
}

BOOL k32_nt_name(const WCHAR *dos, UNICODE_STRING *nt)
{
	if (!dos)
		return k32_fail(ERROR_INVALID_PARAMETER);
	if (!dos[0])
		return k32_fail(ERROR_FILE_NOT_FOUND); /* the empty name, as CreateFile says */
	if (!RtlDosPathNameToNtPathName_U(dos, nt, NULL, NULL))
		return k32_fail(ERROR_FILENAME_EXCED_RANGE);
	return 1;
}

/* Open dos with NtCreateFile; the status (and the handle in *h). */
static NTSTATUS nt_open(const WCHAR *dos, ULONG access, ULONG share, ULONG disposition, ULONG options, ULONG attrs,
			HANDLE *h, IO_STATUS_BLOCK *iosb, BOOL *named)
{
	UNICODE_STRING nt;
	OBJECT_ATTRIBUTES oa;
	NTSTATUS st;

	*named = k32_nt_name(dos, &nt);
	if (!*named)
		return -1;
	oa = (OBJECT_ATTRIBUTES){ sizeof(oa), NULL, &nt, OBJ_CASE_INSENSITIVE, NULL, NULL };
	st = NtCreateFile(h, access, &oa, iosb, NULL, attrs, share, disposition, options, NULL, 0);
	RtlFreeUnicodeString(&nt);
	return st;
}

EXPORT HANDLE WINAPI CreateFileW(const WCHAR *name, DWORD access, DWORD share, void *sa, DWORD creation, DWORD flags,
				 HANDLE tmpl)
{
	static const ULONG dispositions[] = { 0, 2 /* CREATE_NEW: FILE_CREATE */, 5 /* CREATE_ALWAYS: OVERWRITE_IF */,
					      1 /* OPEN_EXISTING: OPEN */, 3 /* OPEN_ALWAYS: OPEN_IF */,
					      4 /* TRUNCATE_EXISTING: OVERWRITE */ };
	ULONG options = FILE_SYNCHRONOUS_IO_NONALERT;
	IO_STATUS_BLOCK iosb;
	HANDLE h;
	NTSTATUS st;
	BOOL named;

	(void)sa;
	(void)tmpl;
	if (creation < 1 || creation > 5) {
		k32_fail(ERROR_INVALID_PARAMETER);
		return INVALID_HANDLE_VALUE;
	}
	options |= flags & FILE_FLAG_BACKUP_SEMANTICS ? FILE_OPEN_FOR_BACKUP_INTENT : FILE_NON_DIRECTORY_FILE;
	if (flags & FILE_FLAG_DELETE_ON_CLOSE) {
		options |= FILE_DELETE_ON_CLOSE;
		access |= DELETE;
	}
	st = nt_open(name, access | SYNCHRONIZE | FILE_READ_ATTRIBUTES, share, dispositions[creation], options,
		     flags & 0xffff, &h, &iosb, &named);
	if (!named)
		return INVALID_HANDLE_VALUE;
	if (st) {
		k32_fail(st == STATUS_OBJECT_NAME_COLLISION && creation == 1 ? ERROR_FILE_EXISTS : RtlNtStatusToDosError(st));
		return INVALID_HANDLE_VALUE;
	}
	/* CREATE_ALWAYS and OPEN_ALWAYS say whether the file was there */
	LAST_ERROR() = (creation == 2 || creation == 4) && iosb.Information != 2 /* FILE_CREATED */ ? ERROR_ALREADY_EXISTS : 0;
	return h;
}

EXPORT HANDLE WINAPI CreateFileA(const char *name, DWORD access, DWORD share, void *sa, DWORD creation, DWORD flags,
				 HANDLE tmpl)
{
	WCHAR *w = k32_a_path(name);
	HANDLE h;

	if (!w)
		return INVALID_HANDLE_VALUE;
	h = CreateFileW(w, access, share, sa, creation, flags, tmpl);
	k32_free(w);
	return h;
}

EXPORT BOOL WINAPI CloseHandle(HANDLE h)
{
	NTSTATUS st = NtClose(h);

	return st ? k32_fail_nt(st) : 1;
}

/*
 * An OVERLAPPED: Internal and InternalHigh are the I/O's IO_STATUS_BLOCK, Offset/OffsetHigh where it
 * goes, hEvent the event it sets (its low bit set: no completion packet, as Windows reads it).
 */
typedef struct {
	IO_STATUS_BLOCK iosb;
	DWORD Offset, OffsetHigh;
	HANDLE hEvent;
} OVERLAPPED_IO;

#define STATUS_PENDING 0x103
#define ERROR_IO_PENDING 997
#define ERROR_HANDLE_EOF 38

/* ReadFile / WriteFile with an OVERLAPPED (nt_iocp.c: every I/O here completes within its call). */
static BOOL overlapped_io(HANDLE h, void *buf, DWORD len, DWORD *done, OVERLAPPED_IO *ov, int writing)
{
	int64_t offset = (int64_t)((uint64_t)ov->OffsetHigh << 32 | ov->Offset);
	HANDLE event = (HANDLE)((uintptr_t)ov->hEvent & ~(uintptr_t)1);
	void *apc_context = ((uintptr_t)ov->hEvent & 1) ? NULL : ov;
	NTSTATUS st;

	ov->iosb.Status = STATUS_PENDING;
	ov->iosb.Information = 0;
	st = writing ? NtWriteFile(h, event, NULL, apc_context, &ov->iosb, buf, len, &offset, NULL)
		     : NtReadFile(h, event, NULL, apc_context, &ov->iosb, buf, len, &offset, NULL);
	if (st == STATUS_PENDING)
		return k32_fail(ERROR_IO_PENDING);
	if (!writing && st == STATUS_END_OF_FILE)
		return k32_fail(ERROR_HANDLE_EOF);
	if (st == STATUS_PIPE_BROKEN)
		return k32_fail(ERROR_BROKEN_PIPE);
	if (st)
		return k32_fail_nt(st);
	if (done)
		*done = (DWORD)ov->iosb.Information;
	return 1;
}

EXPORT BOOL WINAPI ReadFile(HANDLE h, void *buf, DWORD len, DWORD *done, void *overlapped)
{
	IO_STATUS_BLOCK iosb;
	NTSTATUS st;

	if (done)
		*done = 0;
	if (overlapped)
		return overlapped_io(h, buf, len, done, overlapped, 0);
	st = NtReadFile(h, NULL, NULL, NULL, &iosb, buf, len, NULL, NULL);
	if (st == STATUS_END_OF_FILE)
		return 1; /* a read at the end of a file reads nothing and succeeds */
	if (st == STATUS_PIPE_BROKEN)
		return k32_fail(ERROR_BROKEN_PIPE);
	if (st)
		return k32_fail_nt(st);
	if (done)
		*done = (DWORD)iosb.Information;
	return 1;
}

EXPORT BOOL WINAPI WriteFile(HANDLE h, const void *buf, DWORD len, DWORD *done, void *overlapped)
{
	IO_STATUS_BLOCK iosb;
	NTSTATUS st;

	if (done)
		*done = 0;
	if (overlapped)
		return overlapped_io(h, (void *)buf, len, done, overlapped, 1);
	st = NtWriteFile(h, NULL, NULL, NULL, &iosb, buf, len, NULL, NULL);
	if (st)
		return k32_fail_nt(st);
	if (done)
		*done = (DWORD)iosb.Information;
	return 1;
}

EXPORT BOOL WINAPI FlushFileBuffers(HANDLE h)
{
	IO_STATUS_BLOCK iosb;
	NTSTATUS st = NtFlushBuffersFile(h, &iosb);

	return st ? k32_fail_nt(st) : 1;
}

EXPORT BOOL WINAPI SetFilePointerEx(HANDLE h, int64_t dist, int64_t *newpos, DWORD method)
{
	IO_STATUS_BLOCK iosb;
	int64_t pos, base = 0;
	unsigned char std[24];
	NTSTATUS st;

	if (method == 1) {
		st = NtQueryInformationFile(h, &iosb, &base, 8, 14 /* FilePositionInformation */);
	} else if (method == 2) {
		st = NtQueryInformationFile(h, &iosb, std, sizeof(std), 5 /* FileStandardInformation */);
		memcpy(&base, std + 8, 8);
	} else if (method == 0) {
		st = 0;
	} else {
		return k32_fail(ERROR_INVALID_PARAMETER);
	}
	if (st)
		return k32_fail_nt(st);
	pos = base + dist;
	if (pos < 0)
		return k32_fail(ERROR_NEGATIVE_SEEK);
	st = NtSetInformationFile(h, &iosb, &pos, 8, 14);
	if (st)
		return k32_fail_nt(st);
	if (newpos)
		*newpos = pos;
	return 1;
}

EXPORT DWORD WINAPI SetFilePointer(HANDLE h, LONG lo, LONG *hi, DWORD method)
{
	int64_t dist = hi ? ((int64_t)*hi << 32) | (uint32_t)lo : lo, pos;

	if (!SetFilePointerEx(h, dist, &pos, method))
		return 0xffffffffu;
	if (hi)
		*hi = (LONG)(pos >> 32);
	LAST_ERROR() = 0;
	return (DWORD)pos;
}

EXPORT BOOL WINAPI GetFileSizeEx(HANDLE h, int64_t *size)
{
	IO_STATUS_BLOCK iosb;
	unsigned char std[24];
	NTSTATUS st = NtQueryInformationFile(h, &iosb, std, sizeof(std), 5);

	if (st)
		return k32_fail_nt(st);
	memcpy(size, std + 8, 8);
	return 1;
}

EXPORT DWORD WINAPI GetFileSize(HANDLE h, DWORD *hi)
{
	int64_t size;

	if (!GetFileSizeEx(h, &size))
		return 0xffffffffu;
	if (hi)
		*hi = (DWORD)(size >> 32);
	LAST_ERROR() = 0;
	return (DWORD)size;
}

EXPORT BOOL WINAPI SetEndOfFile(HANDLE h)
{
	IO_STATUS_BLOCK iosb;
	int64_t pos;
	NTSTATUS st = NtQueryInformationFile(h, &iosb, &pos, 8, 14);

	if (!st)
		st = NtSetInformationFile(h, &iosb, &pos, 8, 20 /* FileEndOfFileInformation */);
	return st ? k32_fail_nt(st) : 1;
}

/* FILE_TYPE_DISK for files, FILE_TYPE_PIPE for pipes, FILE_TYPE_CHAR for the rest (terminals, /dev/null). */
EXPORT DWORD WINAPI GetFileType(HANDLE h)
{
	IO_STATUS_BLOCK iosb;
	ULONG dev[2];
	NTSTATUS st = NtQueryVolumeInformationFile(h, &iosb, dev, sizeof(dev), 4 /* FileFsDeviceInformation */);

	if (st) {
		k32_fail_nt(st);
		return 0; /* FILE_TYPE_UNKNOWN */
	}
	LAST_ERROR() = 0;
	switch (dev[0]) {
	case 7: /* FILE_DEVICE_DISK */
	case 8: /* FILE_DEVICE_DISK_FILE_SYSTEM */
		return 1;
	case 0x11: /* FILE_DEVICE_NAMED_PIPE */
		return 3;
	default:
		return 2;
	}
}

typedef struct {
	DWORD dwFileAttributes;
	FILETIME ftCreationTime, ftLastAccessTime, ftLastWriteTime;
	DWORD dwVolumeSerialNumber, nFileSizeHigh, nFileSizeLow, nNumberOfLinks, nFileIndexHigh, nFileIndexLow;
} BY_HANDLE_FILE_INFORMATION;

EXPORT BOOL WINAPI GetFileInformationByHandle(HANDLE h, BY_HANDLE_FILE_INFORMATION *info)
{
	IO_STATUS_BLOCK iosb;
	unsigned char basic[40], std[24];
	uint64_t index, size;
	NTSTATUS st = NtQueryInformationFile(h, &iosb, basic, sizeof(basic), 4);

	if (!st)
		st = NtQueryInformationFile(h, &iosb, std, sizeof(std), 5);
	if (!st)
		st = NtQueryInformationFile(h, &iosb, &index, 8, 6 /* FileInternalInformation */);
	if (st)
		return k32_fail_nt(st);
	memset(info, 0, sizeof(*info));
	memcpy(&info->dwFileAttributes, basic + 0x20, 4);
	info->ftCreationTime = k32_filetime(*(int64_t *)basic);
	info->ftLastAccessTime = k32_filetime(*(int64_t *)(basic + 8));
	info->ftLastWriteTime = k32_filetime(*(int64_t *)(basic + 16));
	memcpy(&size, std + 8, 8);
	info->nFileSizeHigh = (DWORD)(size >> 32);
	info->nFileSizeLow = (DWORD)size;
	memcpy(&info->nNumberOfLinks, std + 16, 4);
	info->nFileIndexHigh = (DWORD)(index >> 32);
	info->nFileIndexLow = (DWORD)index;
	return 1;
}

typedef struct {
	DWORD dwFileAttributes;
	FILETIME ftCreationTime, ftLastAccessTime, ftLastWriteTime;
	DWORD nFileSizeHigh, nFileSizeLow;
} WIN32_FILE_ATTRIBUTE_DATA;

EXPORT BOOL WINAPI GetFileAttributesExW(const WCHAR *name, int level, WIN32_FILE_ATTRIBUTE_DATA *data)
{
	UNICODE_STRING nt;
	OBJECT_ATTRIBUTES oa;
	unsigned char info[0x38];
	NTSTATUS st;

	if (level != 0 /* GetFileExInfoStandard */)
		return k32_fail(ERROR_INVALID_PARAMETER);
	if (!k32_nt_name(name, &nt))
		return 0;
	oa = (OBJECT_ATTRIBUTES){ sizeof(oa), NULL, &nt, OBJ_CASE_INSENSITIVE, NULL, NULL };
	st = NtQueryFullAttributesFile(&oa, info);
	RtlFreeUnicodeString(&nt);
	if (st)
		return k32_fail_nt(st);
	memcpy(&data->dwFileAttributes, info + 0x30, 4);
	data->ftCreationTime = k32_filetime(*(int64_t *)info);
	data->ftLastAccessTime = k32_filetime(*(int64_t *)(info + 8));
	data->ftLastWriteTime = k32_filetime(*(int64_t *)(info + 16));
	data->nFileSizeHigh = (DWORD)(*(uint64_t *)(info + 0x28) >> 32);
	data->nFileSizeLow = (DWORD)*(uint64_t *)(info + 0x28);
	return 1;
}

EXPORT BOOL WINAPI GetFileAttributesExA(const char *name, int level, WIN32_FILE_ATTRIBUTE_DATA *data)
{
	WCHAR *w = k32_a_path(name);
	BOOL ok;

	if (!w)
		return 0;
	ok = GetFileAttributesExW(w, level, data);
	k32_free(w);
	return ok;
}

EXPORT DWORD WINAPI GetFileAttributesW(const WCHAR *name)
{
	WIN32_FILE_ATTRIBUTE_DATA d;

	return GetFileAttributesExW(name, 0, &d) ? d.dwFileAttributes : INVALID_FILE_ATTRIBUTES;
}

EXPORT DWORD WINAPI GetFileAttributesA(const char *name)
{
	WIN32_FILE_ATTRIBUTE_DATA d;

	return GetFileAttributesExA(name, 0, &d) ? d.dwFileAttributes : INVALID_FILE_ATTRIBUTES;
}

#define FILE_WRITE_ATTRIBUTES 0x100u

/*
 * FILE_BASIC_INFORMATION: four times (0: leave it as it is) and the
 * attributes (0: leave them; FILE_ATTRIBUTE_NORMAL, 0x80, clears them all).
 */
static NTSTATUS set_basic(HANDLE h, const FILETIME *creation, const FILETIME *access, const FILETIME *write,
			  DWORD attributes)
{
	unsigned char info[0x28] = { 0 };
	const FILETIME *times[4] = { creation, access, write, NULL };
	IO_STATUS_BLOCK iosb;

	for (int i = 0; i < 3; i++)
		if (times[i]) {
			uint64_t t = (uint64_t)times[i]->dwHighDateTime << 32 | times[i]->dwLowDateTime;
			memcpy(info + 8 * i, &t, 8);
		}
	memcpy(info + 0x20, &attributes, 4);
	return NtSetInformationFile(h, &iosb, info, sizeof(info), 4 /* FileBasicInformation */);
}

EXPORT BOOL WINAPI SetFileTime(HANDLE h, const FILETIME *creation, const FILETIME *access, const FILETIME *write)
{
	NTSTATUS st = set_basic(h, creation, access, write, 0);

	return st ? k32_fail_nt(st) : 1;
}

EXPORT BOOL WINAPI SetFileAttributesW(const WCHAR *name, DWORD attributes)
{
	IO_STATUS_BLOCK iosb;
	HANDLE h;
	BOOL named;
	NTSTATUS st = nt_open(name, FILE_WRITE_ATTRIBUTES | SYNCHRONIZE, FILE_SHARE_ALL, 1 /* FILE_OPEN */,
			      FILE_SYNCHRONOUS_IO_NONALERT | FILE_OPEN_FOR_BACKUP_INTENT, 0, &h, &iosb, &named);

	if (!named)
		return 0;
	if (st)
		return k32_fail_nt(st);
	/* 0 would mean "unchanged" to the service: Windows' "no attributes" is FILE_ATTRIBUTE_NORMAL. */
	st = set_basic(h, NULL, NULL, NULL, attributes ? attributes : 0x80);
	NtClose(h);
	return st ? k32_fail_nt(st) : 1;
}

EXPORT BOOL WINAPI SetFileAttributesA(const char *name, DWORD attributes)
{
	WCHAR *w = k32_a_path(name);
	BOOL ok;

	if (!w)
		return 0;
	ok = SetFileAttributesW(w, attributes);
	k32_free(w);
	return ok;
}

/* Open name for deletion and mark it (FileDispositionInformation): the name goes when the handle closes. */
static BOOL delete_by_name(const WCHAR *name, ULONG kind)
{
	IO_STATUS_BLOCK iosb;
	HANDLE h;
	unsigned char yes = 1;
	BOOL named;
	NTSTATUS st = nt_open(name, DELETE | SYNCHRONIZE, FILE_SHARE_ALL, 1 /* FILE_OPEN */,
			      kind | FILE_SYNCHRONOUS_IO_NONALERT | FILE_OPEN_FOR_BACKUP_INTENT, 0, &h, &iosb, &named);

	if (!named)
		return 0;
	if (st)
		return k32_fail_nt(st);
	st = NtSetInformationFile(h, &iosb, &yes, 1, 13 /* FileDispositionInformation */);
	NtClose(h);
	return st ? k32_fail_nt(st) : 1;
}

EXPORT BOOL WINAPI DeleteFileW(const WCHAR *name)
{
	return delete_by_name(name, FILE_NON_DIRECTORY_FILE);
}

EXPORT BOOL WINAPI DeleteFileA(const char *name)
{
	WCHAR *w = k32_a_path(name);
	BOOL ok = w && DeleteFileW(w);

	k32_free(w);
	return ok;
}

EXPORT BOOL WINAPI RemoveDirectoryW(const WCHAR *name)
{
	return delete_by_name(name, FILE_DIRECTORY_FILE);
}

EXPORT BOOL WINAPI RemoveDirectoryA(const char *name)
{
	WCHAR *w = k32_a_path(name);
	BOOL ok = w && RemoveDirectoryW(w);

	k32_free(w);
	return ok;
}

EXPORT BOOL WINAPI CreateDirectoryW(const WCHAR *name, void *sa)
{
	IO_STATUS_BLOCK iosb;
	HANDLE h;
	BOOL named;
	NTSTATUS st = nt_open(name, FILE_LIST_DIRECTORY | SYNCHRONIZE, FILE_SHARE_ALL, 2 /* FILE_CREATE */,
			      FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT, 0x80, &h, &iosb, &named);

	(void)sa;
	if (!named)
		return 0;
	if (st)
		return k32_fail_nt(st);
	NtClose(h);
	return 1;
}

EXPORT BOOL WINAPI CreateDirectoryA(const char *name, void *sa)
{
	WCHAR *w = k32_a_path(name);
	BOOL ok = w && CreateDirectoryW(w, sa);

	k32_free(w);
	return ok;
}

EXPORT BOOL WINAPI MoveFileExW(const WCHAR *from, const WCHAR *to, DWORD flags)
{
	IO_STATUS_BLOCK iosb;
	UNICODE_STRING nt;
	HANDLE h;
	BOOL named;
	NTSTATUS st;
	unsigned char *info;
	size_t len;

	if (!to)
		return k32_fail(ERROR_INVALID_PARAMETER); /* MOVEFILE_DELAY_UNTIL_REBOOT's deletion: not served */
	st = nt_open(from, DELETE | SYNCHRONIZE, FILE_SHARE_ALL, 1, FILE_SYNCHRONOUS_IO_NONALERT | FILE_OPEN_FOR_BACKUP_INTENT,
		     0, &h, &iosb, &named);
	if (!named)
		return 0;
	if (st)
		return k32_fail_nt(st);
	if (!k32_nt_name(to, &nt)) {
		NtClose(h);
		return 0;
	}
	len = 0x14 + nt.Length;
	info = k32_alloc(len);
	if (!info) {
		RtlFreeUnicodeString(&nt);
		NtClose(h);
		return k32_fail(ERROR_NOT_ENOUGH_MEMORY);
	}
	memset(info, 0, 0x14);
	info[0] = flags & 1 /* MOVEFILE_REPLACE_EXISTING */;
	*(ULONG *)(info + 0x10) = nt.Length;
	memcpy(info + 0x14, nt.Buffer, nt.Length);
	st = NtSetInformationFile(h, &iosb, info, (ULONG)len, 10 /* FileRenameInformation */);
	k32_free(info);
	RtlFreeUnicodeString(&nt);
	NtClose(h);
	return st ? k32_fail_nt(st) : 1;
}

EXPORT BOOL WINAPI MoveFileW(const WCHAR *from, const WCHAR *to)
{
	return MoveFileExW(from, to, 0);
}

EXPORT BOOL WINAPI MoveFileExA(const char *from, const char *to, DWORD flags)
{
	WCHAR *a = k32_a_path(from), *b = a ? k32_a_path(to) : NULL;
	BOOL ok = a && b && MoveFileExW(a, b, flags);

	k32_free(a);
	k32_free(b);
	return ok;
}

EXPORT BOOL WINAPI DuplicateHandle(HANDLE sp, HANDLE s, HANDLE tp, HANDLE *t, DWORD access, BOOL inherit, DWORD options)
{
	NTSTATUS st = NtDuplicateObject(sp, s, tp, t, access, inherit ? 2 : 0, options);

	return st ? k32_fail_nt(st) : 1;
}

/* ---- FindFirstFile / FindNextFile over NtQueryDirectoryFile (FileBothDirectoryInformation) */

typedef struct {
	DWORD dwFileAttributes;
	FILETIME ftCreationTime, ftLastAccessTime, ftLastWriteTime;
	DWORD nFileSizeHigh, nFileSizeLow, dwReserved0, dwReserved1;
	WCHAR cFileName[260];
	WCHAR cAlternateFileName[14];
} WIN32_FIND_DATAW;

struct find {
	HANDLE dir;
	UNICODE_STRING mask;
	WCHAR mask_buf[260];
	ULONG next;           /* offset of the next entry in buf; ~0: ask for more */
	unsigned char buf[8192];
};

/* The next entry into data: 0, or the status (NO_MORE_FILES at the end). */
static NTSTATUS find_next(struct find *f, WIN32_FIND_DATAW *data, BOOL first)
{
	unsigned char *e;
	ULONG len;

	if (f->next == (ULONG)-1) {
		IO_STATUS_BLOCK iosb;
		NTSTATUS st = NtQueryDirectoryFile(f->dir, NULL, NULL, NULL, &iosb, f->buf, sizeof(f->buf),
						   3 /* FileBothDirectoryInformation */, 0, first ? &f->mask : NULL, first);

		if (st)
			return st;
		f->next = 0;
	}
	e = f->buf + f->next;
	f->next = *(ULONG *)e ? f->next + *(ULONG *)e : (ULONG)-1;
	memset(data, 0, sizeof(*data));
	memcpy(&data->dwFileAttributes, e + 0x38, 4);
	data->ftCreationTime = k32_filetime(*(int64_t *)(e + 8));
	data->ftLastAccessTime = k32_filetime(*(int64_t *)(e + 0x10));
	data->ftLastWriteTime = k32_filetime(*(int64_t *)(e + 0x18));
	data->nFileSizeHigh = (DWORD)(*(uint64_t *)(e + 0x28) >> 32);
	data->nFileSizeLow = (DWORD)*(uint64_t *)(e + 0x28);
	len = *(ULONG *)(e + 0x3c) / 2;
	if (len > 259)
		len = 259;
	memcpy(data->cFileName, e + 0x5e, len * 2);
	data->cFileName[len] = 0;
	return 0;
}

EXPORT HANDLE WINAPI FindFirstFileW(const WCHAR *pattern, WIN32_FIND_DATAW *data)
{
	WCHAR dir[1024];
	size_t n = 0, cut = 0;
	IO_STATUS_BLOCK iosb;
	struct find *f;
	BOOL named;
	NTSTATUS st;

	if (!pattern) {
		k32_fail(ERROR_INVALID_PARAMETER);
		return INVALID_HANDLE_VALUE;
	}
	for (n = 0; pattern[n]; n++)
		if (pattern[n] == '\\' || pattern[n] == '/')
			cut = n + 1;
	if (n - cut >= 260 || cut + 2 >= 1024 || n == cut) {
		k32_fail(n == cut ? ERROR_FILE_NOT_FOUND : ERROR_FILENAME_EXCED_RANGE);
		return INVALID_HANDLE_VALUE;
	}
	f = k32_alloc(sizeof(*f));
	if (!f) {
		k32_fail(ERROR_NOT_ENOUGH_MEMORY);
		return INVALID_HANDLE_VALUE;
	}
	memcpy(dir, pattern, cut * 2);
	if (!cut)
		dir[cut++] = '.';
	dir[cut] = 0;
	{
		const WCHAR *m = pattern;
		size_t k = 0, base = 0;

		for (size_t i = 0; m[i]; i++)
			if (m[i] == '\\' || m[i] == '/')
				base = i + 1;
		for (; m[base + k]; k++)
			f->mask_buf[k] = m[base + k];
		f->mask_buf[k] = 0;
		f->mask.Buffer = f->mask_buf;
		f->mask.Length = (uint16_t)(k * 2);
		f->mask.MaximumLength = (uint16_t)(k * 2 + 2);
	}
	st = nt_open(dir, FILE_LIST_DIRECTORY | SYNCHRONIZE, FILE_SHARE_ALL, 1, FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
		     0, &f->dir, &iosb, &named);
	if (!named || st) {
		k32_free(f);
		if (named)
			k32_fail_nt(st);
		return INVALID_HANDLE_VALUE;
	}
	f->next = (ULONG)-1;
	st = find_next(f, data, 1);
	if (st) {
		NtClose(f->dir);
		k32_free(f);
		k32_fail(st == STATUS_NO_MORE_FILES || st == STATUS_NO_SUCH_FILE ? ERROR_FILE_NOT_FOUND
										 : RtlNtStatusToDosError(st));
		return INVALID_HANDLE_VALUE;
	}
	return f;
}

EXPORT BOOL WINAPI FindNextFileW(HANDLE h, WIN32_FIND_DATAW *data)
{
	struct find *f = h;
	NTSTATUS st;

	if (!f || f == INVALID_HANDLE_VALUE)
		return k32_fail(ERROR_INVALID_HANDLE);
	st = find_next(f, data, 0);
	if (st)
		return k32_fail(st == STATUS_NO_MORE_FILES ? ERROR_NO_MORE_FILES : RtlNtStatusToDosError(st));
	return 1;
}

EXPORT BOOL WINAPI FindClose(HANDLE h)
{
	struct find *f = h;

	if (!f || f == INVALID_HANDLE_VALUE)
		return k32_fail(ERROR_INVALID_HANDLE);
	NtClose(f->dir);
	k32_free(f);
	return 1;
}

/* ---- Paths */

EXPORT DWORD WINAPI GetFullPathNameW(const WCHAR *name, DWORD size, WCHAR *buf, WCHAR **file_part)
{
	ULONG bytes;

	if (!name || !name[0]) {
		k32_fail(ERROR_INVALID_PARAMETER);
		return 0;
	}
	bytes = RtlGetFullPathName_U(name, size * 2, buf, file_part);
	if (!bytes) {
		k32_fail(ERROR_INVALID_PARAMETER);
		return 0;
	}
	return bytes / 2; /* the length, or (too small a buffer) the units needed with the NUL */
}

EXPORT DWORD WINAPI GetCurrentDirectoryW(DWORD size, WCHAR *buf)
{
	UNICODE_STRING *cd = (UNICODE_STRING *)(PROCESS_PARAMS() + 0x38);
	DWORD n = cd->Length / 2;

	/* without the trailing backslash, except for a drive's root */
	if (n > 3 && cd->Buffer[n - 1] == '\\')
		n--;
	if (size < n + 1)
		return n + 1;
	memcpy(buf, cd->Buffer, n * 2);
	buf[n] = 0;
	return n;
}

EXPORT BOOL WINAPI SetCurrentDirectoryW(const WCHAR *name)
{
	UNICODE_STRING *cd = (UNICODE_STRING *)(PROCESS_PARAMS() + 0x38);
	WCHAR full[1024];
	IO_STATUS_BLOCK iosb;
	HANDLE h;
	BOOL named;
	ULONG bytes;
	NTSTATUS st;

	if (!name)
		return k32_fail(ERROR_INVALID_PARAMETER);
	bytes = RtlGetFullPathName_U(name, sizeof(full) - 4, full, NULL);
	if (!bytes || bytes > sizeof(full) - 4)
		return k32_fail(ERROR_FILENAME_EXCED_RANGE);
	st = nt_open(full, FILE_LIST_DIRECTORY | SYNCHRONIZE, FILE_SHARE_ALL, 1, FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
		     0, &h, &iosb, &named);
	if (!named)
		return 0;
	if (st)
		return k32_fail_nt(st);
	NtClose(h);
	bytes /= 2;
	if (full[bytes - 1] != '\\')
		full[bytes++] = '\\';
	if ((bytes + 1) * 2 > cd->MaximumLength)
		return k32_fail(ERROR_FILENAME_EXCED_RANGE);
	memcpy(cd->Buffer, full, bytes * 2);
	cd->Buffer[bytes] = 0;
	cd->Length = (uint16_t)(bytes * 2);
	return 1;
}

EXPORT DWORD WINAPI GetCurrentDirectoryA(DWORD size, char *buf)
{
	WCHAR w[1024];
	DWORD n = GetCurrentDirectoryW(1024, w);
	int len;

	if (!n || n >= 1024)
		return 0;
	len = k32_w_to_a(w, n, NULL, 0);
	if ((DWORD)len + 1 > size)
		return (DWORD)len + 1;
	k32_w_to_a(w, n, buf, size);
	buf[len] = 0;
	return (DWORD)len;
}

EXPORT BOOL WINAPI SetCurrentDirectoryA(const char *name)
{
	WCHAR *w = k32_a_path(name);
	BOOL ok = w && SetCurrentDirectoryW(w);

	k32_free(w);
	return ok;
}

/* The documented order: TMP, TEMP, USERPROFILE, then the Windows directory; a full path ending in a backslash. */
EXPORT DWORD WINAPI GetTempPathW(DWORD size, WCHAR *buf)
{
	static const WCHAR *const vars[] = { u"TMP", u"TEMP", u"USERPROFILE" };
	WCHAR val[1024], full[1100];
	DWORD n = 0;
	ULONG bytes;

	for (size_t i = 0; i < 3 && !n; i++) {
		n = GetEnvironmentVariableW(vars[i], val, 1024);
		if (n >= 1024)
			n = 0;
	}
	if (!n) {
		static const char win[] = "C:\\Windows";

		for (n = 0; win[n]; n++)
			val[n] = (WCHAR)win[n];
		val[n] = 0;
	}
	bytes = RtlGetFullPathName_U(val, sizeof(full) - 4, full, NULL);
	if (!bytes || bytes > sizeof(full) - 4) {
		k32_fail(ERROR_FILENAME_EXCED_RANGE);
		return 0;
	}
	n = bytes / 2;
	if (full[n - 1] != '\\')
		full[n++] = '\\';
	full[n] = 0;
	if (size < n + 1)
		return n + 1;
	memcpy(buf, full, (n + 1) * 2);
	return n;
}

EXPORT DWORD WINAPI GetTempPathA(DWORD size, char *buf)
{
	WCHAR w[1100];
	DWORD n = GetTempPathW(1100, w);
	int len;

	if (!n || n >= 1100)
		return 0;
	len = k32_w_to_a(w, n, NULL, 0);
	if ((DWORD)len + 1 > size)
		return (DWORD)len + 1;
	k32_w_to_a(w, n, buf, size);
	buf[len] = 0;
	return (DWORD)len;
}
