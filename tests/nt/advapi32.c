/*
 * advapi32: the registry's version keys (the values of the build the PEB
 * names), the answers for keys and values that are not there, the sizes and
 * errors of RegQueryValueEx / RegGetValue / RegEnum*, handles, the refusal
 * to write; GetUserName (the name is printed as "# user NAME" for the
 * harness to compare with the run's passwd entry); random bytes through
 * RtlGenRandom (SystemFunction036), CryptGenRandom and \Device\KsecDD. Under Wine (the
 * reference, tests/nt/run-wine) the checks of what only a read-only hive
 * does are skipped: Wine's registry is writable. Linked with -ladvapi32.
 */
#include "nt_test.h"

#define WINAPI __attribute__((ms_abi))
#define IMP __declspec(dllimport)
typedef unsigned long DWORD;
typedef int BOOL;
typedef void *HKEY;
typedef struct {
	DWORD lo, hi;
} FILETIME;

#define HKEY_CURRENT_USER ((HKEY)(long long)(long)0x80000001)
#define HKEY_LOCAL_MACHINE ((HKEY)(long long)(long)0x80000002)
#define KEY_READ 0x20019
#define KEY_QUERY_VALUE 1
#define KEY_SET_VALUE 2
#define KEY_ALL_ACCESS 0xf003f
#define REG_SZ 1
#define REG_DWORD 4
#define RRF_RT_REG_SZ 0x2
#define RRF_RT_REG_DWORD 0x10
#define RRF_RT_ANY 0xffff

IMP long WINAPI RegOpenKeyExA(HKEY, const char *, DWORD, DWORD, HKEY *);
IMP long WINAPI RegOpenKeyExW(HKEY, const WCHAR *, DWORD, DWORD, HKEY *);
IMP long WINAPI RegQueryValueExA(HKEY, const char *, DWORD *, DWORD *, unsigned char *, DWORD *);
IMP long WINAPI RegQueryValueExW(HKEY, const WCHAR *, DWORD *, DWORD *, unsigned char *, DWORD *);
IMP long WINAPI RegGetValueA(HKEY, const char *, const char *, DWORD, DWORD *, void *, DWORD *);
IMP long WINAPI RegGetValueW(HKEY, const WCHAR *, const WCHAR *, DWORD, DWORD *, void *, DWORD *);
IMP long WINAPI RegEnumKeyExW(HKEY, DWORD, WCHAR *, DWORD *, DWORD *, WCHAR *, DWORD *, FILETIME *);
IMP long WINAPI RegEnumValueW(HKEY, DWORD, WCHAR *, DWORD *, DWORD *, DWORD *, unsigned char *, DWORD *);
IMP long WINAPI RegCreateKeyExW(HKEY, const WCHAR *, DWORD, WCHAR *, DWORD, DWORD, void *, HKEY *, DWORD *);
IMP long WINAPI RegSetValueExW(HKEY, const WCHAR *, DWORD, DWORD, const unsigned char *, DWORD);
IMP long WINAPI RegDeleteKeyW(HKEY, const WCHAR *);
IMP long WINAPI RegCloseKey(HKEY);
IMP long WINAPI RegQueryInfoKeyW(HKEY, WCHAR *, DWORD *, DWORD *, DWORD *, DWORD *, DWORD *, DWORD *, DWORD *, DWORD *,
				 DWORD *, FILETIME *);
IMP BOOL WINAPI GetUserNameW(WCHAR *, DWORD *);
IMP BOOL WINAPI GetUserNameA(char *, DWORD *);
IMP DWORD WINAPI GetLastError(void);
IMP void WINAPI SetLastError(DWORD);
IMP BOOL WINAPI SetEnvironmentVariableW(const WCHAR *, const WCHAR *);
IMP HANDLE WINAPI GetModuleHandleA(const char *);
IMP unsigned char WINAPI SystemFunction036(void *, ULONG);
IMP BOOL WINAPI CryptAcquireContextW(SIZE_T *, const WCHAR *, const WCHAR *, DWORD, DWORD);
IMP BOOL WINAPI CryptAcquireContextA(SIZE_T *, const char *, const char *, DWORD, DWORD);
IMP BOOL WINAPI CryptGenRandom(SIZE_T, DWORD, unsigned char *);
IMP BOOL WINAPI CryptReleaseContext(SIZE_T, DWORD);
IMP void *WINAPI VirtualAlloc(void *, SIZE_T, DWORD, DWORD);
IMP BOOL WINAPI VirtualFree(void *, SIZE_T, DWORD);
NTSTATUS NTAPI NtDeviceIoControlFile(HANDLE, HANDLE, void *, void *, IO_STATUS_BLOCK *, ULONG, void *, ULONG, void *,
				     ULONG);
