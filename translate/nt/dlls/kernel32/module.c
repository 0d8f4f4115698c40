/* Modules: LoadLibrary, GetProcAddress, FreeLibrary, GetModuleHandle, GetModuleFileName (over ntdll's loader). */
#include "k32.h"

#define ERROR_MOD_NOT_FOUND 126
#define ERROR_PROC_NOT_FOUND 127
#define ERROR_INSUFFICIENT_BUFFER 122
#define ERROR_INVALID_PARAMETER 87
#define ERROR_FILENAME_EXCED_RANGE 206
#define ERROR_BAD_EXE_FORMAT 193
#define ERROR_DLL_INIT_FAILED 1114

static DWORD load_error(NTSTATUS st)
{
	switch ((uint32_t)st) {
	case 0xC0000135: /* DLL_NOT_FOUND */
		return ERROR_MOD_NOT_FOUND;
	case 0xC0000139: /* ENTRYPOINT_NOT_FOUND */
	case 0xC0000138: /* ORDINAL_NOT_FOUND */
	case 0xC000007A:
		return ERROR_PROC_NOT_FOUND;
	case 0xC000007B:
		return ERROR_BAD_EXE_FORMAT;
	case 0xC0000142:
		return ERROR_DLL_INIT_FAILED;
	default:
		return RtlNtStatusToDosError(st);
	}
}

EXPORT HMODULE WINAPI LoadLibraryExW(const WCHAR *name, HANDLE file, DWORD flags)
{
	UNICODE_STRING us;
	void *h = NULL;
	size_t n = 0;
	NTSTATUS st;

	(void)flags;
	if (!name || file) {
		k32_fail(ERROR_INVALID_PARAMETER);
		return NULL;
	}
	while (name[n])
		n++;
	if (n >= 0x7fff) {
		k32_fail(ERROR_FILENAME_EXCED_RANGE);
		return NULL;
	}
	us.Buffer = (WCHAR *)name;
	us.Length = (uint16_t)(n * 2);
	us.MaximumLength = us.Length;
	st = LdrLoadDll(NULL, NULL, &us, &h);
	if (st) {
		k32_fail(load_error(st));
		return NULL;
	}
	return h;
}

EXPORT HMODULE WINAPI LoadLibraryW(const WCHAR *name)
{
	return LoadLibraryExW(name, NULL, 0);
}

EXPORT HMODULE WINAPI LoadLibraryExA(const char *name, HANDLE file, DWORD flags)
{
	WCHAR w[1024];

	if (!name) {
		k32_fail(ERROR_INVALID_PARAMETER);
		return NULL;
	}
	if (k32_a_to_w(name, w, 1024) < 0) {
		k32_fail(ERROR_FILENAME_EXCED_RANGE);
		return NULL;
	}
	return LoadLibraryExW(w, file, flags);
}

EXPORT HMODULE WINAPI LoadLibraryA(const char *name)
{
	return LoadLibraryExA(name, NULL, 0);
}

EXPORT BOOL WINAPI FreeLibrary(HMODULE m)
{
	NTSTATUS st = LdrUnloadDll(m);

	return st ? k32_fail(load_error(st)) : 1;
}

EXPORT void *WINAPI GetProcAddress(HMODULE m, const char *name)
{
	ANSI_STRING as;
	void *addr = NULL;
	NTSTATUS st;

	if (!m)
		m = PEB_FIELD(void *, 0x10);
	if ((uintptr_t)name >> 16) {
		as.Buffer = (char *)name;
		as.Length = (uint16_t)strlen(name);
		as.MaximumLength = as.Length;
		st = LdrGetProcedureAddress(m, &as, 0, &addr);
	} else {
		st = LdrGetProcedureAddress(m, NULL, (ULONG)(uintptr_t)name, &addr);
	}
	if (st) {
		k32_fail(load_error(st));
		return NULL;
	}
	return addr;
}

EXPORT HMODULE WINAPI GetModuleHandleW(const WCHAR *name)
{
	UNICODE_STRING us;
	void *h = NULL;
	size_t n = 0;
	NTSTATUS st;

	if (!name)
		return PEB_FIELD(void *, 0x10);
	while (name[n])
		n++;
	us.Buffer = (WCHAR *)name;
	us.Length = (uint16_t)(n * 2);
	us.MaximumLength = us.Length;
	st = LdrGetDllHandle(NULL, NULL, &us, &h);
	if (st) {
		k32_fail(load_error(st));
		return NULL;
	}
	return h;
}

