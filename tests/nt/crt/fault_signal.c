/* Faults reaching signal() handlers: a null pointer read (SIGSEGV) and an integer division by zero (SIGFPE),
 * each leaving its handler with longjmp. On Windows mingw-w64's CRT turns the NT exception into the call of the
 * handler (its unhandled-exception filter); on Linux the kernel does. The same output either way. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>

static jmp_buf back;
static volatile int got;

static void on_fault(int sig)
{
	got = sig;
	longjmp(back, 1);
}

int main(void)
{
	volatile int *volatile nowhere = 0;
	volatile int zero = 0, r = 0;

	signal(SIGSEGV, on_fault);
	signal(SIGFPE, on_fault);
	if (!setjmp(back))
		r = *nowhere;
	printf("after the null read: %s\n", got == SIGSEGV ? "SIGSEGV handler" : "no handler");
	got = 0;
	if (!setjmp(back))
		r = 7 / zero;
	printf("after the division: %s\n", got == SIGFPE ? "SIGFPE handler" : "no handler");
	return r;
}
