/*
 * bcrypt's BCryptGenRandom with the system's preferred generator, its
 * refusals, and bcryptprimitives' ProcessPrng (loaded at run time; Rust's
 * standard library imports it): random bytes from \Device\KsecDD, that is
 * from the Linux kernel. Linked with -lbcrypt -lkernel32.
 */
#include "nt_test.h"

#define WINAPI __attribute__((ms_abi))
#define IMP __declspec(dllimport)
typedef unsigned long DWORD;
typedef int BOOL;

IMP NTSTATUS WINAPI BCryptGenRandom(void *alg, unsigned char *buf, ULONG len, ULONG flags);
IMP HANDLE WINAPI LoadLibraryA(const char *);
IMP void *WINAPI GetProcAddress(HANDLE, const char *);

static int differ(const unsigned char *a, const unsigned char *b, SIZE_T n)
{
	int nonzero = 0, diff = 0;

	for (SIZE_T i = 0; i < n; i++) {
		nonzero |= a[i] != 0;
		diff |= a[i] != b[i];
	}
	return nonzero && diff;
}

int mainCRTStartup(void);
int mainCRTStartup(void)
{
	unsigned char a[48] = { 0 }, b[48] = { 0 };
	BOOL(WINAPI * prng)(unsigned char *, SIZE_T);
	HANDLE prims;
	NTSTATUS st;

	st = BCryptGenRandom(0, a, sizeof(a), 2 /* BCRYPT_USE_SYSTEM_PREFERRED_RNG */);
	check(st == 0 && BCryptGenRandom(0, b, sizeof(b), 2) == 0 && differ(a, b, sizeof(a)),
	      "BCryptGenRandom(system preferred): two draws, not zero, not the same", (unsigned long long)st);
	st = BCryptGenRandom(0, a, sizeof(a), 0);
	check(st == (NTSTATUS)0xC0000008, "no algorithm handle, no flag: STATUS_INVALID_HANDLE", (unsigned long long)st);
	st = BCryptGenRandom(0, 0, 16, 2);
	check(st == (NTSTATUS)0xC000000D, "no buffer: STATUS_INVALID_PARAMETER", (unsigned long long)st);
	st = BCryptGenRandom(0, a, 0, 2);
	check(st == 0, "0 bytes", (unsigned long long)st);

	prims = LoadLibraryA("bcryptprimitives.dll");
	prng = prims ? (BOOL(WINAPI *)(unsigned char *, SIZE_T))GetProcAddress(prims, "ProcessPrng") : 0;
	if (!prng && GetProcAddress(LoadLibraryA("ntdll.dll"), "wine_get_version")) {
		out("# skip: this Wine has no ProcessPrng\n");
	} else {
		check(prng && prng(a, sizeof(a)) && prng(b, sizeof(b)) && differ(a, b, sizeof(a)),
		      "bcryptprimitives' ProcessPrng: two draws, not zero, not the same", 0);
	}
	done();
	return 0;
}