IMP void *WINAPI GetProcAddress(HANDLE, const char *);

#define NT_CV "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion"
#define NT_CV_W L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion"

static int same_a(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static int same_w(const WCHAR *a, const WCHAR *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static int prefix_a(const char *s, const char *p)
{
	while (*p && *s == *p) {
		s++;
		p++;
	}
	return !*p;
}

/* The build number the PEB names (OSBuildNumber), as text. */
static void build_text(char *buf)
{
	unsigned b = *(unsigned short *)((char *)peb() + 0x120);
	char tmp[8];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + b % 10);
		b /= 10;
	} while (b);
	while (n)
		*buf++ = tmp[--n];
	*buf = 0;
}

static void skip(const char *what, const char *why)
{
	tests_run++;
	out("ok ");
	out_dec((unsigned long long)tests_run);
	out(" - ");
	out(what);
	out(" # SKIP ");
	out(why);
	out("\n");
}

static void version_values(int wine)
{
	char build[8], text[64];
	WCHAR wtext[64];
	DWORD type = 0, cb, dw;
	HKEY k = 0;
	long e;

	build_text(build);
	check(RegOpenKeyExA(HKEY_LOCAL_MACHINE, NT_CV, 0, KEY_READ, &k) == 0 && k, "RegOpenKeyExA(HKLM\\" NT_CV ")",
	      (unsigned long long)k);
	cb = sizeof(text);
	e = RegQueryValueExA(k, "CurrentBuildNumber", 0, &type, (unsigned char *)text, &cb);
	check(e == 0 && type == REG_SZ && same_a(text, build) && cb == slen(build) + 1,
	      "CurrentBuildNumber is the PEB's build (REG_SZ, size with the NUL)", (unsigned long long)e);
	cb = sizeof(wtext);
	e = RegQueryValueExW(k, L"CurrentBuild", 0, &type, (unsigned char *)wtext, &cb);
	check(e == 0 && type == REG_SZ && cb == (slen(build) + 1) * 2 && wtext[0] == (WCHAR)build[0] &&
	      wtext[slen(build)] == 0, "CurrentBuild as UTF-16 (RegQueryValueExW: the size in bytes)", cb);
	cb = sizeof(dw);
	e = RegQueryValueExA(k, "CurrentMajorVersionNumber", 0, &type, (unsigned char *)&dw, &cb);
	check(e == 0 && type == REG_DWORD && cb == 4 && dw == 10, "CurrentMajorVersionNumber: REG_DWORD 10", dw);
	cb = sizeof(dw);
	e = RegQueryValueExW(k, L"currentminorversionnumber", 0, &type, (unsigned char *)&dw, &cb);
	check(e == 0 && type == REG_DWORD && dw == 0, "CurrentMinorVersionNumber: 0 (value names ignore case)", dw);
	cb = sizeof(text);
	e = RegQueryValueExA(k, "CurrentVersion", 0, &type, (unsigned char *)text, &cb);
	if (wine && e == 0 && same_a(text, "10.0"))
		skip("CurrentVersion: \"6.3\"", "Wine writes 10.0; Windows 10 and 11 keep 6.3");
	else
		check(e == 0 && same_a(text, "6.3"), "CurrentVersion: \"6.3\"", (unsigned long long)e);
	cb = sizeof(text);
	e = RegQueryValueExA(k, "ProductName", 0, &type, (unsigned char *)text, &cb);
	check(e == 0 && type == REG_SZ && (prefix_a(text, "Windows 1") || prefix_a(text, "Microsoft Windows 1")),
	      "ProductName names Windows 10 or 11", (unsigned long long)e);
	cb = sizeof(text);
	e = RegQueryValueExA(k, "DisplayVersion", 0, &type, (unsigned char *)text, &cb);
	if (e == 2 && wine)
		skip("DisplayVersion is the build's release (22H2, 23H2)", "this Wine has no DisplayVersion");
	else
		check(e == 0 && (same_a(build, "22631") ? same_a(text, "23H2") :
				 same_a(build, "19045") ? same_a(text, "22H2") : 1),
		      "DisplayVersion is the build's release (22H2, 23H2)", (unsigned long long)e);

	/* sizes */
	cb = 12345;
	e = RegQueryValueExA(k, "CurrentBuildNumber", 0, 0, 0, &cb);
	check(e == 0 && cb == slen(build) + 1, "no buffer: ERROR_SUCCESS and the size needed", cb);
	cb = 2;
	e = RegQueryValueExA(k, "CurrentBuildNumber", 0, 0, (unsigned char *)text, &cb);
	check(e == 234 && cb == slen(build) + 1, "a short buffer: ERROR_MORE_DATA and the size needed", (unsigned long long)e);
	cb = 2;
	e = RegQueryValueExW(k, L"CurrentBuildNumber", 0, 0, (unsigned char *)wtext, &cb);
	check(e == 234 && cb == (slen(build) + 1) * 2, "... in bytes of UTF-16 for the W form", cb);
	e = RegQueryValueExA(k, "CurrentBuildNumber", 0, 0, (unsigned char *)text, 0);
	check(e == 87, "a buffer without its size: ERROR_INVALID_PARAMETER", (unsigned long long)e);
	cb = sizeof(text);
	e = RegQueryValueExA(k, "NoSuchValue-picovisor", 0, &type, (unsigned char *)text, &cb);
	check(e == 2, "a value that is not there: ERROR_FILE_NOT_FOUND", (unsigned long long)e);
	check(RegCloseKey(k) == 0, "RegCloseKey", 0);
	e = RegCloseKey(k);
	check(e == 6, "closing it again: ERROR_INVALID_HANDLE", (unsigned long long)e);
	cb = sizeof(text);
	e = RegQueryValueExA(k, "CurrentBuildNumber", 0, &type, (unsigned char *)text, &cb);
	check(e == 6, "a closed key: ERROR_INVALID_HANDLE", (unsigned long long)e);
	check(RegCloseKey(HKEY_LOCAL_MACHINE) == 0, "closing a predefined key succeeds", 0);
}

