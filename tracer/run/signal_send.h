/*
 * The one door of every signal picovisor sends to another process.
 *
 * There is no function that takes a bare pid: a signal goes to a
 * signal_target, and targets are made only for processes of the run, at a
 * moment their pid cannot name anything else (a child or tracee picovisor
 * has not yet waited for: the kernel keeps its pid until then). A target
 * holds a pidfd where the kernel has them (pidfd_open, Linux 5.3), so the
 * signal reaches that very process or nothing, whatever happens to the
 * number. Without a pidfd (older kernels, or picovisor out of descriptors)
 * it falls back to kill(pid), which is safe only while the pid is not
 * reaped: the event loop retires a target before it reaps its process
 * (signal_target_retire), and send refuses retired targets and pids <= 0.
 *
 * signal_send is async-signal-safe (picovisor's forwarding handler uses it).
 */
#ifndef PICOVISOR_SIGNAL_SEND_H
#define PICOVISOR_SIGNAL_SEND_H

#include <signal.h>
#include <sys/types.h>

struct signal_target {
	pid_t pid;                 /* > 0 while live; 0 once retired */
	int pidfd;                 /* -1: none (kill(pid) fallback) */
	volatile sig_atomic_t live;
};

/*
 * Make a target for pid, a process of the run that picovisor has not waited
 * for (its own child, or a tracee whose exit it has not collected). A pid <= 0
 * gives a retired target. Returns 0, or -errno when no pidfd could be had (the
 * target then falls back to kill).
 */
int signal_target_open(struct signal_target *to, pid_t pid);
/* The process is about to be reaped (or was): never signal it again. Closes the pidfd. */
void signal_target_retire(struct signal_target *to);
/* Does this target send through a pidfd? */
int signal_target_has_pidfd(const struct signal_target *to);
/*
 * Send sig (0: only check it exists) to the target's process. 0 or -errno:
 * -ESRCH for a retired target (or a process that is gone), -EINVAL for a pid
 * <= 0, which no target can hold. Async-signal-safe; errno is kept.
 */
int signal_send(const struct signal_target *to, int sig);
/*
 * Send sig to one thread of the run: a tracee picovisor has not waited for
 * (its tid cannot name another thread until then), in its thread group tgid.
 * 0 or -errno (-EINVAL for ids <= 0). Async-signal-safe; errno is kept.
 */
int signal_send_thread(pid_t tgid, pid_t tid, int sig);

#endif
