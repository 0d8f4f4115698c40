/*
 * The event loop: one waitpid loop over every thread of every pico process of
 * the run. It owns the tracee table, keeps ptrace's rules (seize, group-stop,
 * events) and hands each stop to the thread's personality or to a job (a
 * multi-stop operation such as loading an image) that the thread is running.
 */
#ifndef PICOVISOR_EVENT_LOOP_H
#define PICOVISOR_EVENT_LOOP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "signal_send.h"
#include "syscall_table.h"

struct exec_job;
struct scratch_area;
struct filter_chain;
struct seccomp_install;
struct personality;

struct pico_process {
	pid_t tgid;
	int vpid;            /* traces: the leader's vtid */
	int pidfd;           /* traces: for looking at its sockets; -1 until needed */
	struct signal_target target; /* the only way picovisor signals it (signal_send.h) */
	int nthreads;        /* traced threads; the process record goes with the last */
	const struct personality *pers;
	char *exe_path;      /* what /proc/PID/exe should name; NULL until the first load */
	bool is_main;        /* the process picovisor was asked to run */
	bool loaded;         /* an image was loaded into it by picovisor (or the kernel) */
	bool readlink_trapped; /* a filter of its own traps readlink: it could not be told its exe */
	struct scratch_area *scratch; /* path translation's sealed memory (scratch.h), or NULL */
	void *pers_state;            /* the personality's own state of the process (host.h), or NULL */
	bool has_nt_status;          /* an NT process ended with this NTSTATUS (traces and reports carry it) */
	uint32_t nt_status;
};

enum resume_kind {
	RESUME_CONT,         /* run until the next trap, event or signal */
	RESUME_SYSCALL,      /* also stop at the next syscall entry/exit */
};

struct trace_call;

struct tracee {
	pid_t tid;
	int vtid;                  /* traces: threads numbered from 1 in creation order */
	struct trace_call *call;   /* traces: the call in flight, or NULL */
	struct pico_process *proc;
	struct exec_job *job;      /* a load in progress, or NULL */
	enum resume_kind resume;   /* how to resume after a stop nobody else handled */
	bool attached;             /* its creation event arrived (parent known) */
	bool pinned;               /* co-scheduled: picovisor set its affinity (cosched.h) */
	bool own_affinity;         /* the program set its affinity: never pinned */
	bool affinity_fixup;       /* sched_{get,set}affinity in flight: cosched_syscall_exit at its exit */
	bool affinity_set;         /* that call is sched_setaffinity, of affinity_target */
	bool affinity_was_pinned, affinity_was_own; /* the target's state before: a failed set keeps it */
	pid_t affinity_target;
	uint64_t affinity_buf;
	bool in_group_stop;
	bool exec_event_pending;   /* traces: the kernel loaded an image; its exec event follows the exec's record */
	bool personality_exit;     /* the personality wants this call's syscall-exit stop (syscall_exit) */
	bool starting;             /* created, not yet run: the personality's task_start is due */
	bool interrupting;         /* host_interrupt asked for a stop: its PTRACE_EVENT_STOP is the personality's */
	void *pers_state;          /* the personality's own state of the thread (host.h), or NULL */
	int scratch_slot;          /* its slot in scratch_area, -1 for none */
	int scratch_nslots;        /* slots it holds from scratch_slot on (a span, scratch.h); 0 counts as 1 */
	struct scratch_area *scratch_area;
	struct filter_chain *filters; /* the seccomp filters picovisor installed in this thread (own_filters.h) */
	bool program_filters;      /* the program installed a seccomp filter of its own in this thread */
	bool foreign_filters;      /* one may be in (set before an install runs): verdicts are computed (own_filters.h) */
	struct seccomp_install *seccomp_install; /* a filter install served by seccomp_guard.h, until its exit stop */
	struct tracee *next;       /* hash chain */
};

struct run_options;

/* Did the personalities' clock tick (host_tick_every) since the last call? */
bool host_tick_take(void);
/* The facts of the run the personalities are given (host.h), from the options. */
void host_facts_set(const struct run_options *o);

/* Run the program described by opts to the end. Returns the main program's wait status. */
int event_loop_run(const struct run_options *opts);

/* Resume t after a stop, delivering sig (0 for none). */
void tracee_resume(struct tracee *t, int sig);
struct tracee *tracee_find(pid_t tid);
/* Does the run's filter stop t's calls of this number (for the personality, the supervisor or the trace)? */
bool tracee_call_is_trapped(const struct tracee *t, enum abi abi, long nr);
void tracee_for_each(void (*fn)(struct tracee *t, void *ctx), void *ctx);
/* The global facts of the run that personalities consult. */
const struct run_options *run_options(void);
/* Kill a tracee's whole process after an internal failure, saying why (through its signal target). */
void tracee_kill_process(struct tracee *t, const char *why);
/* Traced tasks alive now. */
int tracee_live_count(void);

/* Why a run ended before its main program did. */
enum run_end {
	RUN_END_NONE,
	RUN_END_WALL,      /* the wall-time limit: status 124 */
	RUN_END_VIOLATION, /* on-violation kill: status 159 */
	RUN_END_MEMORY,    /* the memory limit of the run: status 159 */
	RUN_END_FILES,     /* the open-files limit of the run: status 159 */
	RUN_END_TMPFS,     /* a tmp directory passed the tmpfs limit: status 159 */
};
/* End the run now: every tracee is killed; the run's status says why. The first reason stays. */
void run_end_request(enum run_end why);
enum run_end run_end_reason(void);
/* The run's counters (for reports). */
struct run_counts {
	unsigned long tasks, processes, stops;
	bool has_nt_status;  /* the main program was an NT process that ended with this NTSTATUS */
	uint32_t nt_status;
};
const struct run_counts *run_counts(void);

#endif
