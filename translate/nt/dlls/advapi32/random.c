/*
 * Random bytes: RtlGenRandom (exported as SystemFunction036, its real name)
 * and CryptoAPI's CryptGenRandom, both from \Device\KsecDD, that is from the
 * Linux kernel's getrandom (pv_ksecdd.h). CryptAcquireContext gives only
 * what needs no key store, the CRYPT_VERIFYCONTEXT contexts programs take
 * for random numbers; there are no key containers (NTE_BAD_KEYSET), and none
 * can be made (NTE_PERM). The CryptoAPI's other functions are absent.
 */
#include "adv.h"
#include "pv_ksecdd.h"

typedef ULONG_PTR HCRYPTPROV;

#define CRYPT_VERIFYCONTEXT 0xF0000000u
#define CRYPT_NEWKEYSET 0x8u
#define CRYPT_DELETEKEYSET 0x10u
#define CRYPT_MACHINE_KEYSET 0x20u
#define CRYPT_SILENT 0x40u
#define NTE_BAD_UID 0x80090001u
#define NTE_BAD_FLAGS 0x80090009u
#define NTE_PERM 0x80090010u
#define NTE_BAD_KEYSET 0x80090016u
#define NTE_PROV_TYPE_NOT_DEF 0x80090017u
#define NTE_KEYSET_NOT_DEF 0x80090019u

/* RtlGenRandom: TRUE and len random bytes, or FALSE with the error set. */
EXPORT unsigned char WINAPI SystemFunction036(void *buf, ULONG len)
{
	NTSTATUS st = pv_random(buf, len);

	if (st < 0) {
		LAST_ERROR() = RtlNtStatusToDosError(st);
		return 0;
	}
	return 1;
}

/* The providers Windows ships, by type (a named provider must be one of these, of its type). */
static const struct {
	DWORD type;
	const char *name;
} providers[] = {
	{ 1, "Microsoft Base Cryptographic Provider v1.0" },
	{ 1, "Microsoft Enhanced Cryptographic Provider v1.0" },
	{ 1, "Microsoft Strong Cryptographic Provider" },
	{ 3, "Microsoft Base DSS Cryptographic Provider" },
	{ 12, "Microsoft RSA SChannel Cryptographic Provider" },
	{ 13, "Microsoft Base DSS and Diffie-Hellman Cryptographic Provider" },
	{ 13, "Microsoft Enhanced DSS and Diffie-Hellman Cryptographic Provider" },
	{ 18, "Microsoft DH SChannel Cryptographic Provider" },
	{ 24, "Microsoft Enhanced RSA and AES Cryptographic Provider" },
};

/* The open contexts: handle 0x10 + 16 * slot (never 0). */
#define PROV_SLOTS 256
static volatile LONG prov_used[PROV_SLOTS];

static int prov_slot(HCRYPTPROV p)
{
	if (p < 0x10 || (p - 0x10) % 16 || (p - 0x10) / 16 >= PROV_SLOTS || !prov_used[(p - 0x10) / 16])
		return -1;
	return (int)((p - 0x10) / 16);
}

static LONG provider_known(const WCHAR *name, DWORD type)
{
	int type_known = 0;

	for (size_t i = 0; i < sizeof(providers) / sizeof(providers[0]); i++) {
		const char *s = providers[i].name;
		size_t k = 0;

		type_known |= providers[i].type == type;
		if (!name)
			continue;
		while (s[k] && name[k] == (WCHAR)s[k])
			k++;
		if (!s[k] && !name[k])
			return providers[i].type == type ? ERROR_SUCCESS : (LONG)NTE_PROV_TYPE_NOT_DEF;
	}
	if (name)
		return (LONG)NTE_KEYSET_NOT_DEF;
	return type_known ? ERROR_SUCCESS : (LONG)NTE_PROV_TYPE_NOT_DEF;
}

EXPORT BOOL WINAPI CryptAcquireContextW(HCRYPTPROV *prov, const WCHAR *container, const WCHAR *provider, DWORD type,
					DWORD flags)
{
	LONG e;

	if (!prov) {
		LAST_ERROR() = ERROR_INVALID_PARAMETER;
		return 0;
	}
	*prov = 0;
	if (flags & ~(CRYPT_VERIFYCONTEXT | CRYPT_NEWKEYSET | CRYPT_DELETEKEYSET | CRYPT_MACHINE_KEYSET | CRYPT_SILENT))
		e = (LONG)NTE_BAD_FLAGS;
	else
		e = provider_known(provider, type);
	if (!e && !(flags & CRYPT_VERIFYCONTEXT))
		e = (LONG)(flags & (CRYPT_NEWKEYSET | CRYPT_DELETEKEYSET) ? NTE_PERM : NTE_BAD_KEYSET);
	(void)container;
	if (!e) {
		e = ERROR_NOT_ENOUGH_MEMORY;
		for (int i = 0; i < PROV_SLOTS; i++)
			if (__sync_bool_compare_and_swap(&prov_used[i], 0, 1)) {
				*prov = 0x10 + 16 * (HCRYPTPROV)i;
				e = ERROR_SUCCESS;
				break;
			}
	}
	if (e) {
		LAST_ERROR() = (DWORD)e;
		return 0;
	}
	return 1;
}

EXPORT BOOL WINAPI CryptAcquireContextA(HCRYPTPROV *prov, const char *container, const char *provider, DWORD type,
					DWORD flags)
{
	WCHAR *wc = NULL, *wp = NULL;
	LONG e = adv_a_to_w(container, &wc);
	BOOL r = 0;

	if (!e)
		e = adv_a_to_w(provider, &wp);
	if (!e)
		r = CryptAcquireContextW(prov, wc, wp, type, flags);
	else
		LAST_ERROR() = (DWORD)e;
	adv_free(wc);
	adv_free(wp);
	return r;
}

EXPORT BOOL WINAPI CryptReleaseContext(HCRYPTPROV prov, DWORD flags)
{
	int i = prov_slot(prov);

	if (i < 0) {
		LAST_ERROR() = NTE_BAD_UID;
		return 0;
	}
	if (flags) {
		LAST_ERROR() = NTE_BAD_FLAGS;
		return 0;
	}
	if (!__sync_bool_compare_and_swap(&prov_used[i], 1, 0)) {
		LAST_ERROR() = NTE_BAD_UID;
		return 0;
	}
	return 1;
}

EXPORT BOOL WINAPI CryptGenRandom(HCRYPTPROV prov, DWORD len, BYTE *buf)
{
	if (prov_slot(prov) < 0) {
		LAST_ERROR() = NTE_BAD_UID;
		return 0;
	}
	return SystemFunction036(buf, len);
}
