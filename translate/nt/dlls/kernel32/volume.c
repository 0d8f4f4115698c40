/*
 * Volumes and links: GetDiskFreeSpaceEx, GetVolumeInformation, the volume
 * enumeration (FindFirstVolumeW...) and CreateHardLink, over the NT file
 * services. Each drive of the run is a volume; its name is a volume GUID path
 * made from its letter, \\?\Volume{5069636f-7669-736f-7200-0000000000XX}\
 * (XX: the letter's code), which these functions take as they take X:\, and
 * which the supervisor resolves as that drive (\??\Volume{...}), so every
 * file function takes it too.
 */
#include "k32.h"

#define SYNCHRONIZE 0x100000u
#define FILE_READ_ATTRIBUTES 0x80u
#define FILE_SHARE_ALL 7u
#define FILE_DIRECTORY_FILE 0x1u
#define FILE_SYNCHRONOUS_IO_NONALERT 0x20u
#define FILE_NON_DIRECTORY_FILE 0x40u
#define FILE_OPEN_FOR_BACKUP_INTENT 0x4000u
#define OBJ_CASE_INSENSITIVE 0x40u
#define FileLinkInformation 11
#define FileFsVolumeInformation 1
#define FileFsAttributeInformation 5
#define FileFsFullSizeInformation 7
#define STATUS_OBJECT_NAME_NOT_FOUND ((NTSTATUS)0xC0000034)
#define STATUS_OBJECT_PATH_NOT_FOUND ((NTSTATUS)0xC000003A)
#define STATUS_OBJECT_NAME_COLLISION ((NTSTATUS)0xC0000035)
#define ERROR_NOT_ENOUGH_MEMORY 8
#define ERROR_NO_MORE_FILES 18
#define ERROR_INVALID_PARAMETER 87
#define ERROR_INVALID_NAME 123
#define ERROR_DIR_NOT_ROOT 144
#define ERROR_ALREADY_EXISTS 183
#define ERROR_FILENAME_EXCED_RANGE 206
#define ERROR_MORE_DATA 234
#define MAX_PATH_K 1024

static const WCHAR guid_prefix[] = u"\\\\?\\Volume{5069636f-7669-736f-7200-0000000000";

