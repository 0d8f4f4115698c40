/*
 * picovisor's ws2_32.dll: Winsock over Linux inet sockets, through the NT
 * personality's \Device\Afd (../include/pv_afd.h). The Windows types and
 * numbers here are the documented ABI (winsock2.h, ws2tcpip.h); a SOCKET is
 * the NT file handle of the socket. Freestanding.
 */
#ifndef WS2_H
#define WS2_H

#include "pv_afd.h"
#include "pv_win.h"

typedef uint64_t SOCKET;
typedef unsigned short u_short;
typedef unsigned long u_long;
#define INVALID_SOCKET ((SOCKET)~(uint64_t)0)
#define SOCKET_ERROR (-1)

/* Windows' numbers where they differ from Linux's (winsock2.h, ws2def.h). */
#define W_AF_UNSPEC 0
#define W_AF_INET 2
#define W_AF_INET6 23
#define W_SOL_SOCKET 0xffff
#define W_FIONBIO 0x8004667Eu
#define W_FIONREAD 0x4004667Fu
#define W_MSG_WAITALL 0x8

/* Linux's numbers the protocol carries (pv_afd.h). */
#define L_AF_INET 2
#define L_AF_INET6 10
#define L_SOL_SOCKET 1
#define L_FIONBIO 0x5421u
#define L_FIONREAD 0x541Bu
#define L_MSG_WAITALL 0x100

enum {
	WSAEINTR = 10004, WSAEBADF = 10009, WSAEACCES = 10013, WSAEFAULT = 10014, WSAEINVAL = 10022,
	WSAEMFILE = 10024, WSAEWOULDBLOCK = 10035, WSAEINPROGRESS = 10036, WSAEALREADY = 10037,
	WSAENOTSOCK = 10038, WSAEDESTADDRREQ = 10039, WSAEMSGSIZE = 10040, WSAEPROTOTYPE = 10041,
	WSAENOPROTOOPT = 10042, WSAEPROTONOSUPPORT = 10043, WSAESOCKTNOSUPPORT = 10044, WSAEOPNOTSUPP = 10045,
	WSAEPFNOSUPPORT = 10046, WSAEAFNOSUPPORT = 10047, WSAEADDRINUSE = 10048, WSAEADDRNOTAVAIL = 10049,
	WSAENETDOWN = 10050, WSAENETUNREACH = 10051, WSAENETRESET = 10052, WSAECONNABORTED = 10053,
	WSAECONNRESET = 10054, WSAENOBUFS = 10055, WSAEISCONN = 10056, WSAENOTCONN = 10057, WSAESHUTDOWN = 10058,
	WSAETIMEDOUT = 10060, WSAECONNREFUSED = 10061, WSAENAMETOOLONG = 10063, WSAEHOSTDOWN = 10064,
	WSAEHOSTUNREACH = 10065, WSAVERNOTSUPPORTED = 10092, WSANOTINITIALISED = 10093,
	WSATYPE_NOT_FOUND = 10109, WSAHOST_NOT_FOUND = 11001, WSANO_RECOVERY = 11003, WSANO_DATA = 11004,
};

struct w_sockaddr {
	u_short sa_family;
	char sa_data[14];
};

struct w_in_addr {
	uint32_t s_addr;
};

struct w_sockaddr_in {
	short sin_family;
	u_short sin_port;
	struct w_in_addr sin_addr;
	char sin_zero[8];
};

struct w_sockaddr_in6 {
	short sin6_family;
	u_short sin6_port;
	uint32_t sin6_flowinfo;
	unsigned char sin6_addr[16];
	uint32_t sin6_scope_id;
};

struct w_timeval {
	long tv_sec, tv_usec;
};

#define W_FD_SETSIZE 64
typedef struct {
	unsigned int fd_count;
	SOCKET fd_array[W_FD_SETSIZE];
} w_fd_set;

typedef struct {
	SOCKET fd;
	short events, revents;
} WSAPOLLFD;

NTSTATUS NtDeviceIoControlFile(HANDLE h, HANDLE event, void *apc, void *ctx, IO_STATUS_BLOCK *iosb, ULONG code,
			       void *in, ULONG in_len, void *out, ULONG out_len);

/* main.c: errors, the protocol's one call. */
int ws2_fail(int wsa);                         /* sets the thread's error: SOCKET_ERROR */
int ws2_wsa_of_errno(int err);
/* NtDeviceIoControlFile with a PV_AFD op: 0, or the WSA error it failed with (not set yet). */
int ws2_ioctl(SOCKET s, int op, const void *in, ULONG in_len, void *out, ULONG out_len, uint64_t *information);
int ws2_started(void);
void *ws2_alloc(size_t n);
void ws2_free(void *p);

/* addr.c: Windows' socket addresses as Linux's and back (lengths; 0 when the family is neither inet). */
uint32_t ws2_addr_to_linux(const struct w_sockaddr *w, int wlen, unsigned char *l, int *err);
int ws2_addr_from_linux(const unsigned char *l, uint32_t llen, struct w_sockaddr *w, int *wlen);
int ws2_family_to_linux(int family);
int ws2_family_from_linux(int family);
int ws2_pton4(const char *s, unsigned char out[4]);
int ws2_pton6(const char *s, unsigned char out[16]);
/* The text of a Windows-family address into buf, or NULL (another family, too small). */
const char *inet_ntop_internal(int family, const void *addr, char *buf, size_t size);
uint16_t WINAPI htons(uint16_t v);
uint16_t WINAPI ntohs(uint16_t v);

#endif
