/*
 * picovisor's ws2_32.dll (-nostdlib -lws2_32 -lkernel32): a TCP echo over
 * loopback between two threads, UDP, a nonblocking connect with select,
 * WSAPoll, socket options, FIONBIO and FIONREAD, the handles under NtReadFile
 * and NtWriteFile, the address functions, numeric getaddrinfo, and the WSA
 * codes Windows gives (WSAECONNREFUSED, WSAEWOULDBLOCK, WSAENOTSOCK,
 * WSANOTINITIALISED). With the argument "refused" it checks instead that the
 * run's policy refuses a socket as it refuses a Linux program's
 * (WSAEACCES for EPERM). Runs under Wine as the reference (tests/nt/run-wine).
 */
#include "nt_test.h"

#define WINAPI __attribute__((ms_abi))
#define IMP __declspec(dllimport)
typedef int BOOL;
typedef unsigned long DWORD;
typedef unsigned long long SOCKET;
#define INVALID_SOCKET (~(SOCKET)0)
#define SOCKET_ERROR (-1)
#define AF_INET 2
#define AF_INET6 23
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOL_SOCKET 0xffff
#define SO_REUSEADDR 4
#define SO_ERROR 0x1007
#define SO_TYPE 0x1008
#define SO_RCVTIMEO 0x1006
#define IPPROTO_TCP 6
#define TCP_NODELAY 1
#define FIONBIO 0x8004667Eu
#define FIONREAD 0x4004667Fu
#define POLLRDNORM 0x100
#define POLLWRNORM 0x10
#define WSAEACCES 10013
#define WSAEWOULDBLOCK 10035
#define WSAENOTSOCK 10038
#define WSAEAFNOSUPPORT 10047
#define WSAECONNREFUSED 10061
#define WSANOTINITIALISED 10093
#define WSAHOST_NOT_FOUND 11001

struct in_addr4 {
	unsigned int s_addr;
};
struct sockaddr_in {
	short sin_family;
	unsigned short sin_port;
	struct in_addr4 sin_addr;
	char zero[8];
};
typedef struct {
	unsigned int fd_count;
	SOCKET fd_array[64];
} fd_set;
struct timeval {
	long tv_sec, tv_usec;
};
typedef struct {
	SOCKET fd;
	short events, revents;
} WSAPOLLFD;
typedef struct {
	unsigned short wVersion, wHighVersion, iMaxSockets, iMaxUdpDg;
	char *lpVendorInfo;
	char desc[257], status[129];
} WSADATA;
struct addrinfo {
	int ai_flags, ai_family, ai_socktype, ai_protocol;
	SIZE_T ai_addrlen;
	char *ai_canonname;
	struct sockaddr_in *ai_addr;
	struct addrinfo *ai_next;
};

