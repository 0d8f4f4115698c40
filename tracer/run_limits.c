/* Wall-time, run-wide memory and open-files limits (include/run_limits.h). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "event_loop.h"
#include "run_limits.h"
#include "sandbox.h"
#include "util.h"

/* The co-scheduling timer has SIGRTMIN+2. */
#define LIMITS_TICK_SIGNAL (SIGRTMIN + 3)
/* Often enough that a memory bomb is caught within a few hundred MB: one read of /proc per process a tick. */
#define SAMPLE_INTERVAL_NS 20000000L

static struct {
	bool on;
	uint64_t deadline_ns;   /* 0: no wall limit */
	uint64_t memory_limit;  /* 0: none */
	uint64_t files_limit;   /* 0: none */
	unsigned long long shared_at_start; /* the system's shared memory when the run started, bytes */
	unsigned long long peak, peak_files;
	volatile sig_atomic_t due;
} lim;

static void on_tick(int sig)
{
	(void)sig;
	lim.due = 1;
}

/*
 * Memory of the system that no process's resident set shows: tmpfs and memfd
 * pages (/dev/shm, POSIX and SysV shared memory, shared anonymous mappings:
 * all of them are the kernel's "Shmem"), and huge pages taken from the pool
 * (MFD_HUGETLB, SHM_HUGETLB), reserved ones too. Bytes, from /proc/meminfo.
 */
static unsigned long long system_shared_memory(void)
{
	unsigned long long shmem_kb = 0, total = 0, free_pages = 0, rsvd = 0, page_kb = 0;
	char line[256];
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "Shmem: %llu kB", &shmem_kb);
		sscanf(line, "HugePages_Total: %llu", &total);
		sscanf(line, "HugePages_Free: %llu", &free_pages);
		sscanf(line, "HugePages_Rsvd: %llu", &rsvd);
		sscanf(line, "Hugepagesize: %llu kB", &page_kb);
	}
	fclose(f);
	if (total >= free_pages)
		shmem_kb += (total - free_pages + rsvd) * page_kb;
	return shmem_kb << 10;
}

void run_limits_start(void)
{
	struct sandbox *sb = sandbox_get();
	const struct policy *p = sb ? &sb->policy : NULL;
	struct sigaction sa;
	struct sigevent ev;
	timer_t timer;
	struct itimerspec its = { { 0, SAMPLE_INTERVAL_NS }, { 0, SAMPLE_INTERVAL_NS } };

	if (!p || (!p->limit_set[LIMIT_WALL] && !p->limit_set[LIMIT_MEMORY] && !p->limit_set[LIMIT_FILES]))
		return;
	if (p->limit_set[LIMIT_WALL])
		lim.deadline_ns = monotonic_ns() + p->limit[LIMIT_WALL];
	if (p->limit_set[LIMIT_MEMORY]) {
		lim.memory_limit = p->limit[LIMIT_MEMORY];
		lim.shared_at_start = system_shared_memory();
	}
	if (p->limit_set[LIMIT_FILES])
		lim.files_limit = p->limit[LIMIT_FILES];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_tick; /* no SA_RESTART: the event loop's waitpid returns EINTR */
	sigaction(LIMITS_TICK_SIGNAL, &sa, NULL);
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = LIMITS_TICK_SIGNAL;
	if (timer_create(CLOCK_MONOTONIC, &ev, &timer) < 0 || timer_settime(timer, 0, &its, NULL) < 0)
		die("cannot start the timer of the run's limits: %s", strerror(errno));
	lim.on = true;
}

struct sample {
	unsigned long long memory; /* bytes */
	unsigned long long files;
};

/*
 * A process's own memory: its resident anonymous pages (statm's resident less
 * its shared, which are file and shared memory pages). Shared memory is
 * counted once, system-wide; file pages are the page cache's, which the
 * kernel reclaims, and would count every library once per process.
 */
static unsigned long long process_memory(pid_t pid)
{
	unsigned long size, resident, shared;
	unsigned long long bytes = 0;
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/statm", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%lu %lu %lu", &size, &resident, &shared) == 3 && resident > shared)
		bytes = (unsigned long long)(resident - shared) * (unsigned long long)sysconf(_SC_PAGESIZE);
	fclose(f);
	return bytes;
}

/* Open descriptors of a process: the size of /proc/PID/fd (Linux 6.2 and later), else its entries counted. */
static unsigned long long process_files(pid_t pid)
{
	char path[64];
	struct stat st;
	unsigned long long n = 0;
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	if (stat(path, &st) == 0 && st.st_size > 0)
		return (unsigned long long)st.st_size;
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((d = readdir(dir)))
		if (d->d_name[0] != '.')
			n++;
	closedir(dir);
	return n;
}

static void add_process(struct tracee *t, void *ctx)
{
	struct sample *s = ctx;

	if (!t->proc || t->proc->tgid != t->tid)
		return; /* one reading per process: threads share both */
	if (lim.memory_limit)
		s->memory += process_memory(t->tid);
	if (lim.files_limit)
		s->files += process_files(t->tid);
}

void run_limits_tick(void)
{
	struct sample s = { 0, 0 };

	if (!lim.on || !lim.due || run_end_reason() != RUN_END_NONE)
		return;
	lim.due = 0;
	if (lim.deadline_ns && monotonic_ns() >= lim.deadline_ns) {
		warn("the run reached its wall-time limit (%.3f s): ending it",
		     (double)sandbox_get()->policy.limit[LIMIT_WALL] / 1e9);
		run_end_request(RUN_END_WALL);
		return;
	}
	if (!lim.memory_limit && !lim.files_limit)
		return;
	tracee_for_each(add_process, &s);
	if (lim.memory_limit) {
		unsigned long long shared = system_shared_memory();

		if (shared > lim.shared_at_start)
			s.memory += shared - lim.shared_at_start;
	}
	if (s.memory > lim.peak)
		lim.peak = s.memory;
	if (s.files > lim.peak_files)
		lim.peak_files = s.files;
	if (lim.memory_limit && s.memory > lim.memory_limit) {
		warn("the run's processes use %llu MiB, over its memory limit of %llu MiB: ending it", s.memory >> 20,
		     (unsigned long long)lim.memory_limit >> 20);
		run_end_request(RUN_END_MEMORY);
	} else if (lim.files_limit && s.files > lim.files_limit) {
		warn("the run's processes hold %llu open files, over its files limit of %llu: ending it", s.files,
		     (unsigned long long)lim.files_limit);
		run_end_request(RUN_END_FILES);
	}
}

unsigned long long run_limits_peak_memory(void)
{
	return lim.peak;
}

unsigned long long run_limits_peak_files(void)
{
	return lim.peak_files;
}
