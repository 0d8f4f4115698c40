/* Symbolic names for flag words and enumerations (include/decode.h). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "decode.h"
#include "util.h"

struct sym {
	uint64_t value;
	const char *name;
};

#define S(x) { (uint64_t)(x), #x }

/*
 * Flags as strace shows them: the names of the bits set, joined with '|', the
 * rest in hex; entries are matched in order, so multi-bit names come first.
 */
static void put_flags(struct tout *o, const char *key, uint64_t v, const struct sym *t, size_t n, const char *zero)
{
	char buf[512];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && v; i++) {
		if (t[i].value == 0 || (v & t[i].value) != t[i].value)
			continue;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? "|" : "", t[i].name);
		v &= ~t[i].value;
		if (len >= sizeof(buf))
			break;
	}
	if (v && len < sizeof(buf))
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%#llx", len ? "|" : "", (unsigned long long)v);
	if (len == 0)
		snprintf(buf, sizeof(buf), "%s", zero);
	tout_symbol(o, key, buf);
}

static void put_enum(struct tout *o, const char *key, uint64_t v, const struct sym *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].value == v) {
			tout_symbol(o, key, t[i].name);
			return;
		}
	tout_int(o, key, (long long)v);
}

static const struct sym open_flags[] = {
	S(O_TMPFILE), S(O_WRONLY), S(O_RDWR), S(O_CREAT), S(O_EXCL), S(O_NOCTTY), S(O_TRUNC), S(O_APPEND),
	S(O_NONBLOCK), S(O_SYNC), S(O_DSYNC), S(O_ASYNC), S(O_DIRECT), { 0x8000, "O_LARGEFILE" } /* the kernel's; glibc defines it as 0 on x86-64 */, S(O_DIRECTORY),
	S(O_NOFOLLOW), S(O_NOATIME), S(O_CLOEXEC), S(O_PATH),
};

void decode_open_flags(struct tout *o, const char *key, uint64_t v)
{
	char buf[512];
	struct strbuf sb = { 0 };
	struct tout tmp;
	const char *acc = (v & O_ACCMODE) == O_RDONLY ? "O_RDONLY" : NULL;

	/* O_RDONLY is 0: name it explicitly, then the other bits. */
	v &= 0xffffffffu;
	if (!acc || (v & ~(uint64_t)O_ACCMODE) == 0 || (v & O_TMPFILE) == O_TMPFILE) {
		put_flags(o, key, v, open_flags, ARRAY_SIZE(open_flags), "O_RDONLY");
		return;
	}
	tout_init(&tmp, &sb, FORMAT_TEXT);
	put_flags(&tmp, NULL, v, open_flags, ARRAY_SIZE(open_flags), "");
	snprintf(buf, sizeof(buf), "O_RDONLY|%s", sb.data ? sb.data : "");
	sb_free(&sb);
	tout_symbol(o, key, buf);
}

void decode_fd_flags(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym flags[] = { S(O_CLOEXEC), S(O_NONBLOCK), S(O_DIRECT) };

	put_flags(o, key, v, flags, ARRAY_SIZE(flags), "0");
}

void decode_mode(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym types[] = {
		S(S_IFSOCK), S(S_IFLNK), S(S_IFREG), S(S_IFBLK), S(S_IFDIR), S(S_IFCHR), S(S_IFIFO),
	};
	char buf[64];
	const char *type = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		if ((v & S_IFMT) == types[i].value)
			type = types[i].name;
	if (type && o->fmt == FORMAT_TEXT)
		/* strace's symbolic mode: the set-id and sticky bits by name */
		snprintf(buf, sizeof(buf), "%s%s%s%s|%#03llo", type, v & S_ISUID ? "|S_ISUID" : "", v & S_ISGID ? "|S_ISGID" : "",
			 v & S_ISVTX ? "|S_ISVTX" : "", (unsigned long long)(v & 0777));
	else if (type)
		snprintf(buf, sizeof(buf), "%s|%#llo", type, (unsigned long long)(v & ~(uint64_t)S_IFMT));
	else
		snprintf(buf, sizeof(buf), "%#llo", (unsigned long long)v);
	tout_symbol(o, key, buf);
}

void decode_at_flags(struct tout *o, const char *key, uint64_t v, bool eaccess)
{
	static const struct sym flags[] = {
		S(AT_SYMLINK_NOFOLLOW), S(AT_REMOVEDIR), S(AT_SYMLINK_FOLLOW), S(AT_NO_AUTOMOUNT), S(AT_EMPTY_PATH),
		S(AT_STATX_FORCE_SYNC), S(AT_STATX_DONT_SYNC), S(AT_RECURSIVE),
	};
	static const struct sym access_flags[] = {
		S(AT_SYMLINK_NOFOLLOW), S(AT_EACCESS), S(AT_EMPTY_PATH),
	};

	if (eaccess)
		put_flags(o, key, v, access_flags, ARRAY_SIZE(access_flags), "0");
	else
		put_flags(o, key, v, flags, ARRAY_SIZE(flags), "0");
}

