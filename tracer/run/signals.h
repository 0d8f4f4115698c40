/*
 * picovisor's own signals. It stands between the caller and the program the
 * way a shell's child would: signals sent to it are passed on to the program,
 * it stops when the program stops (so the shell's job control sees the job
 * stop), and it ends the way the program ended.
 */
#ifndef PICOVISOR_SIGNALS_H
#define PICOVISOR_SIGNALS_H

#include <stdbool.h>
#include <sys/types.h>

/* Save the dispositions picovisor started with and install the forwarding handlers. */
void signals_setup(void);
/* In a freshly forked child: the dispositions and mask picovisor started with. */
void signals_restore_in_child(void);
struct signal_target;
/*
 * From now on, forward to this process (the main program; signal_send.h). own_session:
 * it is not in picovisor's terminal's foreground group (the sandbox's setsid), so what
 * the terminal sends (Ctrl-C) is forwarded too.
 */
void signals_set_target(const struct signal_target *main_program, bool own_session);
/*
 * The main program is about to be reaped: forward nothing more (called before its
 * target is retired, since the handler holds a copy of it).
 */
void signals_forget_target(void);
/* Forwarding goes by pid (no pidfd): the main program must be forgotten before it is reaped. */
bool signals_forward_needs_pid(void);
/*
 * Did picovisor itself receive stop signal sig (from the terminal, or sent to it or to the
 * whole job) since the last call? Only then does a stop of the program stop picovisor too.
 */
bool signals_take_stop_request(int sig);
/* Stop picovisor with sig (the program entered a group-stop with it); returns when continued. */
void signals_stop_like(int sig);
/* End picovisor with the program's wait status: same exit code, or death by the same signal. */
__attribute__((noreturn)) void signals_exit_like(int wait_status);

#endif
