/*
 * Path translation: the sandbox personality's serving of path-bearing calls
 * in the guest view (docs/architecture.md, "Path translation").
 *
 * At the call's seccomp stop every path argument is copied once, resolved in
 * the guest view, and its host path written into the thread's slot of the
 * sealed scratch area; the registers point there, so no other thread can
 * change what the kernel reads. At the exit stop the program's registers are
 * put back (only rax carries the result) and results that carry paths are
 * named in the guest view: getcwd and /proc magic links are answered by the
 * supervisor, unix socket addresses and directory listings are fixed up.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "arch.h"
#include "guest_resolve.h"
#include "path_access.h"
#include "path_args.h"
#include "path_translate.h"
#include "../sandbox/sandbox_internal.h"
#include "tracee.h"
#include "util.h"

enum { STRUCT_OFFSET = 2 * 4096 }; /* in a slot: two paths, then a structure */

bool path_translate_wanted(const struct syscall_entry *e)
{
	return guest_view() && e && syscall_carries_paths(e);
}

struct path_exit *path_exit_begin(struct tracee *t, const struct syscall_stop *s)
{
	struct path_exit *pe = sandbox_path_exit(t);

	if (!pe) {
		pe = xcalloc(1, sizeof(*pe));
		pe->orig = s->regs;
		sandbox_set_path_exit(t, pe);
	}
	s->verdict->want_exit = true;
	return pe;
}

void path_exit_free(struct tracee *t)
{
	struct path_exit *pe = sandbox_path_exit(t);

	if (pe) {
		free(pe->exec_name);
		free(pe);
		sandbox_set_path_exit(t, NULL);
	}
}

/* Answer the call here, without running it: the program's registers, rax the result. */
static enum check_result answer(struct tracee *t, const struct syscall_stop *s, long ret)
{
	struct path_exit *pe = sandbox_path_exit(t);

	verdict_set_regs(s, pe ? &pe->orig : &s->regs);
	verdict_answer(s, ret);
	if (pe)
		pe->answered = true;
	return CHECK_DONE;
}

static long write_out(struct tracee *t, uint64_t buf, const void *data, size_t len)
{
	return tracee_write(host_tid(t), buf, data, len) < 0 ? -EFAULT : 0;
}

/* getcwd: the guest name of the thread's cwd. */
static enum check_result serve_getcwd(struct tracee *t, const struct syscall_stop *s)
{
	char guest[PATH_MAX];
	int buf_arg = syscall_kind_arg(s->entry, K_BUF_OUT); /* its size follows */
	uint64_t buf = regs_arg(&s->regs, s->abi, buf_arg), size = regs_arg(&s->regs, s->abi, buf_arg + 1);
	int rc = guest_name_of_fd(guest_view(), host_tid(t), AT_FDCWD, guest, sizeof(guest));
	size_t len;
	long w;

	if (rc < 0)
		return answer(t, s, rc == -ENOTDIR ? -ENOENT : rc);
	len = strlen(guest) + 1;
	if (size < len)
		return answer(t, s, -ERANGE);
	w = write_out(t, buf, guest, len);
	return answer(t, s, w < 0 ? w : (long)len);
}

/*
 * readlink of a /proc magic link (fd/N, cwd, exe, root): its target in the
 * guest view. Other links' text is returned as stored.
 */
static enum check_result serve_magic_readlink(struct tracee *t, const struct syscall_stop *s, int path_arg,
					      const char *host)
{
	char target[PATH_MAX], guest[PATH_MAX];
	uint64_t buf = regs_arg(&s->regs, s->abi, path_arg + 1);
	long size = (long)(int)regs_arg(&s->regs, s->abi, path_arg + 2), w;
	const char *exe = host_exe_link(t, host);
	const char *text = guest;
	size_t len;

	if (size <= 0)
		return answer(t, s, -EINVAL);
	if (exe) {
		snprintf(target, sizeof(target), "%s", exe);
	} else {
		ssize_t n = readlink(host, target, sizeof(target) - 1);
		if (n < 0)
			return answer(t, s, -errno);
		target[n] = '\0';
	}
	if (target[0] != '/' || view_to_guest(guest_view(), target, guest, sizeof(guest)) < 0)
		text = target; /* pipe:[..], socket:[..], anon_inode:..: no path */
	len = strlen(text);
	if (len > (size_t)size)
		len = (size_t)size;
	w = write_out(t, buf, text, len);
	return answer(t, s, w < 0 ? w : (long)len);
}