void decode_access_mode(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym modes[] = { S(R_OK), S(W_OK), S(X_OK) };

	put_flags(o, key, v, modes, ARRAY_SIZE(modes), "F_OK");
}

void decode_prot(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym prot[] = {
		S(PROT_READ), S(PROT_WRITE), S(PROT_EXEC), { 0x8, "PROT_SEM" }, S(PROT_GROWSDOWN), S(PROT_GROWSUP),
	};

	put_flags(o, key, v, prot, ARRAY_SIZE(prot), "PROT_NONE");
}

void decode_mmap_flags(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym flags[] = {
		S(MAP_SHARED_VALIDATE), S(MAP_SHARED), S(MAP_PRIVATE), S(MAP_FIXED), S(MAP_ANONYMOUS), S(MAP_32BIT),
		S(MAP_GROWSDOWN), S(MAP_DENYWRITE), S(MAP_EXECUTABLE), S(MAP_LOCKED), S(MAP_NORESERVE),
		S(MAP_POPULATE), S(MAP_NONBLOCK), S(MAP_STACK), S(MAP_HUGETLB), S(MAP_SYNC), S(MAP_FIXED_NOREPLACE),
	};

	put_flags(o, key, v, flags, ARRAY_SIZE(flags), "0");
}

static const struct sym clone_flags[] = {
		S(CLONE_VM), S(CLONE_FS), S(CLONE_FILES), S(CLONE_SIGHAND), S(CLONE_PIDFD), S(CLONE_PTRACE),
		S(CLONE_VFORK), S(CLONE_PARENT), S(CLONE_THREAD), S(CLONE_NEWNS), S(CLONE_SYSVSEM), S(CLONE_SETTLS),
		S(CLONE_PARENT_SETTID), S(CLONE_CHILD_CLEARTID), S(CLONE_DETACHED), S(CLONE_UNTRACED),
		S(CLONE_CHILD_SETTID), S(CLONE_NEWCGROUP), S(CLONE_NEWUTS), S(CLONE_NEWIPC), S(CLONE_NEWUSER),
		S(CLONE_NEWPID), S(CLONE_NEWNET), S(CLONE_IO), { 0x100000000ULL, "CLONE_CLEAR_SIGHAND" },
		{ 0x200000000ULL, "CLONE_INTO_CGROUP" }, { 0x80ULL, "CLONE_NEWTIME" },
};

/* clone3's flags: the exit signal has a field of its own, so the low byte is flags too. */
void decode_clone3_flags(struct tout *o, const char *key, uint64_t v)
{
	put_flags(o, key, v, clone_flags, ARRAY_SIZE(clone_flags), "0");
}

void decode_clone_flags(struct tout *o, const char *key, uint64_t v)
{
	struct strbuf sb = { 0 };
	struct tout tmp;
	char sig[32], buf[600];
	uint64_t exit_signal = v & CSIGNAL;

	tout_init(&tmp, &sb, FORMAT_TEXT);
	put_flags(&tmp, NULL, v & ~(uint64_t)CSIGNAL, clone_flags, ARRAY_SIZE(clone_flags), "");
	/* The low byte is the signal the parent gets when the child ends. */
	if (exit_signal)
		snprintf(buf, sizeof(buf), "%s%s%s", sb.data ? sb.data : "", sb.len ? "|" : "",
			 signal_name((int)exit_signal, sig, sizeof(sig)));
	else
		snprintf(buf, sizeof(buf), "%s", sb.len ? sb.data : "0");
	sb_free(&sb);
	tout_symbol(o, key, buf);
}

void decode_sock_domain(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym domains[] = {
		S(AF_UNSPEC), S(AF_UNIX), S(AF_INET), S(AF_INET6), S(AF_NETLINK), S(AF_PACKET), S(AF_BLUETOOTH),
		S(AF_ALG), S(AF_VSOCK), S(AF_KEY), S(AF_XDP), S(AF_CAN), S(AF_TIPC),
	};

	put_enum(o, key, v, domains, ARRAY_SIZE(domains));
}

void decode_sock_type(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym types[] = {
		S(SOCK_STREAM), S(SOCK_DGRAM), S(SOCK_RAW), S(SOCK_RDM), S(SOCK_SEQPACKET), S(SOCK_DCCP), S(SOCK_PACKET),
	};
	static const struct sym flags[] = { S(SOCK_CLOEXEC), S(SOCK_NONBLOCK) }; /* strace's order */
	char buf[128];
	size_t len = 0;
	const char *name = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		if (types[i].value == (v & 0xf))
			name = types[i].name;
	len = name ? (size_t)snprintf(buf, sizeof(buf), "%s", name) : (size_t)snprintf(buf, sizeof(buf), "%#llx", (unsigned long long)(v & 0xf));
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++)
		if (v & flags[i].value)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "|%s", flags[i].name);
	v &= ~(uint64_t)(0xf | SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (v)
		snprintf(buf + len, sizeof(buf) - len, "|%#llx", (unsigned long long)v);
	tout_symbol(o, key, buf);
}

