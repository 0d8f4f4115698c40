/*
 * Making and taking away names (unlink, rmdir, mkdir, mknod, rename, link,
 * symlink) when the supervisor checks paths. The checks resolved each path;
 * a kernel walking it again could meet a directory the program replaced by a
 * symlink meanwhile, and no flag of these calls refuses symlinks. So the
 * call is done by picovisor in the directory it checked: each path's parent
 * is opened O_PATH as the thread would reach it, with RESOLVE_NO_SYMLINKS,
 * verified to be the directory checked, and the call is made relative to that
 * descriptor (unlinkat, mkdirat, renameat2...) with the thread's credentials
 * and umask. Only the last component is looked up, in a directory picovisor
 * holds. truncate, which has no *at form, is done on the file itself: opened
 * O_PATH the same way, verified, reopened for writing through /proc/self/fd
 * as the thread, and ftruncate'd. /proc's own names, "" and names ending in
 * . or .. (which no such call can make or remove) are left to the kernel,
 * pinned; a path through a magic link of the run is served by what it led to.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox_internal.h"
#include "thread_creds.h"
#include "tracee.h"
#include "util.h"

/* A checked path split into the directory picovisor holds and the name in it. */
struct held_name {
	int dir;
	char name[NAME_MAX + 2];
};

static uint64_t arg_kind(const struct syscall_stop *s, enum arg_kind kind, int nth)
{
	for (int i = 0; i < syscall_nargs(s->entry); i++)
		if (s->entry->args[i].kind == kind && nth-- == 0)
			return regs_arg(&s->regs, s->abi, i);
	return 0;
}

bool sandbox_names_served(const struct syscall_stop *s, const struct pinned_path *pins, int n)
{
	if (name_op_of(s->entry->flags) == NAME_NONE || n < 1)
		return false;
	for (int k = 0; k < n; k++) {
		const struct pinned_path *p = &pins[k];
		if (!p->set || p->as_given || (strncmp(p->given, "/proc", 5) == 0 && !p->via_link) ||
		    strncmp(p->resolved, "/proc", 5) == 0 || strcmp(p->resolved, "/") == 0 || p->dots[0])
			return false;
	}
	return true;
}

/* Open the parent of the checked path as the thread (in its credentials' window); verify it is the one checked. */
static int hold(const struct pinned_path *p, struct held_name *h)
{
	struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
				.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
	char parent[PATH_MAX], link[64], now[PATH_MAX];
	const char *slash = strrchr(p->resolved, '/');
	size_t glen = strlen(p->given);
	ssize_t n;

	h->dir = -1;
	if (!slash || strlen(slash + 1) > NAME_MAX)
		return -ENAMETOOLONG;
	snprintf(parent, sizeof(parent), "%.*s", slash == p->resolved ? 1 : (int)(slash - p->resolved), p->resolved);
	/* A trailing slash stays the kernel's to judge (ENOTDIR for a file, fine for a directory). */
	snprintf(h->name, sizeof(h->name), "%s%s", slash + 1, glen && p->given[glen - 1] == '/' ? "/" : "");
	h->dir = (int)syscall(SYS_openat2, AT_FDCWD, parent, &how, sizeof(how));
	if (h->dir < 0)
		return -errno;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", h->dir);
	n = readlink(link, now, sizeof(now) - 1);
	if (n < 0 || (now[n] = '\0', strcmp(now, parent) != 0))
		return -ENOENT; /* moved between the check and now: what a walk there would have found */
	return 0;
}

/* truncate on the file the check resolved (in the thread's credentials' window). 0 or -errno. */
static long truncate_held(const struct pinned_path *p, off_t length)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
	char link[64], now[PATH_MAX];
	struct stat st;
	ssize_t n;
	long rc;
	int obj, fd;

	if (length < 0)
		return -EINVAL;
	obj = (int)syscall(SYS_openat2, AT_FDCWD, p->resolved, &how, sizeof(how));
	if (obj < 0)
		return -errno;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", obj);
	n = readlink(link, now, sizeof(now) - 1);
	if (n < 0 || (now[n] = '\0', strcmp(now, p->resolved) != 0))
		rc = -ENOENT; /* moved between the check and now */
	else if (fstat(obj, &st) < 0)
		rc = -errno;
	else if (S_ISDIR(st.st_mode))
		rc = -EISDIR;
	else if (!S_ISREG(st.st_mode))
		rc = -EINVAL; /* what truncate says of anything but a file; opening a FIFO could block */
	else if ((fd = open(link, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) < 0)
		rc = -errno;
	else {
		rc = ftruncate(fd, length) < 0 ? -errno : 0;
		close(fd);
	}
	close(obj);
	return rc;
}

