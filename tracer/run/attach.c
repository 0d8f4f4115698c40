/* trace -p PID (attach.h): seize running processes, trace their calls with syscall stops, detach. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attach.h"
#include "event_loop.h"
#include "options.h"
#include "personality.h"
#include "trace.h"
#include "tracee.h"
#include "util.h"

/* No EXITKILL: the processes are not picovisor's, and must outlive it. */
#define ATTACH_OPTIONS                                                                                        \
	(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT | PTRACE_O_TRACEFORK |               \
	 PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE)

struct attached {
	struct tracee t;          /* what the trace sink knows a thread by (vtid: the real tid) */
	bool exec_event_pending;  /* the kernel ran an exec: its event follows the execve record */
	bool announced;           /* seized, or its creation event came: a task stopped before that is not */
	struct attached *next;
};

static struct attached *threads;
static int nthreads;
static volatile sig_atomic_t stop_requested;

static void request_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void wake(int sig)
{
	(void)sig; /* only interrupts waitpid, so that a stop request is seen */
}

static struct attached *find(pid_t tid)
{
	for (struct attached *a = threads; a; a = a->next)
		if (a->t.tid == tid)
			return a;
	return NULL;
}

static struct pico_process *process_of(pid_t tgid)
{
	struct pico_process *p;

	for (struct attached *a = threads; a; a = a->next)
		if (a->t.proc && a->t.proc->tgid == tgid)
			return a->t.proc;
	p = xcalloc(1, sizeof(*p));
	p->tgid = tgid;
	p->vpid = tgid;
	p->pidfd = -1;
	p->pers = &personality_linux; /* named in JSON records; its hooks are never called */
	return p;
}

/* The process a thread belongs to, from /proc (a thread seized or reported before its creation event). */
static pid_t tgid_of(pid_t tid)
{
	char path[64], line[256];
	FILE *f;
	pid_t tgid = tid;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	f = fopen(path, "re");
	if (!f)
		return tid;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "Tgid:", 5) == 0) {
			tgid = (pid_t)atoi(line + 5);
			break;
		}
	fclose(f);
	return tgid;
}

static struct attached *add(pid_t tid, pid_t tgid)
{
	struct attached *a = xcalloc(1, sizeof(*a));

	a->t.tid = tid;
	a->t.vtid = tid;
	a->t.attached = true;
	a->t.scratch_slot = -1;
	a->t.resume = RESUME_SYSCALL;
	a->t.proc = process_of(tgid);
	a->t.proc->nthreads++;
	a->next = threads;
	threads = a;
	nthreads++;
	return a;
}

static void drop(struct attached *a)
{
	struct attached **pp = &threads;
	struct pico_process *p = a->t.proc;

	while (*pp != a)
		pp = &(*pp)->next;
	*pp = a->next;
	nthreads--;
	trace_call_free(&a->t);
	if (--p->nthreads == 0) {
		if (p->pidfd >= 0)
			close(p->pidfd);
		free(p);
	}
	free(a);
}

