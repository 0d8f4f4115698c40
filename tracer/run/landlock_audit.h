/*
 * Landlock's refusals read back from the kernel's audit log (Linux 6.15,
 * Landlock ABI 7): a path or port Landlock refuses fails without a stop, so
 * the supervisor never sees it; the kernel's audit records name it. Used when
 * the kernel logs them (audit enabled) and picovisor may read the log
 * (CAP_AUDIT_READ in the initial namespaces); otherwise why not is said.
 */
#ifndef PV_LANDLOCK_AUDIT_H
#define PV_LANDLOCK_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct tracee;

/*
 * Open the audit log for reading, before the program starts (landlock_abi:
 * the kernel's Landlock ABI). True if Landlock's refusals will be read; else
 * false with why not in why.
 */
bool landlock_audit_open(int landlock_abi, char *why, size_t size);
/* The run's first process (the creator of its Landlock domain) exists: start reading. */
void landlock_audit_start(pid_t domain_creator);
/* A task joined the run: its numbers, for refusals read after it is gone. */
void landlock_audit_note_task(const struct tracee *t);
/* Report the refusals read since the last call (the event loop, between stops). */
void landlock_audit_tick(void);
/* The run is over: read what is still coming, report it, stop reading. */
void landlock_audit_finish(void);
/* For the report's unseen_refusals: NULL if every Landlock refusal was read, else what was missed. */
const char *landlock_audit_gap(void);
/* Whether Landlock's refusals are being read (so the supervisor need not check paths to see them). */
bool landlock_audit_reading(void);

#endif
