/*
 * Serving an exec: a job that spans several ptrace stops of one thread.
 * At the exec's seccomp stop the thread opens the image itself (its own
 * credentials, cwd and dirfd), the supervisor plans the load from that very
 * file, the thread execs the stub (picovisor's sealed memfd through /proc, or
 * a memfd of its own when it may not reach that), and the executor maps the
 * plan into the blank process (tracer/load/exec_load.c). Until the kernel replaces
 * the image every failure returns the exec's errno to the old program.
 */
#ifndef PICOVISOR_EXEC_JOB_H
#define PICOVISOR_EXEC_JOB_H

#include "personality.h"

struct tracee;

enum job_stop {
	JOB_STOP_SYSCALL_ENTRY,
	JOB_STOP_SYSCALL_EXIT,
	JOB_STOP_SECCOMP,
	JOB_STOP_EXEC,
	JOB_STOP_SIGNAL,   /* signal-delivery-stop; sig given */
};

/* Start serving the exec t is stopped in (a SECCOMP_RET_TRACE stop). */
void exec_job_start(struct tracee *t, const struct syscall_stop *s);
/*
 * The same for an exec whose path a personality translated: s holds the
 * translated call, program_regs the registers to give back if the exec fails,
 * name the path as the program gave it (AT_EXECFN, a script's argv).
 */
void exec_job_start_named(struct tracee *t, const struct syscall_stop *s, const tracee_regs *program_regs,
			  const char *name);
/*
 * Is this stop of t (which has a job) the one its job waits for? Checked
 * before exec_job_step: the number, arguments and instruction pointer of the
 * call the job set, and the stop's kind in its order. false: the job was
 * given up (a filter of the program's answered the job's call, so the thread
 * went on in the program): the exec failed, the thread's signal mask is back,
 * and this stop is the program's own, to be decided as any other.
 */
bool exec_job_claims_stop(struct tracee *t, enum job_stop kind);
/* Advance t's job on a stop. */
void exec_job_step(struct tracee *t, enum job_stop kind, int sig);
/* t died or vanished: drop its job. */
void exec_job_abandon(struct tracee *t);

#endif
