/*
 * What a Winsock runtime asks of the catalogue and of overlapped results at
 * start (Go's internal/poll does both): the four base protocols this
 * ws2_32 serves, and the result an OVERLAPPED records. Every socket here
 * is an NT file handle (an "IFS handle"), and its I/O completes within the
 * call that starts it, so an OVERLAPPED holds its final result by the time
 * the program can ask.
 */
#include "ws2.h"

#define STATUS_PENDING 0x00000103u
#define WSA_IO_INCOMPLETE 996
#define WSA_OPERATION_ABORTED 995
#define WSAENOBUFS_CODE 10055

/* OVERLAPPED as winbase.h lays it out: Internal is the NTSTATUS, InternalHigh the bytes moved. */
struct w_overlapped {
	uint64_t internal, internal_high;
	uint32_t offset, offset_high;
	HANDLE event;
};

/* WSAPROTOCOL_INFOW (winsock2.h): 628 bytes on x64. */
struct w_protocol_info {
	DWORD service_flags[4];
	DWORD provider_flags;
	unsigned char provider_id[16];
	DWORD catalog_entry_id;
	int chain_len;
	DWORD chain_entries[7];
	int version, address_family, max_sockaddr, min_sockaddr, socket_type, protocol, protocol_max_offset,
	    network_byte_order, security_scheme;
	DWORD message_size, provider_reserved;
	WCHAR name[256];
};
_Static_assert(sizeof(struct w_protocol_info) == 628, "WSAPROTOCOL_INFOW is 628 bytes");

enum {
	XP1_CONNECTIONLESS = 0x1,
	XP1_GUARANTEED_DELIVERY = 0x2,
	XP1_GUARANTEED_ORDER = 0x4,
	XP1_MESSAGE_ORIENTED = 0x8,
	XP1_GRACEFUL_CLOSE = 0x10,
	XP1_EXPEDITED_DATA = 0x20,
	XP1_SUPPORT_BROADCAST = 0x200,
	XP1_SUPPORT_MULTIPOINT = 0x400,
	XP1_IFS_HANDLES = 0x20000,
	PFL_MATCHES_PROTOCOL_ZERO = 0x8,
	BASE_PROTOCOL = 1,
};

static const struct {
	int family, type, protocol, sockaddr;
	DWORD flags, message_size;
	const char *name;
} base[] = {
	{ W_AF_INET, 1, 6, 16, XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | XP1_GRACEFUL_CLOSE | XP1_EXPEDITED_DATA,
	  0, "MSAFD Tcpip [TCP/IP]" },
	{ W_AF_INET, 2, 17, 16,
	  XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED | XP1_SUPPORT_BROADCAST | XP1_SUPPORT_MULTIPOINT, 65527,
	  "MSAFD Tcpip [UDP/IP]" },
	{ W_AF_INET6, 1, 6, 28, XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | XP1_GRACEFUL_CLOSE | XP1_EXPEDITED_DATA,
	  0, "MSAFD Tcpip [TCP/IPv6]" },
	{ W_AF_INET6, 2, 17, 28, XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED | XP1_SUPPORT_MULTIPOINT, 65527,
	  "MSAFD Tcpip [UDP/IPv6]" },
};

/* The Microsoft base provider's id, {E70F1AA0-AB8B-11CF-8CA3-00805F48A192}, as a GUID lies in memory. */
static const unsigned char msafd_id[16] = { 0xa0, 0x1a, 0x0f, 0xe7, 0x8b, 0xab, 0xcf, 0x11,
					    0x8c, 0xa3, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92 };

static int wanted(const int *protocols, int protocol)
{
	if (!protocols)
		return 1;
	for (; *protocols; protocols++)
		if (*protocols == protocol)
			return 1;
	return 0;
}

