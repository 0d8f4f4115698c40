/* Argument decoders driven by the syscall table's kinds (include/decode.h). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "decode.h"
#include "tracee.h"
#include "util.h"

enum { MAX_ARRAY = 32 }; /* iovec and argv elements shown, like strace's -X default */
enum { MAX_ARRAY_NO_ABBREV = 4096 }; /* --no-abbrev: as many as any real argv holds */

/* ---- file descriptors ---- */

static int socket_endpoint(const struct sockaddr_storage *ss, socklen_t len, char *out, size_t size)
{
	char addr[INET6_ADDRSTRLEN];

	switch (ss->ss_family) {
	case AF_INET: {
		const struct sockaddr_in *in = (const void *)ss;
		inet_ntop(AF_INET, &in->sin_addr, addr, sizeof(addr));
		return snprintf(out, size, "%s:%u", addr, ntohs(in->sin_port));
	}
	case AF_INET6: {
		const struct sockaddr_in6 *in6 = (const void *)ss;
		inet_ntop(AF_INET6, &in6->sin6_addr, addr, sizeof(addr));
		return snprintf(out, size, "[%s]:%u", addr, ntohs(in6->sin6_port));
	}
	case AF_UNIX: {
		const struct sockaddr_un *un = (const void *)ss;
		size_t n = len > offsetof(struct sockaddr_un, sun_path) ? len - offsetof(struct sockaddr_un, sun_path) : 0;
		if (n == 0)
			return snprintf(out, size, "%s", "");
		if (un->sun_path[0] == '\0') /* abstract */
			return snprintf(out, size, "@%.*s", (int)n - 1, un->sun_path + 1);
		return snprintf(out, size, "%.*s", (int)strnlen(un->sun_path, n), un->sun_path);
	}
	default:
		return snprintf(out, size, "family %u", ss->ss_family);
	}
}

/* A socket of the tracee, seen through a copy of its fd: PROTO:[local->peer] like strace -yy. */
static int describe_socket(pid_t tid, int *pidfd, long fd, char *out, size_t size)
{
	struct sockaddr_storage local, peer;
	socklen_t llen = sizeof(local), plen = sizeof(peer), olen = sizeof(int);
	int copy, type = 0, proto = 0, domain = 0;
	char l[200], p[200];
	const char *name;

	if (*pidfd < 0)
		*pidfd = (int)syscall(SYS_pidfd_open, tid, 0);
	if (*pidfd < 0)
		return -errno;
	copy = (int)syscall(SYS_pidfd_getfd, *pidfd, (int)fd, 0);
	if (copy < 0)
		return -errno;
	getsockopt(copy, SOL_SOCKET, SO_DOMAIN, &domain, &olen);
	olen = sizeof(int);
	getsockopt(copy, SOL_SOCKET, SO_TYPE, &type, &olen);
	olen = sizeof(int);
	getsockopt(copy, SOL_SOCKET, SO_PROTOCOL, &proto, &olen);
	memset(&local, 0, sizeof(local));
	memset(&peer, 0, sizeof(peer));
	if (getsockname(copy, (struct sockaddr *)&local, &llen) < 0)
		llen = 0;
	if (getpeername(copy, (struct sockaddr *)&peer, &plen) < 0)
		plen = 0;
	close(copy);
	if (domain == AF_UNIX)
		name = type == SOCK_DGRAM ? "UNIX-DGRAM" : type == SOCK_SEQPACKET ? "UNIX-SEQPACKET" : "UNIX-STREAM";
	else if (domain == AF_INET || domain == AF_INET6)
		name = proto == IPPROTO_TCP ? (domain == AF_INET ? "TCP" : "TCPv6")
		       : proto == IPPROTO_UDP ? (domain == AF_INET ? "UDP" : "UDPv6")
					       : (domain == AF_INET ? "INET" : "INET6");
	else if (domain == AF_NETLINK)
		name = "NETLINK";
	else
		return -EAFNOSUPPORT;
	if (llen)
		socket_endpoint(&local, llen, l, sizeof(l));
	else
		l[0] = '\0';
	if (plen)
		socket_endpoint(&peer, plen, p, sizeof(p));
	else
		p[0] = '\0';
	if (p[0])
		snprintf(out, size, "%s:[%s->%s]", name, l, p);
	else
		snprintf(out, size, "%s:[%s]", name, l);
	return 0;
}

int fd_target(pid_t tid, int *pidfd, long fd, char *out, size_t size)
{
	char link[64];
	ssize_t n;

	if (fd < 0 || fd > INT_MAX)
		return -EBADF;
	snprintf(link, sizeof(link), "/proc/%d/fd/%ld", tid, fd);
	n = readlink(link, out, size - 1);
	if (n < 0)
		return -errno;
	out[n] = '\0';
	if (strncmp(out, "socket:[", 8) == 0 && pidfd) {
		char sock[PATH_MAX];

		if (describe_socket(tid, pidfd, fd, sock, sizeof(sock)) == 0)
			snprintf(out, size, "%s", sock);
	}
	return 0;
}

void decode_fd(struct tout *o, const char *key, pid_t tid, int *pidfd, long fd)
{
	char target[PATH_MAX + 64];
	int fdi = (int)fd;

	if (o->fmt == FORMAT_TEXT) {
		/* -y names the object (a socket as socket:[inode]); -yy asks the socket its endpoints too */
		if (o->fd_detail != TOUT_FD_NUMBER &&
		    fd_target(tid, o->fd_detail == TOUT_FD_PATH ? NULL : pidfd, fdi, target, sizeof(target)) == 0) {
			size_t n = strlen(target);
			char link[64], raw[64];
			ssize_t r;

			/* A socket without names (a socketpair's): its inode, as strace -yy shows it (text only:
			 * inodes differ between runs, and the JSON target is what diff compares). */
			snprintf(link, sizeof(link), "/proc/%d/fd/%d", tid, fdi);
			if (n >= 3 && strcmp(target + n - 3, ":[]") == 0 && (r = readlink(link, raw, sizeof(raw) - 1)) > 8) {
				raw[r] = '\0';
				if (strncmp(raw, "socket:[", 8) == 0)
					snprintf(target + n - 3, sizeof(target) - (n - 3), ":[%lu]", strtoul(raw + 8, NULL, 10));
			}
			char buf[sizeof(target) + 32];
			snprintf(buf, sizeof(buf), "%d<%s>", fdi, target);
			tout_symbol(o, key, buf);
		} else
			tout_int(o, key, fdi);
		return;
	}
	tout_begin_object(o, key, false);
	tout_int(o, "fd", fdi);
	if (fd_target(tid, pidfd, fdi, target, sizeof(target)) == 0)
		tout_string(o, "target", target);
	tout_end_object(o);
}

