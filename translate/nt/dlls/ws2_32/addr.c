/*
 * Addresses: byte order, the text forms (inet_addr, inet_ntoa, inet_pton,
 * inet_ntop), and Windows' sockaddr as Linux's: the same layouts for
 * sockaddr_in and sockaddr_in6 but for the family number (AF_INET6 is 23 on
 * Windows, 10 on Linux).
 */
#include "ws2.h"

uint16_t WINAPI htons(uint16_t v);
uint16_t WINAPI ntohs(uint16_t v);
uint32_t WINAPI htonl(uint32_t v);
uint32_t WINAPI ntohl(uint32_t v);
uint32_t WINAPI inet_addr(const char *s);
char *WINAPI inet_ntoa(struct w_in_addr a);
int WINAPI inet_pton(int family, const char *s, void *out);
const char *WINAPI inet_ntop(int family, const void *addr, char *buf, size_t size);

uint16_t WINAPI htons(uint16_t v)
{
	return __builtin_bswap16(v);
}

uint16_t WINAPI ntohs(uint16_t v)
{
	return __builtin_bswap16(v);
}

uint32_t WINAPI htonl(uint32_t v)
{
	return __builtin_bswap32(v);
}

uint32_t WINAPI ntohl(uint32_t v)
{
	return __builtin_bswap32(v);
}

int ws2_family_to_linux(int family)
{
	return family == W_AF_INET ? L_AF_INET : family == W_AF_INET6 ? L_AF_INET6 : family == W_AF_UNSPEC ? 0 : -1;
}

int ws2_family_from_linux(int family)
{
	return family == L_AF_INET ? W_AF_INET : family == L_AF_INET6 ? W_AF_INET6 : W_AF_UNSPEC;
}

uint32_t ws2_addr_to_linux(const struct w_sockaddr *w, int wlen, unsigned char *l, int *err)
{
	uint32_t need;
	uint16_t fam;

	if (!w || wlen < (int)sizeof(uint16_t)) {
		*err = WSAEFAULT;
		return 0;
	}
	fam = w->sa_family;
	if (fam == W_AF_INET)
		need = sizeof(struct w_sockaddr_in);
	else if (fam == W_AF_INET6)
		need = sizeof(struct w_sockaddr_in6);
	else {
		*err = WSAEAFNOSUPPORT;
		return 0;
	}
	if ((uint32_t)wlen < need) {
		*err = WSAEFAULT;
		return 0;
	}
	memcpy(l, w, need);
	fam = (uint16_t)ws2_family_to_linux(fam);
	memcpy(l, &fam, 2);
	return need;
}

/* 0, or the WSA error (a buffer too small: WSAEFAULT, *wlen the size needed). */
int ws2_addr_from_linux(const unsigned char *l, uint32_t llen, struct w_sockaddr *w, int *wlen)
{
	uint16_t fam;
	uint32_t n = llen;

	if (!w || !wlen)
		return WSAEFAULT;
	if (llen >= 2) {
		memcpy(&fam, l, 2);
		fam = (uint16_t)ws2_family_from_linux(fam);
	} else
		fam = 0;
	if (*wlen < 0 || (uint32_t)*wlen < n) {
		*wlen = (int)n;
		return WSAEFAULT;
	}
	memcpy(w, l, n);
	if (n >= 2)
		memcpy(w, &fam, 2);
	*wlen = (int)n;
	return 0;
}

