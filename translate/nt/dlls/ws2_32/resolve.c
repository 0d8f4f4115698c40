/*
 * Names: getaddrinfo, freeaddrinfo and getnameinfo for numeric hosts and
 * ports and for "localhost", and gethostname. picovisor's ws2_32 has no
 * resolver: any other host name fails with WSANO_RECOVERY (EAI_FAIL, "a
 * nonrecoverable failure in name resolution"), any service name with
 * WSATYPE_NOT_FOUND (EAI_SERVICE), never with an answer made up. getnameinfo
 * gives the numeric forms (NI_NAMEREQD: WSAHOST_NOT_FOUND, there being no
 * reverse lookup). gethostname reads the kernel's host name
 * (/proc/sys/kernel/hostname, through the Z: drive and the program's rights).
 */
#include "ws2.h"

struct w_addrinfo {
	int ai_flags, ai_family, ai_socktype, ai_protocol;
	size_t ai_addrlen;
	char *ai_canonname;
	struct w_sockaddr *ai_addr;
	struct w_addrinfo *ai_next;
};

int WINAPI getaddrinfo(const char *node, const char *service, const struct w_addrinfo *hints, struct w_addrinfo **res);
void WINAPI freeaddrinfo(struct w_addrinfo *ai);
int WINAPI getnameinfo(const struct w_sockaddr *sa, int salen, char *host, DWORD hostlen, char *serv, DWORD servlen,
		       int flags);
int WINAPI gethostname(char *name, int len);

#define AI_PASSIVE 0x1
#define AI_CANONNAME 0x2
#define AI_NUMERICHOST 0x4
#define NI_NUMERICHOST 0x2
#define NI_NAMEREQD 0x4
#define WSA_NOT_ENOUGH_MEMORY 8

static int ret_err(int err)
{
	LAST_ERROR() = (DWORD)err;
	return err;
}

void WINAPI freeaddrinfo(struct w_addrinfo *ai)
{
	while (ai) {
		struct w_addrinfo *next = ai->ai_next;

		ws2_free(ai->ai_canonname);
		ws2_free(ai); /* its address is in the same block */
		ai = next;
	}
}

static int same_ci(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
		if (x != *b)
			return 0;
	}
	return *a == *b;
}

static char *dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = ws2_alloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

/* Append one answer: family (Windows'), the raw address (4 or 16 bytes), the port in network order. */
static int append(struct w_addrinfo ***tail, const struct w_addrinfo *hints, int family, const unsigned char *addr,
		  uint16_t port_be)
{
	size_t salen = family == W_AF_INET ? sizeof(struct w_sockaddr_in) : sizeof(struct w_sockaddr_in6);
	struct w_addrinfo *ai = ws2_alloc(sizeof(*ai) + salen);
	unsigned char *sa;

	if (!ai)
		return WSA_NOT_ENOUGH_MEMORY;
	memset(ai, 0, sizeof(*ai) + salen);
	sa = (unsigned char *)(ai + 1);
	ai->ai_family = family;
	ai->ai_socktype = hints ? hints->ai_socktype : 0;
	ai->ai_protocol = hints ? hints->ai_protocol : 0;
	ai->ai_addrlen = salen;
	ai->ai_addr = (struct w_sockaddr *)sa;
	if (family == W_AF_INET) {
		struct w_sockaddr_in *in = (struct w_sockaddr_in *)sa;

		in->sin_family = W_AF_INET;
		in->sin_port = port_be;
		memcpy(&in->sin_addr, addr, 4);
	} else {
		struct w_sockaddr_in6 *in6 = (struct w_sockaddr_in6 *)sa;

		in6->sin6_family = W_AF_INET6;
		in6->sin6_port = port_be;
		memcpy(in6->sin6_addr, addr, 16);
	}
	**tail = ai;
	*tail = &ai->ai_next;
	return 0;
}