static void get_value(void)
{
	DWORD type = 0, cb = 4, dw = 0;
	char text[32], build[8];
	long e;

	build_text(build);
	e = RegGetValueW(HKEY_LOCAL_MACHINE, NT_CV_W, L"CurrentMajorVersionNumber", RRF_RT_REG_DWORD, &type, &dw, &cb);
	check(e == 0 && type == REG_DWORD && dw == 10 && cb == 4, "RegGetValueW: a REG_DWORD through a subkey",
	      (unsigned long long)e);
	cb = 4;
	e = RegGetValueW(HKEY_LOCAL_MACHINE, NT_CV_W, L"CurrentMajorVersionNumber", RRF_RT_REG_SZ, &type, &dw, &cb);
	check(e == 1630, "RegGetValueW of another type than asked: ERROR_UNSUPPORTED_TYPE", (unsigned long long)e);
	cb = sizeof(text);
	e = RegGetValueA(HKEY_LOCAL_MACHINE, NT_CV, "CurrentBuildNumber", RRF_RT_REG_SZ, &type, text, &cb);
	check(e == 0 && same_a(text, build) && cb == slen(build) + 1, "RegGetValueA: a REG_SZ in UTF-8",
	      (unsigned long long)e);
	cb = 4;
	e = RegGetValueW(HKEY_LOCAL_MACHINE, NT_CV_W, L"CurrentMajorVersionNumber", 0, &type, &dw, &cb);
	check(e == 1630, "RegGetValueW accepting no type: ERROR_UNSUPPORTED_TYPE", (unsigned long long)e);
	cb = 4;
	e = RegGetValueW(HKEY_LOCAL_MACHINE, NT_CV_W, L"CurrentMajorVersionNumber", 0x4 /* RRF_RT_REG_EXPAND_SZ */, &type,
			 &dw, &cb);
	check(e == 87, "RegGetValueW of REG_EXPAND_SZ alone without RRF_NOEXPAND: ERROR_INVALID_PARAMETER",
	      (unsigned long long)e);
	cb = 4;
	e = RegGetValueW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\picovisor-no-such-key", L"x", RRF_RT_ANY, &type, &dw, &cb);
	check(e == 2, "RegGetValueW under a key that is not there: ERROR_FILE_NOT_FOUND", (unsigned long long)e);
}

