/*
 * The socket calls: socket (NtCreateFile on \Device\Afd), closesocket
 * (NtClose), and each operation as one control code of picovisor's
 * (../include/pv_afd.h) with Windows' numbers turned into Linux's.
 */
#include "ws2.h"

SOCKET WINAPI socket(int af, int type, int protocol);
int WINAPI closesocket(SOCKET s);
int WINAPI bind(SOCKET s, const struct w_sockaddr *addr, int len);
int WINAPI connect(SOCKET s, const struct w_sockaddr *addr, int len);
int WINAPI listen(SOCKET s, int backlog);
SOCKET WINAPI accept(SOCKET s, struct w_sockaddr *addr, int *len);
int WINAPI send(SOCKET s, const char *buf, int len, int flags);
int WINAPI sendto(SOCKET s, const char *buf, int len, int flags, const struct w_sockaddr *to, int tolen);
int WINAPI recv(SOCKET s, char *buf, int len, int flags);
int WINAPI recvfrom(SOCKET s, char *buf, int len, int flags, struct w_sockaddr *from, int *fromlen);
int WINAPI shutdown(SOCKET s, int how);
int WINAPI getsockname(SOCKET s, struct w_sockaddr *addr, int *len);
int WINAPI getpeername(SOCKET s, struct w_sockaddr *addr, int *len);
int WINAPI ioctlsocket(SOCKET s, long cmd, u_long *arg);

#define OBJ_CASE_INSENSITIVE 0x40
#define FILE_OPEN_IF 3
#define GENERIC_READ 0x80000000u
#define GENERIC_WRITE 0x40000000u
#define SYNCHRONIZE 0x100000u

SOCKET WINAPI socket(int af, int type, int protocol)
{
	static const WCHAR name[] = { '\\', 'D', 'e', 'v', 'i', 'c', 'e', '\\', 'A', 'f', 'd', 0 };
	UNICODE_STRING us = { sizeof(name) - 2, sizeof(name), (WCHAR *)name };
	OBJECT_ATTRIBUTES oa = { sizeof(oa), 0, &us, OBJ_CASE_INSENSITIVE, 0, 0 };
	/* one FILE_FULL_EA_INFORMATION: NextEntryOffset, Flags, EaNameLength, EaValueLength, the name and its NUL, the value */
	unsigned char ea[8 + sizeof(PV_AFD_EA_NAME) + sizeof(struct pv_afd_open)] __attribute__((aligned(8)));
	struct pv_afd_open o;
	IO_STATUS_BLOCK iosb = { 0, 0 };
	HANDLE h = 0;
	NTSTATUS st;

	if (!ws2_started()) {
		ws2_fail(WSANOTINITIALISED);
		return INVALID_SOCKET;
	}
	if (af == W_AF_UNSPEC && (type == 1 || type == 2))
		af = W_AF_INET; /* Windows picks one for the type */
	o.family = ws2_family_to_linux(af);
	if (o.family <= 0) {
		ws2_fail(WSAEAFNOSUPPORT);
		return INVALID_SOCKET;
	}
	if (type != 1 /* SOCK_STREAM */ && type != 2 /* SOCK_DGRAM */) {
		ws2_fail(type == 3 ? WSAEACCES : WSAESOCKTNOSUPPORT); /* raw sockets need rights a program is not given */
		return INVALID_SOCKET;
	}
	o.type = type;
	o.protocol = protocol;
	memset(ea, 0, sizeof(ea));
	ea[5] = sizeof(PV_AFD_EA_NAME) - 1;
	ea[6] = sizeof(o);
	memcpy(ea + 8, PV_AFD_EA_NAME, sizeof(PV_AFD_EA_NAME));
	memcpy(ea + 8 + sizeof(PV_AFD_EA_NAME), &o, sizeof(o));
	st = NtCreateFile(&h, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE, &oa, &iosb, 0, 0, 3, FILE_OPEN_IF, 0, ea, sizeof(ea));
	if (st < 0) {
		ws2_fail(iosb.Status == st && iosb.Information ? ws2_wsa_of_errno((int)iosb.Information) : WSAENOBUFS);
		return INVALID_SOCKET;
	}
	return (SOCKET)h;
}

int WINAPI closesocket(SOCKET s)
{
	if (s == INVALID_SOCKET || NtClose((HANDLE)s) < 0)
		return ws2_fail(WSAENOTSOCK);
	return 0;
}

static int call(SOCKET s, int op, const void *in, ULONG in_len, void *out, ULONG out_len, uint64_t *info)
{
	int err = ws2_ioctl(s, op, in, in_len, out, out_len, info);

	return err ? ws2_fail(err) : 0;
}

static int with_addr(SOCKET s, int op, const struct w_sockaddr *addr, int len)
{
	unsigned char l[PV_AFD_ADDR_MAX];
	int err = 0;
	uint32_t n = ws2_addr_to_linux(addr, len, l, &err);

	if (!n)
		return ws2_fail(err);
	return call(s, op, l, n, 0, 0, 0);
}

int WINAPI bind(SOCKET s, const struct w_sockaddr *addr, int len)
{
	return with_addr(s, PV_AFD_BIND, addr, len);
}

int WINAPI connect(SOCKET s, const struct w_sockaddr *addr, int len)
{
	return with_addr(s, PV_AFD_CONNECT, addr, len);
}

int WINAPI listen(SOCKET s, int backlog)
{
	int32_t v = backlog;

	return call(s, PV_AFD_LISTEN, &v, 4, 0, 0, 0);
}

