/*
 * tests/progs/net_probe.c for NT programs, through picovisor's ws2_32.dll:
 * tries each endpoint named on the command line (OP:HOST:PORT, OP one of
 * tcp-connect, udp-send, tcp-bind, udp-bind; HOST an IPv4 address or [an IPv6
 * address]) and says on one line what happened: "ok", "EINPROGRESS" (a
 * nonblocking connect let out: WSAEWOULDBLOCK), or the Linux errno name of
 * the WSA code (WSAEACCES: EACCES), so the end-to-end tests hold a Windows
 * program to the same answers as a Linux one under the same policy.
 */
#include "nt_test.h"

#define WINAPI __attribute__((ms_abi))
#define IMP __declspec(dllimport)
typedef unsigned long long SOCKET;
#define INVALID_SOCKET (~(SOCKET)0)

typedef struct {
	unsigned short wVersion, wHighVersion, iMaxSockets, iMaxUdpDg;
	char *lpVendorInfo;
	char desc[257], status[129];
} WSADATA;

IMP int WINAPI WSAStartup(unsigned short, WSADATA *);
IMP int WINAPI WSAGetLastError(void);
IMP SOCKET WINAPI socket(int, int, int);
IMP int WINAPI closesocket(SOCKET);
IMP int WINAPI bind(SOCKET, const void *, int);
IMP int WINAPI connect(SOCKET, const void *, int);
IMP int WINAPI sendto(SOCKET, const char *, int, int, const void *, int);
IMP int WINAPI ioctlsocket(SOCKET, long, unsigned long *);
IMP unsigned short WINAPI htons(unsigned short);
IMP int WINAPI inet_pton(int, const char *, void *);
IMP char *WINAPI GetCommandLineA(void);

static const char *errno_name(int wsa)
{
	switch (wsa) {
	case 10013: return "EACCES";
	case 10035: return "EINPROGRESS";
	case 10047: return "EAFNOSUPPORT";
	case 10048: return "EADDRINUSE";
	case 10049: return "EADDRNOTAVAIL";
	case 10051: return "ENETUNREACH";
	case 10061: return "ECONNREFUSED";
	case 10065: return "EHOSTUNREACH";
	default: return "other";
	}
}

static int starts(const char *s, const char *p)
{
	while (*p && *s == *p)
		s++, p++;
	return !*p;
}

static void probe(char *spec)
{
	unsigned char sa[28];
	char *host, *port = 0, *p;
	int family, len, rc = 0, udp = starts(spec, "udp");
	unsigned long on = 1;
	unsigned v = 0;
	SOCKET s;

	out(spec);
	out(" ");
	for (host = spec; *host && *host != ':'; host++)
		;
	if (!*host) {
		out("bad-spec\n");
		return;
	}
	*host++ = 0;
	for (p = host; *p; p++)
		if (*p == ':')
			port = p;
	if (!port) {
		out("bad-spec\n");
		return;
	}
	*port++ = 0;
	for (p = port; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (unsigned)(*p - '0');
	memset(sa, 0, sizeof(sa));
	if (host[0] == '[') {
		host++;
		host[slen(host) - 1] = 0;
		family = 23;
		len = 28;
		rc = inet_pton(family, host, sa + 8);
	} else {
		family = 2;
		len = 16;
		rc = inet_pton(family, host, sa + 4);
	}
	if (rc != 1) {
		out("bad-address\n");
		return;
	}
	*(unsigned short *)sa = (unsigned short)family;
	*(unsigned short *)(sa + 2) = htons((unsigned short)v);
	s = socket(family, udp ? 2 : 1, 0);
	if (s == INVALID_SOCKET)
		rc = -1;
	else if (starts(spec, "tcp-connect") && spec[11] == 0) {
		ioctlsocket(s, (long)0x8004667Eu, &on); /* an allowed far endpoint: WSAEWOULDBLOCK, no waiting */
		rc = connect(s, sa, len);
	} else if (starts(spec, "udp-send") && spec[8] == 0)
		rc = sendto(s, "x", 1, 0, sa, len);
	else if ((starts(spec, "tcp-bind") && spec[8] == 0) || (starts(spec, "udp-bind") && spec[8] == 0))
		rc = bind(s, sa, len);
	else {
		out("bad-op\n");
		return;
	}
	out(rc >= 0 ? "ok" : errno_name(WSAGetLastError()));
	out("\n");
	if (s != INVALID_SOCKET)
		closesocket(s);
}

int mainCRTStartup(void)
{
	WSADATA wd;
	char *cmd = GetCommandLineA(), buf[4096], *p = buf, *arg;
	SIZE_T n = slen(cmd);

	if (n >= sizeof(buf) || WSAStartup(0x0202, &wd)) {
		out("cannot start\n");
		NtTerminateProcess(NtCurrentProcess(), 2);
	}
	memcpy(buf, cmd, n + 1);
	while (*p && *p != ' ') /* the program's own name */
		p++;
	while (*p) {
		while (*p == ' ')
			*p++ = 0;
		if (!*p)
			break;
		arg = p;
		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = 0;
		probe(arg);
	}
	NtTerminateProcess(NtCurrentProcess(), 0);
	return 0;
}
