/*
 * Makes raw system calls with known arguments, one decoder family at a time,
 * for the golden tests of the trace decoders (tests/e2e/tracing.py). Run in a
 * scratch directory; argv[1] names nothing: every path is relative.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void handler(int sig)
{
	(void)sig;
}

int main(void)
{
	char buf[128];
	int fd, fds[2], sv[2], s, c, a;
	struct stat st;
	struct statx sx;

	/* files: open flags, mode, buffers in and out, stat and statx, errno */
	fd = (int)syscall(SYS_openat, AT_FDCWD, "data.txt", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	syscall(SYS_write, fd, "hello\nworld", 11);
	memset(buf, 'x', 100);
	syscall(SYS_write, fd, buf, 100);
	syscall(SYS_close, fd);
	fd = (int)syscall(SYS_openat, AT_FDCWD, "data.txt", O_RDONLY);
	syscall(SYS_read, fd, buf, 5);
	syscall(SYS_lseek, fd, 6, SEEK_SET);
	syscall(SYS_pread64, fd, buf, 5, 6);
	syscall(SYS_fstat, fd, &st);
	syscall(SYS_statx, AT_FDCWD, "data.txt", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx);
	syscall(SYS_newfstatat, AT_FDCWD, "data.txt", &st, AT_SYMLINK_NOFOLLOW);
	syscall(SYS_access, "data.txt", R_OK | W_OK);
	syscall(SYS_openat, AT_FDCWD, "missing.txt", O_RDONLY);
	syscall(SYS_ioctl, fd, TCGETS, buf);
	syscall(SYS_fcntl, fd, F_GETFL);
	syscall(SYS_close, fd);
	{
		struct open_how how = { .flags = O_RDONLY | O_CLOEXEC, .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS };
		fd = (int)syscall(SYS_openat2, AT_FDCWD, "data.txt", &how, sizeof(how));
		syscall(SYS_close, fd);
	}
	syscall(SYS_mkdirat, AT_FDCWD, "sub", 0755);
	syscall(SYS_unlinkat, AT_FDCWD, "sub", AT_REMOVEDIR);

	/* memory: prot and map flags */
	void *p = (void *)syscall(SYS_mmap, NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	syscall(SYS_mprotect, p, 4096, PROT_READ);
	syscall(SYS_munmap, p, 4096);

	/* pipes and iovecs */
	syscall(SYS_pipe2, fds, O_CLOEXEC);
	{
		struct iovec out[2] = { { "abc", 3 }, { "defg", 4 } };
		char r1[2], r2[8];
		struct iovec in[2] = { { r1, 2 }, { r2, 8 } };
		syscall(SYS_writev, fds[1], out, 2);
		syscall(SYS_readv, fds[0], in, 2);
	}
	syscall(SYS_close, fds[0]);
	syscall(SYS_close, fds[1]);

	/* sockets: AF_INET bind/listen/connect/accept, AF_UNIX msghdr, AF_INET6 */
	s = (int)syscall(SYS_socket, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	{
		struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		socklen_t len = sizeof(sin);
		syscall(SYS_bind, s, &sin, sizeof(sin));
		syscall(SYS_listen, s, 4);
		syscall(SYS_getsockname, s, &sin, &len);
		c = (int)syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
		syscall(SYS_connect, c, &sin, sizeof(sin));
		len = sizeof(sin);
		a = (int)syscall(SYS_accept4, s, &sin, &len, SOCK_CLOEXEC);
		syscall(SYS_sendto, c, "ping", 4, MSG_NOSIGNAL, NULL, 0);
		syscall(SYS_recvfrom, a, buf, sizeof(buf), 0, NULL, NULL);
		syscall(SYS_close, a);
		syscall(SYS_close, c);
		syscall(SYS_close, s);
	}
	syscall(SYS_socketpair, AF_UNIX, SOCK_DGRAM, 0, sv);
	{
		struct iovec iov = { "unix-msg", 8 };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
		char got[16];
		struct iovec riov = { got, sizeof(got) };
		struct msghdr rm = { .msg_iov = &riov, .msg_iovlen = 1 };
		syscall(SYS_sendmsg, sv[0], &m, 0);
		syscall(SYS_recvmsg, sv[1], &rm, 0);
	}
	{
		int s6 = (int)syscall(SYS_socket, AF_INET6, SOCK_STREAM, 0);
		struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(9), .sin6_addr = IN6ADDR_LOOPBACK_INIT };
		syscall(SYS_connect, s6, &a6, sizeof(a6));
		syscall(SYS_close, s6);
	}
	{
		int su = (int)syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0);
		struct sockaddr_un un = { .sun_family = AF_UNIX, .sun_path = "no-such.sock" };
		syscall(SYS_connect, su, &un, sizeof(un));
		syscall(SYS_close, su);
	}

	/* signals: sigaction, masks, kill */
	{
		struct { void *handler; unsigned long flags; void *restorer; unsigned long mask; } act = {
			(void *)handler, SA_RESTART, NULL, 1UL << (SIGINT - 1)
		}, old;
		unsigned long set = 1UL << (SIGUSR2 - 1), oldset;
		syscall(SYS_rt_sigaction, SIGUSR1, &act, &old, 8);
		syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, &oldset, 8);
		syscall(SYS_kill, getpid(), 0);
	}

	/* resources and time */
	{
		struct rlimit rl = { 100, 200 }, old;
		syscall(SYS_prlimit64, 0, RLIMIT_CORE, &rl, &old);
		syscall(SYS_getrlimit, RLIMIT_CORE, &rl);
		struct timespec ts = { 0, 1000 };
		syscall(SYS_nanosleep, &ts, NULL);
		syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	}

	/* processes: clone flags, clone3's arguments, wait status */
	if (fork() == 0)
		_exit(3);
	{
		int status;
		struct clone_args ca = { .flags = CLONE_CLEAR_SIGHAND, .exit_signal = SIGCHLD };
		syscall(SYS_wait4, -1, &status, 0, NULL);
		if (syscall(SYS_clone3, &ca, sizeof(ca)) == 0)
			_exit(0);
		wait(NULL);
	}
	return 0;
}
