/*
 * /proc entries that act on a process (include: sandbox_internal.h). Opening
 * /proc/PID/mem for writing does what ptrace and process_vm_writev do, and the
 * writable entries (attr/current, oom_score_adj, clear_refs, comm, coredump_filter,
 * uid_map...) change the process, and its fd/ and map_files/ entries reopen
 * its pipes and sockets: for a process outside the run they are
 * refused in every mode, like the calls that name it by pid, and not merely
 * reported as a path under on-violation log.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "path_access.h"
#include "policy.h"
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

static long outside_task(const char *path, unsigned need)
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
	/*
	 * mem at all (reading another process's memory is process_vm_readv), its
	 * open files at all (a pipe or socket reopened through fd/ or map_files/
	 * is pidfd_getfd), anything else for writing
	 */
	bool any_access = strcmp(entry, "mem") == 0 || strncmp(entry, "fd/", 3) == 0 || strncmp(entry, "map_files/", 10) == 0;
	if (!(any_access && (need & (PERM_R | PERM_W | PERM_C))) && !(need & (PERM_W | PERM_C)))
		return 0;
	if (!sandbox_pid_in_run((pid_t)pid))
		return pid;
	if (tid && !sandbox_pid_in_run((pid_t)tid))
		return tid;
	return 0;
}

enum check_result sandbox_check_proc_target(struct tracee *t, const struct syscall_stop *s, const char *path,
					    unsigned need)
{
	long task = outside_task(path, need);
	char needs[8];

	if (!task)
		return CHECK_PASS;
	/* what ptrace, process_vm_writev and pidfd_getfd would do: never, in any mode */
	return sandbox_refuse(t, s, EACCES, true, path, "%s needs %s and acts on task %ld, outside the run", path,
			      perms_letters(need, needs), task);
}