int WINAPI WSAEnumProtocolsW(const int *protocols, struct w_protocol_info *buf, DWORD *len);
int WINAPI WSAEnumProtocolsW(const int *protocols, struct w_protocol_info *buf, DWORD *len)
{
	DWORD count = 0, need;
	struct w_protocol_info *out = buf;

	if (!ws2_started())
		return ws2_fail(WSANOTINITIALISED);
	if (!len)
		return ws2_fail(WSAEFAULT);
	for (unsigned i = 0; i < sizeof(base) / sizeof(base[0]); i++)
		count += (DWORD)wanted(protocols, base[i].protocol);
	need = count * (DWORD)sizeof(*buf);
	if (!buf || *len < need) {
		*len = need;
		return ws2_fail(WSAENOBUFS_CODE);
	}
	for (unsigned i = 0; i < sizeof(base) / sizeof(base[0]); i++) {
		if (!wanted(protocols, base[i].protocol))
			continue;
		__builtin_memset(out, 0, sizeof(*out));
		out->service_flags[0] = base[i].flags | XP1_IFS_HANDLES;
		out->provider_flags = PFL_MATCHES_PROTOCOL_ZERO;
		__builtin_memcpy(out->provider_id, msafd_id, sizeof(msafd_id));
		out->catalog_entry_id = 1001 + i;
		out->chain_len = BASE_PROTOCOL;
		out->version = 2;
		out->address_family = base[i].family;
		out->max_sockaddr = out->min_sockaddr = base[i].sockaddr;
		out->socket_type = base[i].type;
		out->protocol = base[i].protocol;
		out->message_size = base[i].message_size;
		for (unsigned k = 0; base[i].name[k] && k < 255; k++)
			out->name[k] = (WCHAR)base[i].name[k];
		out++;
	}
	*len = need;
	return (int)count;
}

/* An NTSTATUS of a socket's I/O as the WSA code Windows reports for it. */
static int wsa_of_status(uint32_t st)
{
	switch (st) {
	case 0xC0000120: /* STATUS_CANCELLED */
		return WSA_OPERATION_ABORTED;
	case 0xC000020D: /* STATUS_CONNECTION_RESET */
		return WSAECONNRESET;
	case 0xC0000236: /* STATUS_CONNECTION_REFUSED */
		return WSAECONNREFUSED;
	case 0xC000020C: /* STATUS_CONNECTION_DISCONNECTED */
	case 0xC000014B: /* STATUS_PIPE_BROKEN */
		return WSAESHUTDOWN;
	case 0xC0000008: /* STATUS_INVALID_HANDLE */
		return WSAENOTSOCK;
	case 0xC0000005: /* STATUS_ACCESS_VIOLATION */
		return WSAEFAULT;
	default:
		return WSAEINVAL;
	}
}

BOOL WINAPI WSAGetOverlappedResult(SOCKET s, struct w_overlapped *o, DWORD *transferred, BOOL wait, DWORD *flags);
BOOL WINAPI WSAGetOverlappedResult(SOCKET s, struct w_overlapped *o, DWORD *transferred, BOOL wait, DWORD *flags)
{
	uint32_t st;

	if (!o || !transferred || !flags) {
		LAST_ERROR() = WSAEFAULT;
		return 0;
	}
	st = (uint32_t)__atomic_load_n(&o->internal, __ATOMIC_ACQUIRE);
	if (st == STATUS_PENDING) {
		if (!wait) {
			LAST_ERROR() = WSA_IO_INCOMPLETE;
			return 0;
		}
		/* Its event is set when it completes; without one, the handle is (as GetOverlappedResult does). */
		NtWaitForSingleObject(o->event ? o->event : (HANDLE)s, 0, 0);
		st = (uint32_t)__atomic_load_n(&o->internal, __ATOMIC_ACQUIRE);
	}
	*transferred = (DWORD)o->internal_high;
	*flags = 0;
	if ((int32_t)st < 0) {
		LAST_ERROR() = (DWORD)wsa_of_status(st);
		return 0;
	}
	return 1;
}