/* Is host /proc/PID/mem (or a task's) of a process of the run? Writing it would reach the sealed scratch. */
static bool is_run_mem(const char *host)
{
	int pid = 0, tid = 0, end = 0;

	if (sscanf(host, "/proc/%d/mem%n", &pid, &end) == 1 && host[end] == '\0')
		return host_task_in_run(pid);
	end = 0;
	if (sscanf(host, "/proc/%d/task/%d/mem%n", &pid, &tid, &end) == 2 && host[end] == '\0')
		return host_task_in_run(pid) || host_task_in_run(tid);
	return false;
}

/* What a write through a magic link reaches: the host path of the open file. */
static bool magic_target_read_only(const char *host)
{
	char target[PATH_MAX];
	ssize_t n = readlink(host, target, sizeof(target) - 1);

	if (n <= 0)
		return false;
	target[n] = '\0';
	return target[0] == '/' && view_host_read_only(guest_view(), target);
}

/* Resolve one path argument and put its host path in the slot. 0, or the errno the call fails with. */
static int translate_path(struct tracee *t, struct syscall_stop *s, const struct path_arg *a, int which,
			  uint64_t slot, unsigned resolve, struct guest_resolved *res)
{
	uint64_t ptr = regs_arg(&s->regs, s->abi, a->index), dest = slot + (uint64_t)which * 4096;
	char path[PATH_MAX];
	struct guest_lookup q;
	ssize_t len;
	int rc;

	res->magic = false;
	res->host[0] = '\0';
	if (ptr == 0)
		return 0; /* NULL: EFAULT, or the dirfd itself where the call allows it; nothing to race */
	if (host_scratch_contains(t, ptr))
		return 0; /* already ours: a call restarted after a signal */
	len = tracee_read_string(host_tid(t), ptr, path, sizeof(path));
	if (len < 0)
		return (int)-len;
	if (len == 0) {
		strcpy(res->host, ""); /* "" stays "", in memory no other thread can change */
	} else {
		q.tid = host_tid(t);
		q.tgid = host_tgid(t);
		q.dirfd = a->dirfd;
		q.path = path;
		q.follow_last = a->follow;
		q.resolve = resolve;
		rc = guest_resolve(guest_view(), &q, res);
		if (rc < 0)
			return -rc;
		if ((a->writes || a->creates || a->removes) &&
		    (res->magic ? magic_target_read_only(res->host) : view_host_read_only(guest_view(), res->host)))
			return EROFS;
	}
	rc = host_scratch_write(t, dest, res->host, strlen(res->host) + 1);
	if (rc < 0)
		return EFAULT;
	regs_set_arg(&s->regs, s->abi, a->index, dest);
	return 0;
}

/* A unix socket address passed in: its path in the guest view; any address copied where it cannot change. */
static int translate_sockaddr_in(struct tracee *t, struct syscall_stop *s, int index, uint64_t slot, bool creates)
{
	uint64_t ptr = regs_arg(&s->regs, s->abi, index), len = regs_arg(&s->regs, s->abi, index + 1);
	struct sockaddr_un sun;
	size_t n = len < sizeof(sun) ? len : sizeof(sun);
	uint64_t dest = slot + STRUCT_OFFSET;

	if (ptr == 0 || len == 0 || host_scratch_contains(t, ptr))
		return 0;
	if (len > 4096)
		return EINVAL;
	memset(&sun, 0, sizeof(sun));
	if (tracee_read(host_tid(t), ptr, &sun, n) < 0)
		return EFAULT;
	if (sun.sun_family == AF_UNIX && n > offsetof(struct sockaddr_un, sun_path) && sun.sun_path[0]) {
		char path[sizeof(sun.sun_path) + 1];
		struct guest_resolved *res = xmalloc(sizeof(*res));
		struct guest_lookup q = { host_tid(t), host_tgid(t), AT_FDCWD, path, !creates, 0 };
		size_t plen = n - offsetof(struct sockaddr_un, sun_path);
		int rc;

		memcpy(path, sun.sun_path, plen);
		path[plen] = '\0';
		rc = guest_resolve(guest_view(), &q, res);
		if (rc == 0 && strlen(res->host) >= sizeof(sun.sun_path))
			rc = -ENAMETOOLONG; /* the host path does not fit a sockaddr_un */
		if (rc == 0 && creates && view_host_read_only(guest_view(), res->host))
			rc = -EROFS;
		if (rc == 0) {
			memset(sun.sun_path, 0, sizeof(sun.sun_path));
			memcpy(sun.sun_path, res->host, strlen(res->host));
			n = offsetof(struct sockaddr_un, sun_path) + strlen(res->host) + 1;
			regs_set_arg(&s->regs, s->abi, index + 1, n);
		}
		free(res);
		if (rc < 0)
			return -rc;
	} else if (len > n) {
		return 0; /* a long address of another family: left in place (no path in it) */
	}
	if (host_scratch_write(t, dest, &sun, n) < 0)
		return EFAULT;
	regs_set_arg(&s->regs, s->abi, index, dest);
	return 0;
}