int WINAPI getaddrinfo(const char *node, const char *service, const struct w_addrinfo *hints, struct w_addrinfo **res)
{
	static const unsigned char any4[4], any6[16], lo4[4] = { 127, 0, 0, 1 },
				   lo6[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	struct w_addrinfo *head = NULL, **tail = &head;
	int family = hints ? hints->ai_family : W_AF_UNSPEC, flags = hints ? hints->ai_flags : 0, err = 0;
	unsigned char a[16];
	uint32_t port = 0;

	if (!res)
		return ret_err(WSAEINVAL);
	*res = NULL;
	if (!ws2_started())
		return ret_err(WSANOTINITIALISED);
	if (!node && !service)
		return ret_err(WSAHOST_NOT_FOUND);
	if (family != W_AF_UNSPEC && family != W_AF_INET && family != W_AF_INET6)
		return ret_err(WSAEAFNOSUPPORT);
	if (hints && hints->ai_socktype != 0 && hints->ai_socktype != 1 && hints->ai_socktype != 2)
		return ret_err(WSAESOCKTNOSUPPORT);
	if (service && *service) {
		for (const char *p = service; *p; p++) {
			if (*p < '0' || *p > '9' || port > 65535)
				return ret_err(WSATYPE_NOT_FOUND); /* no services database */
			port = port * 10 + (uint32_t)(*p - '0');
		}
		if (port > 65535)
			return ret_err(WSATYPE_NOT_FOUND);
	}
	uint16_t port_be = htons((uint16_t)port);

	if (!node) {
		int passive = flags & AI_PASSIVE;

		if (family != W_AF_INET)
			err = append(&tail, hints, W_AF_INET6, passive ? any6 : lo6, port_be);
		if (!err && family != W_AF_INET6)
			err = append(&tail, hints, W_AF_INET, passive ? any4 : lo4, port_be);
	} else if (ws2_pton4(node, a)) {
		if (family == W_AF_INET6)
			return ret_err(WSAHOST_NOT_FOUND);
		err = append(&tail, hints, W_AF_INET, a, port_be);
	} else if (ws2_pton6(node, a)) {
		if (family == W_AF_INET)
			return ret_err(WSAHOST_NOT_FOUND);
		err = append(&tail, hints, W_AF_INET6, a, port_be);
	} else if (flags & AI_NUMERICHOST) {
		return ret_err(WSAHOST_NOT_FOUND);
	} else if (same_ci(node, "localhost")) {
		if (family != W_AF_INET)
			err = append(&tail, hints, W_AF_INET6, lo6, port_be);
		if (!err && family != W_AF_INET6)
			err = append(&tail, hints, W_AF_INET, lo4, port_be);
	} else {
		return ret_err(WSANO_RECOVERY); /* no resolver: never an invented answer */
	}
	if (!err && head && node && (flags & AI_CANONNAME) && !(head->ai_canonname = dup_str(node)))
		err = WSA_NOT_ENOUGH_MEMORY;
	if (err) {
		freeaddrinfo(head);
		return ret_err(err);
	}
	*res = head;
	return 0;
}

static char *put_dec(char *p, unsigned v)
{
	char tmp[12];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	while (n)
		*p++ = tmp[--n];
	return p;
}

int WINAPI getnameinfo(const struct w_sockaddr *sa, int salen, char *host, DWORD hostlen, char *serv, DWORD servlen,
		       int flags)
{
	char text[64];
	uint16_t port;
	const void *addr;

	if (!sa || salen < (int)sizeof(uint16_t))
		return ret_err(WSAEFAULT);
	if (sa->sa_family == W_AF_INET && salen >= (int)sizeof(struct w_sockaddr_in)) {
		addr = &((const struct w_sockaddr_in *)sa)->sin_addr;
		port = ((const struct w_sockaddr_in *)sa)->sin_port;
	} else if (sa->sa_family == W_AF_INET6 && salen >= (int)sizeof(struct w_sockaddr_in6)) {
		addr = ((const struct w_sockaddr_in6 *)sa)->sin6_addr;
		port = ((const struct w_sockaddr_in6 *)sa)->sin6_port;
	} else {
		return ret_err(sa->sa_family == W_AF_INET || sa->sa_family == W_AF_INET6 ? WSAEFAULT : WSAEAFNOSUPPORT);
	}
	if (!host && !serv)
		return ret_err(WSAHOST_NOT_FOUND);
	if (host && hostlen) {
		if (flags & NI_NAMEREQD)
			return ret_err(WSAHOST_NOT_FOUND); /* no reverse lookup */
		if (!inet_ntop_internal(sa->sa_family, addr, text, sizeof(text)))
			return ret_err(WSAEINVAL);
		if (strlen(text) + 1 > hostlen)
			return ret_err(WSAEFAULT);
		memcpy(host, text, strlen(text) + 1);
	}
	if (serv && servlen) {
		*put_dec(text, ntohs(port)) = 0;
		if (strlen(text) + 1 > servlen)
			return ret_err(WSAEFAULT);
		memcpy(serv, text, strlen(text) + 1);
	}
	return 0;
}

int WINAPI gethostname(char *name, int len)
{
	static const WCHAR path[] = { '\\', '?', '?', '\\', 'Z', ':', '\\', 'p', 'r', 'o', 'c', '\\', 's', 'y', 's', '\\', 'k', 'e',
				      'r', 'n', 'e', 'l', '\\', 'h', 'o', 's', 't', 'n', 'a', 'm', 'e', 0 };
	UNICODE_STRING us = { sizeof(path) - 2, sizeof(path), (WCHAR *)path };
	OBJECT_ATTRIBUTES oa = { sizeof(oa), 0, &us, 0x40, 0, 0 };
	IO_STATUS_BLOCK iosb = { 0, 0 };
	char buf[256];
	HANDLE h;
	size_t n;

	if (!name || len < 0)
		return ws2_fail(WSAEFAULT);
	if (!ws2_started())
		return ws2_fail(WSANOTINITIALISED);
	/* FILE_READ_DATA | SYNCHRONIZE, share all, FILE_SYNCHRONOUS_IO_NONALERT */
	if (NtOpenFile(&h, 0x100001, &oa, &iosb, 7, 0x20) < 0)
		return ws2_fail(WSAENETDOWN);
	if (NtReadFile(h, 0, 0, 0, &iosb, buf, sizeof(buf) - 1, 0, 0) < 0) {
		NtClose(h);
		return ws2_fail(WSAENETDOWN);
	}
	NtClose(h);
	n = iosb.Information;
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == 0))
		n--;
	if (n + 1 > (size_t)len)
		return ws2_fail(WSAEFAULT);
	memcpy(name, buf, n);
	name[n] = 0;
	return 0;
}
