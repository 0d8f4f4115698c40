/*
 * The hostile suite's common ground. Each program tries one way out of the
 * sandbox and says what happened: exit 0 "contained", 1 "ESCAPED", 2 the
 * attempt could not be made (setup trouble: never a pass). The harness
 * (tests/e2e/sandbox_tests.py) runs each natively too, to show the attempt
 * works outside the sandbox where it can, then under picovisor.
 * A contained verdict ends with what refused the attempt: "[errno NAME]", the
 * errno of the refused call, which the harness checks against the errno
 * docs/policy.md gives for the rule (a setup mistake that makes the call fail
 * for another reason is then not a pass), or "[no errno]" where containment
 * is not one refused call (a race never won, a child held to the rules).
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

/* Contained, but not by one refused call: the harness expects no errno. */
static inline __attribute__((noreturn)) void contained(const char *how)
{
	printf("contained: %s [no errno]\n", how);
	exit(0);
}

/* Contained by a refusal: the call failed with err, which the harness checks. */
static inline __attribute__((noreturn)) void refused(const char *how, int err)
{
	const char *name = strerrorname_np(err);

	printf("contained: %s: %s [errno %s]\n", how, strerror(err), name ? name : "unknown");
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
	if (rc >= 0)
		escaped(what);
	refused(what, errno);
}

/* The errnos of the refused attempts so far, in the order of the attempts. */
static int hostile_errs[16], hostile_nerrs;

static inline void note_refusal(int err)
{
	if (hostile_nerrs < 16)
		hostile_errs[hostile_nerrs++] = err;
}

/* For an attempt repeated many times (a race): each distinct errno once. */
static inline void note_refusal_once(int err)
{
	for (int i = 0; i < hostile_nerrs; i++)
		if (hostile_errs[i] == err)
			return;
	note_refusal(err);
}

/* One attempt of several: it must fail, and its errno becomes part of the verdict. */
static inline void attempt(long rc, const char *what)
{
	if (rc >= 0)
		escaped(what);
	note_refusal(errno);
}

/* Every attempt was refused: the verdict names the errno of each, in order ("[errno EPERM,EACCES]"). */
static inline __attribute__((noreturn)) void refused_all(const char *how)
{
	if (hostile_nerrs == 0)
		contained(how);
	printf("contained: %s [errno ", how);
	for (int i = 0; i < hostile_nerrs; i++) {
		const char *name = strerrorname_np(hostile_errs[i]);
		printf("%s%s", i ? "," : "", name ? name : "unknown");
	}
	printf("]\n");
	exit(0);
}

static inline const char *outside(int argc, char **argv, const char *name)
{
	static char buf[4096];

	if (argc < 2)
		cannot("usage: PROGRAM OUTSIDE_DIR [ARG]");
	snprintf(buf, sizeof(buf), "%s/%s", argv[1], name);
	return buf;
}

/* Reading the secret through path: did it work? If not, errno says why (EBADMSG: something else was read). */
static inline int reads_secret(const char *path)
{
	char buf[64];
	int fd = open(path, O_RDONLY), err;
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf));
	err = n < 0 ? errno : EBADMSG;
	close(fd);
	if (n > 0 && memcmp(buf, "secret", 6) == 0)
		return 1;
	errno = err;
	return 0;
}

#endif