int WINAPI shutdown(SOCKET s, int how)
{
	int32_t v = how; /* SD_RECEIVE, SD_SEND, SD_BOTH are SHUT_RD, SHUT_WR, SHUT_RDWR */

	if (how < 0 || how > 2)
		return ws2_fail(WSAEINVAL);
	return call(s, PV_AFD_SHUTDOWN, &v, 4, 0, 0, 0);
}

/* An address the call gave back, into the program's buffer (addr may be NULL for accept). */
static int give_addr(const struct pv_afd_addr *a, struct w_sockaddr *addr, int *len)
{
	int err;

	if (!addr && !len)
		return 0;
	err = ws2_addr_from_linux(a->addr, a->len, addr, len);
	return err ? ws2_fail(err) : 0;
}

SOCKET WINAPI accept(SOCKET s, struct w_sockaddr *addr, int *len)
{
	struct pv_afd_accepted a;

	if ((addr && !len) || (len && *len < 0)) {
		ws2_fail(WSAEFAULT);
		return INVALID_SOCKET;
	}
	if (call(s, PV_AFD_ACCEPT, 0, 0, &a, sizeof(a), 0))
		return INVALID_SOCKET;
	if (addr && give_addr(&a.peer, addr, len)) {
		NtClose((HANDLE)a.handle);
		return INVALID_SOCKET;
	}
	return a.handle;
}

static int name_of(SOCKET s, int op, struct w_sockaddr *addr, int *len)
{
	struct pv_afd_addr a;

	if (!addr || !len)
		return ws2_fail(WSAEFAULT);
	if (call(s, op, 0, 0, &a, sizeof(a), 0))
		return SOCKET_ERROR;
	return give_addr(&a, addr, len);
}

int WINAPI getsockname(SOCKET s, struct w_sockaddr *addr, int *len)
{
	return name_of(s, PV_AFD_SOCKNAME, addr, len);
}

int WINAPI getpeername(SOCKET s, struct w_sockaddr *addr, int *len)
{
	return name_of(s, PV_AFD_PEERNAME, addr, len);
}

/* MSG_OOB, MSG_PEEK, MSG_DONTROUTE have Linux's numbers; MSG_WAITALL does not; the rest Windows refuses. */
static int flags_to_linux(int flags, int *out)
{
	if (flags & ~(1 | 2 | 4 | W_MSG_WAITALL))
		return WSAEOPNOTSUPP;
	*out = (flags & 7) | (flags & W_MSG_WAITALL ? L_MSG_WAITALL : 0);
	return 0;
}

int WINAPI sendto(SOCKET s, const char *buf, int len, int flags, const struct w_sockaddr *to, int tolen)
{
	struct {
		struct pv_afd_io io;
		unsigned char addr[PV_AFD_ADDR_MAX];
	} in;
	uint64_t sent = 0;
	int err = 0;

	if (len < 0 || (!buf && len))
		return ws2_fail(WSAEFAULT);
	memset(&in, 0, sizeof(in));
	if (flags_to_linux(flags, &in.io.flags))
		return ws2_fail(WSAEOPNOTSUPP);
	in.io.buf = (uint64_t)(uintptr_t)buf;
	in.io.len = (uint32_t)len;
	if (to) {
		in.io.addrlen = ws2_addr_to_linux(to, tolen, in.addr, &err);
		if (!in.io.addrlen)
			return ws2_fail(err);
	}
	if (call(s, PV_AFD_SEND, &in, (ULONG)(sizeof(in.io) + in.io.addrlen), 0, 0, &sent))
		return SOCKET_ERROR;
	return (int)sent;
}

int WINAPI send(SOCKET s, const char *buf, int len, int flags)
{
	return sendto(s, buf, len, flags, 0, 0);
}

int WINAPI recvfrom(SOCKET s, char *buf, int len, int flags, struct w_sockaddr *from, int *fromlen)
{
	struct pv_afd_io io;
	struct pv_afd_addr a;
	uint64_t got = 0;

	if (len < 0 || (!buf && len) || (from && !fromlen))
		return ws2_fail(WSAEFAULT);
	memset(&io, 0, sizeof(io));
	if (flags_to_linux(flags, &io.flags))
		return ws2_fail(WSAEOPNOTSUPP);
	io.buf = (uint64_t)(uintptr_t)buf;
	io.len = (uint32_t)len;
	io.addrlen = from ? PV_AFD_ADDR_MAX : 0;
	if (call(s, PV_AFD_RECV, &io, sizeof(io), from ? &a : 0, from ? sizeof(a) : 0, &got))
		return SOCKET_ERROR;
	if (from && a.len && give_addr(&a, from, fromlen))
		return SOCKET_ERROR;
	return (int)got;
}

int WINAPI recv(SOCKET s, char *buf, int len, int flags)
{
	return recvfrom(s, buf, len, flags, 0, 0);
}

int WINAPI ioctlsocket(SOCKET s, long cmd, u_long *arg)
{
	struct pv_afd_ioctl io = { 0, 0 };
	int32_t n = 0;

	if (!arg)
		return ws2_fail(WSAEFAULT);
	if ((uint32_t)cmd == W_FIONBIO) {
		io.cmd = L_FIONBIO;
		io.arg = *arg != 0;
		return call(s, PV_AFD_IOCTL, &io, sizeof(io), 0, 0, 0);
	}
	if ((uint32_t)cmd == W_FIONREAD) {
		io.cmd = L_FIONREAD;
		if (call(s, PV_AFD_IOCTL, &io, sizeof(io), &n, sizeof(n), 0))
			return SOCKET_ERROR;
		*arg = (u_long)n;
		return 0;
	}
	return ws2_fail(WSAEINVAL);
}
