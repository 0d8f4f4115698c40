/*
 * What a load's batch reports, checked against the kernel's own account where
 * a seccomp filter of the program's could have answered the batch's calls: a
 * filter returning SECCOMP_RET_ERRNO|0 makes mseal, seccomp or mmap "succeed"
 * without running. The scratch area must be mapped where reported and sealed
 * (on a kernel with mseal), and the filter the batch stacks must be in:
 * /proc/PID/smaps and /proc/PID/status are the kernel's, not the program's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../run/event_loop.h"
#include "exec_job_internal.h"
#include "../run/scratch.h"

#ifndef SYS_mseal
#define SYS_mseal 462
#endif

int load_check_filter_count(pid_t tid)
{
	char path[64], line[256];
	int n = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Seccomp_filters: %d", &n) == 1)
			break;
	fclose(f);
	return n;
}

/* Can this kernel seal memory? mseal of nothing answers 0 where it exists. */
static bool kernel_seals(void)
{
	static int seals = -1;

	if (seals < 0)
		seals = syscall(SYS_mseal, 0UL, 0UL, 0UL) == 0;
	return seals;
}

/* Is [addr, addr+size) one mapping, sealed if the kernel can seal? */
static bool area_in_place(pid_t tid, uint64_t addr, uint64_t size)
{
	char path[64], line[512];
	bool found = false, sealed = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", tid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		uint64_t lo, hi;

		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " ", &lo, &hi) == 2) {
			if (found)
				break; /* the next mapping: its VmFlags were not seen */
			found = lo == addr && hi == addr + size;
			continue;
		}
		if (found && strncmp(line, "VmFlags:", 8) == 0) {
			sealed = strstr(line, " sl") != NULL;
			break;
		}
	}
	fclose(f);
	return found && (sealed || !kernel_seals());
}

const char *load_check(struct tracee *t, bool has_scratch, uint64_t scratch_addr, int filters_expected)
{
	if (has_scratch && (!scratch_addr || !area_in_place(t->tid, scratch_addr, SCRATCH_SIZE)))
		return "the sealed scratch area is not in place (a seccomp filter of the program's answered the calls "
		       "that make it)";
	if (filters_expected >= 0 && load_check_filter_count(t->tid) != filters_expected)
		return "the seccomp filter the load stacks is not in place (a seccomp filter of the program's answered "
		       "the call that installs it)";
	return NULL;
}
