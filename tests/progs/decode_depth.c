/*
 * Makes a representative set of calls whose arguments are structures or flag
 * words, for comparing picovisor's decoding with strace's on the same run
 * (tests/e2e/decode_depth_tests.py). Each call's arguments are fixed so the
 * two decodings can be compared line by line. Run in a scratch directory.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/io_uring.h>
#include <linux/netlink.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static void handler(int sig)
{
	(void)sig;
}

static void stats(void)
{
	struct stat st;
	struct statx stx;
	int fd = open("f.txt", O_RDWR | O_CREAT | O_TRUNC, 0640);

	if (fd < 0)
		exit(2);
	if (write(fd, "hello\n", 6) != 6)
		exit(2);
	syscall(SYS_stat, "f.txt", &st);
	syscall(SYS_fstat, fd, &st);
	syscall(SYS_newfstatat, AT_FDCWD, "f.txt", &st, AT_SYMLINK_NOFOLLOW);
	syscall(SYS_statx, AT_FDCWD, "f.txt", AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS, &stx);
	syscall(SYS_fcntl, fd, F_GETFD);
	syscall(SYS_fcntl, fd, F_SETFD, FD_CLOEXEC);
	syscall(SYS_fcntl, fd, F_GETFL);
	syscall(SYS_fcntl, fd, F_SETFL, O_NONBLOCK | O_APPEND);
	syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 10);
	close(fd);
}

static void sockaddrs(void)
{
	struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(9)};
	struct sockaddr_in6 in6 = {.sin6_family = AF_INET6, .sin6_port = htons(9), .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	struct sockaddr_nl nl = {.nl_family = AF_NETLINK};
	int s;

	inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	syscall(SYS_connect, s, &in, sizeof(in));
	close(s);
	s = socket(AF_INET6, SOCK_DGRAM, 0);
	syscall(SYS_connect, s, &in6, sizeof(in6));
	close(s);
	strcpy(un.sun_path, "sock");
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	syscall(SYS_bind, s, &un, sizeof(un));
	close(s);
	s = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	syscall(SYS_bind, s, &nl, sizeof(nl));
	close(s);
}

static void messages(void)
{
	int sv[2], fds[1];
	char a[] = "abc", b[] = "defg", in[16], cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov[2] = {{a, 3}, {b, 4}}, riov = {in, sizeof(in)};
	struct msghdr m = {.msg_iov = iov, .msg_iovlen = 2, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *cm;

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) < 0)
		exit(2);
	memset(cbuf, 0, sizeof(cbuf));
	cm = CMSG_FIRSTHDR(&m);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	fds[0] = 0;
	memcpy(CMSG_DATA(cm), fds, sizeof(int));
	syscall(SYS_sendmsg, sv[0], &m, MSG_DONTWAIT);
	memset(&m, 0, sizeof(m));
	m.msg_iov = &riov;
	m.msg_iovlen = 1;
	syscall(SYS_recvmsg, sv[1], &m, 0);
	close(sv[0]);
	close(sv[1]);
}

static void events(void)
{
	int ep = epoll_create1(EPOLL_CLOEXEC), p[2];
	struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u64 = 7}, out[2];
	struct pollfd pf[2];
	struct timespec ts = {0, 1000}, rq = {0, 1000};

	if (ep < 0 || pipe(p) < 0)
		exit(2);
	if (write(p[1], "x", 1) != 1)
		exit(2);
	syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, p[0], &ev);
	syscall(SYS_epoll_wait, ep, out, 2, 0);
	pf[0] = (struct pollfd){.fd = p[0], .events = POLLIN};
	pf[1] = (struct pollfd){.fd = p[1], .events = POLLOUT};
	syscall(SYS_poll, pf, 2, 0);
	syscall(SYS_ppoll, pf, 2, &ts, NULL, 8);
	syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &rq, NULL);
	close(ep);
	close(p[0]);
	close(p[1]);
}

static void ioctls(void)
{
	int master, slave, s, n = 0, on = 1;
	struct termios t;
	struct winsize ws;

	if (openpty(&master, &slave, NULL, NULL, NULL) < 0)
		exit(2);
	syscall(SYS_ioctl, slave, TCGETS, &t);
	syscall(SYS_ioctl, slave, TIOCGWINSZ, &ws);
	syscall(SYS_ioctl, slave, FIONREAD, &n);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	syscall(SYS_ioctl, s, FIONBIO, &on);
	close(s);
	close(master);
	close(slave);
}

static void misc(void)
{
	struct sigaction sa, old;
	struct io_uring_params params;
	void *p;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaction(SIGUSR1, &sa, &old);
	syscall(SYS_prctl, PR_SET_NAME, "depth", 0, 0, 0);
	syscall(SYS_prctl, PR_GET_DUMPABLE, 0, 0, 0, 0);
	syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	p = (void *)syscall(SYS_mmap, NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	syscall(SYS_mprotect, p, 4096, PROT_READ);
	syscall(SYS_munmap, p, 8192);
	memset(&params, 0, sizeof(params));
	syscall(SYS_io_uring_setup, 4, &params);
}

/* Calls beyond the first set: the known gaps of tests/e2e/decode_depth_tests.py come from here. */
static void more(void)
{
	int p[2], one = 1, tfd;
	fd_set rd;
	struct timeval tv = {0, 1000};
	struct flock fl = {.l_type = F_RDLCK, .l_whence = SEEK_SET};
	struct itimerspec its = {.it_value = {5, 0}};
	struct rlimit rl;
	sigset_t set;

	if (pipe(p) < 0 || write(p[1], "x", 1) != 1)
		exit(2);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	syscall(SYS_select, p[0] + 1, &rd, NULL, NULL, &tv);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	syscall(SYS_setsockopt, s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	close(s);
	int fd = open("f.txt", O_RDWR);
	syscall(SYS_fcntl, fd, F_SETLK, &fl);
	close(fd);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	syscall(SYS_timerfd_settime, tfd, 0, &its, NULL);
	close(tfd);
	syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &rl);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 8);
	close(p[0]);
	close(p[1]);
}

