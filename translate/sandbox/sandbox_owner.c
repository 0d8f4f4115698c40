/*
 * Processes named by a descriptor, and the owner of a descriptor's signals
 * (include: sandbox_internal.h). Both reach a process without a pid in a
 * register, so the filter cannot decide them and Landlock's signal scope
 * (where the kernel has it, and not under on-violation log) is the only other
 * wall. The supervisor finds the process and refuses one outside the run in
 * every mode; where it can, it rewrites the call into an equivalent one whose
 * target is the pid it checked, in a register no other thread can change
 * (pidfd_send_signal into kill, tgkill, rt_sigqueueinfo or rt_tgsigqueueinfo,
 * F_SETOWN_EX into F_SETOWN),
 * so that swapping the descriptor or the memory after the look changes
 * nothing. A rewritten call runs without a second stop: the kernel lets a
 * TRACE verdict pass when it re-runs the filter after a stop. The calls with
 * no equivalent by pid (pidfd_getfd, process_madvise, process_mrelease) run
 * only from a descriptor table no other task shares, where nothing can swap
 * the number before the call (sandbox_state_private), and are refused
 * otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox_internal.h"
#include "tracee.h"

#ifndef F_OWNER_TID
#define F_OWNER_TID 0
#define F_OWNER_PID 1
#define F_OWNER_PGRP 2
#endif
#ifndef SIOCSPGRP
#define SIOCSPGRP 0x8902
#endif
#define PIDFD_THREAD_FLAG O_EXCL /* PIDFD_THREAD: a pidfd of one thread */

/* What a descriptor of the tracee names. */
struct fd_process {
	pid_t pid;    /* the task (a tgid unless thread); -1: it has ended */
	bool thread;  /* a thread's pidfd, or a /proc/PID/task/TID directory */
	bool found;   /* a pidfd or a /proc directory of a task; false: neither (the kernel refuses it) */
};

/* A "Name:\t<number>" line of a /proc text, or false. */
static bool proc_field(FILE *f, const char *name, long *out)
{
	char line[256];
	size_t n = strlen(name);

	rewind(f);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, name, n) == 0 && line[n] == ':')
			return sscanf(line + n + 1, " %li", out) == 1;
	return false;
}

/* Look at the descriptor itself, through a copy of it (never by a name the program chose). 0 or -errno. */
static int fd_process_of(struct tracee *t, int fd, struct fd_process *out)
{
	long copy, v;
	char path[64];
	struct statfs sf;
	FILE *f;

	memset(out, 0, sizeof(*out));
	/* From the thread's own table (a thread may have one apart from its process's). */
	copy = tracee_take_fd(host_tid(t), host_tgid(t), fd);
	if (copy < 0)
		return (int)copy;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%ld", copy);
	f = fopen(path, "re");
	if (f && proc_field(f, "Pid", &v)) { /* a pidfd */
		long flags = 0;

		out->found = true;
		out->pid = (pid_t)v;
		rewind(f);
		char line[128];
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "flags: %lo", &flags) == 1)
				break;
		out->thread = (flags & PIDFD_THREAD_FLAG) != 0;
	} else if (fstatfs((int)copy, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC) {
		/* A /proc directory of a task (pidfd_send_signal takes those too): its own status says which. */
		int st = openat((int)copy, "status", O_RDONLY | O_CLOEXEC);
		FILE *sf2 = st >= 0 ? fdopen(st, "re") : NULL;
		long tgid, tid;

		if (!sf2 && st >= 0)
			close(st);
		if (sf2 && proc_field(sf2, "Tgid", &tgid) && proc_field(sf2, "Pid", &tid)) {
			out->found = true;
			out->pid = (pid_t)tid;
			out->thread = tid != tgid;
		}
		if (sf2)
			fclose(sf2);
	}
	if (f)
		fclose(f);
	close((int)copy);
	return 0;
}

#ifndef PIDFD_SIGNAL_THREAD
#define PIDFD_SIGNAL_THREAD (1UL << 0)
#define PIDFD_SIGNAL_THREAD_GROUP (1UL << 1)
#define PIDFD_SIGNAL_PROCESS_GROUP (1UL << 2)
#endif

/* The call s becomes: nr with its arguments, all in registers (info, a pointer, is read by the kernel once). */
static void rewrite_call(struct syscall_stop *s, const char *name, const uint64_t *args, int nargs)
{
	long nr = syscall_number(s->abi, name);

	regs_set_syscall_nr(&s->regs, nr);
	for (int i = 0; i < nargs; i++)
		regs_set_arg(&s->regs, s->abi, i, args[i]);
	s->nr = nr;
	s->entry = syscall_lookup(s->abi, (int)nr);
}