IMP int WINAPI WSAStartup(unsigned short, WSADATA *);
IMP int WINAPI WSACleanup(void);
IMP int WINAPI WSAGetLastError(void);
IMP void WINAPI WSASetLastError(int);
IMP SOCKET WINAPI socket(int, int, int);
IMP int WINAPI closesocket(SOCKET);
IMP int WINAPI bind(SOCKET, const void *, int);
IMP int WINAPI listen(SOCKET, int);
IMP SOCKET WINAPI accept(SOCKET, void *, int *);
IMP int WINAPI connect(SOCKET, const void *, int);
IMP int WINAPI send(SOCKET, const char *, int, int);
IMP int WINAPI recv(SOCKET, char *, int, int);
IMP int WINAPI sendto(SOCKET, const char *, int, int, const void *, int);
IMP int WINAPI recvfrom(SOCKET, char *, int, int, void *, int *);
IMP int WINAPI shutdown(SOCKET, int);
IMP int WINAPI select(int, fd_set *, fd_set *, fd_set *, const struct timeval *);
IMP int WINAPI __WSAFDIsSet(SOCKET, fd_set *);
IMP int WINAPI ioctlsocket(SOCKET, long, unsigned long *);
IMP int WINAPI getsockopt(SOCKET, int, int, char *, int *);
IMP int WINAPI setsockopt(SOCKET, int, int, const char *, int);
IMP int WINAPI getsockname(SOCKET, void *, int *);
IMP int WINAPI getpeername(SOCKET, void *, int *);
IMP unsigned short WINAPI htons(unsigned short);
IMP unsigned short WINAPI ntohs(unsigned short);
IMP unsigned int WINAPI htonl(unsigned int);
IMP unsigned int WINAPI ntohl(unsigned int);
IMP unsigned int WINAPI inet_addr(const char *);
IMP char *WINAPI inet_ntoa(struct in_addr4);
IMP int WINAPI inet_pton(int, const char *, void *);
IMP const char *WINAPI inet_ntop(int, const void *, char *, SIZE_T);
IMP int WINAPI getaddrinfo(const char *, const char *, const struct addrinfo *, struct addrinfo **);
IMP void WINAPI freeaddrinfo(struct addrinfo *);
IMP int WINAPI getnameinfo(const void *, int, char *, DWORD, char *, DWORD, int);
IMP int WINAPI gethostname(char *, int);
IMP int WINAPI WSAPoll(WSAPOLLFD *, unsigned long, int);
IMP HANDLE WINAPI CreateThread(void *, SIZE_T, DWORD(WINAPI *)(void *), void *, DWORD, DWORD *);
IMP DWORD WINAPI WaitForSingleObject(HANDLE, DWORD);
IMP BOOL WINAPI CloseHandle(HANDLE);
IMP char *WINAPI GetCommandLineA(void);

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static int contains(const char *s, const char *w)
{
	for (; *s; s++) {
		const char *a = s, *b = w;
		while (*b && *a == *b)
			a++, b++;
		if (!*b)
			return 1;
	}
	return 0;
}

static struct sockaddr_in loopback(unsigned short port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(0x7f000001);
	return a;
}

/* A TCP socket listening on 127.0.0.1 at a port the system picks: the socket, its port in *port. */
static SOCKET listener(unsigned short *port)
{
	SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = loopback(0);
	int len = sizeof(a);

	if (s == INVALID_SOCKET || bind(s, &a, sizeof(a)) || listen(s, 8) || getsockname(s, &a, &len))
		return INVALID_SOCKET;
	*port = ntohs(a.sin_port);
	return s;
}

static DWORD WINAPI echo_server(void *arg)
{
	SOCKET l = (SOCKET)arg, c = accept(l, 0, 0);
	char buf[64];
	int n;

	if (c == INVALID_SOCKET)
		return 1;
	while ((n = recv(c, buf, sizeof(buf), 0)) > 0)
		if (send(c, buf, n, 0) != n)
			break;
	closesocket(c);
	return n == 0 ? 0 : 2;
}

