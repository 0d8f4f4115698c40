/*
 * A personality serves the system calls of a pico process, modelled on the pico
 * provider routines: dispatch a system call, dispatch a signal (exception),
 * exit a thread, exit a process, load an image. The event loop calls these;
 * a personality never waits for tracee events and never resumes a thread
 * itself: it answers with a verdict, and reaches the run through host.h.
 */
#ifndef PICOVISOR_PERSONALITY_H
#define PICOVISOR_PERSONALITY_H

#include <signal.h>

#include "syscall_table.h"
#include "tracee.h"

struct tracee;
struct pico_process;

/*
 * What should happen to a trapped call: the personality decides, the event
 * loop carries it out and alone resumes the thread (docs/architecture.md,
 * "Personalities return verdicts").
 */
enum verdict_kind {
	VERDICT_RESUME,  /* run the call (with regs, if set_regs: rewritten arguments) */
	VERDICT_ANSWER,  /* the call does not run: it returns ret (a negative errno fails it) */
	VERDICT_EXEC,    /* serve the exec through picovisor's loader (an exec job) */
	VERDICT_SECCOMP, /* the program's own seccomp call: the supervisor's guard serves it */
	VERDICT_HELD,    /* the thread stays stopped; the personality has it resumed later (host_release) */
};

struct verdict {
	enum verdict_kind kind;
	long ret;              /* ANSWER: the call's result */
	bool set_regs;         /* RESUME, ANSWER: regs are the thread's registers (else the stop's) */
	bool want_exit;        /* RESUME: call the personality's syscall_exit at this call's exit stop */
	bool end_run;          /* then end the run (on-violation kill): every tracee is killed, status 159 */
	tracee_regs regs;
	/* EXEC: the program's registers to give back if the exec fails (else regs/the stop's), and the
	 * name the program gave when its path was translated (malloc'd; the loop frees it). */
	bool exec_has_program_regs;
	tracee_regs exec_program_regs;
	char *exec_name;
};

/* What a SECCOMP_RET_TRACE stop hands the personality (decoded from SECCOMP_RET_DATA). */
struct syscall_stop {
	enum abi abi;
	long nr;
	const struct syscall_entry *entry; /* NULL if the table has no such call */
	tracee_regs regs;                  /* read once by the event loop, at the stop */
	unsigned long data;                /* SECCOMP_RET_DATA: why the filter stopped it */
	struct verdict *verdict;           /* what the personality decides (VERDICT_RESUME until it does) */
};

/* Verdicts, written into the stop's verdict. */
static inline void verdict_answer(const struct syscall_stop *s, long ret)
{
	s->verdict->kind = VERDICT_ANSWER;
	s->verdict->ret = ret;
}

static inline void verdict_fail(const struct syscall_stop *s, int err)
{
	verdict_answer(s, -(long)err);
}

/* The thread's registers become r (rewritten arguments; for an answer, the registers it is given in). */
static inline void verdict_set_regs(const struct syscall_stop *s, const tracee_regs *r)
{
	s->verdict->set_regs = true;
	s->verdict->regs = *r;
}

struct personality {
	const char *name;
	/* Every call of its processes that can open a file stops (the supervisor makes the opens): what the
	 * program opens is known, so co-scheduling may pin such a run from its start (tracer/run/cosched.c). */
	bool sees_every_call;
	/* A trapped system call at entry: the personality writes what should happen into s->verdict. */
	void (*syscall_enter)(struct tracee *t, const struct syscall_stop *s);
	/* A signal is about to be delivered: the signal to deliver, 0 to suppress it, -1 when the personality
	 * holds the thread (it released it through host_release, or will). */
	int (*signal)(struct tracee *t, int sig);
	void (*exit_thread)(struct tracee *t);
	void (*exit_process)(struct pico_process *p, int wait_status);
	/* Which class flags of the syscall table this personality needs trapped, per ABI. */
	unsigned (*trapped_classes)(enum abi abi);
	/* Optional: the syscall-exit stop of a call whose verdict asked for it (want_exit). v comes as
	 * VERDICT_RESUME: the thread goes on as the call left it; set_regs gives it other registers, want_exit
	 * stops it at the exit of the call those registers make; VERDICT_HELD keeps it stopped there
	 * (host_release later). */
	void (*syscall_exit)(struct tracee *t, struct verdict *v);
	/* Optional: may the exec t is serving map this image (fd: the supervisor's, on the file)? 0 or -errno. */
	int (*image_allowed)(struct tracee *t, int fd, const char *role);
	/* Optional: a new thread or process of t's was created (it has not run yet). */
	void (*task_created)(struct tracee *child, struct tracee *parent);
	/* Optional: that new task is stopped for the first time and about to run: set it up. true: the
	 * personality holds it there (a thread created suspended) and has it go on later (host_release). */
	bool (*task_start)(struct tracee *child);
	/* Optional: a thread host_interrupt stopped is at that stop (it may have run a while since). true:
	 * the personality holds it (host_release later); false: it goes on as it was. */
	bool (*interrupted)(struct tracee *t);
	/* Optional: refuse a call the supervisor will not let run, whatever the policy (err, the rule that
	 * refuses it), into s->verdict; without it the call fails with -err and picovisor says why on stderr. */
	void (*refuse)(struct tracee *t, const struct syscall_stop *s, int err, const char *rule);
	/* Optional: the host path of an image an exec names by path (a script's interpreter, PT_INTERP). 0 or -errno. */
	int (*image_path)(struct tracee *t, const char *path, char *host, size_t size);
	/* Optional: time passed (called after every event of the run and whenever a timer signal interrupts
	 * the wait for one; clock: the tick host_tick_every asked for came since the last call): the
	 * personality's timed waits that are due are answered. */
	void (*tick)(bool clock);
};

/* Every personality, for what the event loop does for each (tick). */
extern const struct personality *const personalities[];

extern const struct personality personality_linux;
extern const struct personality personality_sandbox;
extern const struct personality personality_nt;

/* The linux personality's services, which the sandbox serves the same way once a call is allowed. */
void linux_serve_call(struct tracee *t, const struct syscall_stop *s);
unsigned linux_trapped_classes(enum abi abi);

#endif