/* openat2: resolve with its RESOLVE_* flags in the guest view; the kernel gets the host path and no flag that would re-walk it. */
static int translate_openat2(struct tracee *t, struct syscall_stop *s, uint64_t slot, struct guest_resolved *res)
{
	struct open_how how;
	int how_arg = syscall_kind_arg(s->entry, K_OPEN_HOW); /* its size follows */
	uint64_t size = regs_arg(&s->regs, s->abi, how_arg + 1), ptr = regs_arg(&s->regs, s->abi, how_arg);
	struct path_arg a[2];
	int rc;

	if (host_scratch_contains(t, ptr))
		return 0;
	if (size < sizeof(how))
		return EINVAL;
	if (tracee_read(host_tid(t), ptr, &how, sizeof(how)) < 0)
		return EFAULT;
	if (how.resolve & ~(uint64_t)(RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH |
				     RESOLVE_IN_ROOT | RESOLVE_CACHED))
		return EINVAL;
	path_args_of(s, how.flags, a);
	rc = translate_path(t, s, &a[0], 0, slot, (unsigned)how.resolve, res);
	if (rc)
		return rc;
	how.resolve &= RESOLVE_CACHED;
	if (host_scratch_write(t, slot + STRUCT_OFFSET, &how, sizeof(how)) < 0)
		return EFAULT;
	regs_set_arg(&s->regs, s->abi, 2, slot + STRUCT_OFFSET);
	regs_set_arg(&s->regs, s->abi, 3, sizeof(how));
	return 0;
}

static bool is_openat2(const struct syscall_entry *e)
{
	for (int i = 0; i < syscall_nargs(e); i++)
		if (e->args[i].kind == K_OPEN_HOW)
			return true;
	return false;
}

/* The name an exec gives the image (AT_EXECFN, a script's argv): what the program passed. */
static char *exec_name(struct tracee *t, const struct syscall_stop *s, const struct path_arg *a)
{
	char path[PATH_MAX];

	if (tracee_read_string(host_tid(t), regs_arg(&s->regs, s->abi, a->index), path, sizeof(path)) < 0)
		return NULL;
	if (path[0] == '/' || (a->dirfd == AT_FDCWD && path[0]))
		return xstrdup(path);
	if (path[0] == '\0')
		return xasprintf("/dev/fd/%d", a->dirfd);
	return xasprintf("/dev/fd/%d/%s", a->dirfd, path);
}

enum check_result path_translate_enter(struct tracee *t, struct syscall_stop *s)
{
	const struct syscall_entry *e = s->entry;
	struct guest_resolved *res = NULL;
	struct path_arg a[2];
	uint64_t open_flags = 0, slot;
	int n, rc = 0, err = 0;
	struct path_exit *pe;

	if (e->flags & SC_PATH_OUT)
		return serve_getcwd(t, s);
	if (e->flags & SC_DIRENTS)
		return dirents_enter(t, s);
	for (int i = 0; i < syscall_nargs(e); i++)
		if (e->args[i].kind == K_SOCKADDR_OUT && regs_arg(&s->regs, s->abi, i)) {
			pe = path_exit_begin(t, s);
			pe->fix = FIX_SOCKADDR_OUT;
			pe->call = e;
			pe->buf = regs_arg(&s->regs, s->abi, i);
			pe->lenp = regs_arg(&s->regs, s->abi, i + 1);
			if (tracee_read(host_tid(t), pe->lenp, &pe->addrlen_in, sizeof(pe->addrlen_in)) < 0)
				pe->addrlen_in = 0;
		}
	slot = host_scratch_slot(t, regs_sp(&s->regs), &err);
	if (!slot) {
		warn("path translation: process %d has no scratch area slot (%s): its %s fails", host_tgid(t),
		     err == -ENOMEM ? "more threads than slots" : "no scratch area", e->name);
		return answer(t, s, err == -ENOMEM ? -EAGAIN : -ENOSYS);
	}
	for (int i = 0; i < syscall_nargs(e); i++)
		if (e->args[i].kind == K_SOCKADDR_IN) {
			rc = translate_sockaddr_in(t, s, i, slot, (e->flags & SC_LOCAL_ADDR) != 0);
			if (rc)
				return answer(t, s, -rc);
		}
	res = xmalloc(sizeof(*res));
	if (is_openat2(e)) {
		path_exit_begin(t, s);
		rc = translate_openat2(t, s, slot, res);
		goto done;
	}
	path_call_opens(s, &open_flags);
	n = path_args_of(s, open_flags, a);
	if (n == 0)
		goto done;
	pe = path_exit_begin(t, s);
	if (e->flags & SC_EXEC)
		pe->exec_name = exec_name(t, s, &a[0]);
	for (int i = 0; i < n && rc == 0; i++) {
		rc = translate_path(t, s, &a[i], i, slot, 0, res);
		/* readlink does not follow the link it names: a /proc magic link is answered here. */
		if (rc == 0 && (e->flags & SC_READLINK) && (res->magic || proc_magic_link(res->host))) {
			enum check_result r = serve_magic_readlink(t, s, a[i].index, res->host);
			free(res);
			return r;
		}
		if (rc == 0 && a[i].writes && is_run_mem(res->host)) {
			char host[PATH_MAX];

			snprintf(host, sizeof(host), "%s", res->host);
			free(res);
			return sandbox_refuse(t, s, EACCES, true, host,
					      "writing a process's memory through /proc is never allowed with path "
					      "translation (it would reach the sealed scratch area)");
		}
	}
done:
	free(res);
	if (rc)
		return answer(t, s, -rc);
	verdict_set_regs(s, &s->regs);
	return CHECK_PASS;
}