static void tcp_echo(void)
{
	unsigned short port = 0;
	SOCKET l = listener(&port), c;
	struct sockaddr_in a = loopback(port), peer;
	char buf[16] = { 0 };
	int len = sizeof(peer), on = 1, v = 0, vlen = sizeof(v);
	HANDLE th;
	DWORD code = 99;

	check(l != INVALID_SOCKET && port != 0, "a TCP listener on 127.0.0.1, its port from getsockname", port);
	th = CreateThread(0, 0, echo_server, (void *)l, 0, 0);
	c = socket(AF_INET, SOCK_STREAM, 0);
	check(connect(c, &a, sizeof(a)) == 0, "connect to it", (unsigned long long)WSAGetLastError());
	check(getpeername(c, &peer, &len) == 0 && peer.sin_family == AF_INET && peer.sin_port == htons(port) &&
		      len == (int)sizeof(peer),
	      "getpeername: AF_INET (2), the port, 16 bytes", (unsigned long long)peer.sin_family);
	check(setsockopt(c, IPPROTO_TCP, TCP_NODELAY, (const char *)&on, sizeof(on)) == 0 &&
		      getsockopt(c, IPPROTO_TCP, TCP_NODELAY, (char *)&v, &vlen) == 0 && v != 0,
	      "TCP_NODELAY set and read back", (unsigned long long)v);
	vlen = sizeof(v);
	check(getsockopt(c, SOL_SOCKET, SO_TYPE, (char *)&v, &vlen) == 0 && v == SOCK_STREAM, "SO_TYPE is SOCK_STREAM",
	      (unsigned long long)v);
	check(send(c, "hello", 5, 0) == 5, "send 5 bytes", (unsigned long long)WSAGetLastError());
	check(recv(c, buf, sizeof(buf), 0) == 5 && streq(buf, "hello"), "the other thread echoes them back",
	      (unsigned long long)WSAGetLastError());
	{
		IO_STATUS_BLOCK io;
		NTSTATUS st = NtWriteFile((HANDLE)c, 0, 0, 0, &io, "world", 5, 0, 0);
		char b2[8] = { 0 };

		check(st == 0 && io.Information == 5, "NtWriteFile on the socket's handle", (unsigned long)st);
		io.Status = -1;
		st = NtReadFile((HANDLE)c, 0, 0, 0, &io, b2, 5, 0, 0);
		/* a socket is an overlapped file: Windows may answer STATUS_PENDING and complete it later */
		if (st == 0x103 && NtWaitForSingleObject((HANDLE)c, 0, 0) == 0)
			st = io.Status;
		check(st == 0 && io.Information == 5 && streq(b2, "world"), "NtReadFile on it reads the echo",
		      (unsigned long)st);
	}
	{
		/* a second handle to the socket is the same file object (Winsock itself documents DuplicateHandle's
		 * handles as not always known to it: WSADuplicateSocket is its way; so it is used as a file here) */
		HANDLE dup = 0;
		IO_STATUS_BLOCK io;
		NTSTATUS st = NtDuplicateObject(NtCurrentProcess(), (HANDLE)c, NtCurrentProcess(), &dup, 0, 0,
						2 /* DUPLICATE_SAME_ACCESS */);

		check(st == 0 && dup, "NtDuplicateObject of the socket", (unsigned long)st);
		st = NtWriteFile(dup, 0, 0, 0, &io, "dup!", 4, 0, 0);
		memset(buf, 0, sizeof(buf));
		check(st == 0 && recv(c, buf, sizeof(buf), 0) == 4 && streq(buf, "dup!"),
		      "NtWriteFile through the duplicate: the echo comes back on the original", (unsigned long)st);
		check(NtClose(dup) == 0 && send(c, "ok", 2, 0) == 2 && recv(c, buf, sizeof(buf), 0) == 2,
		      "NtClose of the duplicate leaves the connection to the original", (unsigned long long)WSAGetLastError());
		memset(buf, 0, sizeof(buf));
	}
	{
		fd_set r;
		struct timeval tv = { 5, 0 };
		unsigned long n = 0;

		send(c, "12345", 5, 0);
		r.fd_count = 1;
		r.fd_array[0] = c;
		check(select(0, &r, 0, 0, &tv) == 1 && __WSAFDIsSet(c, &r), "select: readable once the echo is there",
		      r.fd_count);
		check(ioctlsocket(c, FIONREAD, &n) == 0 && n == 5, "FIONREAD counts the 5 bytes waiting", n);
		check(recv(c, buf, sizeof(buf), 0) == 5, "and recv takes them", 0);
	}
	check(shutdown(c, 1 /* SD_SEND */) == 0, "shutdown(SD_SEND)", (unsigned long long)WSAGetLastError());
	check(recv(c, buf, sizeof(buf), 0) == 0, "recv after the server closed: 0", (unsigned long long)WSAGetLastError());
	WaitForSingleObject(th, 10000);
	CloseHandle(th);
	check(closesocket(c) == 0 && closesocket(l) == 0, "closesocket", 0);
	(void)code;
}

