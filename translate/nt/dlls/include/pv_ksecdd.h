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

/* The device's handle, opened at first use: STATUS_SUCCESS, or the open's status. */
static inline NTSTATUS pv_ksecdd_open(HANDLE *out)
{
	static const WCHAR name[] = { '\\', 'D', 'e', 'v', 'i', 'c', 'e', '\\', 'K', 's', 'e', 'c', 'D', 'D', 0 };
	UNICODE_STRING u = { sizeof(name) - 2, sizeof(name), (WCHAR *)name };
	OBJECT_ATTRIBUTES oa = { sizeof(oa), NULL, &u, 0x40 /* OBJ_CASE_INSENSITIVE */, NULL, NULL };
	IO_STATUS_BLOCK iosb;
	HANDLE h = pv_ksecdd_handle, old;
	NTSTATUS st;

	if (h) {
		*out = h;
		return 0;
	}
	st = NtOpenFile(&h, 0x100000 /* SYNCHRONIZE */ | 0x1 /* FILE_READ_DATA */, &oa, &iosb, 7, 0x20);
	if (st < 0)
		return st;
	/* two threads may both have opened it: the first handle stays, the other is closed */
	old = __sync_val_compare_and_swap(&pv_ksecdd_handle, NULL, h);
	if (old) {
		NtClose(h);
		h = old;
	}
	*out = h;
	return 0;
}

/*
 * len random bytes into buf: STATUS_SUCCESS, or the status the open or the
 * request failed with. A handle the program closed behind the DLL's back
 * (or that now names another object) is dropped and the device opened again,
 * once.
 */
static inline NTSTATUS pv_random(void *buf, size_t len)
{
	IO_STATUS_BLOCK iosb;
	NTSTATUS st;
	HANDLE h;

	for (size_t done = 0, retried = 0; done < len;) {
		ULONG chunk = len - done > 0x100000 ? 0x100000 : (ULONG)(len - done);

		st = pv_ksecdd_open(&h);
		if (st < 0)
			return st;
		st = NtDeviceIoControlFile(h, NULL, NULL, NULL, &iosb, PV_IOCTL_KSEC_RNG, NULL, 0, (char *)buf + done, chunk);
		if ((st == (NTSTATUS)0xC0000008 /* INVALID_HANDLE */ || st == (NTSTATUS)0xC0000010 /* INVALID_DEVICE_REQUEST */ ||
		     st == (NTSTATUS)0xC0000024 /* OBJECT_TYPE_MISMATCH */) && !retried++) {
			__sync_bool_compare_and_swap(&pv_ksecdd_handle, h, NULL);
			continue;
		}
		if (st < 0)
			return st;
		done += chunk;
	}
	return 0;
}

#endif
