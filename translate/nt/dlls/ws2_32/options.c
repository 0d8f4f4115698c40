/*
 * getsockopt and setsockopt: Windows' levels and option numbers as Linux's,
 * and the values whose layout differs (linger, the timeouts in milliseconds,
 * SO_ERROR as a WSA code). An option with no Linux counterpart here is
 * WSAENOPROTOOPT.
 */
#include "ws2.h"

int WINAPI getsockopt(SOCKET s, int level, int name, char *val, int *len);
int WINAPI setsockopt(SOCKET s, int level, int name, const char *val, int len);

enum kind { K_INT, K_LINGER, K_MILLIS, K_ERROR };

struct opt {
	int wlevel, wname, llevel, lname;
	enum kind kind;
};

static const struct opt opts[] = {
	{ W_SOL_SOCKET, 0x0002, L_SOL_SOCKET, 30, K_INT },   /* SO_ACCEPTCONN */
	{ W_SOL_SOCKET, 0x0004, L_SOL_SOCKET, 2, K_INT },    /* SO_REUSEADDR */
	{ W_SOL_SOCKET, 0x0008, L_SOL_SOCKET, 9, K_INT },    /* SO_KEEPALIVE */
	{ W_SOL_SOCKET, 0x0010, L_SOL_SOCKET, 5, K_INT },    /* SO_DONTROUTE */
	{ W_SOL_SOCKET, 0x0020, L_SOL_SOCKET, 6, K_INT },    /* SO_BROADCAST */
	{ W_SOL_SOCKET, 0x0080, L_SOL_SOCKET, 13, K_LINGER }, /* SO_LINGER */
	{ W_SOL_SOCKET, 0x0100, L_SOL_SOCKET, 10, K_INT },   /* SO_OOBINLINE */
	{ W_SOL_SOCKET, 0x1001, L_SOL_SOCKET, 7, K_INT },    /* SO_SNDBUF */
	{ W_SOL_SOCKET, 0x1002, L_SOL_SOCKET, 8, K_INT },    /* SO_RCVBUF */
	{ W_SOL_SOCKET, 0x1005, L_SOL_SOCKET, 21, K_MILLIS }, /* SO_SNDTIMEO */
	{ W_SOL_SOCKET, 0x1006, L_SOL_SOCKET, 20, K_MILLIS }, /* SO_RCVTIMEO */
	{ W_SOL_SOCKET, 0x1007, L_SOL_SOCKET, 4, K_ERROR },  /* SO_ERROR */
	{ W_SOL_SOCKET, 0x1008, L_SOL_SOCKET, 3, K_INT },    /* SO_TYPE: SOCK_STREAM, SOCK_DGRAM alike */
	{ 6, 0x0001, 6, 1, K_INT },                          /* IPPROTO_TCP TCP_NODELAY */
	{ 0, 4, 0, 2, K_INT },                               /* IPPROTO_IP IP_TTL */
	{ 41, 27, 41, 26, K_INT },                           /* IPPROTO_IPV6 IPV6_V6ONLY */
};

static const struct opt *find(int level, int name)
{
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (opts[i].wlevel == level && opts[i].wname == name)
			return &opts[i];
	return NULL;
}

static int fail_call(int err)
{
	return ws2_fail(err);
}

int WINAPI setsockopt(SOCKET s, int level, int name, const char *val, int len)
{
	const struct opt *o = find(level, name);
	struct pv_afd_opt p;
	int32_t v;
	int err;

	if (!o)
		return ws2_fail(WSAENOPROTOOPT);
	if (!val || len < 1)
		return ws2_fail(WSAEFAULT);
	memset(&p, 0, sizeof(p));
	p.level = o->llevel;
	p.name = o->lname;
	switch (o->kind) {
	case K_INT:
	case K_ERROR:
		/* Windows reads a BOOL option from as little as one byte */
		v = 0;
		memcpy(&v, val, len < 4 ? (size_t)len : 4);
		if (len < 4)
			v = v != 0;
		memcpy(p.val, &v, 4);
		p.len = 4;
		break;
	case K_LINGER: {
		uint16_t w[2];
		int32_t l[2];

		if (len < 4)
			return ws2_fail(WSAEFAULT);
		memcpy(w, val, 4);
		l[0] = w[0] != 0;
		l[1] = w[1];
		memcpy(p.val, l, 8);
		p.len = 8;
		break;
	}
	case K_MILLIS: {
		uint32_t ms;
		int64_t tv[2];

		if (len < 4)
			return ws2_fail(WSAEFAULT);
		memcpy(&ms, val, 4);
		tv[0] = ms / 1000;
		tv[1] = (int64_t)(ms % 1000) * 1000;
		memcpy(p.val, tv, 16);
		p.len = 16;
		break;
	}
	}
	err = ws2_ioctl(s, PV_AFD_SETOPT, &p, sizeof(p), 0, 0, 0);
	return err ? fail_call(err) : 0;
}

int WINAPI getsockopt(SOCKET s, int level, int name, char *val, int *len)
{
	const struct opt *o = find(level, name);
	struct pv_afd_opt p;
	int32_t v = 0;
	int err, n;

	if (!o)
		return ws2_fail(WSAENOPROTOOPT);
	if (!val || !len)
		return ws2_fail(WSAEFAULT);
	memset(&p, 0, sizeof(p));
	p.level = o->llevel;
	p.name = o->lname;
	p.len = o->kind == K_LINGER ? 8 : o->kind == K_MILLIS ? 16 : 4;
	err = ws2_ioctl(s, PV_AFD_GETOPT, &p, sizeof(p), &p, sizeof(p), 0);
	if (err)
		return ws2_fail(err);
	switch (o->kind) {
	case K_LINGER: {
		int32_t l[2];
		uint16_t w[2];

		if (*len < 4)
			return ws2_fail(WSAEFAULT);
		memcpy(l, p.val, 8);
		w[0] = (uint16_t)(l[0] != 0);
		w[1] = (uint16_t)l[1];
		memcpy(val, w, 4);
		*len = 4;
		return 0;
	}
	case K_MILLIS: {
		int64_t tv[2];

		memcpy(tv, p.val, 16);
		v = (int32_t)(tv[0] * 1000 + tv[1] / 1000);
		break;
	}
	case K_ERROR:
		memcpy(&v, p.val, 4);
		v = v ? ws2_wsa_of_errno(v) : 0;
		break;
	case K_INT:
		memcpy(&v, p.val, 4);
		break;
	}
	/* Windows gives a BOOL option in one byte when that is all the caller's buffer has */
	n = *len < 4 ? *len : 4;
	if (n < 1)
		return ws2_fail(WSAEFAULT);
	memcpy(val, &v, (size_t)n);
	*len = n;
	return 0;
}
