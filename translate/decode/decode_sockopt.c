/*
 * setsockopt and getsockopt as strace shows them: the level and the option by
 * name, and an int value as [N]. Other values (structs such as linger or
 * timeval) keep their address.
 */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "decode.h"
#include "tracee.h"

struct opt_name {
	int value;
	const char *name;
};

#define N(x) { x, #x }

static const struct opt_name levels[] = {
	N(SOL_SOCKET), { IPPROTO_IP, "SOL_IP" }, { IPPROTO_TCP, "SOL_TCP" }, { IPPROTO_UDP, "SOL_UDP" },
	{ IPPROTO_IPV6, "SOL_IPV6" }, { IPPROTO_ICMPV6, "SOL_ICMPV6" }, { IPPROTO_RAW, "SOL_RAW" },
};

static const struct opt_name socket_opts[] = {
	N(SO_DEBUG), N(SO_REUSEADDR), N(SO_TYPE), N(SO_ERROR), N(SO_DONTROUTE), N(SO_BROADCAST), N(SO_SNDBUF),
	N(SO_RCVBUF), N(SO_KEEPALIVE), N(SO_OOBINLINE), N(SO_NO_CHECK), N(SO_PRIORITY), N(SO_LINGER),
	N(SO_BSDCOMPAT), N(SO_REUSEPORT), N(SO_PASSCRED), N(SO_PEERCRED), N(SO_RCVLOWAT), N(SO_SNDLOWAT),
	N(SO_RCVTIMEO_OLD), N(SO_SNDTIMEO_OLD), N(SO_BINDTODEVICE), N(SO_ATTACH_FILTER), N(SO_DETACH_FILTER),
	N(SO_PEERNAME), N(SO_TIMESTAMP_OLD), N(SO_ACCEPTCONN), N(SO_PEERSEC), N(SO_SNDBUFFORCE),
	N(SO_RCVBUFFORCE), N(SO_PASSSEC), N(SO_MARK), N(SO_PROTOCOL), N(SO_DOMAIN), N(SO_RXQ_OVFL),
	N(SO_BUSY_POLL), N(SO_INCOMING_CPU), N(SO_ZEROCOPY), N(SO_PEERGROUPS), N(SO_COOKIE),
};

static const struct opt_name tcp_opts[] = {
	N(TCP_NODELAY), N(TCP_MAXSEG), N(TCP_CORK), N(TCP_KEEPIDLE), N(TCP_KEEPINTVL), N(TCP_KEEPCNT),
	N(TCP_SYNCNT), N(TCP_LINGER2), N(TCP_DEFER_ACCEPT), N(TCP_WINDOW_CLAMP), N(TCP_INFO), N(TCP_QUICKACK),
	N(TCP_CONGESTION), N(TCP_USER_TIMEOUT), N(TCP_FASTOPEN), N(TCP_NOTSENT_LOWAT),
};

static const struct opt_name ip_opts[] = {
	N(IP_TOS), N(IP_TTL), N(IP_HDRINCL), N(IP_OPTIONS), N(IP_RECVOPTS), N(IP_PKTINFO), N(IP_MTU_DISCOVER),
	N(IP_RECVERR), N(IP_RECVTTL), N(IP_RECVTOS), N(IP_MTU), N(IP_FREEBIND), N(IP_TRANSPARENT),
	N(IP_MULTICAST_IF), N(IP_MULTICAST_TTL), N(IP_MULTICAST_LOOP), N(IP_ADD_MEMBERSHIP),
	N(IP_DROP_MEMBERSHIP), N(IP_BIND_ADDRESS_NO_PORT),
};

static const struct opt_name ipv6_opts[] = {
	N(IPV6_V6ONLY), N(IPV6_UNICAST_HOPS), N(IPV6_MULTICAST_IF), N(IPV6_MULTICAST_HOPS), N(IPV6_MULTICAST_LOOP),
	N(IPV6_RECVPKTINFO), N(IPV6_PKTINFO), N(IPV6_RECVERR), N(IPV6_MTU_DISCOVER), N(IPV6_TCLASS),
	N(IPV6_RECVTCLASS),
};

static void put_named(struct tout *o, const char *key, int v, const struct opt_name *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].value == v) {
			tout_symbol(o, key, t[i].name);
			return;
		}
	tout_int(o, key, v);
}

void decode_sockopt_level(struct tout *o, const char *key, uint64_t level)
{
	put_named(o, key, (int)level, levels, sizeof(levels) / sizeof(levels[0]));
}

void decode_sockopt_name(struct tout *o, const char *key, uint64_t level, uint64_t name)
{
	switch ((int)level) {
	case SOL_SOCKET:
		put_named(o, key, (int)name, socket_opts, sizeof(socket_opts) / sizeof(socket_opts[0]));
		return;
	case IPPROTO_TCP:
		put_named(o, key, (int)name, tcp_opts, sizeof(tcp_opts) / sizeof(tcp_opts[0]));
		return;
	case IPPROTO_IP:
		put_named(o, key, (int)name, ip_opts, sizeof(ip_opts) / sizeof(ip_opts[0]));
		return;
	case IPPROTO_IPV6:
		put_named(o, key, (int)name, ipv6_opts, sizeof(ipv6_opts) / sizeof(ipv6_opts[0]));
		return;
	default:
		tout_int(o, key, (int)name);
	}
}

/* An option's value: [N] when it is an int (len bytes), else its address. */
void decode_sockopt_value(struct tout *o, const char *key, pid_t tid, uint64_t addr, long len)
{
	int v;

	if (addr == 0) {
		tout_null(o, key);
		return;
	}
	if (len != (long)sizeof(int) || tracee_read(tid, addr, &v, sizeof(v)) < 0) {
		tout_hex(o, key, addr);
		return;
	}
	tout_begin_array(o, key);
	tout_int(o, NULL, v);
	tout_end_array(o);
}
