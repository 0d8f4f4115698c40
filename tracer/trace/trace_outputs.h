/*
 * Where trace records go, as strace's -o names it: a file, "-" (standard
 * output), "|command" (a pipe to sh -c command, which picovisor waits for at
 * the end), or nothing (standard error); and with -ff one file per process,
 * FILE.PID (the process's real pid, as strace names them).
 */
#ifndef PICOVISOR_TRACE_OUTPUTS_H
#define PICOVISOR_TRACE_OUTPUTS_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * Open spec (NULL: standard error). *shared says the program writes there too
 * (standard error or output): records are then written whole at once, in
 * order with the program's own lines. Dies with a message if it cannot.
 */
int trace_output_open(const char *spec, bool append, bool *shared);
/* Close what trace_output_open opened; for a pipe, wait for its command to finish reading. */
void trace_output_close(int fd);

/*
 * -ff: the fd of process tgid's file base.TGID, opened on first use (appended to if the
 * pid comes back, or always with append). -1 if it cannot be.
 */
int trace_output_process_fd(const char *base, pid_t tgid, bool append);
/* The process ended: its file is closed. */
void trace_output_process_done(pid_t tgid);
void trace_output_process_close_all(void);

#endif
