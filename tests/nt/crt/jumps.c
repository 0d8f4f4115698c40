/* setjmp/longjmp (registers kept across the jump), signal/raise: the same output on Linux. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

static jmp_buf env;
static volatile int depth;
static volatile sig_atomic_t got;

static void dive(int n)
{
	char pad[256];

	pad[0] = (char)n;
	depth = n + pad[0] - n;
	if (n == 5)
		longjmp(env, n * 10);
	dive(n + 1);
}

static void on_signal(int sig)
{
	got = sig;
}

int main(void)
{
	volatile int kept = 7;
	int r;
	double x = 1.5;

	r = setjmp(env);
	if (r == 0) {
		kept = 8;
		dive(0);
		printf("not reached\n");
	}
	printf("setjmp returned %d after depth %d, kept %d, x %g\n", r, depth, kept, x);
	r = setjmp(env);
	if (r == 0)
		longjmp(env, 0);
	printf("longjmp(env, 0) makes setjmp return %d\n", r);

	printf("signal old handler is default %d\n", signal(SIGTERM, on_signal) == SIG_DFL);
	printf("raise %d got %d\n", raise(SIGTERM), got == SIGTERM);
	signal(SIGINT, SIG_IGN);
	printf("raise ignored %d\n", raise(SIGINT));
	printf("signal(bad) is SIG_ERR %d\n", signal(12345, on_signal) == SIG_ERR);
	return 0;
}
