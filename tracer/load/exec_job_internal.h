/*
 * Shared by the two halves of serving an exec: exec_job.c gets the stub exec'd
 * (everything before the point of no return), exec_load.c loads the image
 * into it (everything after).
 */
#ifndef PICOVISOR_EXEC_JOB_INTERNAL_H
#define PICOVISOR_EXEC_JOB_INTERNAL_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "loader.h"
#include "syscall_table.h"
#include "tracee.h"

struct tracee;
struct thread_creds;

enum stage {
	STAGE_OPENING,      /* the thread opens the image */
	STAGE_EXECING_SHARED, /* the thread execs picovisor's own sealed stub through /proc */
	STAGE_MEMFD,        /* it may not reach that one: it creates a memfd for the stub */
	STAGE_EXECING,      /* the thread execs the stub in its memfd */
	STAGE_CLOSING,      /* the exec failed: the thread closes what it opened */
	STAGE_BATCH,        /* the executor maps the image, then unmaps itself */
};

#define MAX_CLOSE 2

/*
 * The stops the call picovisor runs in the thread must make, in this order
 * (tracer/load/exec_job_verify.c): entry, picovisor's seccomp stop where its filter
 * traps the call, exit. Each is taken only if the thread shows the number,
 * arguments and instruction pointer picovisor set.
 */
struct job_expect {
	bool active;
	tracee_regs regs;      /* as set before the syscall instruction ran again (ip: that instruction) */
	bool ip_at_insn;       /* regs' ip is the syscall instruction (injected), not past it (rewritten at a stop) */
	bool trapped;          /* picovisor's filter stops this call: its seccomp stop comes before the exit */
	bool entry_seen, seccomp_seen;
	bool decided_by_program; /* exit with no seccomp stop: a filter of the program's answered it; it never ran */
};

struct exec_job {
	enum stage stage;
	enum abi abi;
	tracee_regs saved;        /* at the exec stop; restored if the exec fails */
	uint64_t saved_mask;
	int err;                  /* the errno a failing exec returns */
	char why[400];
	char *name;               /* the exec's path as the program gave it, when a personality translated it */
	char path[PATH_MAX];
	uint64_t path_addr;
	size_t path_len;
	int dirfd, flags;
	uint64_t argv_addr, envp_addr;
	uint64_t exec_argv;       /* argv for the stub's exec: the program's, or a script's interpreters' */
	int main_fd, memfd;       /* in the tracee */
	int image_fd;             /* picovisor's own copy of main_fd's open file while it is checked and planned */
	bool image_known;         /* image_dev/image_ino: the file checked and planned (compared at the exec event) */
	uint64_t image_dev, image_ino;
	int stub_fd;              /* picovisor's own copy of the memfd the thread made for the stub */
	struct thread_creds *creds; /* the thread's credentials, read once (NULL: not yet) */
	int close_fd[MAX_CLOSE], nclose;
	struct exec_plan plan;
	struct load_layout layout;
	uint64_t start_sp;
	uint64_t report_addr;     /* where the batch leaves its struct load_report */
	void *pe_state;           /* a PE load in progress (tracer/load/pe_load.c) */
	int filters_before;       /* Seccomp_filters before the batch where the program's filters may answer it, or -1 */
	bool via_execve;          /* the program called execve: the stub is exec'd with execve too (its filter allowed it) */
	struct job_expect expect; /* the call now running for the job */
};

void exec_job_free(struct tracee *t);
/* The call now set in t's registers (r) is the job's: expect its stops (exec_job_verify.c). */
void exec_job_expect(struct tracee *t, const tracee_regs *r, bool ip_at_insn, bool past_seccomp);
/* May fd (picovisor's, reached through the thread) be written as the memfd the thread just made? */
bool exec_job_is_fresh_memfd(int fd, const char *name);
void exec_job_set_mask(pid_t tid, uint64_t mask);

/* The stub is in place (exec event): write the stack and the batch, run the executor. */
void exec_load_start(struct tracee *t);
/* The executor stopped on its int3: an op failed; the process is killed with why. */
void exec_load_trapped(struct tracee *t);
/* The executor unmapped itself and faulted: start the program. */
void exec_load_done(struct tracee *t);
/* A failure after the old image is gone: kill the process, saying what failed. */
void exec_load_failed(struct tracee *t, const char *what);
/* The program's registers are set: hand the process its new image and let it run (stacked: filters the batch added). */
void exec_load_finish(struct tracee *t, bool has_scratch, uint64_t scratch_addr, int64_t seal_ret, int stacked);
/*
 * Where a filter of the program's may have answered the batch's calls
 * (tracer/load/load_check.c): is what the batch reports true? NULL, or what is not.
 */
const char *load_check(struct tracee *t, bool has_scratch, uint64_t scratch_addr, int filters_expected);
/* The thread's seccomp filter count (the kernel's), or -1. */
int load_check_filter_count(pid_t tid);
/* The batch is written at region: run the executor on it (its end is a SIGSEGV or an int3). */
void exec_load_run_executor(struct tracee *t, tracee_regs *r, uint64_t region, uint64_t batch);
/* With CAP_SYS_ADMIN the executor's calls need not stop: see exec_load.c. */
void exec_load_suspend_filter(struct tracee *t, bool suspend);
int exec_read_initial_stack(pid_t tid, uint64_t sp, struct initial_stack *st);

/* The same two steps for a PE image of the NT personality (tracer/load/pe_load.c). */
void pe_load_start(struct tracee *t);
void pe_load_done(struct tracee *t);
void pe_load_state_free(struct exec_job *j);

#endif
