/* Wall-time, run-wide memory and open-files limits (tracer/run/run_limits.h). */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "event_loop.h"
#include "guest_view.h"
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
	uint64_t tmpfs_limit;   /* 0: none */
	unsigned long long peak_tmpfs;
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

	if (!p || (!p->limit_set[LIMIT_WALL] && !p->limit_set[LIMIT_MEMORY] && !p->limit_set[LIMIT_FILES] &&
		   !(p->limit_set[LIMIT_TMPFS] && guest_view())))
		return;
	if (p->limit_set[LIMIT_TMPFS])
		lim.tmpfs_limit = p->limit[LIMIT_TMPFS];
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
 * -1: the task has no address space (a leader that has left, an ended task).
 */
static long long process_memory(pid_t pid)
{
	unsigned long size, resident, shared;
	long long bytes = -1;
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/statm", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fscanf(f, "%lu %lu %lu", &size, &resident, &shared) == 3 && size > 0)
		bytes = resident > shared ? (long long)(resident - shared) * sysconf(_SC_PAGESIZE) : 0;
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

/* The run's live tasks of one tick, gathered before they are read. */
struct task_list {
	struct tracee **t;
	size_t n, cap;
};

static void gather_task(struct tracee *t, void *ctx)
{
	struct task_list *l = ctx;

	if (!t->proc)
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->t = xrealloc(l->t, l->cap * sizeof(*l->t));
	}
	l->t[l->n++] = t;
}

static int by_process(const void *a, const void *b)
{
	pid_t x = (*(struct tracee *const *)a)->proc->tgid, y = (*(struct tracee *const *)b)->proc->tgid;

	return (x > y) - (x < y);
}

/*
 * A process's memory, read through its threads: the leader may have left with
 * SYS_exit while the others live on, and a leader without its mm reads as 0.
 * The first thread that still has an address space speaks for the process.
 */
static unsigned long long memory_of_processes(struct tracee **t, size_t n)
{
	unsigned long long total = 0;

	for (size_t i = 0; i < n;) {
		size_t end = i;
		bool read = false;

		while (end < n && t[end]->proc == t[i]->proc)
			end++;
		for (size_t k = i; k < end && !read; k++) {
			long long m = process_memory(t[k]->tid);
			if (m >= 0) {
				total += (unsigned long long)m;
				read = true;
			}
		}
		i = end;
	}
	return total;
}

/*
 * Do two tasks share one descriptor table? kcmp(KCMP_FILES) orders tables
 * consistently (0 the same, 1 and 2 below and above), so a process's threads
 * can be sorted by table and each table counted once. On a kernel without kcmp
 * (ENOSYS) no two tasks are taken to share one: threads that share a table
 * count it once each, an overcount (a run ended early, never late;
 * docs/policy.md).
 */
#ifndef KCMP_FILES
#define KCMP_FILES 2
#endif
static bool have_kcmp = true;

static int table_order(const struct tracee *a, const struct tracee *b)
{
	long r;

	if (a->tid == b->tid)
		return 0;
	if (have_kcmp) {
		r = syscall(SYS_kcmp, a->tid, b->tid, KCMP_FILES, 0, 0);
		if (r == 0)
			return 0;
		if (r == 1 || r == 2)
			return r == 1 ? -1 : 1;
		if (errno == ENOSYS)
			have_kcmp = false;
	}
	/* no answer (no kcmp; a task that has just ended): a table of its own, ordered by the task's id */
	return (a->tid > b->tid) - (a->tid < b->tid);
}

/* A merge sort: it stays within its arrays whatever the comparisons say (a task may end midway). */
static void sort_by_table(struct tracee **t, struct tracee **tmp, size_t n)
{
	size_t half = n / 2, i = 0, j = half, k = 0;

	if (n < 2)
		return;
	sort_by_table(t, tmp, half);
	sort_by_table(t + half, tmp, n - half);
	while (i < half && j < n)
		tmp[k++] = table_order(t[i], t[j]) <= 0 ? t[i++] : t[j++];
	while (i < half)
		tmp[k++] = t[i++];
	while (j < n)
		tmp[k++] = t[j++];
	memcpy(t, tmp, n * sizeof(*t));
}