/* What every program's start-up makes: binary data, memory remaps, resource limits, random bytes, futexes. */
static void startup_like(void)
{
	static const char bin[] = "\1\10a\3771\0" "7\177\303\251z";
	char back[sizeof(bin)], rnd[8];
	struct rlimit rl;
	int futex_word = 0;
	void *m;
	int fd = open("bin.dat", O_RDWR | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || write(fd, bin, sizeof(bin) - 1) != (ssize_t)sizeof(bin) - 1)
		exit(2);
	if (pread(fd, back, sizeof(bin) - 1, 0) < 0)
		exit(2);
	close(fd);
	syscall(SYS_prlimit64, 0, RLIMIT_STACK, NULL, &rl);
	m = (void *)syscall(SYS_mmap, NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	m = (void *)syscall(SYS_mremap, m, 4096, 8192, MREMAP_MAYMOVE);
	syscall(SYS_munmap, m, 8192);
	syscall(SYS_getrandom, rnd, sizeof(rnd), GRND_NONBLOCK);
	syscall(SYS_futex, &futex_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* Socket calls that fill in an address and its length, and a path the kernel writes (getcwd). */
static void filled_in(void)
{
	struct sockaddr_un un = {.sun_family = AF_UNIX}, peer;
	socklen_t len;
	char cwd[4096];
	int l = socket(AF_UNIX, SOCK_STREAM, 0), c = socket(AF_UNIX, SOCK_STREAM, 0), a, sv[2];

	strcpy(un.sun_path, "gs.sock");
	if (l < 0 || c < 0 || bind(l, (struct sockaddr *)&un, sizeof(un)) < 0 || listen(l, 1) < 0 ||
	    connect(c, (struct sockaddr *)&un, sizeof(un)) < 0)
		exit(2);
	len = offsetof(struct sockaddr_un, sun_path) + sizeof("gs.sock"); /* the length it will have */
	syscall(SYS_getsockname, l, &peer, &len);
	a = (int)syscall(SYS_accept4, l, NULL, NULL, SOCK_CLOEXEC);
	close(a);
	close(c);
	close(l);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		exit(2);
	len = sizeof(peer); /* longer than what comes back: strace's [110 => 2] */
	syscall(SYS_getpeername, sv[0], &peer, &len);
	close(sv[0]);
	close(sv[1]);
	syscall(SYS_getcwd, cwd, sizeof(cwd));
	int dir = open(".", O_RDONLY | O_DIRECTORY);
	syscall(SYS_getdents64, dir, cwd, sizeof(cwd)); /* the directory's records, then none */
	syscall(SYS_getdents64, dir, cwd, sizeof(cwd));
	close(dir);
}

/* A child's end as wait4 reports it (vfork: the parent waits for the child, so the lines keep their order). */
static void child_status(void)
{
	int status;
	pid_t child = vfork();

	if (child == 0)
		_exit(3);
	syscall(SYS_wait4, child, &status, 0, NULL);
}

int main(void)
{
	stats();
	sockaddrs();
	messages();
	events();
	ioctls();
	misc();
	more();
	startup_like();
	filled_in();
	child_status();
	return 0;
}