/* Why the kernel refused to let this user attach to pid, in words that say what to do. */
static void explain_refusal(pid_t pid, int err)
{
	char path[64], line[256];
	struct stat st;
	FILE *f;
	int scope = -1;
	long tracer = 0;

	if (err == ESRCH)
		die("-p %d: no such process", (int)pid);
	f = fopen("/proc/sys/kernel/yama/ptrace_scope", "re");
	if (f) {
		if (fscanf(f, "%d", &scope) != 1)
			scope = -1;
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (strncmp(line, "TracerPid:", 10) == 0)
				tracer = atol(line + 10);
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if (tracer > 0)
		die("-p %d: the process is already traced (by pid %ld): a process has one tracer", (int)pid, tracer);
	if (stat(path, &st) == 0 && st.st_uid != geteuid() && geteuid() != 0)
		die("-p %d: not permitted: the process belongs to uid %u and you are uid %u; picovisor attaches with "
		    "your rights only", (int)pid, (unsigned)st.st_uid, (unsigned)geteuid());
	if (scope == 3)
		die("-p %d: not permitted: Yama's kernel.yama.ptrace_scope is 3, no process may attach to another", (int)pid);
	if (scope == 2)
		die("-p %d: not permitted: Yama's kernel.yama.ptrace_scope is 2, only CAP_SYS_PTRACE may attach", (int)pid);
	if (scope == 1)
		die("-p %d: not permitted: Yama's kernel.yama.ptrace_scope is 1, only a process's ancestors (or "
		    "CAP_SYS_PTRACE) may attach; start the program under picovisor trace instead", (int)pid);
	die("-p %d: not permitted: %s (a set-user-id or non-dumpable program, or another user's)", (int)pid,
	    strerror(err));
}

/* Seize every thread of pid, until a pass over /proc/PID/task finds none new (threads it makes meanwhile). */
static void seize_process(pid_t pid, bool quiet)
{
	char path[64];
	bool added = true;

	if (pid == getpid())
		die("-p %d: that is picovisor itself", (int)pid);
	if (tgid_of(pid) != pid)
		die("-p %d: that is a thread of process %d: give the process", (int)pid, (int)tgid_of(pid));
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	while (added) {
		DIR *d = opendir(path);
		struct dirent *de;

		if (!d)
			explain_refusal(pid, errno == ENOENT ? ESRCH : errno);
		added = false;
		while ((de = readdir(d))) {
			pid_t tid = (pid_t)atoi(de->d_name);

			if (tid <= 0 || find(tid))
				continue;
			if (ptrace(PTRACE_SEIZE, tid, 0, (void *)(long)ATTACH_OPTIONS) < 0) {
				if (errno == ESRCH && tid != pid)
					continue; /* a thread that just ended */
				closedir(d);
				explain_refusal(pid, errno);
			}
			add(tid, pid)->announced = true;
			ptrace(PTRACE_INTERRUPT, tid, 0, 0); /* its first stop starts the syscall stops */
			added = true;
		}
		closedir(d);
	}
	if (!quiet)
		fprintf(stderr, "picovisor: Process %d attached\n", (int)pid);
}

static void resume(struct attached *a, int sig)
{
	ptrace(PTRACE_SYSCALL, a->t.tid, 0, (long)sig); /* ESRCH: it died meanwhile; its end comes next */
}

static void on_syscall_stop(struct attached *a)
{
	enum syscall_stop_kind kind;
	enum abi abi;
	tracee_regs regs;

	if (tracee_syscall_info(a->t.tid, &kind, &abi) < 0)
		return;
	if (kind == STOP_SYSCALL_ENTRY) {
		if (regs_get(a->t.tid, &regs) == 0 &&
		    trace_selection_has(trace_selection(), abi, regs_syscall_nr(&regs)))
			trace_call_begin(&a->t, abi, &regs);
		return;
	}
	if (kind == STOP_SYSCALL_EXIT) {
		trace_call_end(&a->t); /* nothing if its entry came before the attach */
		if (a->exec_event_pending) {
			a->exec_event_pending = false;
			trace_exec(&a->t);
		}
	}
}

static void on_exec(struct attached *a)
{
	unsigned long former = 0;

	/* An exec from another thread: that thread now has the leader's tid and the others are gone. */
	if (ptrace(PTRACE_GETEVENTMSG, a->t.tid, 0, &former) == 0 && (pid_t)former != a->t.tid) {
		struct attached *old = find((pid_t)former);

		if (old) {
			trace_call_move(&old->t, &a->t);
			drop(old);
		}
	}
	a->exec_event_pending = true;
}

static void on_new_task(struct attached *a)
{
	unsigned long child = 0;
	struct attached *c;

	if (ptrace(PTRACE_GETEVENTMSG, a->t.tid, 0, &child) < 0 || child == 0)
		return;
	c = find((pid_t)child);
	if (!c)
		c = add((pid_t)child, tgid_of((pid_t)child));
	if (!c->announced) {
		c->announced = true;
		trace_spawn(&c->t, &a->t, c->t.proc == a->t.proc);
	}
}

static void on_stop(struct attached *a, int status)
{
	int sig = WSTOPSIG(status), event = status >> 16;

	switch (event) {
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		on_new_task(a);
		break;
	case PTRACE_EVENT_EXEC:
		on_exec(a);
		break;
	case PTRACE_EVENT_EXIT:
		trace_call_abandon(&a->t);
		break;
	case PTRACE_EVENT_STOP:
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
			ptrace(PTRACE_LISTEN, a->t.tid, 0, 0); /* a group-stop: it stays stopped, as without us */
			return;
		}
		break;
	case 0:
		if (sig == (SIGTRAP | 0x80)) {
			on_syscall_stop(a);
			break;
		}
		trace_signal(&a->t, sig);
		resume(a, sig);
		return;
	default:
		break;
	}
	resume(a, 0);
}