/* The drive letter a volume GUID path of ours names ("\\?\Volume{...XX}" and what follows), else 0. */
static WCHAR guid_drive(const WCHAR *name, size_t *used)
{
	size_t n = sizeof(guid_prefix) / 2 - 1;
	unsigned v = 0;

	for (size_t i = 0; i < n; i++)
		if (name[i] != guid_prefix[i])
			return 0;
	for (size_t i = n; i < n + 2; i++) {
		WCHAR c = name[i];

		if (c >= '0' && c <= '9')
			v = v * 16 + (c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (c - 'a' + 10);
		else
			return 0;
	}
	if (name[n + 2] != '}' || v < 'A' || v > 'Z')
		return 0;
	*used = n + 3;
	return (WCHAR)v;
}

/* A directory name for the services: a volume GUID path becomes its drive's root ("X:\" and the rest). */
static const WCHAR *dos_dir(const WCHAR *name, WCHAR *buf, size_t cap)
{
	size_t used, k = 0;
	WCHAR letter = name ? guid_drive(name, &used) : 0;

	if (!letter)
		return name;
	buf[k++] = letter;
	buf[k++] = ':';
	for (name += used; *name && k + 1 < cap; name++)
		buf[k++] = *name;
	if (k == 2)
		buf[k++] = '\\';
	buf[k] = 0;
	return buf;
}

/* The root of the current directory's drive ("C:\") in buf. */
static const WCHAR *current_root(WCHAR *buf)
{
	UNICODE_STRING *cd = (UNICODE_STRING *)(PROCESS_PARAMS() + 0x38);

	buf[0] = cd->Length >= 4 ? cd->Buffer[0] : 'C';
	buf[1] = ':';
	buf[2] = '\\';
	buf[3] = 0;
	return buf;
}

/* Open a directory (for its volume's information): the status, the handle in *h. */
static NTSTATUS open_dir(const WCHAR *dos, HANDLE *h)
{
	UNICODE_STRING nt;
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK iosb;
	NTSTATUS st;

	if (!RtlDosPathNameToNtPathName_U(dos, &nt, NULL, NULL))
		return (NTSTATUS)0xC0000033; /* OBJECT_NAME_INVALID */
	oa = (OBJECT_ATTRIBUTES){ sizeof(oa), NULL, &nt, OBJ_CASE_INSENSITIVE, NULL, NULL };
	st = NtOpenFile(h, SYNCHRONIZE | FILE_READ_ATTRIBUTES, &oa, &iosb, FILE_SHARE_ALL,
			FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT | FILE_OPEN_FOR_BACKUP_INTENT);
	RtlFreeUnicodeString(&nt);
	return st;
}

EXPORT BOOL WINAPI GetDiskFreeSpaceExW(const WCHAR *dir, uint64_t *caller_free, uint64_t *total, uint64_t *total_free)
{
	WCHAR buf[MAX_PATH_K], root[4];
	IO_STATUS_BLOCK iosb;
	uint64_t info[4];
	HANDLE h;
	NTSTATUS st;

	st = open_dir(dir ? dos_dir(dir, buf, MAX_PATH_K) : current_root(root), &h);
	if (st)
		return k32_fail_nt(st);
	st = NtQueryVolumeInformationFile(h, &iosb, info, sizeof(info), FileFsFullSizeInformation);
	NtClose(h);
	if (st)
		return k32_fail_nt(st);
	{
		/* TotalAllocationUnits, CallerAvailable, ActualAvailable, then sectors per unit and bytes per sector */
		uint64_t unit = (uint64_t)(uint32_t)info[3] * (info[3] >> 32);

		if (caller_free)
			*caller_free = info[1] * unit;
		if (total)
			*total = info[0] * unit;
		if (total_free)
			*total_free = info[2] * unit;
	}
	return 1;
}

EXPORT BOOL WINAPI GetDiskFreeSpaceExA(const char *dir, uint64_t *caller_free, uint64_t *total, uint64_t *total_free)
{
	WCHAR *w = dir ? k32_a_path(dir) : NULL;
	BOOL ok;

	if (dir && !w)
		return 0;
	ok = GetDiskFreeSpaceExW(w, caller_free, total, total_free);
	k32_free(w);
	return ok;
}

/* A volume's root as GetVolumeInformation takes it: "X:\", "\\?\X:\" or a volume GUID path, in buf. */
static BOOL volume_root(const WCHAR *name, WCHAR *buf)
{
	size_t used = 0;
	WCHAR letter;

	if (!name)
		return current_root(buf) != NULL;
	letter = guid_drive(name, &used);
	if (!letter) {
		const WCHAR *p = name;

		if (p[0] == '\\' && p[1] == '\\' && (p[2] == '?' || p[2] == '.') && p[3] == '\\')
			p += 4;
		if (!((p[0] | 0x20) >= 'a' && (p[0] | 0x20) <= 'z' && p[1] == ':'))
			return k32_fail(ERROR_INVALID_NAME);
		letter = p[0] & ~0x20;
		used = (size_t)(p - name) + 2;
	}
	if (name[used] != '\\')
		return k32_fail(ERROR_INVALID_NAME);
	if (name[used + 1])
		return k32_fail(ERROR_DIR_NOT_ROOT);
	buf[0] = letter;
	buf[1] = ':';
	buf[2] = '\\';
	buf[3] = 0;
	return 1;
}

EXPORT BOOL WINAPI GetVolumeInformationW(const WCHAR *root, WCHAR *label, DWORD label_size, DWORD *serial,
					 DWORD *max_component, DWORD *fs_flags, WCHAR *fs_name, DWORD fs_name_size)
{
	WCHAR dos[4];
	IO_STATUS_BLOCK iosb;
	uint64_t vol[64], attr[64];
	HANDLE h;
	NTSTATUS st;

	if (!volume_root(root, dos))
		return 0;
	st = open_dir(dos, &h);
	if (st)
		return k32_fail_nt(st);
	st = NtQueryVolumeInformationFile(h, &iosb, vol, sizeof(vol), FileFsVolumeInformation);
	if (!st)
		st = NtQueryVolumeInformationFile(h, &iosb, attr, sizeof(attr), FileFsAttributeInformation);
	NtClose(h);
	if (st)
		return k32_fail_nt(st);
	{
		const unsigned char *v = (const unsigned char *)vol, *a = (const unsigned char *)attr;
		DWORD label_len = *(const uint32_t *)(v + 0xc) / 2, name_len = *(const uint32_t *)(a + 8) / 2;

		if (label) {
			if (label_len + 1 > label_size)
				return k32_fail(ERROR_MORE_DATA);
			memcpy(label, v + 0x12, label_len * 2);
			label[label_len] = 0;
		}
		if (serial)
			*serial = *(const uint32_t *)(v + 8);
		if (max_component)
			*max_component = *(const uint32_t *)(a + 4);
		if (fs_flags)
			*fs_flags = *(const uint32_t *)a;
		if (fs_name) {
			if (name_len + 1 > fs_name_size)
				return k32_fail(ERROR_MORE_DATA);
			memcpy(fs_name, a + 0xc, name_len * 2);
			fs_name[name_len] = 0;
		}
	}
	return 1;
}

static BOOL w_to_a_out(const WCHAR *w, char *a, DWORD size)
{
	size_t n = 0;
	int k;

	while (w[n])
		n++;
	k = k32_w_to_a(w, n, a, size ? size - 1 : 0);
	if (k < 0 || (DWORD)k + 1 > size)
		return k32_fail(ERROR_MORE_DATA);
	a[k] = 0;
	return 1;
}

EXPORT BOOL WINAPI GetVolumeInformationA(const char *root, char *label, DWORD label_size, DWORD *serial,
					 DWORD *max_component, DWORD *fs_flags, char *fs_name, DWORD fs_name_size)
{
	WCHAR *w = root ? k32_a_path(root) : NULL, wl[MAX_PATH_K], wf[MAX_PATH_K];
	BOOL ok;

	if (root && !w)
		return 0;
	ok = GetVolumeInformationW(w, label ? wl : NULL, MAX_PATH_K, serial, max_component, fs_flags, fs_name ? wf : NULL,
				   MAX_PATH_K);
	k32_free(w);
	if (ok && label)
		ok = w_to_a_out(wl, label, label_size);
	if (ok && fs_name)
		ok = w_to_a_out(wf, fs_name, fs_name_size);
	return ok;
}

/* ---- The volumes: the run's drives, found by opening each letter's root. */

#define FIND_VOLUME_MAGIC 0x6c6f7670u /* "pvol" */

struct find_volume {
	uint32_t magic;
	uint32_t drives; /* bit i: letter 'A' + i, still to be given */
};

static BOOL next_volume(struct find_volume *f, WCHAR *buf, DWORD len)
{
	size_t n = sizeof(guid_prefix) / 2 - 1;
	int i;

	for (i = 0; i < 26 && !(f->drives & (1u << i)); i++)
		;
	if (i == 26)
		return k32_fail(ERROR_NO_MORE_FILES);
	if (len < n + 5)
		return k32_fail(ERROR_FILENAME_EXCED_RANGE);
	f->drives &= ~(1u << i);
	memcpy(buf, guid_prefix, n * 2);
	buf[n] = (WCHAR)"0123456789abcdef"[('A' + i) >> 4];
	buf[n + 1] = (WCHAR)"0123456789abcdef"[('A' + i) & 15];
	buf[n + 2] = '}';
	buf[n + 3] = '\\';
	buf[n + 4] = 0;
	return 1;
}

EXPORT HANDLE WINAPI FindFirstVolumeW(WCHAR *buf, DWORD len)
{
	struct find_volume *f = k32_alloc(sizeof(*f));
	WCHAR root[4] = { 'A', ':', '\\', 0 };

	if (!f) {
		k32_fail(ERROR_NOT_ENOUGH_MEMORY);
		return INVALID_HANDLE_VALUE;
	}
	f->magic = FIND_VOLUME_MAGIC;
	f->drives = 0;
	for (int i = 0; i < 26; i++) {
		HANDLE h;
		NTSTATUS st;

		root[0] = (WCHAR)('A' + i);
		st = open_dir(root, &h);
		if (!st)
			NtClose(h);
		/* a drive the sandbox will not let the program open is still a drive */
		if (st != STATUS_OBJECT_PATH_NOT_FOUND && st != STATUS_OBJECT_NAME_NOT_FOUND)
			f->drives |= 1u << i;
	}
	if (!next_volume(f, buf, len)) {
		k32_free(f);
		return INVALID_HANDLE_VALUE;
	}
	return f;
}

EXPORT BOOL WINAPI FindNextVolumeW(HANDLE h, WCHAR *buf, DWORD len)
{
	struct find_volume *f = h;

	if (!f || f == INVALID_HANDLE_VALUE || f->magic != FIND_VOLUME_MAGIC)
		return k32_fail(6 /* ERROR_INVALID_HANDLE */);
	return next_volume(f, buf, len);
}

EXPORT BOOL WINAPI FindVolumeClose(HANDLE h)
{
	struct find_volume *f = h;

	if (!f || f == INVALID_HANDLE_VALUE || f->magic != FIND_VOLUME_MAGIC)
		return k32_fail(6 /* ERROR_INVALID_HANDLE */);
	f->magic = 0;
	k32_free(f);
	return 1;
}

/* ---- Hard links: FileLinkInformation on a handle of the existing file. */

EXPORT BOOL WINAPI CreateHardLinkW(const WCHAR *new_name, const WCHAR *existing, void *sa)
{
	UNICODE_STRING nt, target;
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK iosb;
	unsigned char *info;
	HANDLE h;
	NTSTATUS st;

	(void)sa;
	if (!new_name || !existing)
		return k32_fail(ERROR_INVALID_PARAMETER);
	if (!k32_nt_name(existing, &nt))
		return 0;
	oa = (OBJECT_ATTRIBUTES){ sizeof(oa), NULL, &nt, OBJ_CASE_INSENSITIVE, NULL, NULL };
	st = NtOpenFile(&h, SYNCHRONIZE | FILE_READ_ATTRIBUTES, &oa, &iosb, FILE_SHARE_ALL,
			FILE_SYNCHRONOUS_IO_NONALERT | FILE_OPEN_FOR_BACKUP_INTENT);
	RtlFreeUnicodeString(&nt);
	if (st)
		return k32_fail_nt(st);
	if (!k32_nt_name(new_name, &target)) {
		NtClose(h);
		return 0;
	}
	info = k32_alloc(0x14 + target.Length);
	if (!info) {
		RtlFreeUnicodeString(&target);
		NtClose(h);
		return k32_fail(ERROR_NOT_ENOUGH_MEMORY);
	}
	/* FILE_LINK_INFORMATION: ReplaceIfExists, RootDirectory, FileNameLength, FileName */
	memset(info, 0, 0x14);
	*(uint32_t *)(info + 0x10) = target.Length;
	memcpy(info + 0x14, target.Buffer, target.Length);
	st = NtSetInformationFile(h, &iosb, info, 0x14 + target.Length, FileLinkInformation);
	k32_free(info);
	RtlFreeUnicodeString(&target);
	NtClose(h);
	if (st == STATUS_OBJECT_NAME_COLLISION)
		return k32_fail(ERROR_ALREADY_EXISTS);
	return st ? k32_fail_nt(st) : 1;
}

EXPORT BOOL WINAPI CreateHardLinkA(const char *new_name, const char *existing, void *sa)
{
	WCHAR *n = k32_a_path(new_name), *e = n ? k32_a_path(existing) : NULL;
	BOOL ok = n && e && CreateHardLinkW(n, e, sa);

	k32_free(n);
	k32_free(e);
	return ok;
}
