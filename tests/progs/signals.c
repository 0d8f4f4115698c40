/* SA_SIGINFO, SA_RESTART across a blocking read, sigaltstack on stack overflow. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t got_code, got_alarm;
static sigjmp_buf back;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got_code = si->si_code == SI_USER && si->si_pid == getpid();
}

static void on_alarm(int sig)
{
	(void)sig;
	got_alarm++;
}

static void on_segv(int sig)
{
	char here;
	stack_t ss;

	(void)sig;
	sigaltstack(NULL, &ss);
	/* We must be running on the alternate stack. */
	if ((char *)&here > (char *)ss.ss_sp && (char *)&here < (char *)ss.ss_sp + ss.ss_size)
		siglongjmp(back, 1);
	siglongjmp(back, 2);
}

#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int recurse(int n)
{
	volatile char pad[1024];
	pad[0] = (char)n;
	return recurse(n + 1) + pad[0];
}

int main(void)
{
	struct sigaction sa;
	int fds[2];
	char c;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	kill(getpid(), SIGUSR1);
	printf("SA_SIGINFO si_code/si_pid right: %d\n", (int)got_code);

	/* SA_RESTART: the read survives two alarms and then gets its byte. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	if (pipe(fds))
		return 1;
	if (fork() == 0) {
		usleep(300000);
		if (write(fds[1], "x", 1) != 1)
			_exit(1);
		_exit(0);
	}
	struct itimerval it = { { 0, 100000 }, { 0, 100000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	ssize_t n = read(fds[0], &c, 1);
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	printf("restarted read got %zd byte(s) after >=2 alarms: %d\n", n, got_alarm >= 2);

	stack_t ss = { .ss_sp = malloc(1 << 16), .ss_size = 1 << 16, .ss_flags = 0 };
	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_segv;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGSEGV, &sa, NULL);
	int where = sigsetjmp(back, 1);
	if (where == 0)
		recurse(0);
	printf("stack overflow handled on the alternate stack: %d\n", where == 1);
	return 0;
}
