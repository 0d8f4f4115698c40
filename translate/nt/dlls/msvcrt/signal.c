/* signal, raise and abort with msvcrt's signal numbers. Hardware faults reach the handlers through the program's own unhandled-exception filter (mingw's startup installs one), not through this file. */
#include "crt.h"

#define SIGINT 2
#define SIGILL 4
#define SIGABRT_COMPAT 6
#define SIGFPE 8
#define SIGSEGV 11
#define SIGTERM 15
#define SIGBREAK 21
#define SIGABRT 22

typedef void (*sighandler)(int);
#define SIG_DFL ((sighandler)0)
#define SIG_IGN ((sighandler)1)
#define SIG_ERR ((sighandler)-1)

static sighandler handlers[23];

static int known(int sig)
{
	return sig == SIGINT || sig == SIGILL || sig == SIGFPE || sig == SIGSEGV || sig == SIGTERM ||
	       sig == SIGBREAK || sig == SIGABRT || sig == SIGABRT_COMPAT;
}

EXPORT sighandler signal(int sig, sighandler h)
{
	sighandler old;

	if (sig == SIGABRT_COMPAT)
		sig = SIGABRT;
	if (!known(sig) || h == SIG_ERR) {
		*_errno() = EINVAL;
		return SIG_ERR;
	}
	old = __atomic_exchange_n(&handlers[sig], h, __ATOMIC_SEQ_CST);
	return old;
}

EXPORT int raise(int sig)
{
	sighandler h;

	if (sig == SIGABRT_COMPAT)
		sig = SIGABRT;
	if (!known(sig)) {
		*_errno() = EINVAL;
		return -1;
	}
	h = handlers[sig];
	if (h == SIG_IGN)
		return 0;
	if (h == SIG_DFL) {
		/* the default action ends the process with status 3, streams not flushed */
		_exit(3);
	}
	handlers[sig] = SIG_DFL; /* a handler runs once unless it installs itself again */
	h(sig);
	return 0;
}

EXPORT void abort(void)
{
	static const char msg[] = "\nabnormal program termination\n";

	if (handlers[SIGABRT] != SIG_DFL)
		raise(SIGABRT);
	_write(2, msg, sizeof(msg) - 1);
	_exit(3);
}

/* A failed assert(): the message on stderr, then abort (status 3). */
EXPORT void _assert(const char *msg, const char *file, unsigned line)
{
	fprintf(&_iob[2], "Assertion failed: %s, file %s, line %u\n", msg ? msg : "", file ? file : "", line);
	fflush(&_iob[2]);
	abort();
}