void decode_msg_flags(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym flags[] = {
		S(MSG_OOB), S(MSG_PEEK), S(MSG_DONTROUTE), S(MSG_CTRUNC), S(MSG_TRUNC), S(MSG_DONTWAIT), S(MSG_EOR),
		S(MSG_WAITALL), S(MSG_NOSIGNAL), S(MSG_MORE), S(MSG_WAITFORONE), S(MSG_CMSG_CLOEXEC), S(MSG_ZEROCOPY),
		S(MSG_FASTOPEN), S(MSG_ERRQUEUE), S(MSG_CONFIRM),
	};

	put_flags(o, key, v, flags, ARRAY_SIZE(flags), "0");
}

void decode_ioctl_cmd(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym cmds[] = {
		S(TCGETS), S(TCSETS), S(TCSETSW), S(TCSETSF), S(TCGETA), S(TCSETA), S(TCSBRK), S(TCXONC), S(TCFLSH),
		S(TIOCEXCL), S(TIOCNXCL), S(TIOCSCTTY), S(TIOCGPGRP), S(TIOCSPGRP), S(TIOCOUTQ), S(TIOCSTI),
		S(TIOCGWINSZ), S(TIOCSWINSZ), S(TIOCMGET), S(TIOCMSET), S(FIONREAD), S(TIOCLINUX), S(TIOCCONS),
		S(FIONBIO), S(TIOCNOTTY), S(TIOCSETD), S(TIOCGETD), S(TIOCGPTN), S(TIOCSPTLCK), S(TIOCGSID),
		S(FIONCLEX), S(FIOCLEX), S(FIOASYNC), S(TIOCGPTPEER), S(FICLONE), S(FICLONERANGE), S(FIDEDUPERANGE),
		S(FS_IOC_GETFLAGS), S(FS_IOC_SETFLAGS), S(FIGETBSZ), S(FIBMAP), S(BLKGETSIZE64), S(FIOQSIZE),
	};

	put_enum(o, key, v & 0xffffffffu, cmds, ARRAY_SIZE(cmds));
}

void decode_fcntl_cmd(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym cmds[] = {
		S(F_DUPFD), S(F_GETFD), S(F_SETFD), S(F_GETFL), S(F_SETFL), S(F_GETLK), S(F_SETLK), S(F_SETLKW),
		S(F_SETOWN), S(F_GETOWN), S(F_SETSIG), S(F_GETSIG), S(F_SETOWN_EX), S(F_GETOWN_EX), S(F_OFD_GETLK),
		S(F_OFD_SETLK), S(F_OFD_SETLKW), S(F_SETLEASE), S(F_GETLEASE), S(F_NOTIFY), S(F_DUPFD_CLOEXEC),
		S(F_SETPIPE_SZ), S(F_GETPIPE_SZ), S(F_ADD_SEALS), S(F_GET_SEALS),
	};

	put_enum(o, key, v, cmds, ARRAY_SIZE(cmds));
}

void decode_prctl_option(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym opts[] = {
		S(PR_SET_PDEATHSIG), S(PR_GET_PDEATHSIG), S(PR_GET_DUMPABLE), S(PR_SET_DUMPABLE), S(PR_GET_KEEPCAPS),
		S(PR_SET_KEEPCAPS), S(PR_SET_NAME), S(PR_GET_NAME), S(PR_GET_SECCOMP), S(PR_SET_SECCOMP),
		S(PR_CAPBSET_READ), S(PR_CAPBSET_DROP), S(PR_GET_TIMERSLACK), S(PR_SET_TIMERSLACK), S(PR_SET_MM),
		S(PR_SET_CHILD_SUBREAPER), S(PR_GET_CHILD_SUBREAPER), S(PR_SET_NO_NEW_PRIVS), S(PR_GET_NO_NEW_PRIVS),
		S(PR_GET_TID_ADDRESS), S(PR_SET_THP_DISABLE), S(PR_GET_THP_DISABLE), S(PR_CAP_AMBIENT), S(PR_SET_VMA),
		S(PR_SET_PTRACER),
	};

	put_enum(o, key, v, opts, ARRAY_SIZE(opts));
}

void decode_whence(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym w[] = { S(SEEK_SET), S(SEEK_CUR), S(SEEK_END), S(SEEK_DATA), S(SEEK_HOLE) };

	put_enum(o, key, v, w, ARRAY_SIZE(w));
}

