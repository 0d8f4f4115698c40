/*
 * picovisor's bcryptprimitives.dll: ProcessPrng, the process's random
 * generator that Windows 10 and 11 programs (Rust's standard library among
 * them) call for random bytes. Here each call takes its bytes from
 * \Device\KsecDD, that is from the Linux kernel (pv_ksecdd.h). Windows
 * documents it as always succeeding; it can fail here only for a buffer the
 * program cannot write (FALSE, the error set).
 */
#include "pv_ksecdd.h"

BOOL WINAPI DllMainCRTStartup(HMODULE self, DWORD reason, void *reserved);
BOOL WINAPI DllMainCRTStartup(HMODULE self, DWORD reason, void *reserved)
{
	(void)self;
	(void)reason;
	(void)reserved;
	return 1;
}

EXPORT BOOL WINAPI ProcessPrng(unsigned char *buf, SIZE_T len)
{
	NTSTATUS st = pv_random(buf, len);

	if (st < 0) {
		LAST_ERROR() = RtlNtStatusToDosError(st);
		return 0;
	}
	return 1;
}