void path_translate_exit(struct tracee *t, struct verdict *v)
{
	struct path_exit *pe = sandbox_path_exit(t);
	tracee_regs r;

	if (!pe)
		return;
	if (regs_get(host_tid(t), &r) == 0) {
		long ret = regs_retval(&r);

		switch (pe->fix) {
		case FIX_NONE:
			break;
		case FIX_SOCKADDR_OUT:
			if (ret >= 0 && !pe->answered)
				sockaddr_out_fix(t, pe, ret);
			break;
		case FIX_DIRENTS:
			if (!pe->answered)
				ret = dirents_exit(t, pe, ret);
			break;
		}
		/* The program's registers as the kernel would leave them: only rax changed. */
		r = pe->orig;
		regs_set_retval(&r, ret);
		v->set_regs = true;
		v->regs = r;
	}
	path_exit_free(t);
}

/*
 * The whole address the kernel gave (the caller's buffer may have been too
 * small for it): from a copy of the socket's fd. 0 or -1.
 */
static int full_address(struct tracee *t, const struct path_exit *pe, long ret, struct sockaddr_un *sun)
{
	/* accept's address is the new socket's (its return value); the others' the socket they were given. */
	int fd = pe->call->ret == R_FD ? (int)ret : (int)regs_arg(&pe->orig, ABI_NATIVE, 0);
	int pidfd = (int)syscall(SYS_pidfd_open, host_tgid(t), 0), copy, rc;
	socklen_t len = sizeof(*sun);

	if (pidfd < 0)
		return -1;
	copy = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	close(pidfd);
	if (copy < 0)
		return -1;
	memset(sun, 0, sizeof(*sun));
	rc = (pe->call->flags & SC_LOCAL_ADDR) ? getsockname(copy, (struct sockaddr *)sun, &len)
					       : getpeername(copy, (struct sockaddr *)sun, &len);
	close(copy);
	return rc;
}

void sockaddr_out_fix(struct tracee *t, const struct path_exit *pe, long ret)
{
	struct sockaddr_un sun;
	char guest[PATH_MAX];
	int len = 0;
	size_t plen, n;

	if (tracee_read(host_tid(t), pe->lenp, &len, sizeof(len)) < 0 || len <= (int)offsetof(struct sockaddr_un, sun_path) ||
	    pe->addrlen_in <= 0)
		return;
	memset(&sun, 0, sizeof(sun));
	n = (size_t)len < sizeof(sun) ? (size_t)len : sizeof(sun);
	if ((size_t)pe->addrlen_in < n) {
		if (full_address(t, pe, ret, &sun) < 0)
			return;
	} else if (tracee_read(host_tid(t), pe->buf, &sun, n) < 0) {
		return;
	}
	if (sun.sun_family != AF_UNIX || !sun.sun_path[0])
		return;
	if (view_to_guest(guest_view(), sun.sun_path, guest, sizeof(guest)) < 0 || strcmp(guest, sun.sun_path) == 0)
		return;
	plen = strlen(guest);
	if (plen >= sizeof(sun.sun_path))
		return; /* the guest name would not fit: the kernel's stays */
	memset(sun.sun_path, 0, sizeof(sun.sun_path));
	memcpy(sun.sun_path, guest, plen);
	len = (int)(offsetof(struct sockaddr_un, sun_path) + plen + 1);
	n = (size_t)len < (size_t)pe->addrlen_in ? (size_t)len : (size_t)pe->addrlen_in;
	tracee_write(host_tid(t), pe->buf, &sun, n);
	tracee_write(host_tid(t), pe->lenp, &len, sizeof(len));
}
