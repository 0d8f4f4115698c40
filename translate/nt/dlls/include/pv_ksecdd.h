/*
 * Random bytes from \Device\KsecDD, as Windows' RtlGenRandom gets them:
 * NtDeviceIoControlFile(IOCTL_KSEC_RNG) with the output buffer to fill
 * (served by the NT personality with the Linux kernel's getrandom, see
 * translate/nt/nt_ksecdd.c). For the DLLs that hand out random bytes
 * (advapi32, bcrypt, bcryptprimitives): each keeps one handle, opened at
 * first use.
 */
#ifndef PV_KSECDD_H
#define PV_KSECDD_H

#include "pv_win.h"

#define PV_IOCTL_KSEC_RNG 0x390004

NTSTATUS NtDeviceIoControlFile(HANDLE h, HANDLE event, void *apc, void *ctx, IO_STATUS_BLOCK *iosb, ULONG code,
			       void *in, ULONG in_len, void *out, ULONG out_len);

static HANDLE pv_ksecdd_handle;

/* len random bytes into buf: STATUS_SUCCESS, or the status the open or the request failed with. */
static inline NTSTATUS pv_random(void *buf, size_t len)
{
	static const WCHAR name[] = { '\\', 'D', 'e', 'v', 'i', 'c', 'e', '\\', 'K', 's', 'e', 'c', 'D', 'D', 0 };
	HANDLE h = pv_ksecdd_handle;
	IO_STATUS_BLOCK iosb;
	NTSTATUS st;

	if (!h) {
		UNICODE_STRING u = { sizeof(name) - 2, sizeof(name), (WCHAR *)name };
		OBJECT_ATTRIBUTES oa = { sizeof(oa), NULL, &u, 0x40 /* OBJ_CASE_INSENSITIVE */, NULL, NULL };
		HANDLE old;

		st = NtOpenFile(&h, 0x100000 /* SYNCHRONIZE */ | 0x1 /* FILE_READ_DATA */, &oa, &iosb, 7, 0x20);
		if (st < 0)
			return st;
		/* two threads may both have opened it: the first handle stays, the other is closed */
		old = __sync_val_compare_and_swap(&pv_ksecdd_handle, NULL, h);
		if (old) {
			NtClose(h);
			h = old;
		}
	}
	for (size_t done = 0; done < len;) {
		ULONG chunk = len - done > 0x100000 ? 0x100000 : (ULONG)(len - done);

		st = NtDeviceIoControlFile(h, NULL, NULL, NULL, &iosb, PV_IOCTL_KSEC_RNG, NULL, 0, (char *)buf + done, chunk);
		if (st < 0)
			return st;
		done += chunk;
	}
	return 0;
}

#endif