/* ---- memory ---- */

static void put_ptr(struct tout *o, const char *key, uint64_t p)
{
	if (p == 0)
		tout_null(o, key);
	else
		tout_hex(o, key, p);
}

/* Memory the tracee pointed to that cannot be read: the address, marked so (NULL stays null). */
static void put_unreadable(struct tout *o, const char *key, uint64_t addr)
{
	if (addr == 0) {
		tout_null(o, key);
		return;
	}
	if (o->fmt == FORMAT_TEXT) {
		tout_hex(o, key, addr);
		return;
	}
	tout_begin_object(o, key, false);
	tout_hex(o, "unreadable", addr);
	tout_end_object(o);
}

void decode_string_at(struct tout *o, const char *key, pid_t tid, uint64_t addr, size_t max)
{
	char buf[PATH_MAX + 1];
	ssize_t n;

	if (addr == 0) {
		tout_null(o, key);
		return;
	}
	if (max > PATH_MAX)
		max = PATH_MAX;
	n = tracee_read_string(tid, addr, buf, max + 1);
	if (n == -ENAMETOOLONG) {
		tout_bytes(o, key, buf, max, max + 1);
		return;
	}
	if (n < 0) {
		put_unreadable(o, key, addr);
		return;
	}
	tout_string(o, key, buf);
}

static void put_buffer(struct tout *o, const char *key, const struct decode_ctx *c, uint64_t addr, long len)
{
	size_t shown = len < 0 ? 0 : (size_t)len < c->strsize ? (size_t)len : c->strsize;
	char *buf;

	if ((c->entry->flags & SC_PATH_OUT) && o->fmt == FORMAT_TEXT && len > 0) /* a path is shown whole, as strace */
		shown = (size_t)len < PATH_MAX ? (size_t)len : PATH_MAX;

	if (addr == 0) {
		tout_null(o, key);
		return;
	}
	buf = xmalloc(shown + 1);
	if (shown && tracee_read(c->tid, addr, buf, shown) != (ssize_t)shown)
		put_unreadable(o, key, addr);
	else if ((c->entry->flags & SC_PATH_OUT) && o->fmt == FORMAT_TEXT) /* a path (getcwd's): to its NUL */
		tout_bytes(o, key, buf, strnlen(buf, shown), strnlen(buf, shown));
	else if (c->entry->flags & SC_RANDOM_OUT) /* random bytes: strace shows them in hex */
		tout_bytes_hex(o, key, buf, shown, len < 0 ? 0 : (size_t)len);
	else
		tout_bytes(o, key, buf, shown, len < 0 ? 0 : (size_t)len);
	free(buf);
}

static void put_argv(struct tout *o, const char *key, pid_t tid, uint64_t addr, size_t strsize)
{
	size_t max = o->no_abbrev ? MAX_ARRAY_NO_ABBREV : MAX_ARRAY;
	uint64_t *ptrs;
	size_t n = 0;

	if (addr == 0) {
		tout_null(o, key);
		return;
	}
	ptrs = xmalloc((max + 1) * sizeof(*ptrs));
	/* A pointer at a time: the array may end at the end of a mapping. */
	while (n <= max && tracee_read(tid, addr + n * 8, &ptrs[n], 8) == 8 && ptrs[n] != 0)
		n++;
	if (n == 0 && tracee_read(tid, addr, &ptrs[0], 8) != 8) {
		put_unreadable(o, key, addr);
		free(ptrs);
		return;
	}
	tout_begin_array(o, key);
	for (size_t i = 0; i < n && i < max; i++)
		decode_string_at(o, NULL, tid, ptrs[i], strsize < 256 ? 256 : strsize);
	if (n > max)
		tout_symbol(o, NULL, "...");
	tout_end_array(o);
	free(ptrs);
}

/* An environment: how many variables (their values are too long and too private to show). */
static void put_envp(struct tout *o, const char *key, pid_t tid, uint64_t addr)
{
	uint64_t p = 1;
	size_t n = 0;
	char buf[48];

	if (addr == 0) {
		tout_null(o, key);
		return;
	}
	if (o->no_abbrev) { /* asked for: the variables themselves (text, or a JSON array like argv) */
		put_argv(o, key, tid, addr, 256);
		return;
	}
	while (n < 1u << 20 && tracee_read(tid, addr + n * 8, &p, 8) == 8 && p != 0)
		n++;
	if (p != 0) {
		put_unreadable(o, key, addr);
		return;
	}
	if (o->fmt == FORMAT_TEXT) {
		snprintf(buf, sizeof(buf), "%#llx /* %zu vars */", (unsigned long long)addr, n);
		tout_symbol(o, key, buf);
		return;
	}
	tout_begin_object(o, key, false);
	tout_uint(o, "vars", n);
	tout_end_object(o);
}

static void put_timespec(struct tout *o, const char *key, pid_t tid, uint64_t addr)
{
	struct { int64_t sec, nsec; } ts;

	if (addr == 0) {
		tout_null(o, key);
		return;
	}
	if (tracee_read(tid, addr, &ts, sizeof(ts)) < 0) {
		put_unreadable(o, key, addr);
		return;
	}
	tout_begin_object(o, key, false);
	tout_int(o, "tv_sec", ts.sec);
	tout_int(o, "tv_nsec", ts.nsec);
	tout_end_object(o);
}

static void put_timeval(struct tout *o, const char *key, pid_t tid, uint64_t addr)
{
	struct { int64_t sec, usec; } tv;

	if (addr == 0 || tracee_read(tid, addr, &tv, sizeof(tv)) < 0) {
		put_unreadable(o, key, addr);
		return;
	}
	tout_begin_object(o, key, false);
	tout_int(o, "tv_sec", tv.sec);
	tout_int(o, "tv_usec", tv.usec);
	tout_end_object(o);
}

