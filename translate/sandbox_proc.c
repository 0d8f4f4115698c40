/*
 * /proc entries that act on a process (include: sandbox_internal.h). Opening
 * /proc/PID/mem for writing does what ptrace and process_vm_writev do, and the
 * writable entries (attr/current, oom_score_adj, clear_refs, comm, coredump_filter,
 * uid_map...) change the process: for a process outside the run they are
 * refused in every mode, like the calls that name it by pid, and not merely
 * reported as a path under on-violation log.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "sandbox_internal.h"

/* The number that starts s, up to the next '/' or the end: > 0, or 0 for none. */
static long leading_id(const char *s, const char **rest)
{
	char *end;
	long id;

	if (*s < '1' || *s > '9')
		return 0;
	id = strtol(s, &end, 10);
	if (*end != '\0' && *end != '/')
		return 0;
	*rest = end;
	return id;
}

long sandbox_proc_outside_task(const char *path, unsigned need)
{
	const char *rest, *entry;
	long pid, tid = 0;

	if (strncmp(path, "/proc/", 6) != 0 || !(pid = leading_id(path + 6, &rest)))
		return 0;
	entry = rest;
	if (strncmp(rest, "/task/", 6) == 0 && (tid = leading_id(rest + 6, &entry)) == 0)
		return 0; /* /proc/PID/task itself: a listing */
	if (*entry == '/')
		entry++;
	/* mem at all (reading another process's memory is process_vm_readv), anything else for writing */
	if (!(strcmp(entry, "mem") == 0 && (need & (PERM_R | PERM_W | PERM_C))) && !(need & (PERM_W | PERM_C)))
		return 0;
	if (!sandbox_pid_in_run((pid_t)pid))
		return pid;
	if (tid && !sandbox_pid_in_run((pid_t)tid))
		return tid;
	return 0;
}