void decode_wait_options(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym w[] = {
		S(WNOHANG), S(WUNTRACED), S(WEXITED), S(WCONTINUED), S(WNOWAIT), S(__WNOTHREAD), S(__WALL), S(__WCLONE),
	};

	put_flags(o, key, v, w, ARRAY_SIZE(w), "0");
}

void decode_rlimit_resource(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym r[] = {
		S(RLIMIT_CPU), S(RLIMIT_FSIZE), S(RLIMIT_DATA), S(RLIMIT_STACK), S(RLIMIT_CORE), S(RLIMIT_RSS),
		S(RLIMIT_NPROC), S(RLIMIT_NOFILE), S(RLIMIT_MEMLOCK), S(RLIMIT_AS), S(RLIMIT_LOCKS),
		S(RLIMIT_SIGPENDING), S(RLIMIT_MSGQUEUE), S(RLIMIT_NICE), S(RLIMIT_RTPRIO), S(RLIMIT_RTTIME),
	};

	put_enum(o, key, v, r, ARRAY_SIZE(r));
}

void decode_sigmask_how(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym h[] = { S(SIG_BLOCK), S(SIG_UNBLOCK), S(SIG_SETMASK) };

	put_enum(o, key, v, h, ARRAY_SIZE(h));
}

void decode_sa_flags(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym f[] = {
		S(SA_NOCLDSTOP), S(SA_NOCLDWAIT), S(SA_SIGINFO), { 0x04000000, "SA_RESTORER" }, S(SA_ONSTACK),
		S(SA_RESTART), S(SA_NODEFER), S(SA_RESETHAND),
	};

	put_flags(o, key, v, f, ARRAY_SIZE(f), "0");
}

/* A kernel sigset (64 bits, signal N is bit N-1) as a list of names. */
void decode_sigset(struct tout *o, const char *key, uint64_t set)
{
	char name[32];

	if (o->fmt == FORMAT_TEXT) {
		/* strace's form: [USR2 RTMIN RT_1], names without SIG and real-time signals by the kernel's
		 * numbering; a set with most signals in it as ~[the ones missing] */
		char buf[64 * 12 + 4];
		size_t len = 0;
		bool inverted = __builtin_popcountll(set) > 32;

		len += (size_t)snprintf(buf, sizeof(buf), "%s[", inverted ? "~" : "");
		for (int sig = 1; sig <= 64; sig++) {
			const char *n;

			if (!(set & (1ULL << (sig - 1))) != inverted)
				continue;
			if (sig < 32)
				n = signal_name(sig, name, sizeof(name)) + 3;
			else if (sig == 32)
				n = "RTMIN";
			else
				n = (snprintf(name, sizeof(name), "RT_%d", sig - 32), name);
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", buf[len - 1] == '[' ? "" : " ", n);
		}
		snprintf(buf + len, sizeof(buf) - len, "]");
		tout_symbol(o, key, buf);
		return;
	}
	tout_begin_array(o, key);
	for (int sig = 1; sig <= 64; sig++)
		if (set & (1ULL << (sig - 1)))
			tout_symbol(o, NULL, signal_name(sig, name, sizeof(name)));
	tout_end_array(o);
}

const char *signal_name(int sig, char *buf, size_t size)
{
	const char *abbrev = sig > 0 && sig < SIGRTMIN ? sigabbrev_np(sig) : NULL;

	if (abbrev)
		snprintf(buf, size, "SIG%s", abbrev);
	else if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		snprintf(buf, size, "SIGRTMIN+%d", sig - SIGRTMIN);
	else if (sig >= 32 && sig <= 64)
		snprintf(buf, size, "SIG%d", sig); /* reserved by libc for its threads */
	else
		snprintf(buf, size, "%d", sig);
	return buf;
}

void decode_signal(struct tout *o, const char *key, long sig)
{
	char buf[32];

	if (sig == 0) {
		tout_int(o, key, 0);
		return;
	}
	tout_symbol(o, key, signal_name((int)sig, buf, sizeof(buf)));
}

const char *errno_name(int err, char *buf, size_t size)
{
	/* The kernel's restart codes never reach a program, but a tracer sees them at syscall exit. */
	static const struct sym restart[] = {
		{ 512, "ERESTARTSYS" }, { 513, "ERESTARTNOINTR" }, { 514, "ERESTARTNOHAND" }, { 515, "ENOIOCTLCMD" },
		{ 516, "ERESTART_RESTARTBLOCK" },
	};
	const char *name = strerrorname_np(err);

	if (name)
		return name;
	for (size_t i = 0; i < ARRAY_SIZE(restart); i++)
		if (restart[i].value == (uint64_t)err)
			return restart[i].name;
	snprintf(buf, size, "E%d", err);
	return buf;
}