static void put_itimerspec(struct tout *o, const char *key, pid_t tid, uint64_t addr)
{
	struct { int64_t isec, insec, vsec, vnsec; } its;

	if (addr == 0 || tracee_read(tid, addr, &its, sizeof(its)) < 0) {
		put_unreadable(o, key, addr);
		return;
	}
	tout_begin_object(o, key, false);
	tout_begin_object(o, "it_interval", false);
	tout_int(o, "tv_sec", its.isec);
	tout_int(o, "tv_nsec", its.insec);
	tout_end_object(o);
	tout_begin_object(o, "it_value", false);
	tout_int(o, "tv_sec", its.vsec);
	tout_int(o, "tv_nsec", its.vnsec);
	tout_end_object(o);
	tout_end_object(o);
}

void decode_timespec_at(struct tout *o, const char *key, pid_t tid, uint64_t addr)
{
	put_timespec(o, key, tid, addr);
}

static void put_time(struct tout *o, const char *key, int64_t sec, int64_t nsec)
{
	char buf[48];

	snprintf(buf, sizeof(buf), "%lld.%09lld", (long long)sec, (long long)nsec);
	tout_symbol(o, key, buf);
}

static void put_dev(struct tout *o, const char *key, uint64_t major_, uint64_t minor_)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "makedev(%#llx, %#llx)", (unsigned long long)major_, (unsigned long long)minor_);
	tout_symbol(o, key, buf);
}

static void put_stat(struct tout *o, const char *key, pid_t tid, uint64_t addr)
{
	struct stat st;

	if (tracee_read(tid, addr, &st, sizeof(st)) < 0) {
		put_unreadable(o, key, addr);
		return;
	}
	tout_begin_object(o, key, false);
	if (o->fmt == FORMAT_TEXT && !o->no_abbrev) {
		/* strace's abbreviation (all of it with --no-abbrev, strace's -v) */
		decode_mode(o, "st_mode", st.st_mode);
		if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
			put_dev(o, "st_rdev", major(st.st_rdev), minor(st.st_rdev));
		else
			tout_int(o, "st_size", st.st_size);
		tout_symbol(o, NULL, "...");
		tout_end_object(o);
		return;
	}
	put_dev(o, "st_dev", major(st.st_dev), minor(st.st_dev));
	tout_uint(o, "st_ino", st.st_ino);
	decode_mode(o, "st_mode", st.st_mode);
	tout_uint(o, "st_nlink", st.st_nlink);
	tout_uint(o, "st_uid", st.st_uid);
	tout_uint(o, "st_gid", st.st_gid);
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		put_dev(o, "st_rdev", major(st.st_rdev), minor(st.st_rdev));
	tout_int(o, "st_size", st.st_size);
	tout_int(o, "st_blksize", st.st_blksize);
	tout_int(o, "st_blocks", st.st_blocks);
	put_time(o, "st_atime", st.st_atim.tv_sec, st.st_atim.tv_nsec);
	put_time(o, "st_mtime", st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	put_time(o, "st_ctime", st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
	tout_end_object(o);
}

static void put_statx(struct tout *o, const char *key, pid_t tid, uint64_t addr)
{
	struct statx sx;

	if (tracee_read(tid, addr, &sx, sizeof(sx)) < 0) {
		put_unreadable(o, key, addr);
		return;
	}
	tout_begin_object(o, key, false);
	if (o->fmt == FORMAT_TEXT) {
		decode_statx_mask(o, "stx_mask", sx.stx_mask);
		if (!o->no_abbrev) { /* strace's abbreviation */
			decode_statx_attributes(o, "stx_attributes", sx.stx_attributes);
			decode_mode(o, "stx_mode", sx.stx_mode);
			if (S_ISCHR(sx.stx_mode) || S_ISBLK(sx.stx_mode))
				put_dev(o, "stx_rdev", sx.stx_rdev_major, sx.stx_rdev_minor);
			else
				tout_uint(o, "stx_size", sx.stx_size);
			tout_symbol(o, NULL, "...");
			tout_end_object(o);
			return;
		}
	} else
		tout_hex(o, "stx_mask", sx.stx_mask);
	tout_uint(o, "stx_blksize", sx.stx_blksize);
	tout_hex(o, "stx_attributes", sx.stx_attributes);
	tout_uint(o, "stx_nlink", sx.stx_nlink);
	tout_uint(o, "stx_uid", sx.stx_uid);
	tout_uint(o, "stx_gid", sx.stx_gid);
	decode_mode(o, "stx_mode", sx.stx_mode);
	tout_uint(o, "stx_ino", sx.stx_ino);
	tout_uint(o, "stx_size", sx.stx_size);
	tout_uint(o, "stx_blocks", sx.stx_blocks);
	put_time(o, "stx_atime", sx.stx_atime.tv_sec, sx.stx_atime.tv_nsec);
	put_time(o, "stx_btime", sx.stx_btime.tv_sec, sx.stx_btime.tv_nsec);
	put_time(o, "stx_ctime", sx.stx_ctime.tv_sec, sx.stx_ctime.tv_nsec);
	put_time(o, "stx_mtime", sx.stx_mtime.tv_sec, sx.stx_mtime.tv_nsec);
	if (S_ISCHR(sx.stx_mode) || S_ISBLK(sx.stx_mode))
		put_dev(o, "stx_rdev", sx.stx_rdev_major, sx.stx_rdev_minor);
	put_dev(o, "stx_dev", sx.stx_dev_major, sx.stx_dev_minor);
	tout_end_object(o);
}

void decode_sockaddr(struct tout *o, const char *key, pid_t tid, uint64_t addr, long len)
{
	struct sockaddr_storage ss;
	char text[INET6_ADDRSTRLEN], expr[INET6_ADDRSTRLEN + 40];

	if (addr == 0) {
		tout_null(o, key);
		return;
	}
	if (len <= 0 || len > (long)sizeof(ss))
		len = len <= 0 ? 0 : (long)sizeof(ss);
	memset(&ss, 0, sizeof(ss));
	if (len < 2 || tracee_read(tid, addr, &ss, (size_t)len) < 0) {
		put_unreadable(o, key, addr);
		return;
	}
	tout_begin_object(o, key, false);
	decode_sock_domain(o, "sa_family", ss.ss_family);
	switch (ss.ss_family) {
	case AF_INET: {
		const struct sockaddr_in *in = (const void *)&ss;
		inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text));
		if (o->fmt == FORMAT_TEXT) { /* strace's C expressions */
			snprintf(expr, sizeof(expr), "htons(%u)", ntohs(in->sin_port));
			tout_symbol(o, "sin_port", expr);
			snprintf(expr, sizeof(expr), "inet_addr(\"%s\")", text);
			tout_symbol(o, "sin_addr", expr);
			break;
		}
		tout_uint(o, "sin_port", ntohs(in->sin_port));
		tout_string(o, "sin_addr", text);
		break;
	}
	case AF_INET6: {
		const struct sockaddr_in6 *in6 = (const void *)&ss;
		inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
		if (o->fmt == FORMAT_TEXT) {
			snprintf(expr, sizeof(expr), "htons(%u)", ntohs(in6->sin6_port));
			tout_symbol(o, "sin6_port", expr);
			snprintf(expr, sizeof(expr), "htonl(%u)", ntohl(in6->sin6_flowinfo));
			tout_symbol(o, "sin6_flowinfo", expr);
			snprintf(expr, sizeof(expr), "inet_pton(AF_INET6, \"%s\", &sin6_addr)", text);
			tout_symbol(o, NULL, expr);
			tout_uint(o, "sin6_scope_id", in6->sin6_scope_id);
			break;
		}
		tout_uint(o, "sin6_port", ntohs(in6->sin6_port));
		tout_string(o, "sin6_addr", text);
		tout_uint(o, "sin6_flowinfo", ntohl(in6->sin6_flowinfo));
		tout_uint(o, "sin6_scope_id", in6->sin6_scope_id);
		break;
	}
	case AF_UNIX: {
		const struct sockaddr_un *un = (const void *)&ss;
		size_t n = (size_t)len - offsetof(struct sockaddr_un, sun_path);
		if ((size_t)len <= offsetof(struct sockaddr_un, sun_path))
			break;
		if (un->sun_path[0] == '\0') {
			char abs[sizeof(un->sun_path) + 1];
			abs[0] = '@';
			memcpy(abs + 1, un->sun_path + 1, n - 1);
			tout_bytes(o, "sun_path", abs, n, n);
		} else
			tout_bytes(o, "sun_path", un->sun_path, strnlen(un->sun_path, n), strnlen(un->sun_path, n));
		break;
	}
	case AF_NETLINK: {
		const struct sockaddr_nl *nl = (const void *)&ss;
		tout_uint(o, "nl_pid", nl->nl_pid);
		if (o->fmt == FORMAT_TEXT) {
			snprintf(expr, sizeof(expr), "%08x", nl->nl_groups);
			tout_symbol(o, "nl_groups", expr);
		} else
			tout_hex(o, "nl_groups", nl->nl_groups);
		break;
	}
	default:
		tout_bytes(o, "sa_data", (const char *)&ss + 2, (size_t)len - 2, (size_t)len - 2);
		break;
	}
	tout_end_object(o);
}

