/*
 * The host operations: everything a personality may ask of the supervisor.
 * A personality decides (struct verdict, personality.h) and reaches the
 * tracee and the run through these calls only; the event loop, the exec job,
 * the scratch area and the trace sink stay the supervisor's
 * (docs/architecture.md, "Personalities return verdicts").
 *
 * Memory reads and writes of a stopped thread are tracee.h's (every bad
 * address is -EFAULT, never a fault in the supervisor).
 */
#ifndef PICOVISOR_HOST_H
#define PICOVISOR_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct pico_process;
struct tracee;
struct syscall_stop;

/* The scratch area's layout: a slot per thread, two paths and a structure (sockaddr, open_how, msghdr). */
#define SCRATCH_SLOT_SIZE (3 * 4096UL)
#define SCRATCH_SLOTS 256
#define SCRATCH_SIZE (SCRATCH_SLOT_SIZE * SCRATCH_SLOTS)

/* The facts of the run a personality may consult, settled before the program starts. */
struct host_facts {
	bool quiet;          /* --quiet: no refusal lines on standard error */
	bool kernel_loader;  /* debugging: the kernel loads images, not picovisor */
	bool may_set_exe;    /* the kernel can be told the executable (/proc/PID/exe needs no answer) */
	bool share_tty;      /* --tty: the program shares picovisor's terminal and process group */
	size_t trace_strsize; /* traces: bytes of each buffer shown */
};
const struct host_facts *host_facts(void);
/* Is the run traced (picovisor trace, run --trace)? */
bool host_tracing(void);

/* Who a thread is: its tid and its process's tgid. */
pid_t host_tid(const struct tracee *t);
pid_t host_tgid(const struct tracee *t);
/* The tgid of a process when it ends (exit_process). */
pid_t host_process_tgid(const struct pico_process *p);
/* Is pid a thread (or tgid) of a process of the run? */
bool host_task_in_run(pid_t pid);
/* The tgid of the run's thread tid, or 0 if tid is none of the run's. */
pid_t host_tgid_of(pid_t tid);
/* Call fn with the tid of every traced thread of the run. */
void host_for_each_task(void (*fn)(pid_t tid, void *ctx), void *ctx);
/* Traced threads alive now. */
int host_live_tasks(void);
/* The process picovisor was asked to run, at its first exec (the program itself, always allowed)? */
bool host_is_launch(const struct tracee *t);
/* A pidfd on t's process, picovisor's own (its signal target), or -1. */
int host_process_pidfd(const struct tracee *t);

/*
 * The personality's own state of a thread and of a process (opaque to the
 * supervisor; NULL until set). The personality frees it in its exit_thread
 * and exit_process.
 */
void *host_thread_state(const struct tracee *t);
void host_set_thread_state(struct tracee *t, void *state);
void *host_process_state(const struct tracee *t);
void host_set_process_state(struct tracee *t, void *state);
/* The same of a process that ends (exit_process). */
void *host_process_state_of(const struct pico_process *p);
void host_set_process_state_of(struct pico_process *p, void *state);

/* Threads of t's process traced now. */
int host_process_threads(const struct tracee *t);
/* From now on t's process is served by pers (a loader made it an NT process, say). */
struct personality;
void host_set_personality(struct tracee *t, const struct personality *pers);
/* A personality's service opened fd in t's process (a Linux call the supervisor had t make, which no
 * trace record shows): the supervisor looks at what it is (co-scheduling's /proc status rule). */
void host_file_opened(struct tracee *t, int fd);
/*
 * The status t's process ends with, as its personality names it (an
 * NTSTATUS): traces and the report carry it. first_only: keep one already
 * set. host_process_status: is one set, and which.
 */
void host_set_process_status(struct tracee *t, uint32_t status, bool first_only);
bool host_process_status(const struct tracee *t, uint32_t *status);

/*
 * The thread's slot of the sealed scratch area (scratch.h: memory its process
 * can read but no thread of it can change), which a call's checked arguments
 * are copied into: its address, or 0 with *err set (-ENOMEM, -ENOSYS). sp:
 * the thread's stack pointer, for a process that has no area yet.
 */
uint64_t host_scratch_slot(struct tracee *t, uint64_t sp, int *err);
/* Write into t's scratch area. 0 or -errno. */
int host_scratch_write(struct tracee *t, uint64_t addr, const void *buf, size_t len);
/* Does addr lie in t's scratch area (a call already given scratch pointers)? */
bool host_scratch_contains(const struct tracee *t, uint64_t addr);
/* Does [addr, addr + len) meet t's scratch area (where no out-parameter may go)? */
bool host_scratch_overlaps(const struct tracee *t, uint64_t addr, size_t len);

/*
 * The executable the exe link path names (/proc/self/exe, /proc/PID/exe,
 * /proc/PID/task/TID/exe, seen from t), as the program should be told it;
 * NULL if the path is no such link of a traced process with a known executable.
 */
const char *host_exe_link(struct tracee *t, const char *path);

/* How a refusal ends (on-violation of the sandbox; the one door is the personality's). */
enum host_refusal {
	HOST_REFUSAL_DENIED, /* the call failed with an errno */
	HOST_REFUSAL_KILLED, /* the run ends (status 159) */
	HOST_REFUSAL_LOGGED, /* let through and recorded (on-violation log) */
};
/* Report a refused call (s NULL: no call, an image an exec maps) on stderr, in the trace and the report. */
void host_report_refusal(struct tracee *t, const struct syscall_stop *s, const char *path, const char *rule,
			 enum host_refusal how, int err);
/* Say on stderr (unless --quiet) that a call of t's was refused and fails with err. */
void host_say_refused(struct tracee *t, const char *why, int err);
/* End the run: every tracee is killed, the run's status is 159 (a violation under on-violation kill). */
void host_end_run_violation(void);

/*
 * Call the personalities' tick at least every period_ns from now on (0: only
 * after events), even while no tracee stops: timed waits end on time.
 */
void host_tick_every(long period_ns);

/*
 * Run fn(ctx) with the supervisor's working directory at dirfd (a directory
 * picovisor holds: a call that names a file relative to a thread's cwd and has
 * no *at form, bind of a unix socket), and back: fn's result.
 */
int host_in_directory(int dirfd, int (*fn)(void *ctx), void *ctx);

struct verdict;
/*
 * Let a thread the personality held (VERDICT_HELD: parked in a wait, or a
 * signal it served) go on now, as v says (VERDICT_RESUME: set_regs,
 * want_exit). Outside the personality's hooks for that thread only: inside
 * one, the hook's own verdict says it.
 */
void host_release(struct tracee *t, const struct verdict *v);
/*
 * Stop thread t, which runs (it is not stopped at a stop the personality
 * holds), wherever it is: PTRACE_INTERRUPT. A Linux call it is in reports its
 * exit first (-ERESTARTSYS and the like); the personality's interrupted hook
 * gets the stop.
 */
void host_interrupt(struct tracee *t);
/* The run's thread tid (opaque: for host operations and the personality's own state), or NULL. */
struct tracee *host_find_thread(pid_t tid);
/* Send sig to that one thread of the run (through signal_send's door): 0 or -errno. */
int host_signal_thread(struct tracee *t, int sig);

#endif