/*
 * pidfd_send_signal(fd, sig, info, flags) to the task fp names, checked to be
 * of the run: the same signal by the checked pid, so that the kernel never
 * reads the descriptor again (another thread may have put another process
 * behind its number meanwhile). Every form has an equivalent by pid but one:
 * a process group with a siginfo, which is refused. CHECK_PASS: s is rewritten.
 */
static enum check_result signal_by_checked_pid(struct tracee *t, struct syscall_stop *s, const struct fd_process *fp)
{
	uint64_t sig = regs_arg(&s->regs, s->abi, 1), info = regs_arg(&s->regs, s->abi, 2);
	uint64_t flags = regs_arg(&s->regs, s->abi, 3);
	pid_t task_tgid = host_tgid_of(fp->pid);
	pid_t tgid = task_tgid ? task_tgid : fp->pid; /* not a tracee: a zombie child, a whole process */
	bool thread = flags == PIDFD_SIGNAL_THREAD || (flags == 0 && fp->thread);

	if (flags != 0 && flags != PIDFD_SIGNAL_THREAD && flags != PIDFD_SIGNAL_THREAD_GROUP &&
	    flags != PIDFD_SIGNAL_PROCESS_GROUP) {
		sandbox_fail_call(t, s, EINVAL); /* what the kernel says of unknown or several flags */
		return CHECK_DONE;
	}
	if (flags == PIDFD_SIGNAL_PROCESS_GROUP) {
		/* The group whose id is the task's pid (the kernel's meaning), checked like kill(-pgid). */
		if (!sandbox_group_in_run(fp->pid))
			return sandbox_refuse_target(t, s, fp->pid, "process group");
		if (info && getpgid(fp->pid) != fp->pid) {
			sandbox_fail_call(t, s, ESRCH); /* it leads no group: what the kernel says */
			return CHECK_DONE;
		}
		if (info)
			return sandbox_refuse(t, s, EPERM, true, NULL,
					      "pidfd_send_signal to a process group with a siginfo has no equivalent by "
					      "pid that the supervisor could check: refused (kill(-pgid) is allowed)");
		rewrite_call(s, "kill", (uint64_t[]){ (uint64_t)-(long)fp->pid, sig }, 2);
	} else if (thread) {
		if (info)
			rewrite_call(s, "rt_tgsigqueueinfo", (uint64_t[]){ (uint64_t)tgid, (uint64_t)fp->pid, sig, info }, 4);
		else
			rewrite_call(s, "tgkill", (uint64_t[]){ (uint64_t)tgid, (uint64_t)fp->pid, sig }, 3);
	} else {
		rewrite_call(s, info ? "rt_sigqueueinfo" : "kill", (uint64_t[]){ (uint64_t)tgid, sig, info }, info ? 3 : 2);
	}
	verdict_set_regs(s, &s->regs);
	return CHECK_PASS;
}

enum check_result sandbox_check_pidfds(struct tracee *t, struct syscall_stop *s)
{
	const struct syscall_entry *e = s->entry;
	struct fd_process fp;
	int rc;

	for (int i = 0; i < syscall_nargs(e); i++) {
		if (e->args[i].kind != K_PIDFD)
			continue;
		rc = fd_process_of(t, (int)regs_arg(&s->regs, s->abi, i), &fp);
		if (rc == -EBADF || (rc == 0 && !fp.found))
			return CHECK_PASS; /* no process behind it: the kernel refuses the call itself */
		if (rc < 0)
			return sandbox_refuse(t, s, EPERM, true, NULL,
					      "%s: the process its descriptor names cannot be looked at (%s): refused",
					      e->name, strerror(-rc));
		if (fp.pid <= 0) {
			sandbox_fail_call(t, s, ESRCH); /* it has ended: what the kernel says */
			return CHECK_DONE;
		}
		if (!sandbox_pid_in_run(fp.pid))
			return sandbox_refuse_target(t, s, fp.pid, "process");
		/* A signal by a pidfd: the same by the pid just checked, whatever its flags. */
		if ((e->flags & CL_SIGNAL) && i == 0)
			return signal_by_checked_pid(t, s, &fp);
		/*
		 * Any other call (pidfd_getfd, process_madvise, process_mrelease) has
		 * no equivalent by pid and reads the descriptor again when it runs:
		 * only a descriptor table no other task can change until then keeps
		 * it the one just checked.
		 */
		if (!sandbox_state_private(t, host_tid(t), SHARED_FILES))
			return sandbox_refuse(t, s, EPERM, true, NULL,
					      "%s: another task shares the descriptor table, which could put another "
					      "process's pidfd behind the number after the check: refused (a process "
					      "whose table is its own may make the call)",
					      e->name);
	}
	return CHECK_PASS;
}

