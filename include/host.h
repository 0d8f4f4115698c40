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

struct tracee;
struct syscall_stop;

/* The facts of the run a personality may consult, settled before the program starts. */
struct host_facts {
	bool quiet;          /* --quiet: no refusal lines on standard error */
	bool kernel_loader;  /* debugging: the kernel loads images, not picovisor */
	bool may_set_exe;    /* the kernel can be told the executable (/proc/PID/exe needs no answer) */
	bool share_tty;      /* --tty: the program shares picovisor's terminal and process group */
	size_t trace_strsize; /* traces: bytes of each buffer shown */
};
const struct host_facts *host_facts(void);

/* Who a thread is: its tid and its process's tgid. */
pid_t host_tid(const struct tracee *t);
pid_t host_tgid(const struct tracee *t);
/* Is pid a thread (or tgid) of a process of the run? */
bool host_task_in_run(pid_t pid);

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

#endif