static void udp(void)
{
	SOCKET a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in aa = loopback(0), ba = loopback(0), from;
	int len = sizeof(aa), flen = sizeof(from), v = 0, vlen = sizeof(v);
	char buf[16] = { 0 };

	check(bind(a, &aa, sizeof(aa)) == 0 && getsockname(a, &aa, &len) == 0 && bind(b, &ba, sizeof(ba)) == 0 &&
		      (len = sizeof(ba), getsockname(b, &ba, &len)) == 0,
	      "two UDP sockets bound on 127.0.0.1", (unsigned long long)WSAGetLastError());
	check(sendto(a, "ping", 4, 0, &ba, sizeof(ba)) == 4, "sendto", (unsigned long long)WSAGetLastError());
	check(recvfrom(b, buf, sizeof(buf), 0, &from, &flen) == 4 && streq(buf, "ping") && from.sin_port == aa.sin_port &&
		      from.sin_addr.s_addr == htonl(0x7f000001) && flen == (int)sizeof(from),
	      "recvfrom: the datagram and its sender", (unsigned long long)ntohs(from.sin_port));
	check(getsockopt(b, SOL_SOCKET, SO_TYPE, (char *)&v, &vlen) == 0 && v == SOCK_DGRAM, "SO_TYPE is SOCK_DGRAM",
	      (unsigned long long)v);
	closesocket(a);
	closesocket(b);
}

struct sockaddr_in6 {
	short sin6_family;
	unsigned short sin6_port;
	unsigned long sin6_flowinfo;
	unsigned char sin6_addr[16];
	unsigned long sin6_scope_id;
};

/* IPv6 over ::1: AF_INET6 is 23 on Windows (10 on Linux), the layouts otherwise the same. */
static void ipv6(void)
{
	SOCKET l = socket(AF_INET6, SOCK_STREAM, 0), c, s;
	struct sockaddr_in6 a, got;
	int len = sizeof(a), glen = sizeof(got);
	char buf[8] = { 0 };

	memset(&a, 0, sizeof(a));
	a.sin6_family = AF_INET6;
	a.sin6_addr[15] = 1;
	if (l == INVALID_SOCKET || bind(l, &a, sizeof(a)) != 0) {
		/* a host without IPv6 (or without ::1) */
		check(1, "# SKIP no IPv6 loopback here", 0);
		if (l != INVALID_SOCKET)
			closesocket(l);
		return;
	}
	check(listen(l, 4) == 0 && getsockname(l, &a, &len) == 0 && a.sin6_family == AF_INET6 && len == 28,
	      "an IPv6 listener on ::1: getsockname gives AF_INET6 (23) and 28 bytes", (unsigned long long)a.sin6_family);
	c = socket(AF_INET6, SOCK_STREAM, 0);
	check(connect(c, &a, sizeof(a)) == 0, "connect over ::1", (unsigned long long)WSAGetLastError());
	s = accept(l, &got, &glen);
	check(s != INVALID_SOCKET && got.sin6_family == AF_INET6 && glen == 28 && got.sin6_addr[15] == 1,
	      "accept gives the peer as AF_INET6 ::1", (unsigned long long)got.sin6_family);
	check(send(c, "six", 3, 0) == 3 && recv(s, buf, sizeof(buf), 0) == 3 && streq(buf, "six"), "data over IPv6",
	      (unsigned long long)WSAGetLastError());
	closesocket(s);
	closesocket(c);
	closesocket(l);
}