/* iovecs: contents shown up to -s bytes each, and no more than total bytes in all (a read's result). */
static void put_iovec(struct tout *o, const char *key, const struct decode_ctx *c, uint64_t addr, uint64_t count,
		      long total)
{
	struct iovec iov[MAX_ARRAY];
	size_t n = count < MAX_ARRAY ? (size_t)count : MAX_ARRAY;

	if (addr == 0 || count > IOV_MAX || tracee_read(c->tid, addr, iov, n * sizeof(iov[0])) < 0) {
		put_unreadable(o, key, addr);
		return;
	}
	tout_begin_array(o, key);
	for (size_t i = 0; i < n; i++) {
		long len = (long)iov[i].iov_len;

		if (total >= 0 && len > total)
			len = total;
		tout_begin_object(o, NULL, false);
		put_buffer(o, "iov_base", c, (uint64_t)(uintptr_t)iov[i].iov_base, len);
		tout_uint(o, "iov_len", iov[i].iov_len);
		tout_end_object(o);
		if (total >= 0)
			total -= len;
	}
	if (count > MAX_ARRAY)
		tout_symbol(o, NULL, "...");
	tout_end_array(o);
}

static void put_msghdr(struct tout *o, const char *key, const struct decode_ctx *c, uint64_t addr, long total)
{
	struct msghdr m;

	if (addr == 0 || tracee_read(c->tid, addr, &m, sizeof(m)) < 0) {
		put_unreadable(o, key, addr);
		return;
	}
	tout_begin_object(o, key, false);
	decode_sockaddr(o, "msg_name", c->tid, (uint64_t)(uintptr_t)m.msg_name, (long)m.msg_namelen);
	tout_uint(o, "msg_namelen", m.msg_namelen);
	put_iovec(o, "msg_iov", c, (uint64_t)(uintptr_t)m.msg_iov, m.msg_iovlen, total);
	tout_uint(o, "msg_iovlen", m.msg_iovlen);
	if (m.msg_control && m.msg_controllen) /* strace leaves an empty one out */
		decode_cmsgs(o, "msg_control", c->tid, (uint64_t)(uintptr_t)m.msg_control, m.msg_controllen);
	tout_uint(o, "msg_controllen", m.msg_controllen);
	decode_msg_flags(o, "msg_flags", (unsigned)m.msg_flags);
	tout_end_object(o);
}

static void put_rlim_value(struct tout *o, const char *key, uint64_t v)
{
	char buf[32];

	if (o->fmt == FORMAT_TEXT && v == (uint64_t)RLIM_INFINITY)
		tout_symbol(o, key, "RLIM64_INFINITY"); /* strace's names on x86-64 */
	else if (v == (uint64_t)RLIM_INFINITY)
		tout_symbol(o, key, "RLIM_INFINITY");
	else if (o->fmt == FORMAT_TEXT && v > 1024 && v % 1024 == 0) {
		snprintf(buf, sizeof(buf), "%llu*1024", (unsigned long long)(v / 1024));
		tout_symbol(o, key, buf);
	} else
		tout_uint(o, key, v);
}

static void put_rlimit(struct tout *o, const char *key, pid_t tid, uint64_t addr)
{
	struct { uint64_t cur, max; } r;

	if (addr == 0 || tracee_read(tid, addr, &r, sizeof(r)) < 0) {
		put_unreadable(o, key, addr);
		return;
	}
	tout_begin_object(o, key, false);
	put_rlim_value(o, "rlim_cur", r.cur);
	put_rlim_value(o, "rlim_max", r.max);
	tout_end_object(o);
}