/* socket's protocol: its names depend on the domain (strace: IPPROTO_IP for 0 in AF_INET, NETLINK_ROUTE). */
void decode_sock_proto(struct tout *o, const char *key, uint64_t domain, uint64_t v)
{
	static const struct sym inet[] = {
		S(IPPROTO_IP), S(IPPROTO_ICMP), S(IPPROTO_TCP), S(IPPROTO_UDP), S(IPPROTO_IPV6), S(IPPROTO_ICMPV6),
		S(IPPROTO_RAW), S(IPPROTO_SCTP), S(IPPROTO_UDPLITE), S(IPPROTO_MPTCP),
	};
	static const struct sym netlink[] = {
		S(NETLINK_ROUTE), S(NETLINK_USERSOCK), S(NETLINK_SOCK_DIAG), S(NETLINK_NFLOG), S(NETLINK_XFRM),
		S(NETLINK_SELINUX), S(NETLINK_ISCSI), S(NETLINK_AUDIT), S(NETLINK_FIB_LOOKUP), S(NETLINK_CONNECTOR),
		S(NETLINK_NETFILTER), S(NETLINK_IP6_FW), S(NETLINK_DNRTMSG), S(NETLINK_KOBJECT_UEVENT),
		S(NETLINK_GENERIC), S(NETLINK_SCSITRANSPORT), S(NETLINK_ECRYPTFS), S(NETLINK_RDMA), S(NETLINK_CRYPTO),
	};

	if (domain == AF_INET || domain == AF_INET6)
		put_enum(o, key, v & 0xffffffffu, inet, ARRAY_SIZE(inet));
	else if (domain == AF_NETLINK)
		put_enum(o, key, v & 0xffffffffu, netlink, ARRAY_SIZE(netlink));
	else
		tout_int(o, key, (long long)(int)v);
}

void decode_clockid(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym clocks[] = {
		S(CLOCK_REALTIME), S(CLOCK_MONOTONIC), S(CLOCK_PROCESS_CPUTIME_ID), S(CLOCK_THREAD_CPUTIME_ID),
		S(CLOCK_MONOTONIC_RAW), S(CLOCK_REALTIME_COARSE), S(CLOCK_MONOTONIC_COARSE), S(CLOCK_BOOTTIME),
		S(CLOCK_REALTIME_ALARM), S(CLOCK_BOOTTIME_ALARM), S(CLOCK_TAI),
	};

	put_enum(o, key, (uint64_t)(int)v, clocks, ARRAY_SIZE(clocks));
}

void decode_timer_flags(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym f[] = { S(TIMER_ABSTIME) };

	put_flags(o, key, v & 0xffffffffu, f, ARRAY_SIZE(f), "0");
}

void decode_epoll_flags(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym f[] = { S(EPOLL_CLOEXEC) };

	put_flags(o, key, v & 0xffffffffu, f, ARRAY_SIZE(f), "0");
}

void decode_epoll_op(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym ops[] = { S(EPOLL_CTL_ADD), S(EPOLL_CTL_DEL), S(EPOLL_CTL_MOD) };

	put_enum(o, key, v & 0xffffffffu, ops, ARRAY_SIZE(ops));
}

void decode_epoll_events(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym f[] = {
		S(EPOLLIN), S(EPOLLPRI), S(EPOLLOUT), S(EPOLLERR), S(EPOLLHUP), { 0x20, "EPOLLNVAL" }, S(EPOLLRDNORM),
		S(EPOLLRDBAND), S(EPOLLWRNORM), S(EPOLLWRBAND), S(EPOLLMSG), S(EPOLLRDHUP), S(EPOLLEXCLUSIVE),
		S(EPOLLWAKEUP), S(EPOLLONESHOT), S(EPOLLET),
	};

	put_flags(o, key, v & 0xffffffffu, f, ARRAY_SIZE(f), "0");
}

void decode_poll_events(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym f[] = {
		S(POLLIN), S(POLLPRI), S(POLLOUT), S(POLLERR), S(POLLHUP), S(POLLNVAL), S(POLLRDNORM), S(POLLRDBAND),
		S(POLLWRNORM), S(POLLWRBAND), S(POLLMSG), S(POLLRDHUP),
	};

	put_flags(o, key, v & 0xffffu, f, ARRAY_SIZE(f), "0");
}

