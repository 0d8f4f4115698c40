/*
 * Is a stop the one an exec job waits for? The job runs calls in the thread
 * (the image's open, the stub's exec, a memfd, closes) and takes their stops
 * as its own. The program's own seccomp filters run on those calls too: an
 * ERRNO, TRAP or KILL of theirs outranks picovisor's TRACE, the call never
 * runs and no seccomp stop of picovisor's comes. Every injected call is
 * therefore resumed with PTRACE_SYSCALL (its entry and exit are always seen),
 * and each stop is taken only if the thread shows what picovisor set: number,
 * every argument, instruction pointer, and the kind of stop in its order, as
 * the NT personality checks its chained calls on arrival. Anything else is
 * the program's: the job is given up and the stop decided as any other.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../run/event_loop.h"
#include "exec_job.h"
#include "exec_job_internal.h"
#include "../run/options.h"
#include "trace.h"
#include "tracee.h"
#include "util.h"

void exec_job_expect(struct tracee *t, const tracee_regs *r, bool ip_at_insn, bool past_seccomp)
{
	struct job_expect *e = &t->job->expect;
	long nr = regs_syscall_nr(r);

	memset(e, 0, sizeof(*e));
	e->active = true;
	e->regs = *r;
	e->ip_at_insn = ip_at_insn;
	/* Rewritten at picovisor's own seccomp stop: the thread is past its entry and that stop. */
	e->entry_seen = e->seccomp_seen = past_seccomp;
	e->trapped = !past_seccomp && tracee_call_is_trapped(t, t->job->abi, nr);
}

/* The registers of the call the job set: number, every argument, where its syscall instruction ends. */
static bool same_call(const struct exec_job *j, const tracee_regs *r)
{
	const struct job_expect *e = &j->expect;
	uint64_t ip = regs_ip(&e->regs) + (e->ip_at_insn ? SYSCALL_INSN_LEN : 0);

	if (regs_syscall_nr(r) != regs_syscall_nr(&e->regs) || regs_ip(r) != ip)
		return false;
	for (int i = 0; i < 6; i++)
		if (regs_arg(r, j->abi, i) != regs_arg(&e->regs, j->abi, i))
			return false;
	return true;
}

/* The kind of stop, in the order the kernel makes them for one call. */
static bool in_order(struct job_expect *e, enum job_stop kind)
{
	switch (kind) {
	case JOB_STOP_SYSCALL_ENTRY:
		if (e->entry_seen)
			return false;
		e->entry_seen = true;
		return true;
	case JOB_STOP_SECCOMP:
		if (!e->entry_seen || e->seccomp_seen)
			return false;
		e->seccomp_seen = true;
		return true;
	case JOB_STOP_SYSCALL_EXIT:
		if (!e->entry_seen)
			return false;
		/* Trapped by picovisor, yet no stop of its: a stronger verdict of the program's filter ended the call. */
		e->decided_by_program = e->trapped && !e->seccomp_seen;
		e->active = false;
		return true;
	case JOB_STOP_EXEC:
	case JOB_STOP_SIGNAL:
		break;
	}
	return false;
}

static void mark_foreign(struct tracee *o, void *ctx)
{
	if (o->proc == ctx)
		o->foreign_filters = true;
}

/*
 * The thread went on in the program while picovisor waited for a stop of its
 * call: whatever it ran meanwhile was not seen, a filter install (with TSYNC)
 * among it. From now on every thread of the process has its verdicts computed.
 */
static void give_up(struct tracee *t, enum job_stop kind)
{
	struct exec_job *j = t->job;
	int err = j->err ? j->err : EPERM;

	exec_job_set_mask(t->tid, j->saved_mask);
	tracee_for_each(mark_foreign, t->proc);
	trace_call_done(t, -err);
	if (run_options()->verbose)
		warn("exec of %s in process %d given up: the thread made a %s stop that is not the call picovisor ran "
		     "for it (the thread went on in the program)",
		     j->path, t->proc->tgid,
		     kind == JOB_STOP_SECCOMP ? "seccomp" : kind == JOB_STOP_SYSCALL_EXIT ? "syscall exit" : "syscall entry");
	exec_job_free(t);
}

bool exec_job_claims_stop(struct tracee *t, enum job_stop kind)
{
	struct exec_job *j = t->job;
	tracee_regs r;

	if (!j || j->stage == STAGE_BATCH || kind == JOB_STOP_EXEC || kind == JOB_STOP_SIGNAL)
		return j != NULL; /* the batch checks its own results (load_check.c); an exec event is the kernel's */
	if (regs_get(t->tid, &r) < 0)
		return true; /* gone: its death is reported next */
	if (j->expect.active && same_call(j, &r) && in_order(&j->expect, kind))
		return true;
	give_up(t, kind);
	return false;
}

/*
 * A memfd the thread has just made: on the kernel's internal shmem mount
 * (where picovisor's own memfds are), empty, named as asked. A filter of the
 * program's can make memfd_create "return" any fd without running it; this
 * is how such an fd (a file the program opened O_PATH, say) is told apart.
 */
bool exec_job_is_fresh_memfd(int fd, const char *name)
{
	static dev_t shmem_dev;
	static int known;
	char link[64], target[512], want[512];
	struct stat st;
	ssize_t n;

	if (!known) {
		int probe = memfd_create("picovisor-probe", MFD_CLOEXEC);

		known = probe >= 0 && fstat(probe, &st) == 0 ? 1 : -1;
		if (known > 0)
			shmem_dev = st.st_dev;
		if (probe >= 0)
			close(probe);
	}
	if (known < 0 || fstat(fd, &st) < 0 || st.st_dev != shmem_dev || !S_ISREG(st.st_mode) || st.st_size != 0)
		return false;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	snprintf(want, sizeof(want), "/memfd:%s (deleted)", name);
	return strcmp(target, want) == 0;
}