static void keys(void)
{
	HKEY k = (HKEY)1;
	long e;

	e = RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\picovisor-no-such-key", 0, KEY_READ, &k);
	check(e == 2 && !k, "a key that is not there: ERROR_FILE_NOT_FOUND, the handle NULL", (unsigned long long)e);
	e = RegOpenKeyExA(HKEY_CURRENT_USER, "Software\\GNU\\GnuPG-picovisor-test", 0, KEY_READ, &k);
	check(e == 2, "HKCU\\Software\\GNU\\GnuPG-...: ERROR_FILE_NOT_FOUND", (unsigned long long)e);
	e = RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"software\\microsoft\\WINDOWS NT\\currentversion", 0, KEY_READ, &k);
	check(e == 0, "key names ignore case", (unsigned long long)e);
	RegCloseKey(k);
	e = RegOpenKeyExW(HKEY_LOCAL_MACHINE, NT_CV_W L"\\", 0, KEY_READ, &k);
	check(e == 0, "a backslash at the end is allowed", (unsigned long long)e);
	RegCloseKey(k);
	e = RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"\\" NT_CV_W, 0, KEY_READ, &k);
	check(e == 161, "a backslash at the start: ERROR_BAD_PATHNAME", (unsigned long long)e);
	e = RegOpenKeyExW((HKEY)0x1234, L"x", 0, KEY_READ, &k);
	check(e == 6, "a handle that is not a key: ERROR_INVALID_HANDLE", (unsigned long long)e);
	e = RegOpenKeyExW(HKEY_LOCAL_MACHINE, NT_CV_W, 0, KEY_READ, 0);
	check(e == 87, "no place for the handle: ERROR_INVALID_PARAMETER", (unsigned long long)e);
}

static void enumeration(void)
{
	WCHAR name[256];
	unsigned char data[64];
	DWORD n, cb, type, i;
	int found = 0;
	HKEY k = 0;
	long e = 0;

	RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\Microsoft\\Windows NT", 0, KEY_READ, &k);
	for (i = 0; i < 1000; i++) {
		n = 256;
		e = RegEnumKeyExW(k, i, name, &n, 0, 0, 0, 0);
		if (e)
			break;
		found |= same_w(name, L"CurrentVersion") && n == 14;
	}
	check(found && e == 259, "RegEnumKeyExW lists CurrentVersion (its length), then ERROR_NO_MORE_ITEMS",
	      (unsigned long long)e);
	n = 3;
	e = RegEnumKeyExW(k, 0, name, &n, 0, 0, 0, 0);
	check(e == 234, "a name longer than the buffer: ERROR_MORE_DATA", (unsigned long long)e);
	RegCloseKey(k);
	RegOpenKeyExW(HKEY_LOCAL_MACHINE, NT_CV_W, 0, KEY_READ, &k);
	found = 0;
	for (i = 0; i < 1000; i++) {
		n = 256;
		cb = sizeof(data);
		e = RegEnumValueW(k, i, name, &n, 0, &type, data, &cb);
		if (e == 234)
			continue; /* a value bigger than the buffer (Wine has some) */
		if (e)
			break;
		found |= same_w(name, L"CurrentMajorVersionNumber") && type == REG_DWORD && cb == 4 && data[0] == 10;
	}
	check(found && e == 259, "RegEnumValueW gives CurrentMajorVersionNumber with its type and data",
	      (unsigned long long)e);
	{
		DWORD nsub = 99, nval = 0, mname = 0, mdata = 0, counted = i;

		e = RegQueryInfoKeyW(k, 0, 0, 0, &nsub, 0, 0, &nval, &mname, &mdata, 0, 0);
		check(e == 0 && nval == counted && mname >= 25 /* CurrentMajorVersionNumber */ && mdata >= 12,
		      "RegQueryInfoKeyW: as many values as RegEnumValueW gave, the longest name and data", nval);
		e = RegQueryInfoKeyW((HKEY)0x1234, 0, 0, 0, &nsub, 0, 0, 0, 0, 0, 0, 0);
		check(e == 6, "RegQueryInfoKeyW of a handle that is not a key: ERROR_INVALID_HANDLE", (unsigned long long)e);
	}
	RegCloseKey(k);
}