void decode_io_uring_setup_flags(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym f[] = {
		{ 1u << 0, "IORING_SETUP_IOPOLL" }, { 1u << 1, "IORING_SETUP_SQPOLL" }, { 1u << 2, "IORING_SETUP_SQ_AFF" },
		{ 1u << 3, "IORING_SETUP_CQSIZE" }, { 1u << 4, "IORING_SETUP_CLAMP" }, { 1u << 5, "IORING_SETUP_ATTACH_WQ" },
		{ 1u << 6, "IORING_SETUP_R_DISABLED" }, { 1u << 7, "IORING_SETUP_SUBMIT_ALL" },
		{ 1u << 8, "IORING_SETUP_COOP_TASKRUN" }, { 1u << 9, "IORING_SETUP_TASKRUN_FLAG" },
		{ 1u << 10, "IORING_SETUP_SQE128" }, { 1u << 11, "IORING_SETUP_CQE32" },
		{ 1u << 12, "IORING_SETUP_SINGLE_ISSUER" }, { 1u << 13, "IORING_SETUP_DEFER_TASKRUN" },
	};

	put_flags(o, key, v & 0xffffffffu, f, ARRAY_SIZE(f), "0");
}

void decode_io_uring_features(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym f[] = {
		{ 1u << 0, "IORING_FEAT_SINGLE_MMAP" }, { 1u << 1, "IORING_FEAT_NODROP" },
		{ 1u << 2, "IORING_FEAT_SUBMIT_STABLE" }, { 1u << 3, "IORING_FEAT_RW_CUR_POS" },
		{ 1u << 4, "IORING_FEAT_CUR_PERSONALITY" }, { 1u << 5, "IORING_FEAT_FAST_POLL" },
		{ 1u << 6, "IORING_FEAT_POLL_32BITS" }, { 1u << 7, "IORING_FEAT_SQPOLL_NONFIXED" },
		{ 1u << 8, "IORING_FEAT_EXT_ARG" }, { 1u << 9, "IORING_FEAT_NATIVE_WORKERS" },
		{ 1u << 10, "IORING_FEAT_RSRC_TAGS" }, { 1u << 11, "IORING_FEAT_CQE_SKIP" },
		{ 1u << 12, "IORING_FEAT_LINKED_FILE" },
	};

	put_flags(o, key, v & 0xffffffffu, f, ARRAY_SIZE(f), "0");
}

/*
 * struct termios's flag words as strace shows them: multi-bit fields by the
 * value they hold (NL0, CR0, B38400, CS8) before the single bits.
 */
static size_t field_name(char *buf, size_t size, size_t len, uint64_t *v, uint64_t mask, const struct sym *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((*v & mask) == t[i].value) {
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? "|" : "", t[i].name);
			break;
		}
	*v &= ~mask;
	return len < size ? len : size - 1;
}

static void put_fields_then_flags(struct tout *o, const char *key, char *buf, size_t size, size_t len, uint64_t v,
				  const struct sym *bits, size_t nbits)
{
	for (size_t i = 0; i < nbits && v; i++)
		if (v & bits[i].value) {
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? "|" : "", bits[i].name);
			v &= ~bits[i].value;
			if (len >= size)
				len = size - 1;
		}
	if (v)
		snprintf(buf + len, size - len, "%s%#llx", len ? "|" : "", (unsigned long long)v);
	else if (len == 0)
		snprintf(buf, size, "0");
	tout_symbol(o, key, buf);
}

void decode_termios_iflag(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym f[] = {
		S(IGNBRK), S(BRKINT), S(IGNPAR), S(PARMRK), S(INPCK), S(ISTRIP), S(INLCR), S(IGNCR), S(ICRNL),
		S(IUCLC), S(IXON), S(IXANY), S(IXOFF), S(IMAXBEL), S(IUTF8),
	};

	put_flags(o, key, v, f, ARRAY_SIZE(f), "0");
}

void decode_termios_oflag(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym nl[] = { S(NL0), S(NL1) }, cr[] = { S(CR0), S(CR1), S(CR2), S(CR3) },
				tab[] = { S(TAB0), S(TAB1), S(TAB2), S(TAB3) }, bs[] = { S(BS0), S(BS1) },
				vt[] = { S(VT0), S(VT1) }, ff[] = { S(FF0), S(FF1) };
	static const struct sym bits[] = {
		S(OPOST), S(OLCUC), S(ONLCR), S(OCRNL), S(ONOCR), S(ONLRET), S(OFILL), S(OFDEL),
	};
	char buf[256];
	size_t len = 0;

	buf[0] = '\0';
	len = field_name(buf, sizeof(buf), len, &v, NLDLY, nl, ARRAY_SIZE(nl));
	len = field_name(buf, sizeof(buf), len, &v, CRDLY, cr, ARRAY_SIZE(cr));
	len = field_name(buf, sizeof(buf), len, &v, TABDLY, tab, ARRAY_SIZE(tab));
	len = field_name(buf, sizeof(buf), len, &v, BSDLY, bs, ARRAY_SIZE(bs));
	len = field_name(buf, sizeof(buf), len, &v, VTDLY, vt, ARRAY_SIZE(vt));
	len = field_name(buf, sizeof(buf), len, &v, FFDLY, ff, ARRAY_SIZE(ff));
	put_fields_then_flags(o, key, buf, sizeof(buf), len, v, bits, ARRAY_SIZE(bits));
}

