/*
 * connect, sendto and sendmsg to a pathname unix socket under a sandbox. No
 * Landlock right covers reaching a socket file, so the supervisor decides,
 * and a decision on a name would not hold (the address buffer, the cwd, a
 * renamed directory or a swapped symlink change what the kernel walks). So,
 * as for attribute changes (sandbox_attr.c), the call is done on objects
 * picovisor holds: its copy of the thread's socket (pidfd_getfd: the same open
 * file) and the socket file, opened O_PATH as the thread would reach it and
 * checked; picovisor connects or sends through /proc/self/fd/N of that file,
 * with the thread's filesystem credentials.
 *
 * What differs from the thread doing it: the peer sees picovisor's pid in
 * SO_PEERCRED and SCM_CREDENTIALS (the ids are the program's); picovisor never
 * waits, so a connect to a listener whose backlog is full, or a send to a
 * full receiver, fails with EAGAIN where a blocking socket would wait;
 * descriptors passed along (SCM_RIGHTS) are sent as picovisor's copies of the
 * same open files, and other control data (credentials) to a pathname is
 * refused with EOPNOTSUPP (docs/policy.md).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "path_access.h"
#include "sandbox_internal.h"
#include "thread_creds.h"
#include "tracee.h"
#include "util.h"

#define SEND_MAX (8u << 20) /* more than any unix datagram can be (wmem_max's ceiling) */

static int arg_of(const struct syscall_entry *e, enum arg_kind kind)
{
	for (int i = 0; i < syscall_nargs(e); i++)
		if (e->args[i].kind == kind)
			return i;
	return -1;
}

/* What a sendto or sendmsg sends, copied once: the bytes, and descriptors passed as picovisor's own copies. */
struct payload {
	char *data;
	long len;
	char *control;       /* the control messages, SCM_RIGHTS' descriptors replaced by picovisor's copies */
	size_t controllen;
	int fds[256];        /* those copies, closed after the send */
	int nfds;
};

/*
 * A sendmsg's control data: descriptors (SCM_RIGHTS) are taken from the
 * thread and passed as the same open files; anything else (credentials,
 * which picovisor would vouch for with its own rights) is refused.
 */
static long copy_control(struct tracee *t, const struct msghdr *m, struct payload *p)
{
	struct msghdr local = { .msg_controllen = m->msg_controllen };
	struct cmsghdr *c;

	if (m->msg_controllen > 65536)
		return -ENOBUFS;
	p->control = xmalloc(m->msg_controllen);
	p->controllen = m->msg_controllen;
	if (tracee_read(host_tid(t), (uint64_t)(uintptr_t)m->msg_control, p->control, p->controllen) !=
	    (ssize_t)p->controllen)
		return -EFAULT;
	local.msg_control = p->control;
	for (c = CMSG_FIRSTHDR(&local); c; c = CMSG_NXTHDR(&local, c)) {
		int *fds = (int *)(void *)CMSG_DATA(c);
		size_t n;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len < CMSG_LEN(0))
			return -EOPNOTSUPP;
		n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int copy;

			if (p->nfds == (int)ARRAY_SIZE(p->fds))
				return -ETOOMANYREFS;
			copy = tracee_take_fd(host_tid(t), host_tgid(t), fds[i]);
			if (copy < 0)
				return -EBADF;
			p->fds[p->nfds++] = copy;
			fds[i] = copy;
		}
	}
	return 0;
}

