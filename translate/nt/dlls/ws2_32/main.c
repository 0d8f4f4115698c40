/*
 * picovisor's ws2_32.dll: startup, the thread's error (WSAGetLastError is the
 * TEB's LastErrorValue, as on Windows), Linux errnos as WSA codes, and the one
 * way every function reaches a socket: NtDeviceIoControlFile with a control
 * code of picovisor's \Device\Afd (../include/pv_afd.h).
 */
#include "ws2.h"

static volatile LONG startups;

BOOL WINAPI DllMainCRTStartup(HMODULE self, DWORD reason, void *reserved);
BOOL WINAPI DllMainCRTStartup(HMODULE self, DWORD reason, void *reserved)
{
	(void)self;
	(void)reason;
	(void)reserved;
	return 1;
}

int ws2_started(void)
{
	return __atomic_load_n(&startups, __ATOMIC_SEQ_CST) > 0;
}

void *ws2_alloc(size_t n)
{
	return RtlAllocateHeap(PEB_FIELD(void *, 0x30), 0, n);
}

void ws2_free(void *p)
{
	if (p)
		RtlFreeHeap(PEB_FIELD(void *, 0x30), 0, p);
}

int WINAPI WSAGetLastError(void);
int WINAPI WSAGetLastError(void)
{
	return (int)LAST_ERROR();
}

void WINAPI WSASetLastError(int err);
void WINAPI WSASetLastError(int err)
{
	LAST_ERROR() = (DWORD)err;
}

int ws2_fail(int wsa)
{
	LAST_ERROR() = (DWORD)wsa;
	return SOCKET_ERROR;
}

/* Linux's errno (x86_64 numbers) as the WSA code Windows gives for the same failure. */
int ws2_wsa_of_errno(int err)
{
	switch (err) {
	case 1:   /* EPERM: a policy's refusal */
	case 13:  /* EACCES */
		return WSAEACCES;
	case 4:   return WSAEINTR;
	case 9:   /* EBADF */
	case 88:  /* ENOTSOCK */
		return WSAENOTSOCK;
	case 11:  /* EAGAIN */
	case 115: /* EINPROGRESS: Windows' nonblocking connect says WSAEWOULDBLOCK */
		return WSAEWOULDBLOCK;
	case 12:  /* ENOMEM */
	case 105: /* ENOBUFS */
		return WSAENOBUFS;
	case 14:  return WSAEFAULT;
	case 22:  return WSAEINVAL;
	case 23:  /* ENFILE */
	case 24:  /* EMFILE */
		return WSAEMFILE;
	case 32:  /* EPIPE */
	case 108: /* ESHUTDOWN */
		return WSAESHUTDOWN;
	case 36:  return WSAENAMETOOLONG;
	case 89:  return WSAEDESTADDRREQ;
	case 90:  return WSAEMSGSIZE;
	case 91:  return WSAEPROTOTYPE;
	case 92:  return WSAENOPROTOOPT;
	case 93:  return WSAEPROTONOSUPPORT;
	case 94:  return WSAESOCKTNOSUPPORT;
	case 95:  return WSAEOPNOTSUPP;
	case 96:  return WSAEPFNOSUPPORT;
	case 97:  return WSAEAFNOSUPPORT;
	case 98:  return WSAEADDRINUSE;
	case 99:  return WSAEADDRNOTAVAIL;
	case 100: return WSAENETDOWN;
	case 101: return WSAENETUNREACH;
	case 102: return WSAENETRESET;
	case 103: return WSAECONNABORTED;
	case 104: return WSAECONNRESET;
	case 106: return WSAEISCONN;
	case 107: return WSAENOTCONN;
	case 110: return WSAETIMEDOUT;
	case 111: return WSAECONNREFUSED;
	case 112: return WSAEHOSTDOWN;
	case 113: return WSAEHOSTUNREACH;
	case 114: return WSAEALREADY;
	default:  return WSAEINVAL;
	}
}

int ws2_ioctl(SOCKET s, int op, const void *in, ULONG in_len, void *out, ULONG out_len, uint64_t *information)
{
	IO_STATUS_BLOCK iosb = { 0, 0 };
	NTSTATUS st = NtDeviceIoControlFile((HANDLE)s, 0, 0, 0, &iosb, PV_AFD_CODE(op), (void *)in, in_len, out, out_len);

	if (st >= 0) {
		if (information)
			*information = iosb.Information;
		return 0;
	}
	if (iosb.Status == st && iosb.Information)
		return ws2_wsa_of_errno((int)iosb.Information);
	switch ((uint32_t)st) {
	case 0xC0000008: /* STATUS_INVALID_HANDLE */
	case 0xC0000024: /* STATUS_OBJECT_TYPE_MISMATCH */
	case 0xC0000010: /* STATUS_INVALID_DEVICE_REQUEST: a handle that is no socket */
		return WSAENOTSOCK;
	case 0xC0000005: /* STATUS_ACCESS_VIOLATION */
		return WSAEFAULT;
	case 0xC000011F: /* STATUS_TOO_MANY_OPENED_FILES */
		return WSAEMFILE;
	default:
		return WSAEINVAL;
	}
}

/* WSADATA as _WIN64 lays it out: the counts and vendor pointer before the strings. */
struct wsadata {
	uint16_t wVersion, wHighVersion;
	unsigned short iMaxSockets, iMaxUdpDg;
	char *lpVendorInfo;
	char szDescription[257];
	char szSystemStatus[129];
};

static void copy_str(char *d, const char *s)
{
	while ((*d++ = *s++))
		;
}

int WINAPI WSAStartup(uint16_t version, struct wsadata *data);
int WINAPI WSAStartup(uint16_t version, struct wsadata *data)
{
	unsigned major = version & 0xff, minor = version >> 8;

	if (major == 0)
		return WSAVERNOTSUPPORTED;
	if (!data)
		return WSAEFAULT;
	memset(data, 0, sizeof(*data));
	data->wVersion = major > 2 || (major == 2 && minor > 2) ? 0x0202 : version;
	data->wHighVersion = 0x0202;
	copy_str(data->szDescription, "WinSock 2.0");
	copy_str(data->szSystemStatus, "Running");
	__atomic_add_fetch(&startups, 1, __ATOMIC_SEQ_CST);
	return 0;
}

int WINAPI WSACleanup(void);
int WINAPI WSACleanup(void)
{
	LONG n = __atomic_load_n(&startups, __ATOMIC_SEQ_CST);

	while (n > 0 && !__atomic_compare_exchange_n(&startups, &n, n - 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		;
	if (n <= 0)
		return ws2_fail(WSANOTINITIALISED);
	return 0;
}
