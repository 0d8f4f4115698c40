/*
 * The process's own information classes beyond the basic one:
 * NtQueryInformationProcess(ProcessTimes) from the kernel's accounting of
 * the process (/proc/PID/stat), and NtSetInformationProcess(ProcessAffinityMask).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#include "nt_internal.h"

enum { ProcessTimes = 4, ProcessAffinityMask = 21 };

/* A process's user and kernel time and its start, in 100 ns ticks (the start as an NT time): 0, or -1. */
static int process_times(pid_t pid, uint64_t *create, uint64_t *kernel, uint64_t *user)
{
	char path[64], buf[1024], *p;
	unsigned long long utime, stime, start;
	long hz = sysconf(_SC_CLK_TCK);
	struct timespec now, up;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	/* the command name may hold spaces and parentheses: the fields start after its last ')' */
	p = strrchr(buf, ')');
	if (!p || hz <= 0 ||
	    sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %*d %*d %*d %*d %llu", &utime,
		   &stime, &start) != 3)
		return -1;
	*user = utime * NT_TICKS_PER_SECOND / (unsigned long long)hz;
	*kernel = stime * NT_TICKS_PER_SECOND / (unsigned long long)hz;
	clock_gettime(CLOCK_REALTIME, &now);
	clock_gettime(CLOCK_BOOTTIME, &up);
	*create = nt_time_of(now.tv_sec, now.tv_nsec) -
		  ((uint64_t)up.tv_sec * NT_TICKS_PER_SECOND + (uint64_t)up.tv_nsec / 100) +
		  start * NT_TICKS_PER_SECOND / (unsigned long long)hz;
	return 0;
}

/* KERNEL_USER_TIMES: CreateTime, ExitTime (0: running), KernelTime, UserTime. */
void nt_process_times(struct tracee *t, uint64_t buf, uint32_t len, uint64_t retlen)
{
	unsigned char b[0x20] = { 0 };
	uint64_t create, kernel, user;
	uint32_t size = sizeof(b);

	if (len != size) {
		if (retlen)
			nt_put(t, retlen, &size, 4);
		nt_done(t, STATUS_INFO_LENGTH_MISMATCH);
		return;
	}
	if (process_times(host_tgid(t), &create, &kernel, &user) < 0) {
		nt_done(t, STATUS_UNSUCCESSFUL);
		return;
	}
	nt_le64(b, 0, create);
	nt_le64(b, 0x10, kernel);
	nt_le64(b, 0x18, user);
	if (nt_put(t, buf, b, size) || (retlen && nt_put(t, retlen, &size, 4))) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	nt_done(t, STATUS_SUCCESS);
}

/*
 * ProcessAffinityMask: a mask with a processor the system does not have, or
 * none, is STATUS_INVALID_PARAMETER as on Windows. All of the system's
 * processors is what every process has here: that succeeds. A narrower mask
 * would have to be applied to every thread of the process at once, which the
 * services cannot do (a thread runs Linux calls only for itself):
 * STATUS_NOT_SUPPORTED, said rather than pretended.
 */
void nt_serve_NtSetInformationProcess(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	int n = get_nprocs();
	uint64_t all = n >= 64 ? ~0ULL : (1ULL << n) - 1, mask;

	if (!nt_is_current_process(t, c->a[0])) {
		struct nt_object *o;
		ntstatus st = nt_handle_get(nt_process_of(t), c->a[0], NT_TYPE_PROCESS, &o, NULL);

		nt_done(t, st ? st : STATUS_ACCESS_DENIED);
		return;
	}
	if ((uint32_t)c->a[1] != ProcessAffinityMask) {
		nt_done(t, STATUS_INVALID_INFO_CLASS);
		return;
	}
	if ((uint32_t)c->a[3] != 8) {
		nt_done(t, STATUS_INFO_LENGTH_MISMATCH);
		return;
	}
	if (nt_get(t, c->a[2], &mask, 8)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	if (!mask || (mask & ~all)) {
		nt_done(t, STATUS_INVALID_PARAMETER);
		return;
	}
	nt_done(t, mask == all ? STATUS_SUCCESS : STATUS_NOT_SUPPORTED);
}
