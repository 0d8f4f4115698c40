/*
 * LD_PRELOAD shim for the canary tests: pidfd_open without flags fails with ENOSYS, so that
 * picovisor's signal targets fall back to kill(pid) (tracer/run/signal_send.h), as they do when
 * picovisor runs out of descriptors for them. Thread pidfds (PIDFD_THREAD), which the exec path
 * takes descriptors from the thread with (pidfd_getfd, a requirement since Linux 5.6), still work.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <sys/syscall.h>

long syscall(long nr, ...)
{
	static long (*real)(long, ...);
	va_list ap;
	long a[6];

	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr == SYS_pidfd_open && a[1] == 0) {
		errno = ENOSYS;
		return -1;
	}
	if (!real)
		real = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}
