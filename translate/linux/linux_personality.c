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

#include "host.h"
#include "personality.h"
#include "tracee.h"

static void serve_readlink(struct tracee *t, const struct syscall_stop *s)
{
	/* readlink(path, buf, size) or readlinkat(dirfd, path, buf, size). */
	int path_arg = syscall_arg_index(s->abi, s->entry, K_PATH), buf_arg = syscall_arg_index(s->abi, s->entry, K_BUF_OUT);
	char path[PATH_MAX];
	const char *exe;
	uint64_t buf;
	long size;
	size_t len;

	/* Relative paths are not /proc/PID/exe unless the dirfd is /proc: pass them to the kernel. */
	if (path_arg < 0 || buf_arg < 0 ||
	    tracee_read_string(host_tid(t), regs_arg(&s->regs, s->abi, path_arg), path, sizeof(path)) < 0 ||
	    !(exe = host_exe_link(t, path)))
		return;
	buf = regs_arg(&s->regs, s->abi, buf_arg);
	size = (long)(int)regs_arg(&s->regs, s->abi, buf_arg + 1); /* the buffer's size follows it */
	len = strlen(exe);
	if (size <= 0) {
		verdict_fail(s, EINVAL);
		return;
	}
	if (len > (size_t)size)
		len = (size_t)size;
	verdict_answer(s, tracee_write(host_tid(t), buf, exe, len) < 0 ? -EFAULT : (long)len);
}

void linux_serve_call(struct tracee *t, const struct syscall_stop *s)
{
	if (!s->entry)
		return;
	if (s->entry->flags & SC_EXEC) {
		if (!host_facts()->kernel_loader)
			s->verdict->kind = VERDICT_EXEC;
		return;
	}
	if (s->entry->flags & SC_READLINK) {
		serve_readlink(t, s);
		return;
	}
	/* The program's own filters and strict mode: the supervisor's guard serves them (refusals come back
	 * through the personality's refuse). */
	if (s->entry->flags & SC_SECCOMP)
		s->verdict->kind = VERDICT_SECCOMP;
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
	const struct host_facts *o = host_facts();
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
