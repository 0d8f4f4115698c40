/*
 * The run-wide limits of a sandbox policy that no rlimit can express: wall
 * time (the run ends with status 124), memory of the whole process tree and
 * open files of the whole run (sampled from /proc; the run ends with status
 * 159). A periodic timer interrupts the event loop's wait while any is set.
 *
 * Memory is each process's resident anonymous pages, plus what the
 * system's shared memory (tmpfs, memfd, POSIX and SysV shm, shared anonymous
 * mappings, huge pages) grew by since the run started: such pages need not be
 * in any process's resident set (a memfd written and never mapped, pages of a
 * mapping another process touched), and only the system-wide count sees them
 * whoever holds them, by fd, mapping, name or IPC id.
 */
#ifndef PICOVISOR_RUN_LIMITS_H
#define PICOVISOR_RUN_LIMITS_H

/* Start the clock and the sampling timer (nothing when the run has no such limit). */
void run_limits_start(void);
/* Called from the event loop: end the run if a limit is passed. Cheap when no tick is due. */
void run_limits_tick(void);
/* Peak memory of the run seen by sampling, bytes (0 if never sampled). */
unsigned long long run_limits_peak_memory(void);
/* Peak open files of the run seen by sampling (0 if never sampled). */
unsigned long long run_limits_peak_files(void);

/* Peak bytes of the fullest tmp directory seen by sampling (0 if never sampled). */
unsigned long long run_limits_peak_tmpfs(void);

#endif