void decode_termios_cflag(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym baud[] = {
		S(B0), S(B50), S(B75), S(B110), S(B134), S(B150), S(B200), S(B300), S(B600), S(B1200), S(B1800),
		S(B2400), S(B4800), S(B9600), S(B19200), S(B38400), { 0010000, "BOTHER" } /* the kernel's; not in glibc's termios.h */, S(B57600), S(B115200), S(B230400),
		S(B460800), S(B500000), S(B576000), S(B921600), S(B1000000), S(B1152000), S(B1500000), S(B2000000),
		S(B2500000), S(B3000000), S(B3500000), S(B4000000),
	};
	static const struct sym size[] = { S(CS5), S(CS6), S(CS7), S(CS8) };
	static const struct sym bits[] = {
		S(CSTOPB), S(CREAD), S(PARENB), S(PARODD), S(HUPCL), S(CLOCAL), S(CMSPAR), S(CRTSCTS),
	};
	char buf[256];
	size_t len = 0;

	buf[0] = '\0';
	len = field_name(buf, sizeof(buf), len, &v, CBAUD, baud, ARRAY_SIZE(baud));
	len = field_name(buf, sizeof(buf), len, &v, CSIZE, size, ARRAY_SIZE(size));
	if (v & CIBAUD) { /* the input speed, when it differs from the output's */
		uint64_t in = (v & CIBAUD) >> 16; /* the kernel's IBSHIFT */

		for (size_t i = 0; i < ARRAY_SIZE(baud); i++)
			if (baud[i].value == in) {
				len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s<<IBSHIFT", len ? "|" : "", baud[i].name);
				v &= ~(uint64_t)CIBAUD;
				break;
			}
	}
	put_fields_then_flags(o, key, buf, sizeof(buf), len, v, bits, ARRAY_SIZE(bits));
}

void decode_termios_lflag(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym f[] = {
		/* strace's order, not the bits' */
		S(ISIG), S(ICANON), S(XCASE), S(ECHO), S(ECHOE), S(ECHOK), S(ECHONL), S(NOFLSH), S(IEXTEN),
		S(ECHOCTL), S(ECHOPRT), S(ECHOKE), S(FLUSHO), S(PENDIN), S(TOSTOP), S(EXTPROC),
	};

	put_flags(o, key, v, f, ARRAY_SIZE(f), "0");
}

static const struct sym statx_mask[] = {
	{ 0x7ff, "STATX_BASIC_STATS" }, { 0x1, "STATX_TYPE" }, { 0x2, "STATX_MODE" }, { 0x4, "STATX_NLINK" },
	{ 0x8, "STATX_UID" }, { 0x10, "STATX_GID" }, { 0x20, "STATX_ATIME" }, { 0x40, "STATX_MTIME" },
	{ 0x80, "STATX_CTIME" }, { 0x100, "STATX_INO" }, { 0x200, "STATX_SIZE" }, { 0x400, "STATX_BLOCKS" },
	{ 0x800, "STATX_BTIME" }, { 0x1000, "STATX_MNT_ID" }, { 0x2000, "STATX_DIOALIGN" },
};

void decode_statx_mask(struct tout *o, const char *key, uint64_t v)
{
	put_flags(o, key, v & 0xffffffffu, statx_mask, ARRAY_SIZE(statx_mask), "0");
}

void decode_statx_attributes(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym f[] = {
		{ 0x4, "STATX_ATTR_COMPRESSED" }, { 0x10, "STATX_ATTR_IMMUTABLE" }, { 0x20, "STATX_ATTR_APPEND" },
		{ 0x40, "STATX_ATTR_NODUMP" }, { 0x800, "STATX_ATTR_ENCRYPTED" }, { 0x1000, "STATX_ATTR_AUTOMOUNT" },
		{ 0x2000, "STATX_ATTR_MOUNT_ROOT" }, { 0x100000, "STATX_ATTR_VERITY" }, { 0x200000, "STATX_ATTR_DAX" },
	};

	put_flags(o, key, v, f, ARRAY_SIZE(f), "0");
}

/* statx's flags: the sync type by name (AT_STATX_SYNC_AS_STAT is 0), then the other AT_ flags. */
void decode_statx_flags(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym sync[] = {
		S(AT_STATX_SYNC_AS_STAT), S(AT_STATX_FORCE_SYNC), S(AT_STATX_DONT_SYNC),
	};
	static const struct sym flags[] = {
		S(AT_SYMLINK_NOFOLLOW), S(AT_REMOVEDIR), S(AT_SYMLINK_FOLLOW), S(AT_NO_AUTOMOUNT), S(AT_EMPTY_PATH),
		S(AT_RECURSIVE),
	};
	char buf[512];
	size_t len = 0;
	uint64_t type = v & AT_STATX_SYNC_TYPE;

	v &= 0xffffffffu & ~(uint64_t)AT_STATX_SYNC_TYPE;
	buf[0] = '\0';
	len = field_name(buf, sizeof(buf), len, &type, AT_STATX_SYNC_TYPE, sync, ARRAY_SIZE(sync));
	if (type == 0 && len == 0)
		len += (size_t)snprintf(buf, sizeof(buf), "%#llx", (unsigned long long)(v & AT_STATX_SYNC_TYPE));
	put_fields_then_flags(o, key, buf, sizeof(buf), len, v, flags, ARRAY_SIZE(flags));
}

