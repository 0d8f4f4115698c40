/*
 * The hostile suite's common ground. Each program tries one way out of the
 * sandbox and says what happened: exit 0 "contained", 1 "ESCAPED", 2 the
 * attempt could not be made (setup trouble). The harness
 * (tests/e2e/sandbox_tests.py) runs each natively too, to show the attempt
 * works outside the sandbox where it can, then under picovisor.
 * argv[1]: a directory outside what the policy allows, holding "secret" (readable)
 * and "sock" (a listening unix socket); argv[2]: what the attempt needs (a pid, a port).
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline __attribute__((noreturn)) void contained(const char *how)
{
	printf("contained: %s\n", how);
	exit(0);
}

static inline __attribute__((noreturn)) void escaped(const char *how)
{
	printf("ESCAPED: %s\n", how);
	exit(1);
}

static inline __attribute__((noreturn)) void cannot(const char *how)
{
	printf("cannot test: %s (%s)\n", how, strerror(errno));
	exit(2);
}

/* The verdict of an attempt that returns -1/errno on refusal. */
static inline __attribute__((noreturn)) void verdict(long rc, const char *what)
{
	char buf[256];

	if (rc >= 0)
		escaped(what);
	snprintf(buf, sizeof(buf), "%s: %s", what, strerror(errno));
	contained(buf);
}

static inline const char *outside(int argc, char **argv, const char *name)
{
	static char buf[4096];

	if (argc < 2)
		cannot("usage: PROGRAM OUTSIDE_DIR [ARG]");
	snprintf(buf, sizeof(buf), "%s/%s", argv[1], name);
	return buf;
}

/* Reading the secret through path: did it work? */
static inline int reads_secret(const char *path)
{
	char buf[64];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n > 0 && memcmp(buf, "secret", 6) == 0;
}

#endif