/* The classic parts form: a, a.b, a.b.c, a.b.c.d, each decimal, 0octal or 0xhex. */
uint32_t WINAPI inet_addr(const char *s)
{
	uint32_t part[4], n = 0;

	if (!s || !*s)
		return 0xffffffffu;
	for (;;) {
		uint64_t v = 0;
		int base = 10, digits = 0;

		if (*s == '0' && (s[1] == 'x' || s[1] == 'X'))
			base = 16, s += 2;
		else if (*s == '0')
			base = 8;
		for (;; s++, digits++) {
			int d;

			if (*s >= '0' && *s <= '9')
				d = *s - '0';
			else if (base == 16 && *s >= 'a' && *s <= 'f')
				d = *s - 'a' + 10;
			else if (base == 16 && *s >= 'A' && *s <= 'F')
				d = *s - 'A' + 10;
			else
				break;
			if (d >= base)
				return 0xffffffffu;
			v = v * (uint64_t)base + (uint64_t)d;
			if (v > 0xffffffffu)
				return 0xffffffffu;
		}
		if (!digits && base != 16 && !(base == 8))
			return 0xffffffffu;
		if (n == 4)
			return 0xffffffffu;
		part[n++] = (uint32_t)v;
		if (*s == '.') {
			s++;
			continue;
		}
		if (*s && *s != ' ')
			return 0xffffffffu;
		break;
	}
	uint32_t host;

	switch (n) {
	case 1:
		host = part[0];
		break;
	case 2:
		if (part[0] > 255 || part[1] > 0xffffff)
			return 0xffffffffu;
		host = part[0] << 24 | part[1];
		break;
	case 3:
		if (part[0] > 255 || part[1] > 255 || part[2] > 0xffff)
			return 0xffffffffu;
		host = part[0] << 24 | part[1] << 16 | part[2];
		break;
	default:
		if (part[0] > 255 || part[1] > 255 || part[2] > 255 || part[3] > 255)
			return 0xffffffffu;
		host = part[0] << 24 | part[1] << 16 | part[2] << 8 | part[3];
		break;
	}
	return htonl(host);
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

static void ntop4(const unsigned char *a, char *out)
{
	char *p = out;

	for (int i = 0; i < 4; i++) {
		if (i)
			*p++ = '.';
		p = put_dec(p, a[i]);
	}
	*p = 0;
}

/* One buffer per thread on Windows; here one per process, which the documentation allows callers to rely on only until the next call. */
char *WINAPI inet_ntoa(struct w_in_addr a)
{
	static char buf[16];

	ntop4((const unsigned char *)&a.s_addr, buf);
	return buf;
}

int ws2_pton4(const char *s, unsigned char out[4])
{
	for (int i = 0; i < 4; i++) {
		unsigned v = 0;
		int digits = 0;

		for (; *s >= '0' && *s <= '9'; s++, digits++) {
			v = v * 10 + (unsigned)(*s - '0');
			if (v > 255 || digits > 2)
				return 0;
		}
		if (!digits || (digits > 1 && s[-digits] == '0'))
			return 0;
		out[i] = (unsigned char)v;
		if (i < 3 && *s++ != '.')
			return 0;
	}
	return *s == 0;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int ws2_pton6(const char *s, unsigned char out[16])
{
	uint16_t g[8];
	int n = 0, gap = -1;

	if (s[0] == ':') {
		if (s[1] != ':')
			return 0;
		s++;
	}
	while (*s) {
		if (*s == ':') {
			if (gap >= 0)
				return 0;
			gap = n;
			s++;
			continue;
		}
		const char *start = s;
		unsigned v = 0;
		int d = 0;

		for (; hexval(*s) >= 0 && d < 5; s++, d++)
			v = v << 4 | (unsigned)hexval(*s);
		if (*s == '.' && n <= 6) {
			unsigned char v4[4];

			if (!ws2_pton4(start, v4))
				return 0;
			g[n++] = (uint16_t)(v4[0] << 8 | v4[1]);
			g[n++] = (uint16_t)(v4[2] << 8 | v4[3]);
			s = start + 0;
			while (*s)
				s++;
			break;
		}
		if (!d || d > 4 || n == 8)
			return 0;
		g[n++] = (uint16_t)v;
		if (*s == ':') {
			s++;
			if (!*s)
				return 0;
		} else if (*s)
			return 0;
	}
	if (gap < 0 && n != 8)
		return 0;
	if (gap >= 0 && n == 8)
		return 0;
	for (int i = 0, o = 0; i < 8; i++) {
		uint16_t v;

		if (gap >= 0 && i >= gap && i < gap + 8 - n)
			v = 0;
		else
			v = g[o++];
		out[2 * i] = (unsigned char)(v >> 8);
		out[2 * i + 1] = (unsigned char)v;
	}
	return 1;
}

int WINAPI inet_pton(int family, const char *s, void *out)
{
	if (!s || !out)
		return ws2_fail(WSAEFAULT);
	if (family == W_AF_INET)
		return ws2_pton4(s, out);
	if (family == W_AF_INET6)
		return ws2_pton6(s, out);
	return ws2_fail(WSAEAFNOSUPPORT);
}

static char *put_hex(char *p, unsigned v)
{
	static const char digits[] = "0123456789abcdef";
	int shift = 12;

	while (shift > 0 && !(v >> shift & 0xf))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		*p++ = digits[v >> shift & 0xf];
	return p;
}

/* RFC 5952's text: the longest run of two or more zero groups as ::, an IPv4-mapped address with its dotted tail. */
static void ntop6(const unsigned char *a, char *out)
{
	unsigned g[8];
	int best = -1, best_len = 0;
	char *p = out;

	for (int i = 0; i < 8; i++)
		g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	for (int i = 0; i < 8;) {
		int j = i;

		while (j < 8 && !g[j])
			j++;
		if (j - i > best_len && j - i >= 2)
			best = i, best_len = j - i;
		i = j > i ? j : i + 1;
	}
	if (best == 0 && (best_len == 6 || (best_len == 5 && g[5] == 0xffff))) {
		*p++ = ':';
		*p++ = ':';
		if (best_len == 5) {
			memcpy(p, "ffff:", 5);
			p += 5;
		}
		ntop4(a + 12, p);
		return;
	}
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			*p++ = ':';
			*p++ = ':';
			i += best_len - 1;
			continue;
		}
		if (i && i != best + best_len)
			*p++ = ':';
		p = put_hex(p, g[i]);
	}
	*p = 0;
}

const char *inet_ntop_internal(int family, const void *addr, char *buf, size_t size)
{
	char tmp[48];

	if (family == W_AF_INET)
		ntop4(addr, tmp);
	else if (family == W_AF_INET6)
		ntop6(addr, tmp);
	else
		return NULL;
	if (strlen(tmp) + 1 > size)
		return NULL;
	memcpy(buf, tmp, strlen(tmp) + 1);
	return buf;
}

const char *WINAPI inet_ntop(int family, const void *addr, char *buf, size_t size)
{
	char tmp[48];

	if (!addr || !buf) {
		ws2_fail(WSAEINVAL);
		return NULL;
	}
	if (family == W_AF_INET)
		ntop4(addr, tmp);
	else if (family == W_AF_INET6)
		ntop6(addr, tmp);
	else {
		ws2_fail(WSAEAFNOSUPPORT);
		return NULL;
	}
	if (strlen(tmp) + 1 > size) {
		ws2_fail(WSAEINVAL);
		return NULL;
	}
	memcpy(buf, tmp, strlen(tmp) + 1);
	return buf;
}