/* who: F_SETOWN's value (a pid, or minus a process group); tid: F_OWNER_TID's. */
static enum check_result check_owner_value(struct tracee *t, const struct syscall_stop *s, long who, bool tid)
{
	if (who == 0)
		return CHECK_PASS; /* no owner: no signal */
	if (who < 0 && !tid)
		return sandbox_group_in_run((pid_t)-who) ? CHECK_PASS : sandbox_refuse_target(t, s, -who, "process group");
	return sandbox_pid_in_run((pid_t)who) ? CHECK_PASS : sandbox_refuse_target(t, s, who, "process");
}

/* F_SETOWN_EX for one thread: done by the supervisor on the open file itself, then answered. */
static enum check_result set_thread_owner(struct tracee *t, struct syscall_stop *s, int fd,
					  const struct f_owner_ex *owner)
{
	long pidfd = host_process_pidfd(t), own = -1, copy;
	int err = 0;

	if (pidfd < 0)
		pidfd = own = syscall(SYS_pidfd_open, host_tgid(t), 0);
	copy = pidfd >= 0 ? syscall(SYS_pidfd_getfd, pidfd, fd, 0) : -1;
	if (copy < 0)
		err = errno;
	else if (fcntl((int)copy, F_SETOWN_EX, owner) < 0)
		err = errno;
	if (copy >= 0)
		close((int)copy);
	if (own >= 0)
		close((int)own);
	sandbox_fail_call(t, s, err); /* err 0: the call returns 0 */
	return CHECK_DONE;
}

enum check_result sandbox_check_owner(struct tracee *t, struct syscall_stop *s)
{
	const struct syscall_entry *e = s->entry;

	for (int i = 0; i + 1 < syscall_nargs(e); i++) {
		unsigned cmd = (unsigned)regs_arg(&s->regs, s->abi, i);
		uint64_t arg = regs_arg(&s->regs, s->abi, i + 1);

		if (e->args[i].kind == K_IOCTL_CMD && (cmd == FIOSETOWN || cmd == SIOCSPGRP))
			/* The value is in memory another thread can change: fcntl F_SETOWN says the same in a register. */
			return sandbox_refuse(t, s, EPERM, true, NULL,
					      "ioctl FIOSETOWN and SIOCSPGRP (a descriptor's signal owner, read from memory) "
					      "are never allowed in the sandbox: fcntl F_SETOWN is, for processes of the run");
		if (e->args[i].kind != K_FCNTL_CMD)
			continue;
		if (cmd == F_SETOWN)
			return check_owner_value(t, s, (long)(int)arg, false);
		if (cmd == F_SETOWN_EX) {
			struct f_owner_ex owner;
			enum check_result r;
			int fd = i > 0 ? (int)regs_arg(&s->regs, s->abi, i - 1) : -1;

			if (tracee_read(host_tid(t), arg, &owner, sizeof(owner)) != (ssize_t)sizeof(owner)) {
				sandbox_fail_call(t, s, EFAULT);
				return CHECK_DONE;
			}
			if (owner.type != F_OWNER_TID && owner.type != F_OWNER_PID && owner.type != F_OWNER_PGRP) {
				sandbox_fail_call(t, s, EINVAL);
				return CHECK_DONE;
			}
			if (owner.pid < 0) {
				sandbox_fail_call(t, s, EINVAL);
				return CHECK_DONE;
			}
			r = check_owner_value(t, s, owner.type == F_OWNER_PGRP ? -(long)owner.pid : owner.pid,
					      owner.type == F_OWNER_TID);
			if (r == CHECK_DONE)
				return r;
			if (owner.type == F_OWNER_TID)
				return set_thread_owner(t, s, fd, &owner);
			/* A process or a group: F_SETOWN with the checked value. */
			regs_set_arg(&s->regs, s->abi, i, F_SETOWN);
			regs_set_arg(&s->regs, s->abi, i + 1,
				     (uint64_t)(long)(owner.type == F_OWNER_PGRP ? -owner.pid : owner.pid));
			verdict_set_regs(s, &s->regs);
			return CHECK_PASS;
		}
		return CHECK_PASS;
	}
	return CHECK_PASS;
}