/* Copy what a sendto or sendmsg sends. 0 or -errno. */
static long copy_payload(struct tracee *t, const struct syscall_stop *s, struct payload *p)
{
	const struct syscall_entry *e = s->entry;
	int buf = arg_of(e, K_BUF_IN), msg = arg_of(e, K_MSGHDR_IN);
	struct msghdr m;
	struct iovec *iov;
	size_t total = 0;
	long rc = 0;

	if (buf >= 0) {
		uint64_t len = regs_arg(&s->regs, s->abi, buf + 1);
		if (len > SEND_MAX)
			return -EMSGSIZE;
		p->data = xmalloc(len ? len : 1);
		p->len = (long)len;
		if (len && tracee_read(host_tid(t), regs_arg(&s->regs, s->abi, buf), p->data, len) != (ssize_t)len)
			return -EFAULT;
		return 0;
	}
	if (tracee_read(host_tid(t), regs_arg(&s->regs, s->abi, msg), &m, sizeof(m)) != (ssize_t)sizeof(m))
		return -EFAULT;
	if (m.msg_iovlen > 1024)
		return -EMSGSIZE;
	iov = xcalloc(m.msg_iovlen ? m.msg_iovlen : 1, sizeof(*iov));
	if (m.msg_iovlen &&
	    tracee_read(host_tid(t), (uint64_t)(uintptr_t)m.msg_iov, iov, m.msg_iovlen * sizeof(*iov)) !=
		    (ssize_t)(m.msg_iovlen * sizeof(*iov)))
		rc = -EFAULT;
	for (size_t i = 0; rc == 0 && i < m.msg_iovlen; i++) {
		if (iov[i].iov_len > SEND_MAX || total + iov[i].iov_len > SEND_MAX)
			rc = -EMSGSIZE;
		else
			total += iov[i].iov_len;
	}
	p->data = xmalloc(total ? total : 1);
	p->len = (long)total;
	for (size_t i = 0, at = 0; rc == 0 && i < m.msg_iovlen; at += iov[i].iov_len, i++)
		if (iov[i].iov_len && tracee_read(host_tid(t), (uint64_t)(uintptr_t)iov[i].iov_base, p->data + at,
						  iov[i].iov_len) != (ssize_t)iov[i].iov_len)
			rc = -EFAULT;
	free(iov);
	if (rc == 0 && m.msg_controllen)
		rc = copy_control(t, &m, p);
	return rc;
}

/* Connect or send through picovisor's copy of the socket, to the checked file; never waiting. */
static long perform(const struct syscall_stop *s, int sock, int file, const struct payload *p)
{
	const struct syscall_entry *e = s->entry;
	struct sockaddr_un to = { .sun_family = AF_UNIX };
	socklen_t tolen;
	int flags_arg = arg_of(e, K_MSG_FLAGS);
	long rc;

	snprintf(to.sun_path, sizeof(to.sun_path), "/proc/self/fd/%d", file);
	tolen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(to.sun_path) + 1);
	if (flags_arg >= 0) {
		int flags = (int)regs_arg(&s->regs, s->abi, flags_arg) | MSG_DONTWAIT;
		struct iovec iov = { p->data, (size_t)p->len };
		struct msghdr m = { &to, tolen, &iov, 1, p->control, p->controllen, 0 };

		rc = p->control ? sendmsg(sock, &m, flags) : sendto(sock, p->data, (size_t)p->len, flags,
								     (struct sockaddr *)&to, tolen);
	} else {
		/* The open file's O_NONBLOCK for the moment of the connect: picovisor must not wait on a backlog. */
		int fl = fcntl(sock, F_GETFL);
		if (fl >= 0 && !(fl & O_NONBLOCK))
			fcntl(sock, F_SETFL, fl | O_NONBLOCK);
		rc = connect(sock, (struct sockaddr *)&to, tolen);
		if (rc < 0)
			rc = -errno;
		if (fl >= 0 && !(fl & O_NONBLOCK))
			fcntl(sock, F_SETFL, fl);
		return rc;
	}
	return rc < 0 ? -errno : rc;
}

void sandbox_serve_unix_path(struct tracee *t, const struct syscall_stop *s, const char *path)
{
	struct thread_creds *creds = xmalloc(sizeof(*creds)); /* read once: a stopped thread's do not change */
	struct creds_saved saved;
	struct stat st;
	struct payload *p = xcalloc(1, sizeof(*p));
	long ret;
	int sock = -1, file = -1;

	sock = tracee_take_fd(host_tid(t), host_tgid(t), (int)regs_arg(&s->regs, s->abi, 0));
	if (sock < 0) {
		ret = sock;
		goto answer;
	}
	if (fstat(sock, &st) < 0 || !S_ISSOCK(st.st_mode)) {
		ret = -ENOTSOCK;
		goto answer;
	}
	if (arg_of(s->entry, K_BUF_IN) >= 0 || arg_of(s->entry, K_MSGHDR_IN) >= 0) {
		ret = copy_payload(t, s, p);
		if (ret < 0)
			goto answer;
	}
	ret = thread_creds_read(host_tid(t), creds);
	if (ret < 0)
		goto answer;
	file = sandbox_take_path(t, creds, AT_FDCWD, path, true);
	if (file < 0) {
		ret = file;
		goto answer;
	}
	if (fstat(file, &st) < 0 || !S_ISSOCK(st.st_mode)) {
		ret = -ECONNREFUSED; /* what connecting to a file that is no socket gives */
		goto answer;
	}
	/* Connecting needs write access to the socket file (as the kernel's own check). */
	if (sandbox_decide_object(t, s, file, PERM_W) == CHECK_DONE)
		goto out;
	ret = sandbox_as_thread(t, creds, &saved);
	if (ret == 0) {
		ret = perform(s, sock, file, p);
		creds_restore(&saved);
	}
answer:
	sandbox_answer(t, s, ret);
out:
	if (sock >= 0)
		close(sock);
	if (file >= 0)
		close(file);
	free(creds);
	for (int i = 0; i < p->nfds; i++)
		close(p->fds[i]);
	free(p->control);
	free(p->data);
	free(p);
}