static void put_sigaction(struct tout *o, const char *key, pid_t tid, uint64_t addr)
{
	struct arch_kernel_sigaction sa; /* the kernel's layout, not libc's */

	if (addr == 0 || tracee_read(tid, addr, &sa, sizeof(sa)) < 0) {
		put_unreadable(o, key, addr);
		return;
	}
	tout_begin_object(o, key, false);
	if (sa.handler == 0)
		tout_symbol(o, "sa_handler", "SIG_DFL");
	else if (sa.handler == 1)
		tout_symbol(o, "sa_handler", "SIG_IGN");
	else
		tout_hex(o, "sa_handler", sa.handler);
	decode_sigset(o, "sa_mask", sa.mask);
	decode_sa_flags(o, "sa_flags", sa.flags);
	if (sa.flags & 0x04000000)
		tout_hex(o, "sa_restorer", sa.restorer);
	tout_end_object(o);
}

static void put_sigset_at(struct tout *o, const char *key, pid_t tid, uint64_t addr)
{
	uint64_t set;

	if (addr == 0 || tracee_read(tid, addr, &set, sizeof(set)) < 0) {
		put_unreadable(o, key, addr);
		return;
	}
	decode_sigset(o, key, set);
}

void decode_wait_status(struct tout *o, const char *key, int s)
{
	char sig[32], text[96];

	if (o->fmt == FORMAT_TEXT) { /* strace's form: the C test that holds */
		if (WIFEXITED(s))
			snprintf(text, sizeof(text), "[{WIFEXITED(s) && WEXITSTATUS(s) == %d}]", WEXITSTATUS(s));
		else if (WIFSIGNALED(s))
			snprintf(text, sizeof(text), "[{WIFSIGNALED(s) && WTERMSIG(s) == %s%s}]",
				 signal_name(WTERMSIG(s), sig, sizeof(sig)), WCOREDUMP(s) ? " && WCOREDUMP(s)" : "");
		else if (WIFSTOPPED(s))
			snprintf(text, sizeof(text), "[{WIFSTOPPED(s) && WSTOPSIG(s) == %s}]",
				 signal_name(WSTOPSIG(s), sig, sizeof(sig)));
		else if (WIFCONTINUED(s))
			snprintf(text, sizeof(text), "[{WIFCONTINUED(s)}]");
		else
			snprintf(text, sizeof(text), "[%#x]", (unsigned)s);
		tout_symbol(o, key, text);
		return;
	}
	tout_begin_object(o, key, false);
	if (WIFEXITED(s))
		tout_int(o, "exited", WEXITSTATUS(s));
	else if (WIFSIGNALED(s)) {
		tout_symbol(o, "signaled", signal_name(WTERMSIG(s), sig, sizeof(sig)));
		if (WCOREDUMP(s))
			tout_bool(o, "core", true);
	} else if (WIFSTOPPED(s))
		tout_symbol(o, "stopped", signal_name(WSTOPSIG(s), sig, sizeof(sig)));
	else if (WIFCONTINUED(s))
		tout_bool(o, "continued", true);
	tout_end_object(o);
}

static void put_int_at(struct tout *o, const char *key, pid_t tid, uint64_t addr)
{
	int v;

	if (addr == 0 || tracee_read(tid, addr, &v, sizeof(v)) < 0)
		put_unreadable(o, key, addr);
	else if (o->fmt == FORMAT_TEXT) { /* strace's [N] for a value behind a pointer */
		tout_begin_array(o, key);
		tout_int(o, NULL, v);
		tout_end_array(o);
	} else
		tout_int(o, key, v);
}

static void put_clone_args(struct tout *o, const char *key, const struct decode_ctx *c, uint64_t addr, uint64_t size)
{
	/* struct clone_args (linux/sched.h): a prefix of it, as long as size says */
	uint64_t a[11] = { 0 };
	static const char *const names[] = { "flags", "pidfd", "child_tid", "parent_tid", "exit_signal", "stack",
					     "stack_size", "tls", "set_tid", "set_tid_size", "cgroup" };
	size_t n = size / 8 < 11 ? (size_t)(size / 8) : 11;

	if (addr == 0 || n < 8 || tracee_read(c->tid, addr, a, n * 8) < 0) {
		put_unreadable(o, key, addr);
		return;
	}
	tout_begin_object(o, key, false);
	decode_clone3_flags(o, names[0], a[0]);
	for (size_t i = 1; i < n; i++) {
		if (i == 4)
			decode_signal(o, names[i], (long)a[i]);
		else if (i == 6 || i == 9)
			tout_uint(o, names[i], a[i]);
		else if (i == 10 && (a[0] & 0x200000000ULL)) /* CLONE_INTO_CGROUP: a cgroup directory fd */
			decode_fd(o, names[i], c->tid, c->pidfd, (long)(int)a[i]);
		else if (i == 10)
			tout_uint(o, names[i], a[i]);
		else if (a[i] == 0)
			tout_null(o, names[i]);
		else
			tout_hex(o, names[i], a[i]);
	}
	tout_end_object(o);
}

static void put_open_how(struct tout *o, const char *key, const struct decode_ctx *c, uint64_t addr, uint64_t size)
{
	static const struct { uint64_t bit; const char *name; } resolve[] = {
		{ 0x01, "RESOLVE_NO_XDEV" }, { 0x02, "RESOLVE_NO_MAGICLINKS" }, { 0x04, "RESOLVE_NO_SYMLINKS" },
		{ 0x08, "RESOLVE_BENEATH" }, { 0x10, "RESOLVE_IN_ROOT" }, { 0x20, "RESOLVE_CACHED" },
	};
	uint64_t how[3];
	char buf[200];
	size_t len = 0;

	if (addr == 0 || size < sizeof(how) || tracee_read(c->tid, addr, how, sizeof(how)) < 0) {
		put_unreadable(o, key, addr);
		return;
	}
	tout_begin_object(o, key, false);
	decode_open_flags(o, "flags", how[0]);
	decode_mode(o, "mode", how[1]);
	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(resolve); i++)
		if (how[2] & resolve[i].bit) {
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? "|" : "", resolve[i].name);
			how[2] &= ~resolve[i].bit;
		}
	if (how[2] || len == 0)
		snprintf(buf + len, sizeof(buf) - len, "%s%#llx", len ? "|" : "", (unsigned long long)how[2]);
	tout_symbol(o, "resolve", buf);
	tout_end_object(o);
}

/* ---- dispatch ---- */