/*
 * Let go of every thread: each is interrupted and, at its next stop, detached,
 * with the signal it was about to be given. A group-stopped process stays
 * stopped, as it would have without picovisor.
 */
static void detach_all(bool quiet)
{
	for (struct attached *a = threads; a; a = a->next)
		ptrace(PTRACE_INTERRUPT, a->t.tid, 0, 0);
	while (nthreads > 0) {
		int status, sig = 0;
		pid_t tid = waitpid(-1, &status, __WALL);
		struct attached *a;

		if (tid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		a = find(tid);
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (a)
				drop(a);
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		if ((status >> 16) == 0 && WSTOPSIG(status) != (SIGTRAP | 0x80))
			sig = WSTOPSIG(status); /* a signal on its way in: it is still delivered */
		if ((status >> 16) == PTRACE_EVENT_FORK || (status >> 16) == PTRACE_EVENT_VFORK ||
		    (status >> 16) == PTRACE_EVENT_CLONE) {
			unsigned long child = 0;

			/* the new task is traced too: it is let go at its first stop */
			if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &child) == 0 && child && !find((pid_t)child))
				add((pid_t)child, tgid_of((pid_t)child));
		}
		if (!a)
			a = add(tid, tgid_of(tid));
		if (ptrace(PTRACE_DETACH, tid, 0, (long)sig) == 0 || errno == ESRCH) {
			if (a->t.proc->tgid == tid && !quiet)
				fprintf(stderr, "picovisor: Process %d detached\n", (int)tid);
			drop(a);
		}
	}
}

int attach_run(const struct run_options *o)
{
	struct sigaction sa;
	struct itimerval tick = { { 0, 200000 }, { 0, 200000 } };

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = request_stop;
	sigfillset(&sa.sa_mask);
	/* no SA_RESTART: waitpid returns, and the loop sees the request */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* A request that comes just before waitpid would wait for the next event: a tick bounds that wait. */
	sa.sa_handler = wake;
	sigaction(SIGALRM, &sa, NULL);

	trace_open(o);
	for (int i = 0; i < o->nattach; i++)
		seize_process(o->attach_pids[i], o->quiet_attach);
	setitimer(ITIMER_REAL, &tick, NULL);
	while (nthreads > 0 && !stop_requested) {
		int status;
		pid_t tid = waitpid(-1, &status, __WALL);
		struct attached *a;

		if (tid < 0) {
			if (errno == EINTR)
				continue;
			break; /* ECHILD: nothing left to trace */
		}
		a = find(tid);
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (a) {
				trace_call_abandon(&a->t);
				trace_exit(&a->t, status, a->t.proc->nthreads == 1 || a->t.proc->tgid == tid);
				drop(a);
			}
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		if (!a) /* a new task reported before its parent's creation event */
			a = add(tid, tgid_of(tid));
		on_stop(a, status);
	}
	if (nthreads > 0)
		detach_all(o->quiet_attach);
	setitimer(ITIMER_REAL, &(struct itimerval){ { 0, 0 }, { 0, 0 } }, NULL);
	trace_close(0);
	return 0;
}