/*
 * bind of a relative name (path, as the program gave it; addr and len its
 * copied address) under the supervisor's path checks. The kernel would meet
 * the cwd of the moment it runs, which another thread may have changed since
 * the check; so picovisor takes the thread's cwd as a descriptor of its own,
 * decides on that directory's name, and binds its copy of the socket (the
 * same open file) from that directory, with the thread's credentials and
 * umask. The name the socket gets is the one given, as natively (getsockname).
 */
/* What binds the copy of the socket, from the thread's cwd (host_in_directory): as the thread, with its umask. */
struct bind_as_thread {
	struct tracee *t;
	const struct thread_creds *creds;
	int sock;
	const void *addr;
	size_t len;
};

static int bind_as_thread(void *ctx)
{
	struct bind_as_thread *b = ctx;
	struct creds_saved saved;
	int ret = sandbox_as_thread(b->t, b->creds, &saved);

	if (ret == 0) {
		mode_t old = umask(b->creds->umask);

		ret = bind(b->sock, b->addr, (socklen_t)b->len) < 0 ? -errno : 0;
		umask(old);
		creds_restore(&saved);
	}
	return ret;
}

void sandbox_serve_unix_bind(struct tracee *t, const struct syscall_stop *s, const char *path, const void *addr,
			     size_t len)
{
	struct thread_creds *creds = xmalloc(sizeof(*creds));
	char link[64], *dir = xmalloc(PATH_MAX), *resolved = xmalloc(PATH_MAX), *joined = xmalloc(2 * PATH_MAX + 2);
	struct stat st;
	ssize_t n;
	long ret;
	int sock, cwd = -1, rc;

	sock = tracee_take_fd(host_tid(t), host_tgid(t), (int)regs_arg(&s->regs, s->abi, 0));
	if (sock < 0) {
		ret = sock;
		goto answer;
	}
	if (fstat(sock, &st) < 0 || !S_ISSOCK(st.st_mode)) {
		ret = -ENOTSOCK;
		goto answer;
	}
	ret = thread_creds_read(host_tid(t), creds);
	if (ret < 0)
		goto answer;
	snprintf(link, sizeof(link), "/proc/%d/cwd", host_tid(t));
	cwd = open(link, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (cwd < 0) {
		ret = -errno;
		goto answer;
	}
	/* The directory held, by the name the kernel gives it now: what the check resolves from. */
	snprintf(link, sizeof(link), "/proc/self/fd/%d", cwd);
	n = readlink(link, dir, PATH_MAX - 1);
	if (n < 0 || dir[0] != '/' || (dir[n] = '\0', n > 10 && strcmp(dir + n - 10, " (deleted)") == 0)) {
		ret = -ENOENT; /* a removed cwd: nothing can be made in it */
		goto answer;
	}
	snprintf(joined, 2 * PATH_MAX + 2, "%s/%s", dir, path);
	rc = path_resolve(host_tid(t), host_tgid(t), AT_FDCWD, joined, false, resolved, PATH_MAX);
	if (rc != 0) {
		ret = rc < 0 ? rc : -ENOENT;
		goto answer;
	}
	if (sandbox_check_resolved(t, s, resolved, PERM_C, NULL) == CHECK_DONE)
		goto out;
	{
		struct bind_as_thread b = { t, creds, sock, addr, len };

		ret = host_in_directory(cwd, bind_as_thread, &b);
	}
answer:
	sandbox_answer(t, s, ret);
out:
	if (sock >= 0)
		close(sock);
	if (cwd >= 0)
		close(cwd);
	free(creds);
	free(dir);
	free(resolved);
	free(joined);
}
