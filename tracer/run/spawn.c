/* Starting the first tracee. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "options.h"
#include "own_filters.h"
#include "sandbox.h"
#include "signal_send.h"
#include "signals.h"
#include "spawn.h"
#include "util.h"

extern char **environ;

/* The descriptor limit picovisor started with: the program gets it back. */
static struct rlimit caller_nofile;

static void child(const struct run_options *opts, int ready_fd, pid_t parent)
{
	char go;
	int rc;

	/* If picovisor dies before seizing us, so do we. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(EXIT_PV_FAILED);
	setrlimit(RLIMIT_NOFILE, &caller_nofile);
	signals_restore_in_child();
	if (read(ready_fd, &go, 1) != 1)
		_exit(EXIT_PV_FAILED);
	close(ready_fd);
	if (sandbox_get())
		sandbox_enter(opts); /* its own --chdir: a guest path's host directory */
	else if (opts->chdir && chdir(opts->chdir) < 0) {
		fprintf(stderr, "picovisor: --chdir %s: %s\n", opts->chdir, strerror(errno));
		_exit(EXIT_PV_FAILED);
	}
	/* Exactly the bytes the supervisor keeps and runs at each stop (own_filters.h). */
	rc = own_filters_install_run();
	if (rc < 0) {
		fprintf(stderr,
			"picovisor: cannot install the seccomp filter: %s. picovisor stops the program's calls with a "
			"seccomp filter and cannot run without one; %s Run 'picovisor doctor' to see what this "
			"machine gives picovisor.\n",
			strerror(-rc),
			rc == -EACCES ? "no_new_privs could not be set, which an unprivileged user needs."
				      : "a seccomp profile around picovisor (a container, a sandbox) refuses it; allow the "
					"seccomp call there.");
		_exit(EXIT_PV_FAILED);
	}
	execve(opts->program_path, opts->argv, environ);
	/* The loader already printed why; the status says whether it was found. */
	_exit(errno == ENOENT ? EXIT_PV_NOTFOUND : EXIT_PV_NOEXEC);
}

pid_t spawn_program(const struct run_options *opts, struct signal_target *target)
{
	pid_t parent = getpid(), pid;
	int ready[2];

	if (pipe2(ready, O_CLOEXEC) < 0)
		die("cannot create a pipe: %s", strerror(errno));
	/*
	 * picovisor holds a descriptor per process of the run (its pidfd): up to its
	 * hard limit, while the program keeps the caller's soft one.
	 */
	if (getrlimit(RLIMIT_NOFILE, &caller_nofile) == 0 && caller_nofile.rlim_cur < caller_nofile.rlim_max) {
		struct rlimit raised = { caller_nofile.rlim_max, caller_nofile.rlim_max };
		setrlimit(RLIMIT_NOFILE, &raised);
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("cannot fork: %s", strerror(errno));
	if (pid == 0) {
		close(ready[1]);
		child(opts, ready[0], parent);
	}
	close(ready[0]);
	/* Our child, not yet waited for: the pid is its own until we reap it. */
	signal_target_open(target, pid);
	if (ptrace(PTRACE_SEIZE, pid, 0, PV_PTRACE_OPTIONS) < 0) {
		int err = errno;
		signal_send(target, SIGKILL);
		signal_target_retire(target);
		waitpid(pid, NULL, 0);
		die("cannot trace the program (PTRACE_SEIZE): %s. picovisor traces its own children and cannot run "
		    "without ptrace%s Run 'picovisor doctor' to see what this machine gives picovisor.",
		    strerror(err),
		    err == EPERM ? ": is picovisor itself traced by a tracer that follows forks (strace -f, another "
				   "picovisor: a process has one tracer, and a picovisor sandbox refuses ptrace)? Otherwise "
				   "Yama's kernel.yama.ptrace_scope must be below 3 (2 lets only root trace), and a "
				   "container or sandbox around picovisor must allow ptrace in its seccomp profile."
				 : ".");
	}
	if (write(ready[1], "g", 1) != 1)
		die("cannot start the program: %s", strerror(errno));
	close(ready[1]);
	return pid;
}
