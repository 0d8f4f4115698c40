/*
 * System calls with arguments a tracer must not trust: bad pointers, absurd
 * lengths, unterminated strings at the end of a mapping, iovecs and msghdrs
 * that point nowhere, and a thread that rewrites a buffer while another passes
 * it to the kernel. Every call must fail (or not) as the kernel decides;
 * picovisor trace must record them all and survive.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define BAD ((void *)0xdead0000UL)

static volatile int stop;
static char flip[64] = "/etc/hostname";

static void *flipper(void *arg)
{
	(void)arg;
	while (!stop) {
		memcpy(flip, "/nonexistent/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 52);
		memcpy(flip, "/etc/hostname\0", 14);
	}
	return NULL;
}

int main(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *edge = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct iovec bad_iov[2] = { { BAD, 10 }, { NULL, (size_t)-1 } };
	struct msghdr bad_msg = { .msg_name = BAD, .msg_namelen = 200, .msg_iov = BAD, .msg_iovlen = 1000 };
	pthread_t th;
	int fails = 0, sv[2];

	/* a string running into an unmapped page */
	munmap(edge + page, page);
	memset(edge, 'a', page);
	fails += syscall(SYS_openat, AT_FDCWD, edge, O_RDONLY) < 0;
	fails += syscall(SYS_openat, AT_FDCWD, BAD, O_RDONLY) < 0;
	fails += syscall(SYS_write, 1, BAD, 100) < 0;
	fails += syscall(SYS_write, -1, "x", (size_t)-1) < 0;
	fails += syscall(SYS_read, 0, BAD, (size_t)1 << 40) < 0;
	fails += syscall(SYS_writev, 1, bad_iov, 2) < 0;
	fails += syscall(SYS_writev, 1, BAD, 3) < 0;
	fails += syscall(SYS_readv, 0, bad_iov, 1 << 20) < 0;
	fails += syscall(SYS_newfstatat, AT_FDCWD, "/", BAD, 0) < 0;
	fails += syscall(SYS_statx, AT_FDCWD, "/", 0, 0x7ff, BAD) < 0;
	fails += syscall(SYS_rt_sigaction, SIGUSR1, BAD, BAD, 8) < 0;
	fails += syscall(SYS_rt_sigprocmask, SIG_BLOCK, BAD, NULL, 8) < 0;
	fails += syscall(SYS_execve, BAD, BAD, BAD) < 0;
	fails += syscall(SYS_execve, "/bin/true", BAD, NULL) < 0;
	fails += syscall(SYS_connect, 0, BAD, 16) < 0;
	fails += syscall(SYS_connect, 0, "x", -5) < 0;
	fails += syscall(SYS_pipe2, BAD, 0) < 0;
	fails += syscall(SYS_wait4, -1, BAD, WNOHANG, NULL) < 0;
	fails += syscall(SYS_prlimit64, 0, 7, BAD, BAD) < 0;
	fails += syscall(SYS_nanosleep, BAD, NULL) < 0;
	fails += syscall(SYS_ioctl, 0, 0xffffffffUL, BAD) < 0;
	fails += syscall(SYS_fcntl, 0, 123456, BAD) < 0;
	fails += syscall(SYS_clone3, BAD, 88) < 0;
	fails += syscall(1000, 1, 2, 3, 4, 5, 6) < 0; /* a number no kernel has */
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	fails += syscall(SYS_sendmsg, sv[0], &bad_msg, 0) < 0;
	fails += syscall(SYS_sendmsg, sv[0], BAD, 0) < 0;
	fails += syscall(SYS_recvmsg, sv[1], &bad_msg, MSG_DONTWAIT) < 0;
	fails += syscall(SYS_accept4, sv[0], BAD, BAD, 0) < 0;
	/* a path that changes while the kernel and the tracer read it */
	pthread_create(&th, NULL, flipper, NULL);
	for (int i = 0; i < 2000; i++) {
		int fd = (int)syscall(SYS_openat, AT_FDCWD, flip, O_RDONLY);
		if (fd >= 0)
			close(fd);
	}
	stop = 1;
	pthread_join(th, NULL);
	printf("%d calls failed\n", fails);
	return 0;
}