/* The number of records a getdents call returned, counted in a copy of its buffer (no more than 64 KiB read). */
static void text_dirent_count(struct tout *o, const struct decode_ctx *c, uint64_t addr)
{
	size_t len = (size_t)c->ret < 65536 ? (size_t)c->ret : 65536, off = 0, n = 0;
	/* d_reclen's place: after d_ino and d_off, both 8 bytes in linux_dirent64 and 8 in linux_dirent on x86-64 */
	const size_t reclen_at = 16;
	unsigned char *buf = xmalloc(len + 1);

	if (len == 0 || tracee_read(c->tid, addr, buf, len) == (ssize_t)len) {
		while (off + reclen_at + 2 <= len) {
			unsigned short reclen;

			memcpy(&reclen, buf + off + reclen_at, sizeof(reclen));
			if (reclen == 0 || reclen > len - off)
				break;
			n++;
			off += reclen;
		}
		sb_printf(o->b, " /* %zu entries */", n);
	}
	free(buf);
}

static void decode_one(struct tout *o, const struct decode_ctx *c, int i, const char *key)
{
	struct syscall_arg arg = { c->entry->args[i].kind, key ? key : c->entry->args[i].name };
	const struct syscall_arg *a = &arg;
	uint64_t v = c->args[i], next = i < 5 ? c->args[i + 1] : 0;
	bool ok = c->at_exit && c->ret >= 0; /* *_OUT memory holds something */

	switch ((enum arg_kind)a->kind) {
	case K_NONE:
	case K_KIND_COUNT:
		break;
	case K_LONG:
		tout_int(o, a->name, (long long)v);
		return;
	case K_INT:
	case K_PID:
	case K_PGID:
	case K_PRIO_WHICH:
	case K_IOPRIO_WHICH:
		tout_int(o, a->name, (long long)(int)v);
		return;
	case K_UINT:
	case K_SIZE:
		tout_uint(o, a->name, v);
		return;
	case K_HEX:
	case K_INOTIFY_MASK:
	case K_FANOTIFY_FLAGS:
		tout_hex(o, a->name, v);
		return;
	case K_PTR:
		put_ptr(o, a->name, v);
		if ((c->entry->flags & SC_DIRENTS) && ok && v && o->fmt == FORMAT_TEXT)
			text_dirent_count(o, c, v); /* strace counts the records of a directory listing */
		return;
	case K_FD:
	case K_FD_CLOSED:
	case K_PIDFD:
		decode_fd(o, a->name, c->tid, c->pidfd, (long)(int)v);
		return;
	case K_DIRFD:
		if ((int)v == AT_FDCWD)
			tout_symbol(o, a->name, "AT_FDCWD");
		else
			decode_fd(o, a->name, c->tid, c->pidfd, (long)(int)v);
		return;
	case K_PATH:
		decode_string_at(o, a->name, c->tid, v, PATH_MAX);
		return;
	case K_STR:
		decode_string_at(o, a->name, c->tid, v, c->strsize);
		return;
	case K_ARGV:
		put_argv(o, a->name, c->tid, v, c->strsize);
		return;
	case K_ENVP:
		put_envp(o, a->name, c->tid, v);
		return;
	case K_BUF_IN:
		put_buffer(o, a->name, c, v, (long)next);
		return;
	case K_BUF_OUT:
		if (ok)
			put_buffer(o, a->name, c, v, c->ret);
		else
			put_ptr(o, a->name, v);
		return;
	case K_IOV_IN:
		put_iovec(o, a->name, c, v, next, -1);
		return;
	case K_IOV_OUT:
		if (ok)
			put_iovec(o, a->name, c, v, next, c->ret);
		else
			put_ptr(o, a->name, v);
		return;
	case K_MSGHDR_IN:
		put_msghdr(o, a->name, c, v, -1);
		return;
	case K_MSGHDR_OUT:
		if (ok)
			put_msghdr(o, a->name, c, v, c->ret);
		else
			put_ptr(o, a->name, v);
		return;
	case K_SOCKADDR_IN:
		decode_sockaddr(o, a->name, c->tid, v, (long)(int)next);
		return;
	case K_SOCKADDR_OUT: {
		int len = 0;
		if (ok && v && tracee_read(c->tid, next, &len, sizeof(len)) == sizeof(len))
			decode_sockaddr(o, a->name, c->tid, v, len);
		else
			put_ptr(o, a->name, v);
		return;
	}
	case K_INT_PTR:
		put_int_at(o, a->name, c->tid, v);
		return;
	case K_STAT_OUT:
		if (ok && v)
			put_stat(o, a->name, c->tid, v);
		else
			put_ptr(o, a->name, v);
		return;
	case K_STATX_OUT:
		if (ok && v)
			put_statx(o, a->name, c->tid, v);
		else
			put_ptr(o, a->name, v);
		return;
	case K_TIMESPEC_IN:
	case K_TIMESPEC_LEFT:
		put_timespec(o, a->name, c->tid, v);
		return;
	case K_TIMESPEC_OUT:
		if (ok || (c->at_exit && c->ret == -EINTR)) /* nanosleep leaves the remainder on EINTR */
			put_timespec(o, a->name, c->tid, v);
		else
			put_ptr(o, a->name, v);
		return;
	case K_RLIMIT_IN:
		put_rlimit(o, a->name, c->tid, v);
		return;
	case K_RLIMIT_OUT:
		if (ok)
			put_rlimit(o, a->name, c->tid, v);
		else
			put_ptr(o, a->name, v);
		return;
	case K_RLIMIT_RESOURCE:
		decode_rlimit_resource(o, a->name, v);
		return;
	case K_SIGACTION_IN:
		put_sigaction(o, a->name, c->tid, v);
		return;
	case K_SIGACTION_OUT:
		if (ok)
			put_sigaction(o, a->name, c->tid, v);
		else
			put_ptr(o, a->name, v);
		return;
	case K_SIGSET_IN:
		put_sigset_at(o, a->name, c->tid, v);
		return;
	case K_SIGSET_OUT:
		if (ok)
			put_sigset_at(o, a->name, c->tid, v);
		else
			put_ptr(o, a->name, v);
		return;
	case K_SIGMASK_HOW:
		decode_sigmask_how(o, a->name, v);
		return;
	case K_PIPEFDS: {
		int fds[2];
		if (ok && tracee_read(c->tid, v, fds, sizeof(fds)) == sizeof(fds)) {
			tout_begin_array(o, a->name);
			decode_fd(o, NULL, c->tid, c->pidfd, fds[0]);
			decode_fd(o, NULL, c->tid, c->pidfd, fds[1]);
			tout_end_array(o);
		} else
			put_ptr(o, a->name, v);
		return;
	}
	case K_WSTATUS_OUT: {
		int s;
		if (ok && c->ret > 0 && v && tracee_read(c->tid, v, &s, sizeof(s)) == sizeof(s))
			decode_wait_status(o, a->name, s);
		else
			put_ptr(o, a->name, v);
		return;
	}
	case K_OPEN_FLAGS:
		decode_open_flags(o, a->name, v);
		return;
	case K_CLONE_ARGS:
		put_clone_args(o, a->name, c, v, next);
		return;
	case K_OPEN_HOW:
		put_open_how(o, a->name, c, v, next);
		return;
	case K_FD_FLAGS:
		decode_fd_flags(o, a->name, v & 0xffffffffu);
		return;
	case K_MODE:
		decode_mode(o, a->name, v & 0xffffffffu);
		return;
	case K_AT_FLAGS:
		if (syscall_kind_arg(c->entry, K_STATX_MASK) >= 0) { /* statx: its sync type named first */
			decode_statx_flags(o, a->name, v);
			return;
		}
		/* Next to an access mode (faccessat2), 0x200 is AT_EACCESS rather than AT_REMOVEDIR. */
		decode_at_flags(o, a->name, v & 0xffffffffu, syscall_kind_arg(c->entry, K_ACCESS_MODE) >= 0);
		return;
	case K_ACCESS_MODE:
		decode_access_mode(o, a->name, v & 0xffffffffu);
		return;
	case K_PROT:
		decode_prot(o, a->name, v);
		return;
	case K_MMAP_FLAGS:
		decode_mmap_flags(o, a->name, v);
		return;
	case K_CLONE_FLAGS:
		decode_clone_flags(o, a->name, v);
		return;
	case K_SIGNUM:
		decode_signal(o, a->name, (long)(int)v);
		return;
	case K_SOCK_DOMAIN:
		decode_sock_domain(o, a->name, v & 0xffffffffu);
		return;
	case K_SOCK_TYPE:
		decode_sock_type(o, a->name, v & 0xffffffffu);
		return;
	case K_MSG_FLAGS:
		decode_msg_flags(o, a->name, v & 0xffffffffu);
		return;
	case K_IOCTL_CMD:
		decode_ioctl_cmd(o, a->name, v);
		return;
	case K_FCNTL_CMD:
		decode_fcntl_cmd(o, a->name, v & 0xffffffffu);
		return;
	case K_PRCTL_OPTION:
		decode_prctl_option(o, a->name, v & 0xffffffffu);
		return;
	case K_SOCK_PROTO:
		decode_sock_proto(o, a->name, i >= 2 ? c->args[i - 2] : 0, v);
		return;
	case K_CLOCKID:
		decode_clockid(o, a->name, v);
		return;
	case K_TIMER_FLAGS:
		decode_timer_flags(o, a->name, v);
		return;
	case K_EPOLL_FLAGS:
		decode_epoll_flags(o, a->name, v);
		return;
	case K_EPOLL_OP:
		decode_epoll_op(o, a->name, v);
		return;
	case K_EPOLL_EVENT:
		decode_epoll_event_at(o, a->name, c->tid, v);
		return;
	case K_EPOLL_EVENTS_OUT:
		if (ok)
			decode_epoll_event_array(o, a->name, c->tid, v, c->ret);
		else
			put_ptr(o, a->name, v);
		return;
	case K_POLLFDS:
		/* the events asked; JSON adds each fd's revents once the call has returned them */
		decode_pollfds(o, a->name, c->tid, v, next, ok && o->fmt != FORMAT_TEXT);
		return;
	case K_FCNTL_ARG:
	case K_IOCTL_ARG:
	case K_PRCTL_ARG:
		decode_command_arg(o, c, i, a->name);
		return;
	case K_SOCKOPT_LEVEL:
		decode_sockopt_level(o, a->name, v);
		return;
	case K_SOCKOPT_NAME:
		decode_sockopt_name(o, a->name, i > 0 ? c->args[i - 1] : 0, v);
		return;
	case K_SOCKOPT_IN:
		decode_sockopt_value(o, a->name, c->tid, v, (long)(int)next);
		return;
	case K_SOCKOPT_OUT: {
		int len = 0;

		if (ok && v && next && tracee_read(c->tid, next, &len, sizeof(len)) == sizeof(len))
			decode_sockopt_value(o, a->name, c->tid, v, len);
		else
			put_ptr(o, a->name, v);
		return;
	}
	case K_TFD_FLAGS:
		decode_tfd_flags(o, a->name, v);
		return;
	case K_TFD_SETTIME_FLAGS:
		decode_tfd_settime_flags(o, a->name, v);
		return;
	case K_ITIMERSPEC_IN:
		put_itimerspec(o, a->name, c->tid, v);
		return;
	case K_ITIMERSPEC_OUT:
		if (ok)
			put_itimerspec(o, a->name, c->tid, v);
		else
			put_ptr(o, a->name, v);
		return;
	case K_TIMEVAL_LEFT:
		put_timeval(o, a->name, c->tid, v);
		return;
	case K_FDSET:
		decode_fdset(o, a->name, c->tid, v, (long)(int)c->args[0]);
		return;
	case K_ARCH_PRCTL_CODE:
		decode_arch_prctl_code(o, a->name, v);
		return;
	case K_GETRANDOM_FLAGS:
		decode_getrandom_flags(o, a->name, v);
		return;
	case K_MREMAP_FLAGS:
		decode_mremap_flags(o, a->name, v);
		return;
	case K_MREMAP_ADDR:
		put_ptr(o, a->name, v);
		return;
	case K_SOCK_FLAGS:
		decode_sock_flags(o, a->name, v);
		return;
	case K_FADVISE_ADVICE:
		decode_fadvise_advice(o, a->name, v);
		return;
	case K_FUTEX_OP:
		decode_futex_op(o, a->name, v);
		return;
	case K_FUTEX_ARG:
		decode_command_arg(o, c, i, a->name);
		return;
	case K_STATX_MASK:
		decode_statx_mask(o, a->name, v);
		return;
	case K_IO_URING_PARAMS:
		if (ok)
			decode_io_uring_params(o, a->name, c->tid, v);
		else
			put_ptr(o, a->name, v);
		return;
	case K_WHENCE:
		decode_whence(o, a->name, v & 0xffffffffu);
		return;
	case K_WAIT_OPTIONS:
		decode_wait_options(o, a->name, v & 0xffffffffu);
		return;
	}
	tout_hex(o, a->name, v);
}

