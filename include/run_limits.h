/*
 * The run-wide limits of a sandbox policy that no rlimit can express: wall
 * time (the run ends with status 124) and memory of the whole process tree
 * (sampled from /proc; the run ends with status 159). A periodic timer
 * interrupts the event loop's wait while either is set.
 */
#ifndef PICOVISOR_RUN_LIMITS_H
#define PICOVISOR_RUN_LIMITS_H

/* Start the clock and the sampling timer (nothing when the run has no such limit). */
void run_limits_start(void);
/* Called from the event loop: end the run if a limit is passed. Cheap when no tick is due. */
void run_limits_tick(void);
/* Peak memory of the run seen by sampling, bytes (0 if never sampled). */
unsigned long long run_limits_peak_memory(void);

#endif
