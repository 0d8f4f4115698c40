/*
 * trace -p PID: trace processes that are already running, as strace -p does.
 * Every thread of each process is seized (PTRACE_SEIZE) by picovisor as the
 * user who runs it, so the kernel's own check decides (Yama's ptrace_scope,
 * the process's owner, dumpability): nobody traces what they could not
 * ptrace themselves. An attached process is watched only: no seccomp filter,
 * no policy, no personality and no CPU pinning is ever put on it, and
 * PTRACE_O_EXITKILL is not set, so it runs on if picovisor dies. On SIGINT,
 * SIGTERM, SIGHUP or SIGQUIT, picovisor detaches from every thread (passing
 * on a signal it held) and leaves the processes running.
 */
#ifndef PICOVISOR_ATTACH_H
#define PICOVISOR_ATTACH_H

struct run_options;

/* Trace o->attach_pids until they end or picovisor is told to stop: the exit status (0, or 125). */
int attach_run(const struct run_options *o);

#endif