void decode_arg(struct tout *o, const struct decode_ctx *c, int i, const char *key)
{
	decode_one(o, c, i, key);
}

void decode_args(struct tout *o, const struct decode_ctx *c)
{
	int n = syscall_nargs(c->entry);

	tout_begin_object(o, "args", true);
	if (n == 0 && c->abi == ABI_I386) {
		/* The i386 table has no kinds: show the registers. */
		char name[8];
		for (int i = 0; i < 6; i++) {
			snprintf(name, sizeof(name), "arg%d", i);
			tout_hex(o, name, c->args[i]);
		}
	}
	for (int i = 0; i < n; i++) {
		/* The mode of an open means something only when it creates (strace leaves it out too). */
		if (c->entry->args[i].kind == K_MODE && i > 0 && c->entry->args[i - 1].kind == K_OPEN_FLAGS &&
		    !(c->args[i - 1] & O_CREAT) && (c->args[i - 1] & O_TMPFILE) != O_TMPFILE) /* O_TMPFILE holds O_DIRECTORY */
			continue;
		/* fcntl F_GETFD, ioctl FIOCLEX, prctl PR_GET_DUMPABLE: no such argument (strace leaves it out too) */
		if (!decode_command_arg_shown(c, i))
			continue;
		decode_one(o, c, i, NULL);
	}
	tout_end_object(o);
}

