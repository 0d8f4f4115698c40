/*
 * Co-scheduling: while the run stops often (tracing every call, exec storms),
 * keep picovisor and its tracees on one CPU. A ptrace stop whose wake-up
 * crosses CPUs costs 25-50 us on these machines (the idle vCPU halts); on one
 * CPU it costs about 7 us. When the run stops rarely (computing), the tracees
 * get their own affinity back so that parallel programs spread out.
 *
 * Programs must not see this: sched_getaffinity of a pinned thread reports
 * the mask it had, a thread that sets its own affinity (successfully) is left
 * alone from then on, and so is a thread whose /proc status or stat file the
 * run opens (seen where the open stops: a trace that selects it).
 */
#ifndef PICOVISOR_COSCHED_H
#define PICOVISOR_COSCHED_H

#include <stdbool.h>
#include <signal.h>
#include <stdint.h>

struct tracee;
struct syscall_stop;

/* Enable (or not) for the run; the supervisor's own mask is what tracees get back. */
void cosched_init(bool enabled);
/* The run's main program starts under a personality that sees every call: pinned from here (its start
 * is stop-bound), unless the run was pinned or unpinned already. */
void cosched_start(void);
/* t's call opened fd (a call the supervisor made for it, which no trace records): an open of a
 * thread's /proc status or stat unpins that thread, as cosched_call_seen does for traced opens. */
void cosched_fd_opened(struct tracee *t, long fd);
/* The syscall classes the filter must trap for it (SC_AFFINITY when enabled). */
unsigned cosched_trapped_classes(void);
/* One more ptrace stop happened: may pin or unpin the run. */
void cosched_note_stop(void);
/* The timer that watches a pinned run fired (waitpid was interrupted). */
void cosched_tick(void);
/* The signal of that timer: a real-time signal picovisor never forwards. */
#define COSCHED_TICK_SIGNAL (SIGRTMIN + 2)
/* A new task: it inherited its parent's mask (and whether the program chose it). */
void cosched_new_task(struct tracee *child, const struct tracee *parent);
/* sched_{get,set}affinity at their seccomp stop; the thread is resumed. */
void cosched_syscall_enter(struct tracee *t, const struct syscall_stop *s);
/* At the exit stop of a call that cosched_syscall_enter marked: fix the result up. */
void cosched_syscall_exit(struct tracee *t);
/* A traced call completed (trace_call_end): an open of a thread's /proc status or stat unpins that thread. */
void cosched_call_seen(struct tracee *t);

#endif
