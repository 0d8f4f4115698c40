/* Starting the first tracee: fork, seize, filter, exec. */
#ifndef PICOVISOR_SPAWN_H
#define PICOVISOR_SPAWN_H

#include <sys/types.h>

struct run_options;
struct signal_target;

/* The ptrace options of every tracee. */
#define PV_PTRACE_OPTIONS                                                                                    \
	(PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |             \
	 PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD)

/*
 * Fork the child that will become the program, seized by the calling thread,
 * with the run's filters (own_filters.h) installed before it execs opts->program_path (an exec the loader
 * serves like any other). Returns its pid, with *target made for it (signal_send.h)
 * while it could not be anything else; dies on setup failure.
 */
pid_t spawn_program(const struct run_options *opts, struct signal_target *target);

#endif