void decode_record_args(struct tout *o, void *record)
{
	const struct decode_record *r = record;

	if (!r->entry_args_len)
		decode_args(o, &r->d);
	else if (o->fmt == FORMAT_TEXT)
		sb_put(o->b, r->entry_args + 2, r->entry_args_len - 2); /* the text form: drop the ", " */
	else
		sb_put(o->b, r->entry_args, r->entry_args_len);
}

void decode_record_result(struct tout *o, void *record)
{
	const struct decode_record *r = record;

	decode_return(o, &r->d);
	if (r->created >= 0 && o->fmt != FORMAT_TEXT)
		tout_bool(o, "created", r->created);
}

/* select's and pselect6's " (in [4], out [5], left {...})": the ready fds, the time left. */
static void text_select_result(struct tout *o, const struct decode_ctx *c)
{
	static const char *const names[] = { "in", "out", "except" };
	const char *sep = " (";
	struct tout t;

	for (int i = 1; i <= 3; i++) {
		struct strbuf set = { 0 };

		if (!c->args[i])
			continue;
		tout_init(&t, &set, FORMAT_TEXT);
		decode_fdset(&t, NULL, c->tid, c->args[i], (long)(int)c->args[0]);
		if (set.data && strcmp(set.data, "[]") != 0) { /* a set the kernel left empty is not shown */
			sb_printf(o->b, "%s%s %s", sep, names[i - 1], set.data);
			sep = ", ";
		}
		sb_free(&set);
	}
	if (c->args[4]) {
		tout_init(&t, o->b, FORMAT_TEXT);
		sb_printf(o->b, "%sleft ", sep);
		sep = ", ";
		if (c->entry->args[4].kind == K_TIMEVAL_LEFT)
			put_timeval(&t, NULL, c->tid, c->args[4]);
		else
			put_timespec(&t, NULL, c->tid, c->args[4]);
	}
	if (strcmp(sep, ", ") == 0)
		sb_putc(o->b, ')');
}

/* Text: what follows " = " in an strace-like line. */
static void text_return(struct tout *o, const struct decode_ctx *c)
{
	char err[32];

	if (c->ret < 0 && c->ret >= -4095)
		sb_printf(o->b, "-1 %s (%s)", errno_name((int)-c->ret, err, sizeof(err)), strerror((int)-c->ret));
	else if (decode_command_return(o, c))
		return;
	else if (c->entry->ret == R_PTR)
		sb_printf(o->b, "%#lx", c->ret);
	else if (c->entry->ret == R_FD)
		decode_fd(o, NULL, c->tid, c->pidfd, c->ret);
	else
		sb_printf(o->b, "%ld", c->ret);
	if (c->ret == 0 && (c->entry->args[0].kind == K_POLLFDS || c->entry->args[1].kind == K_FDSET))
		sb_puts(o->b, " (Timeout)");
	if (c->ret > 0 && c->entry->args[1].kind == K_FDSET)
		text_select_result(o, c);
	if (c->ret > 0 && c->entry->args[0].kind == K_POLLFDS) {
		/* strace's " ([{fd=N, revents=...}], left {...})": the fds the kernel answered for, the time left */
		struct tout t;

		tout_init(&t, o->b, FORMAT_TEXT);
		sb_puts(o->b, " (");
		decode_pollfds(&t, NULL, c->tid, c->args[0], c->args[1], true);
		if (c->entry->args[2].kind == K_TIMESPEC_LEFT && c->args[2]) {
			tout_init(&t, o->b, FORMAT_TEXT);
			sb_puts(o->b, ", left ");
			put_timespec(&t, NULL, c->tid, c->args[2]);
		}
		sb_putc(o->b, ')');
	}
}

void decode_return(struct tout *o, const struct decode_ctx *c)
{
	char buf[32];

	if (o->fmt == FORMAT_TEXT) {
		text_return(o, c);
		return;
	}
	if (c->ret < 0 && c->ret >= -4095) {
		tout_int(o, "ret", -1);
		tout_symbol(o, "err", errno_name((int)-c->ret, buf, sizeof(buf)));
		return;
	}
	switch ((enum ret_kind)c->entry->ret) {
	case R_PTR:
		tout_hex(o, "ret", (uint64_t)c->ret);
		return;
	case R_FD: {
		char target[PATH_MAX + 64];
		tout_int(o, "ret", c->ret);
		if (fd_target(c->tid, c->pidfd, c->ret, target, sizeof(target)) == 0)
			tout_string(o, "ret_target", target);
		return;
	}
	case R_INT:
	case R_PID:
	case R_NONE:
		break;
	}
	tout_int(o, "ret", c->ret);
}