static void nonblocking(void)
{
	unsigned short port = 0, dead_port = 0;
	SOCKET l = listener(&port), c = socket(AF_INET, SOCK_STREAM, 0), d, e;
	struct sockaddr_in a = loopback(port), dead;
	unsigned long on = 1;
	fd_set w, x;
	struct timeval tv = { 5, 0 };
	int err = -1, len = sizeof(err), r;
	char buf[4];
	WSAPOLLFD pfd;

	check(ioctlsocket(c, FIONBIO, &on) == 0, "FIONBIO on", (unsigned long long)WSAGetLastError());
	r = connect(c, &a, sizeof(a));
	check(r == 0 || WSAGetLastError() == WSAEWOULDBLOCK, "nonblocking connect: WSAEWOULDBLOCK (or done at once)",
	      (unsigned long long)WSAGetLastError());
	w.fd_count = 1;
	w.fd_array[0] = c;
	check(select(0, 0, &w, 0, &tv) == 1 && w.fd_count == 1 && w.fd_array[0] == c, "select: writable once connected",
	      w.fd_count);
	check(getsockopt(c, SOL_SOCKET, SO_ERROR, (char *)&err, &len) == 0 && err == 0, "SO_ERROR 0",
	      (unsigned long long)err);
	check(recv(c, buf, sizeof(buf), 0) == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK,
	      "recv with nothing there: WSAEWOULDBLOCK", (unsigned long long)WSAGetLastError());
	pfd.fd = l;
	pfd.events = POLLRDNORM;
	pfd.revents = 0;
	check(WSAPoll(&pfd, 1, 5000) == 1 && (pfd.revents & POLLRDNORM), "WSAPoll: the listener has a connection",
	      (unsigned long long)(unsigned short)pfd.revents);
	e = accept(l, 0, 0);
	check(e != INVALID_SOCKET, "accept it", (unsigned long long)WSAGetLastError());
	closesocket(e);
	closesocket(c);

	/* a port nobody listens on: bound, not listening */
	d = socket(AF_INET, SOCK_STREAM, 0);
	dead = loopback(0);
	len = sizeof(dead);
	bind(d, &dead, sizeof(dead));
	getsockname(d, &dead, &len);
	dead_port = ntohs(dead.sin_port);
	c = socket(AF_INET, SOCK_STREAM, 0);
	check(connect(c, &dead, sizeof(dead)) == SOCKET_ERROR && WSAGetLastError() == WSAECONNREFUSED,
	      "connect to a port nobody listens on: WSAECONNREFUSED", (unsigned long long)WSAGetLastError());
	closesocket(c);
	c = socket(AF_INET, SOCK_STREAM, 0);
	ioctlsocket(c, FIONBIO, &on);
	r = connect(c, &dead, sizeof(dead));
	w.fd_count = 1;
	w.fd_array[0] = c;
	x.fd_count = 1;
	x.fd_array[0] = c;
	tv.tv_sec = 5;
	r = select(0, 0, &w, &x, &tv);
	err = -1;
	len = sizeof(err);
	check(r == 1 && w.fd_count == 0 && x.fd_count == 1, "select: a refused nonblocking connect is in the exception set",
	      (unsigned long long)(w.fd_count << 4 | x.fd_count));
	check(getsockopt(c, SOL_SOCKET, SO_ERROR, (char *)&err, &len) == 0 && err == WSAECONNREFUSED,
	      "SO_ERROR: WSAECONNREFUSED", (unsigned long long)err);
	closesocket(c);
	closesocket(d);
	closesocket(l);
	(void)dead_port;
}

static void errors(void)
{
	char buf[4];
	SOCKET s;

	check(send((SOCKET)0x7ffc, "x", 1, 0) == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK,
	      "send on a handle that is nothing: WSAENOTSOCK", (unsigned long long)WSAGetLastError());
	check(recv((SOCKET)std_handle(1), buf, 1, 0) == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK,
	      "recv on a handle that is no socket (standard output): WSAENOTSOCK", (unsigned long long)WSAGetLastError());
	s = socket(AF_INET, SOCK_STREAM, 0);
	closesocket(s);
	check(closesocket(s) == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK, "closesocket twice: WSAENOTSOCK",
	      (unsigned long long)WSAGetLastError());
	check(socket(99, SOCK_STREAM, 0) == INVALID_SOCKET && WSAGetLastError() == WSAEAFNOSUPPORT,
	      "socket of family 99: WSAEAFNOSUPPORT", (unsigned long long)WSAGetLastError());
	WSASetLastError(1234);
	check(WSAGetLastError() == 1234, "WSASetLastError / WSAGetLastError", (unsigned long long)WSAGetLastError());
}

