/*
 * What a sandboxed run reports: one line on stderr per violation (unless
 * --quiet), a "violation" record in the trace, and with --report FILE a JSON
 * document of the whole run (docs/policy.md, "Reports").
 */
#ifndef PICOVISOR_RUN_REPORT_H
#define PICOVISOR_RUN_REPORT_H

#include "personality.h"

struct tracee;
struct run_options;

/* What happened to a refused call. */
enum refusal_action {
	ACTION_DENIED, /* failed with an errno */
	ACTION_KILLED, /* the run ends (status 159) */
	ACTION_LOGGED, /* allowed and recorded (on-violation log) */
};

/*
 * Record a refusal of call s (NULL: the exec image alone, named by path) made
 * by thread t: the rule that refused it, what was done, and the errno given.
 */
void run_report_violation(struct tracee *t, const struct syscall_stop *s, const char *path, const char *rule,
			  enum refusal_action action, int err);
/*
 * A refusal the kernel made without a stop (Landlock's, read from the audit
 * log): the task may be gone, so what is known of it comes with it.
 */
struct kernel_refusal {
	pid_t hpid, htid;   /* host numbers */
	int vpid, vtid;     /* the run's numbers; 0 if the task was never seen */
	enum abi abi;
	const char *call;   /* the call's name; NULL: unknown (nr, or -1) */
	long nr;
	const char *exe;    /* NULL: unknown */
	const char *argv;   /* NUL-separated, argv_len bytes */
	size_t argv_len;
	const char *object; /* the path or address refused; NULL none */
	const char *rule;
	int err;
};
void run_report_kernel_refusal(const struct kernel_refusal *r);
/* A process still running when the main program ended: it is killed and named in the report. */
void run_report_leftover(struct tracee *leader);
/* Violations so far (those past the report's list included). */
unsigned long run_report_violation_count(void);
/* Open --report FILE (if asked) before the program starts; dies if it cannot. */
void run_report_open(const struct run_options *o);
/*
 * Write --report FILE (if asked), into the file opened at the start: the run
 * ended with wait status main_status, picovisor exits with exit_code (which
 * differs from the program's own under fail-on-violation).
 */
void run_report_write(const struct run_options *o, int main_status, int exit_code);

#endif
