/*
 * The linux personality: passthrough. It traps only what a loader in user
 * space must serve: the exec family (every image goes through our loader) and,
 * when the kernel cannot be told the real executable, readlink of
 * /proc/PID/exe so that it names the program and not the stub.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event_loop.h"
#include "exec_job.h"
#include "options.h"
#include "personality.h"
#include "proc_links.h"
#include "seccomp_guard.h"
#include "tracee.h"
#include "util.h"

static void serve_readlink(struct tracee *t, const struct syscall_stop *s)
{
	/* readlink(path, buf, size) or readlinkat(dirfd, path, buf, size). */
	int path_arg = syscall_arg_index(s->abi, s->entry, K_PATH), buf_arg = syscall_arg_index(s->abi, s->entry, K_BUF_OUT);
	char path[PATH_MAX];
	struct pico_process *owner;
	tracee_regs r = s->regs;
	uint64_t buf;
	long size, ret;
	size_t len;

	/* Relative paths are not /proc/PID/exe unless the dirfd is /proc: pass them to the kernel. */
	if (path_arg < 0 || buf_arg < 0 || tracee_read_string(t->tid, regs_arg(&r, s->abi, path_arg), path, sizeof(path)) < 0 ||
	    !(owner = exe_link_owner(t, path))) {
		tracee_resume(t, 0);
		return;
	}
	buf = regs_arg(&r, s->abi, buf_arg);
	size = (long)(int)regs_arg(&r, s->abi, buf_arg + 1);
	len = strlen(owner->exe_path);
	if (size <= 0)
		ret = -EINVAL;
	else {
		if (len > (size_t)size)
			len = (size_t)size;
		ret = tracee_write(t->tid, buf, owner->exe_path, len) < 0 ? -EFAULT : (long)len;
	}
	regs_set_syscall_nr(&r, -1);
	regs_set_retval(&r, ret);
	regs_set(t->tid, &r);
	tracee_resume(t, 0);
}

/* The program's own seccomp calls (seccomp_guard.h); a refused filter goes through the personality's door. */
static void serve_seccomp(struct tracee *t, const struct syscall_stop *s)
{
	const char *why;
	int err = seccomp_guard_enter(t, s, &why);
	tracee_regs r = s->regs;

	if (err == 0)
		return;
	if (t->proc->pers->refuse) {
		t->proc->pers->refuse(t, s, -err, why);
		return;
	}
	if (!run_options()->quiet)
		warn("refused: process %d: %s; the call fails with %s", t->proc->tgid, why, strerror(-err));
	regs_set_syscall_nr(&r, -1);
	regs_set_retval(&r, err);
	regs_set(t->tid, &r);
	tracee_resume(t, 0);
}

void linux_serve_call(struct tracee *t, const struct syscall_stop *s)
{
	if (!s->entry) {
		tracee_resume(t, 0);
		return;
	}
	if (s->entry->flags & SC_EXEC) {
		if (run_options()->kernel_loader) {
			tracee_resume(t, 0);
			return;
		}
		exec_job_start(t, s);
		return;
	}
	if (s->entry->flags & SC_READLINK) {
		serve_readlink(t, s);
		return;
	}
	if (s->entry->flags & SC_SECCOMP) {
		serve_seccomp(t, s);
		return;
	}
	tracee_resume(t, 0);
}

static int linux_signal(struct tracee *t, int sig)
{
	(void)t;
	return sig;
}

static void linux_exit_thread(struct tracee *t)
{
	(void)t;
}

static void linux_exit_process(struct pico_process *p, int wait_status)
{
	(void)p;
	(void)wait_status;
}

unsigned linux_trapped_classes(enum abi abi)
{
	const struct run_options *o = run_options();
	unsigned classes = SC_EXEC | SC_SECCOMP; /* the program's own filters and strict mode (seccomp_guard.h) */

	(void)abi;
	/*
	 * Without the right to tell the kernel the executable, /proc/PID/exe names
	 * the stub: answer readlink ourselves. With it, do not pay a stop on every
	 * readlink (a gcc compile makes about 60, at some 50 us a stop).
	 */
	if (!o->may_set_exe && !o->kernel_loader)
		classes |= SC_READLINK;
	return classes;
}

const struct personality personality_linux = {
	.name = "linux",
	.syscall_enter = linux_serve_call,
	.signal = linux_signal,
	.exit_thread = linux_exit_thread,
	.exit_process = linux_exit_process,
	.trapped_classes = linux_trapped_classes,
};