static void addresses(void)
{
	unsigned char a6[16], want6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	struct in_addr4 ia = { htonl(0x0a000102) };
	struct addrinfo hints, *res = 0;
	struct sockaddr_in sa = loopback(8080);
	char text[64], host[64], serv[16];
	int i, same = 1;

	check(htons(0x1234) == 0x3412 && ntohl(htonl(0x01020304)) == 0x01020304, "byte order", htons(0x1234));
	check(inet_addr("127.0.0.1") == htonl(0x7f000001) && inet_addr("10.1") == htonl(0x0a000001) &&
		      inet_addr("nonsense") == 0xffffffffu,
	      "inet_addr (four, two parts; INADDR_NONE)", inet_addr("127.0.0.1"));
	check(streq(inet_ntoa(ia), "10.0.1.2"), "inet_ntoa", 0);
	check(inet_pton(AF_INET6, "2001:db8::1", a6) == 1, "inet_pton IPv6", 0);
	for (i = 0; i < 16; i++)
		same &= a6[i] == want6[i];
	check(same, "inet_pton's bytes", a6[1]);
	check(inet_ntop(AF_INET6, a6, text, sizeof(text)) && streq(text, "2001:db8::1"), "inet_ntop IPv6", 0);
	check(inet_pton(AF_INET, "1.2.3", a6) == 0, "inet_pton refuses a short IPv4 address", 0);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	check(getaddrinfo("127.0.0.1", "80", &hints, &res) == 0 && res && res->ai_family == AF_INET &&
		      res->ai_addr->sin_port == htons(80) && res->ai_addr->sin_addr.s_addr == htonl(0x7f000001) &&
		      res->ai_addrlen == 16 && res->ai_socktype == SOCK_STREAM && !res->ai_next,
	      "getaddrinfo of a numeric host and port", 0);
	freeaddrinfo(res);
	res = 0;
	check(getaddrinfo("localhost", "8080", &hints, &res) == 0 && res && res->ai_addr->sin_addr.s_addr == htonl(0x7f000001),
	      "getaddrinfo(localhost) with AF_INET: 127.0.0.1", 0);
	freeaddrinfo(res);
	hints.ai_flags = 4; /* AI_NUMERICHOST */
	check(getaddrinfo("not-a-number", "80", &hints, &res) == WSAHOST_NOT_FOUND, "AI_NUMERICHOST with a name: WSAHOST_NOT_FOUND", 0);
	check(getnameinfo(&sa, sizeof(sa), host, sizeof(host), serv, sizeof(serv), 2 | 8) == 0 && streq(host, "127.0.0.1") &&
		      streq(serv, "8080"),
	      "getnameinfo NI_NUMERICHOST | NI_NUMERICSERV", 0);
	check(gethostname(host, sizeof(host)) == 0 && host[0], "gethostname gives a name", (unsigned long long)WSAGetLastError());
}

static void refused(void)
{
	SOCKET s = socket(AF_INET, SOCK_STREAM, 0);

	check(s == INVALID_SOCKET && WSAGetLastError() == WSAEACCES, "the policy refuses a TCP socket: WSAEACCES",
	      (unsigned long long)WSAGetLastError());
	s = socket(AF_INET, SOCK_DGRAM, 0);
	check(s == INVALID_SOCKET && WSAGetLastError() == WSAEACCES, "and a UDP socket: WSAEACCES",
	      (unsigned long long)WSAGetLastError());
}

int mainCRTStartup(void)
{
	WSADATA wd;
	int refusal = contains(GetCommandLineA(), "refused");

	check(socket(AF_INET, SOCK_STREAM, 0) == INVALID_SOCKET && WSAGetLastError() == WSANOTINITIALISED,
	      "socket before WSAStartup: WSANOTINITIALISED", (unsigned long long)WSAGetLastError());
	check(WSAStartup(0x0202, &wd) == 0 && wd.wVersion == 0x0202, "WSAStartup(2.2)", wd.wVersion);
	if (refusal) {
		refused();
	} else {
		tcp_echo();
		udp();
		ipv6();
		nonblocking();
		errors();
		addresses();
	}
	check(WSACleanup() == 0, "WSACleanup", (unsigned long long)WSAGetLastError());
	check(WSACleanup() == SOCKET_ERROR && WSAGetLastError() == WSANOTINITIALISED, "WSACleanup once more: WSANOTINITIALISED",
	      (unsigned long long)WSAGetLastError());
	done();
	return 0;
}