void decode_tfd_flags(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym f[] = { { 02000000, "TFD_CLOEXEC" }, { 04000, "TFD_NONBLOCK" } };

	put_flags(o, key, v & 0xffffffffu, f, ARRAY_SIZE(f), "0");
}

void decode_tfd_settime_flags(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym f[] = { { 1, "TFD_TIMER_ABSTIME" }, { 2, "TFD_TIMER_CANCEL_ON_SET" } };

	put_flags(o, key, v & 0xffffffffu, f, ARRAY_SIZE(f), "0");
}

void decode_arch_prctl_code(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym codes[] = {
		{ 0x1001, "ARCH_SET_GS" }, { 0x1002, "ARCH_SET_FS" }, { 0x1003, "ARCH_GET_FS" }, { 0x1004, "ARCH_GET_GS" },
		{ 0x1011, "ARCH_GET_CPUID" }, { 0x1012, "ARCH_SET_CPUID" }, { 0x1021, "ARCH_GET_XCOMP_SUPP" },
		{ 0x1022, "ARCH_GET_XCOMP_PERM" }, { 0x1023, "ARCH_REQ_XCOMP_PERM" },
		{ 0x1024, "ARCH_GET_XCOMP_GUEST_PERM" }, { 0x1025, "ARCH_REQ_XCOMP_GUEST_PERM" },
		{ 0x2001, "ARCH_MAP_VDSO_X32" }, { 0x2002, "ARCH_MAP_VDSO_32" }, { 0x2003, "ARCH_MAP_VDSO_64" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(codes); i++)
		if (codes[i].value == (v & 0xffffffffu)) {
			tout_symbol(o, key, codes[i].name);
			return;
		}
	tout_hex(o, key, v);
}

void decode_getrandom_flags(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym f[] = { { 1, "GRND_NONBLOCK" }, { 2, "GRND_RANDOM" }, { 4, "GRND_INSECURE" } };

	put_flags(o, key, v & 0xffffffffu, f, ARRAY_SIZE(f), "0");
}

void decode_mremap_flags(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym f[] = { S(MREMAP_MAYMOVE), S(MREMAP_FIXED), { 4, "MREMAP_DONTUNMAP" } };

	put_flags(o, key, v, f, ARRAY_SIZE(f), "0");
}

void decode_futex_op(struct tout *o, const char *key, uint64_t v)
{
	static const char *const cmds[] = {
		"FUTEX_WAIT", "FUTEX_WAKE", "FUTEX_FD", "FUTEX_REQUEUE", "FUTEX_CMP_REQUEUE", "FUTEX_WAKE_OP",
		"FUTEX_LOCK_PI", "FUTEX_UNLOCK_PI", "FUTEX_TRYLOCK_PI", "FUTEX_WAIT_BITSET", "FUTEX_WAKE_BITSET",
		"FUTEX_WAIT_REQUEUE_PI", "FUTEX_CMP_REQUEUE_PI", "FUTEX_LOCK_PI2",
	};
	unsigned op = (unsigned)v, cmd = op & 127;
	char buf[96];

	if (cmd >= ARRAY_SIZE(cmds) || (op & ~(127u | 128u | 256u))) {
		tout_hex(o, key, op);
		return;
	}
	snprintf(buf, sizeof(buf), "%s%s%s", cmds[cmd], op & 128 ? "_PRIVATE" : "", op & 256 ? "|FUTEX_CLOCK_REALTIME" : "");
	tout_symbol(o, key, buf);
}

void decode_sock_flags(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym f[] = { S(SOCK_CLOEXEC), S(SOCK_NONBLOCK) };

	put_flags(o, key, v & 0xffffffffu, f, ARRAY_SIZE(f), "0");
}

void decode_fadvise_advice(struct tout *o, const char *key, uint64_t v)
{
	static const struct sym a[] = {
		S(POSIX_FADV_NORMAL), S(POSIX_FADV_RANDOM), S(POSIX_FADV_SEQUENTIAL), S(POSIX_FADV_WILLNEED),
		S(POSIX_FADV_DONTNEED), S(POSIX_FADV_NOREUSE),
	};

	put_enum(o, key, (uint64_t)(int)v, a, ARRAY_SIZE(a));
}