EXPORT HMODULE WINAPI GetModuleHandleA(const char *name)
{
	WCHAR w[1024];

	if (!name)
		return GetModuleHandleW(NULL);
	if (k32_a_to_w(name, w, 1024) < 0) {
		k32_fail(ERROR_MOD_NOT_FOUND);
		return NULL;
	}
	return GetModuleHandleW(w);
}

EXPORT DWORD WINAPI GetModuleFileNameW(HMODULE m, WCHAR *buf, DWORD size)
{
	UNICODE_STRING us = { 0, (uint16_t)(size > 0x7fff ? 0xfffe : size * 2), buf };
	NTSTATUS st = LdrGetDllFullName(m, &us);

	if (st == (NTSTATUS)0xC0000023) { /* BUFFER_TOO_SMALL: cut, and said so */
		LAST_ERROR() = ERROR_INSUFFICIENT_BUFFER;
		return size;
	}
	if (st) {
		k32_fail(load_error(st));
		return 0;
	}
	return us.Length / 2;
}

EXPORT DWORD WINAPI GetModuleFileNameA(HMODULE m, char *buf, DWORD size)
{
	WCHAR w[1024];
	DWORD n = GetModuleFileNameW(m, w, 1024), k = 0;

	if (!n)
		return 0;
	/* UTF-8 out */
	for (DWORD i = 0; i < n && k + 1 < size; i++) {
		uint32_t c = w[i];

		if (c >= 0xd800 && c < 0xdc00 && i + 1 < n && w[i + 1] >= 0xdc00 && w[i + 1] < 0xe000)
			c = 0x10000 + ((c - 0xd800) << 10) + (w[++i] - 0xdc00);
		if (c < 0x80) {
			buf[k++] = (char)c;
		} else {
			char t[4];
			int len = c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;

			if (k + (DWORD)len + 1 > size)
				break;
			for (int j = len - 1; j > 0; j--, c >>= 6)
				t[j] = (char)(0x80 | (c & 0x3f));
			t[0] = (char)(len == 2 ? 0xc0 | c : len == 3 ? 0xe0 | c : 0xf0 | c);
			for (int j = 0; j < len; j++)
				buf[k++] = t[j];
		}
	}
	if (size)
		buf[k < size ? k : size - 1] = 0;
	if (k + 1 >= size && k < n) {
		LAST_ERROR() = ERROR_INSUFFICIENT_BUFFER;
		return size;
	}
	return k;
}

EXPORT BOOL WINAPI DisableThreadLibraryCalls(HMODULE m)
{
	NTSTATUS st = LdrDisableThreadLibraryCalls(m);

	return st ? k32_fail(load_error(st)) : 1;
}

#define GET_MODULE_HANDLE_EX_FLAG_PIN 1u
#define GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT 2u
#define GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS 4u

/* A module by name (NULL: the program) or by an address in it; its count raised unless asked not to, or pinned. */
EXPORT BOOL WINAPI GetModuleHandleExW(DWORD flags, const WCHAR *name, HMODULE *out)
{
	void *base = NULL;

	if (!out)
		return k32_fail(ERROR_INVALID_PARAMETER);
	*out = NULL;
	if ((flags & ~7u) ||
	    (flags & (GET_MODULE_HANDLE_EX_FLAG_PIN | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT)) ==
		    (GET_MODULE_HANDLE_EX_FLAG_PIN | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT))
		return k32_fail(ERROR_INVALID_PARAMETER);
	if (flags & GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS) {
		if (!RtlPcToFileHeader((void *)name, &base))
			return k32_fail(ERROR_MOD_NOT_FOUND);
	} else {
		base = GetModuleHandleW(name);
		if (!base)
			return 0;
	}
	if (!(flags & GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT)) {
		NTSTATUS st = LdrAddRefDll(flags & GET_MODULE_HANDLE_EX_FLAG_PIN ? 1 /* LDR_ADDREF_DLL_PIN */ : 0, base);

		if (st)
			return k32_fail(load_error(st));
	}
	*out = base;
	return 1;
}

EXPORT BOOL WINAPI GetModuleHandleExA(DWORD flags, const char *name, HMODULE *out)
{
	WCHAR w[1024];

	if ((flags & GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS) || !name)
		return GetModuleHandleExW(flags, (const WCHAR *)name, out);
	if (k32_a_to_w(name, w, 1024) < 0) {
		if (out)
			*out = NULL;
		return k32_fail(ERROR_MOD_NOT_FOUND);
	}
	return GetModuleHandleExW(flags, w, out);
}
