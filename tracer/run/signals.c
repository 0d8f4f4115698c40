/* Forwarding signals to the program, stopping with it and dying like it. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "signal_send.h"
#include "signals.h"
#include "util.h"

/* Signals a user may send picovisor meaning the program. */
static const int forwarded[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM,
				 SIGWINCH, SIGCONT, SIGTSTP, SIGTTIN, SIGTTOU };

static struct sigaction saved[NSIG];
static sigset_t saved_mask;
/* The main program, while it is not reaped (a copy of its process's target: see signals_forget_target). */
static struct signal_target target;
static volatile sig_atomic_t target_was_set;
/* The program has a session of its own (the sandbox's setsid): the terminal's signals do not reach it. */
static volatile sig_atomic_t target_own_session;
/* Signals to forward that came before the program's pid was known. */
static volatile sig_atomic_t early[NSIG];
/* Stop signals picovisor itself received and has not yet acted on. */
static volatile sig_atomic_t stop_requests[NSIG];

static void forward(int sig, siginfo_t *si, void *uc)
{
	int saved_errno = errno;

	(void)uc;
	if (sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
		stop_requests[sig]++;
	/*
	 * SI_KERNEL: the terminal sent it to the foreground group, which the program is in
	 * too, unless it has a session of its own.
	 */
	if (si->si_code != SI_KERNEL || target_own_session) {
		if (target.live)
			signal_send(&target, sig);
		else if (!target_was_set)
			early[sig] = 1; /* before the program exists: passed on when it does */
	}
	errno = saved_errno;
}

void signals_setup(void)
{
	struct sigaction sa;

	sigprocmask(SIG_SETMASK, NULL, &saved_mask);
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, NULL, &saved[sig]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = forward;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < ARRAY_SIZE(forwarded); i++) {
		int sig = forwarded[i];

		if (saved[sig].sa_handler == SIG_IGN) /* ignored for us (nohup): the program inherits that */
			continue;
		sigaction(sig, &sa, NULL);
	}
	signal(SIGPIPE, SIG_IGN);
	sigset_t unblock;
	sigemptyset(&unblock);
	for (size_t i = 0; i < ARRAY_SIZE(forwarded); i++)
		sigaddset(&unblock, forwarded[i]);
	sigprocmask(SIG_UNBLOCK, &unblock, NULL);
}

void signals_restore_in_child(void)
{
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &saved[sig], NULL);
	sigprocmask(SIG_SETMASK, &saved_mask, NULL);
}

void signals_set_target(const struct signal_target *main_program, bool own_session)
{
	target_own_session = own_session;
	target.pid = main_program->pid;
	target.pidfd = main_program->pidfd;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	target.live = main_program->live;
	target_was_set = 1;
	for (int sig = 1; sig < NSIG; sig++)
		if (early[sig]) {
			early[sig] = 0;
			signal_send(&target, sig);
		}
}

void signals_forget_target(void)
{
	/* Only live: the pidfd is the event loop's to close, after this. */
	target.live = 0;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

bool signals_forward_needs_pid(void)
{
	return target.live && target.pidfd < 0;
}

bool signals_take_stop_request(int sig)
{
	if (sig <= 0 || sig >= NSIG || stop_requests[sig] == 0)
		return false;
	stop_requests[sig] = 0;
	return true;
}

void signals_stop_like(int sig)
{
	struct sigaction dfl, old;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	if (sig != SIGSTOP)
		sigaction(sig, &dfl, &old);
	raise(sig);
	if (sig != SIGSTOP)
		sigaction(sig, &old, NULL);
}

void signals_exit_like(int wait_status)
{
	if (WIFSIGNALED(wait_status)) {
		int sig = WTERMSIG(wait_status);
		struct rlimit no_core = { 0, 0 };
		sigset_t only;

		/* Die of the same signal so the caller's wait status matches; never dump our own core. */
		setrlimit(RLIMIT_CORE, &no_core);
		signal(sig, SIG_DFL);
		sigemptyset(&only);
		sigaddset(&only, sig);
		sigprocmask(SIG_UNBLOCK, &only, NULL);
		raise(sig);
		exit(128 + sig);
	}
	exit(WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : EXIT_PV_FAILED);
}
