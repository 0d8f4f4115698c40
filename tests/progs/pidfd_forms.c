/*
 * Every form of pidfd_send_signal on the program's own process and thread:
 * flags 0 on a process's and on a thread's pidfd, PIDFD_SIGNAL_THREAD,
 * PIDFD_SIGNAL_THREAD_GROUP, PIDFD_SIGNAL_PROCESS_GROUP, each without and
 * with a siginfo, and an unknown flag. One line a form: its result and which
 * thread the signal reached (with the siginfo's value), so that a run under
 * picovisor, which makes each form by pid, can be compared with a native one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile pid_t got_tid;
static volatile int got_value = -1;
static volatile pid_t worker_tid;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got_tid = gettid();
	got_value = si->si_code == SI_QUEUE ? si->si_value.sival_int : -1;
}

static void *worker(void *arg)
{
	(void)arg;
	worker_tid = gettid();
	for (;;)
		pause();
	return NULL;
}

int main(void)
{
	static const char *names[] = { "0", "THREAD", "THREAD_GROUP", "PROCESS_GROUP", "unknown" };
	static const unsigned long flags[] = { 0, 1, 2, 4, 8 };
	struct sigaction sa = { 0 };
	pthread_t th;
	int fds[2];

	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	setpgid(0, 0); /* a group of its own, whose id is its pid (a session leader already has one) */
	if (pthread_create(&th, NULL, worker, NULL) != 0)
		return 2;
	while (!worker_tid)
		usleep(1000);
	fds[0] = (int)syscall(SYS_pidfd_open, getpid(), 0);
	fds[1] = (int)syscall(SYS_pidfd_open, worker_tid, O_EXCL /* PIDFD_THREAD */);
	if (fds[0] < 0 || fds[1] < 0) {
		printf("cannot: pidfd_open: %s\n", strerror(errno));
		return 2;
	}
	if (syscall(SYS_pidfd_send_signal, fds[0], 0, NULL, 2) < 0 && errno == EINVAL) {
		printf("cannot: this kernel's pidfd_send_signal has no flags\n");
		return 2;
	}
	for (int f = 0; f < 5; f++)
		for (int which = 0; which < 2; which++)
			for (int info = 0; info < 2; info++) {
				siginfo_t si;
				long rc;
				int err;
				const char *reached = "none";

				memset(&si, 0, sizeof(si));
				si.si_signo = SIGUSR1;
				si.si_code = SI_QUEUE;
				si.si_pid = getpid();
				si.si_uid = getuid();
				si.si_value.sival_int = 100 + f;
				got_tid = 0;
				got_value = -1;
				/* the main thread blocks it, so that a process-wide signal shows in the worker */
				sigset_t set, old;
				sigemptyset(&set);
				sigaddset(&set, SIGUSR1);
				pthread_sigmask(SIG_BLOCK, &set, &old);
				rc = syscall(SYS_pidfd_send_signal, fds[which], SIGUSR1, info ? &si : NULL, flags[f]);
				err = errno;
				for (int i = 0; i < 200 && !got_tid && rc == 0; i++)
					usleep(1000);
				pthread_sigmask(SIG_SETMASK, &old, NULL); /* a signal aimed at the main thread arrives now */
				for (int i = 0; i < 200 && !got_tid && rc == 0; i++)
					usleep(1000);
				if (got_tid)
					reached = got_tid == worker_tid ? "worker" : "main";
				printf("%s pidfd, flags %s, %s: %s, reached %s, value %d\n", which ? "thread" : "process",
				       names[f], info ? "siginfo" : "no siginfo", rc == 0 ? "0" : strerrorname_np(err),
				       reached, got_value);
			}
	return 0;
}
