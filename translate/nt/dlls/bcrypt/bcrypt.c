/*
 * picovisor's bcrypt.dll: BCryptGenRandom with the system's preferred
 * generator, whose bytes come from \Device\KsecDD, that is from the Linux
 * kernel (pv_ksecdd.h). No algorithm providers exist (BCryptOpenAlgorithmProvider
 * and the rest of CNG are absent), so a call naming an algorithm handle is
 * STATUS_INVALID_HANDLE.
 */
#include "pv_ksecdd.h"

#define BCRYPT_RNG_USE_ENTROPY_IN_BUFFER 0x1 /* ignored since Windows 8 */
#define BCRYPT_USE_SYSTEM_PREFERRED_RNG 0x2
#define STATUS_INVALID_HANDLE ((NTSTATUS)0xC0000008)
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000D)

BOOL WINAPI DllMainCRTStartup(HMODULE self, DWORD reason, void *reserved);
BOOL WINAPI DllMainCRTStartup(HMODULE self, DWORD reason, void *reserved)
{
	(void)self;
	(void)reason;
	(void)reserved;
	return 1;
}

EXPORT NTSTATUS WINAPI BCryptGenRandom(void *alg, unsigned char *buf, ULONG len, ULONG flags)
{
	if (flags & ~(ULONG)(BCRYPT_RNG_USE_ENTROPY_IN_BUFFER | BCRYPT_USE_SYSTEM_PREFERRED_RNG))
		return STATUS_INVALID_PARAMETER;
	if (flags & BCRYPT_USE_SYSTEM_PREFERRED_RNG) {
		if (alg)
			return STATUS_INVALID_PARAMETER;
	} else {
		return STATUS_INVALID_HANDLE; /* no algorithm handle can have been opened */
	}
	if (!buf && len)
		return STATUS_INVALID_PARAMETER;
	return pv_random(buf, len);
}
