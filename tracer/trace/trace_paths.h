/*
 * trace -P PATH, strace's path filter: only the calls that touch one of the
 * paths are shown. A call touches PATH when a path argument names it (as
 * given, or as its absolute real path), when an fd argument is open on it,
 * or when the fd it returns is (fd tracking: a relative open, a dup, an
 * accept on a socket file). The fds are looked up in /proc/TID/fd, as strace
 * does; what the filter decides only selects lines of the trace.
 */
#ifndef PICOVISOR_TRACE_PATHS_H
#define PICOVISOR_TRACE_PATHS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "syscall_table.h"

void trace_paths_set(char *const *paths, int n);
bool trace_paths_active(void);
/* At the call's entry (fds it closes are still there) or exit (ret is then known: the fd it made). */
bool trace_paths_touched(pid_t tid, const struct syscall_entry *e, const uint64_t *args, bool at_exit, long ret);

#endif