static long perform(const struct syscall_stop *s, struct held_name *h, int n, const char *text)
{
	long rc;

	switch (name_op_of(s->entry->flags)) {
	case NAME_UNLINK:
		rc = unlinkat(h[0].dir, h[0].name, 0);
		break;
	case NAME_RMDIR:
		rc = unlinkat(h[0].dir, h[0].name, AT_REMOVEDIR);
		break;
	case NAME_UNLINKAT:
		rc = unlinkat(h[0].dir, h[0].name, (int)arg_kind(s, K_AT_FLAGS, 0));
		break;
	case NAME_MKDIR:
		rc = mkdirat(h[0].dir, h[0].name, (mode_t)arg_kind(s, K_MODE, 0));
		break;
	case NAME_MKNOD:
		rc = mknodat(h[0].dir, h[0].name, (mode_t)arg_kind(s, K_MODE, 0), (dev_t)arg_kind(s, K_HEX, 0));
		break;
	case NAME_RENAME:
		rc = n < 2 ? (errno = EINVAL, -1)
			   : syscall(SYS_renameat2, h[0].dir, h[0].name, h[1].dir, h[1].name, arg_kind(s, K_HEX, 0));
		break;
	case NAME_LINK:
		/* The source was resolved as the call takes it (followed with AT_SYMLINK_FOLLOW): link what it found. */
		rc = n < 2 ? (errno = EINVAL, -1)
			   : linkat(h[0].dir, h[0].name, h[1].dir, h[1].name,
				    (int)(arg_kind(s, K_AT_FLAGS, 0) & ~(uint64_t)AT_SYMLINK_FOLLOW));
		break;
	case NAME_SYMLINK:
		rc = symlinkat(text, h[0].dir, h[0].name);
		break;
	case NAME_TRUNCATE:
	case NAME_NONE:
	default:
		errno = ENOSYS;
		rc = -1;
		break;
	}
	return rc < 0 ? -errno : 0;
}

void sandbox_serve_names(struct tracee *t, const struct syscall_stop *s, const struct pinned_path *pins, int n)
{
	struct thread_creds *creds = xmalloc(sizeof(*creds));
	struct held_name h[2] = { { -1, "" }, { -1, "" } };
	char *text = NULL;
	struct creds_saved saved;
	long ret;

	if (name_op_of(s->entry->flags) == NAME_LINK &&
	    (arg_kind(s, K_AT_FLAGS, 0) & ~(uint64_t)(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))) {
		ret = -EINVAL;
		goto answer;
	}
	if (name_op_of(s->entry->flags) == NAME_SYMLINK) {
		ssize_t len;

		text = xmalloc(PATH_MAX);
		len = tracee_read_string(host_tid(t), arg_kind(s, K_STR, 0), text, PATH_MAX);
		if (len < 0) {
			ret = len;
			goto answer;
		}
		if (len == 0) {
			ret = -ENOENT;
			goto answer;
		}
	}
	ret = thread_creds_read(host_tid(t), creds);
	if (ret < 0)
		goto answer;
	ret = sandbox_as_thread(t, creds, &saved);
	if (ret < 0)
		goto answer;
	if (name_op_of(s->entry->flags) == NAME_TRUNCATE) {
		ret = truncate_held(&pins[0], (off_t)arg_kind(s, K_LONG, 0));
		creds_restore(&saved);
		goto answer;
	}
	for (int k = 0; k < n && ret == 0; k++)
		ret = hold(&pins[k], &h[k]);
	if (ret == 0) {
		mode_t old = umask(creds->umask);
		ret = perform(s, h, n, text);
		umask(old);
	}
	creds_restore(&saved);
answer:
	for (int k = 0; k < 2; k++)
		if (h[k].dir >= 0)
			close(h[k].dir);
	free(text);
	free(creds);
	sandbox_answer(t, s, ret);
}