static void writes(int wine)
{
	DWORD disp = 0, dw = 1;
	HKEY k = 0, w = 0;
	long e;

	RegOpenKeyExW(HKEY_LOCAL_MACHINE, NT_CV_W, 0, KEY_READ, &k);
	e = RegSetValueExW(k, L"picovisor-test", 0, REG_DWORD, (unsigned char *)&dw, 4);
	check(e == 5, "setting a value through a key opened for reading: ERROR_ACCESS_DENIED", (unsigned long long)e);
	RegCloseKey(k);
	e = RegDeleteKeyW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\picovisor-no-such-key");
	check(e == 2, "deleting a key that is not there: ERROR_FILE_NOT_FOUND", (unsigned long long)e);
	if (wine) {
		skip("the hive is read-only: opening for writing, creating", "Wine's registry is writable");
		return;
	}
	e = RegOpenKeyExW(HKEY_LOCAL_MACHINE, NT_CV_W, 0, KEY_SET_VALUE, &w);
	check(e == 5 && !w, "opening a key for writing: ERROR_ACCESS_DENIED", (unsigned long long)e);
	e = RegOpenKeyExW(HKEY_LOCAL_MACHINE, NT_CV_W, 0, KEY_ALL_ACCESS, &w);
	check(e == 5, "... with KEY_ALL_ACCESS too", (unsigned long long)e);
	e = RegCreateKeyExW(HKEY_CURRENT_USER, L"Software\\picovisor-test", 0, 0, 0, KEY_READ, 0, &w, &disp);
	check(e == 5 && !w, "creating a key: ERROR_ACCESS_DENIED", (unsigned long long)e);
	e = RegCreateKeyExW(HKEY_LOCAL_MACHINE, NT_CV_W, 0, 0, 0, KEY_READ, 0, &w, &disp);
	check(e == 0 && disp == 2, "RegCreateKeyExW of a key that exists, to read it: REG_OPENED_EXISTING_KEY",
	      (unsigned long long)e);
	RegCloseKey(w);
	e = RegDeleteKeyW(HKEY_LOCAL_MACHINE, NT_CV_W);
	check(e == 5, "deleting a key: ERROR_ACCESS_DENIED", (unsigned long long)e);
}

static void user_name(void)
{
	WCHAR w[300], w2[300];
	char a[300];
	DWORD n = 0, n2;
	BOOL r;

	SetLastError(0);
	r = GetUserNameW(0, &n);
	check(!r && GetLastError() == 122 && n > 1, "GetUserNameW without a buffer: ERROR_INSUFFICIENT_BUFFER, the size",
	      GetLastError());
	n2 = n;
	r = GetUserNameW(w, &n2);
	check(r && n2 == n && w[n - 1] == 0, "GetUserNameW: the name, its size with the NUL", n2);
	n2 = n - 1;
	r = GetUserNameW(w2, &n2);
	check(!r && GetLastError() == 122 && n2 == n, "one character short: ERROR_INSUFFICIENT_BUFFER", n2);
	n2 = sizeof(a);
	r = GetUserNameA(a, &n2);
	check(r && n2 == slen(a) + 1 && a[0] == (char)w[0], "GetUserNameA: the same name in UTF-8", n2);
	SetEnvironmentVariableW(L"USERNAME", L"someone-else");
	n2 = 300;
	r = GetUserNameW(w2, &n2);
	check(r && same_w(w, w2), "changing USERNAME does not change who the program is", n2);
	out("# user ");
	out(a);
	out("\n");
}

/* Not all zero, and not the same as another draw: what can be checked of random bytes. */
static int looks_random(const unsigned char *a, const unsigned char *b, SIZE_T n)
{
	int nonzero = 0, differ = 0;

	for (SIZE_T i = 0; i < n; i++) {
		nonzero |= a[i] != 0;
		differ |= b && a[i] != b[i];
	}
	return nonzero && (!b || differ);
}