/* Open descriptors in the distinct tables of n tasks, each table read through a task that uses it. */
static unsigned long long files_of_tasks(struct tracee **t, struct tracee **tmp, size_t n)
{
	unsigned long long total = 0;

	sort_by_table(t, tmp, n);
	for (size_t i = 0; i < n;) {
		size_t end = i + 1;
		unsigned long long most = process_files(t[i]->tid);

		/* the same table: count it once, by whichever of its tasks still reads it */
		while (end < n && table_order(t[i], t[end]) == 0) {
			unsigned long long f = process_files(t[end]->tid);
			if (f > most)
				most = f;
			end++;
		}
		total += most;
		i = end;
	}
	return total;
}

/*
 * Open descriptors of the run: every distinct descriptor table of each
 * process once, read through a task that uses it (threads made without
 * CLONE_FILES have tables of their own; a leader that has left has none).
 * t is sorted by process. A table shared by processes that are not threads
 * of one another (clone(CLONE_FILES) without CLONE_THREAD) counts once per
 * process: an overcount, and it keeps kcmp to the threads of one process.
 */
static unsigned long long files_of_tables(struct tracee **t, size_t n)
{
	struct tracee **tmp = xcalloc(n ? n : 1, sizeof(*tmp));
	unsigned long long total = 0;

	for (size_t i = 0; i < n;) {
		size_t end = i;

		while (end < n && t[end]->proc == t[i]->proc)
			end++;
		total += files_of_tasks(t + i, tmp, end - i);
		i = end;
	}
	free(tmp);
	return total;
}

/* Deep enough for what a program keeps in /dev/shm; a deeper tree is counted down to here. */
#define TMPFS_MAX_DEPTH 16

/* Bytes the files below directory fd take (allocated blocks, as a tmpfs counts them); fd is closed. */
static unsigned long long bytes_below(int fd, int depth)
{
	DIR *d = fdopendir(fd);
	struct dirent *e;
	unsigned long long total = 0;

	if (!d) {
		close(fd);
		return 0;
	}
	while ((e = readdir(d))) {
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		total += (unsigned long long)st.st_blocks * 512;
		if (S_ISDIR(st.st_mode) && depth < TMPFS_MAX_DEPTH) {
			int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub >= 0)
				total += bytes_below(sub, depth + 1);
		}
	}
	closedir(d);
	return total;
}

/* The fullest tmp directory of the run, bytes: each is held by descriptor since before the start. */
static unsigned long long fullest_tmp(void)
{
	const struct guest_view *v = guest_view();
	unsigned long long most = 0;

	for (size_t i = 0; v && i < v->n; i++) {
		int fd;
		unsigned long long n;

		if (!v->mounts[i].tmp || v->mounts[i].held.fd < 0)
			continue;
		fd = openat(v->mounts[i].held.fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = bytes_below(fd, 0);
		if (n > most)
			most = n;
	}
	return most;
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
	if (lim.tmpfs_limit) {
		unsigned long long used = fullest_tmp();

		if (used > lim.peak_tmpfs)
			lim.peak_tmpfs = used;
		if (used > lim.tmpfs_limit) {
			warn("a private tmp directory of the run holds %llu KiB, over its tmpfs limit of %llu KiB: "
			     "ending it", used >> 10, (unsigned long long)lim.tmpfs_limit >> 10);
			run_end_request(RUN_END_TMPFS);
			return;
		}
	}
	if (!lim.memory_limit && !lim.files_limit)
		return;
	{
		struct task_list l = { NULL, 0, 0 };

		tracee_for_each(gather_task, &l);
		qsort(l.t, l.n, sizeof(*l.t), by_process);
		if (lim.memory_limit)
			s.memory = memory_of_processes(l.t, l.n);
		if (lim.files_limit)
			s.files = files_of_tables(l.t, l.n);
		free(l.t);
	}
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

unsigned long long run_limits_peak_tmpfs(void)
{
	return lim.peak_tmpfs;
}
