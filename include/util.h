/* Small helpers every part of picovisor uses: fatal errors, checked allocation. */
#ifndef PICOVISOR_UTIL_H
#define PICOVISOR_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Exit statuses of picovisor itself (README.md, "Exit status"). */
enum {
	EXIT_PV_VIOLATION = 123, /* fail-on-violation: the run had a violation (the program's own status is in the report) */
	EXIT_PV_TIMEOUT = 124,
	EXIT_PV_FAILED = 125,   /* bad usage, bad policy, setup error */
	EXIT_PV_NOEXEC = 126,   /* found but cannot be executed */
	EXIT_PV_NOTFOUND = 127,
	EXIT_PV_KILLED = 159,   /* 128 + SIGSYS: the policy ended the run */
};

#ifndef PICOVISOR_VERSION
#define PICOVISOR_VERSION "0.1"
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Print "picovisor: MSG" to stderr and exit with status 125. */
__attribute__((format(printf, 1, 2), noreturn)) void die(const char *fmt, ...);
/* Like die() with a chosen exit status. */
__attribute__((format(printf, 2, 3), noreturn)) void die_status(int status, const char *fmt, ...);
/* The message of the die() that is ending picovisor, or NULL (for reports written at exit). */
const char *fatal_message(void);
/* Print "picovisor: MSG" to stderr and go on. */
__attribute__((format(printf, 1, 2))) void warn(const char *fmt, ...);

/* CLOCK_MONOTONIC in nanoseconds: durations, rates and deadlines of the run. */
uint64_t monotonic_ns(void);

/* Remove a directory tree without following symlinks (best effort). */
void remove_tree(const char *path);
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
__attribute__((format(printf, 1, 2))) char *xasprintf(const char *fmt, ...);

#endif