static void random_bytes(int wine)
{
	unsigned char a[64], b[64], *big;
	SIZE_T p = 0, p2 = 0;
	const SIZE_T big_len = 3 << 20;

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	check(SystemFunction036(a, sizeof(a)) && SystemFunction036(b, sizeof(b)) && looks_random(a, b, sizeof(a)),
	      "RtlGenRandom (SystemFunction036): two draws of 64 bytes, not zero, not the same", 0);
	check(SystemFunction036(a, 0), "RtlGenRandom of 0 bytes", 0);
	big = VirtualAlloc(0, big_len, 0x3000, 4);
	check(big && SystemFunction036(big, (ULONG)big_len) && looks_random(big + big_len - 64, 0, 64) &&
	      looks_random(big + (1 << 20), 0, 64), "RtlGenRandom of 3 MiB fills it to the end", 0);
	VirtualFree(big, 0, 0x8000);

	check(CryptAcquireContextW(&p, 0, 0, 1 /* PROV_RSA_FULL */, 0xF0000000 /* CRYPT_VERIFYCONTEXT */) && p,
	      "CryptAcquireContextW(PROV_RSA_FULL, CRYPT_VERIFYCONTEXT)", GetLastError());
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	check(CryptGenRandom(p, sizeof(a), a) && CryptGenRandom(p, sizeof(b), b) && looks_random(a, b, sizeof(a)),
	      "CryptGenRandom: two draws, not zero, not the same", GetLastError());
	check(CryptAcquireContextA(&p2, 0, "Microsoft Enhanced RSA and AES Cryptographic Provider", 24 /* PROV_RSA_AES */,
				   0xF0000000) && p2 && p2 != p, "CryptAcquireContextA naming the AES provider",
	      GetLastError());
	check(CryptReleaseContext(p, 0) && CryptReleaseContext(p2, 0), "CryptReleaseContext", GetLastError());
	SetLastError(0);
	check(!CryptAcquireContextW(&p, L"picovisor-test-container", 0, 1, 0) && GetLastError() == 0x80090016,
	      "a key container that does not exist: NTE_BAD_KEYSET", GetLastError());
	SetLastError(0);
	check(!CryptAcquireContextW(&p, 0, 0, 999, 0xF0000000) && GetLastError() == 0x80090017,
	      "a provider type that does not exist: NTE_PROV_TYPE_NOT_DEF", GetLastError());
	if (wine) {
		skip("\\Device\\KsecDD: a read-only buffer is STATUS_ACCESS_VIOLATION", "Wine has no KsecDD device");
		return;
	}
	{
		static const WCHAR dev[] = L"\\Device\\KsecDD";
		UNICODE_STRING u = { sizeof(dev) - 2, sizeof(dev), (WCHAR *)dev };
		OBJECT_ATTRIBUTES oa;
		IO_STATUS_BLOCK io;
		HANDLE h = 0;
		unsigned char *ro = VirtualAlloc(0, 4096, 0x3000, 2 /* PAGE_READONLY */);
		NTSTATUS st;

		init_oa(&oa, &u, 0, OBJ_CASE_INSENSITIVE);
		st = NtOpenFile(&h, 0x100001, &oa, &io, 7, 0x20);
		check(st == 0 && h, "NtOpenFile(\\Device\\KsecDD)", (unsigned long long)st);
		memset(a, 0, sizeof(a));
		st = NtDeviceIoControlFile(h, 0, 0, 0, &io, 0x390004, 0, 0, a, sizeof(a));
		check(st == 0 && io.Information == sizeof(a) && looks_random(a, b, sizeof(a)),
		      "IOCTL_KSEC_RNG fills the output buffer, Information its length", (unsigned long long)st);
		st = NtDeviceIoControlFile(h, 0, 0, 0, &io, 0x390004, 0, 0, ro, 64);
		check(st == (NTSTATUS)0xC0000005, "... into a read-only buffer: STATUS_ACCESS_VIOLATION", (unsigned long long)st);
		st = NtDeviceIoControlFile(h, 0, 0, 0, &io, 0x390008, 0, 0, a, sizeof(a));
		check(st == (NTSTATUS)0xC0000010, "another control code: STATUS_INVALID_DEVICE_REQUEST", (unsigned long long)st);
		st = NtReadFile(h, 0, 0, 0, &io, a, sizeof(a), 0, 0);
		check(st == (NTSTATUS)0xC0000010, "reading the device: STATUS_INVALID_DEVICE_REQUEST", (unsigned long long)st);
		NtClose(h);
		/* advapi32's own handle is one of the next few: a program closing handles it does not own closes it */
		for (SIZE_T v = 4; v < 0x100; v += 4)
			if ((HANDLE)v != std_handle(0) && (HANDLE)v != std_handle(1) && (HANDLE)v != std_handle(2))
				NtClose((HANDLE)v);
		memset(a, 0, sizeof(a));
		check(SystemFunction036(a, sizeof(a)) && looks_random(a, 0, sizeof(a)),
		      "RtlGenRandom after the program closed its handles: the device is opened again", GetLastError());
	}
}

int mainCRTStartup(void);
int mainCRTStartup(void)
{
	int wine = GetProcAddress(GetModuleHandleA("ntdll.dll"), "wine_get_version") != 0;

	version_values(wine);
	get_value();
	keys();
	enumeration();
	writes(wine);
	user_name();
	random_bytes(wine);
	done();
	return 0;
}
