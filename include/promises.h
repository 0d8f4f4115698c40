/*
 * Promises: OpenBSD pledge style groups of system calls that a policy allows
 * by name ("promise stdio rpath"). Each row of the syscall table says which
 * promises its call belongs to (PROMISE_BIT in syscall_table.h); this table,
 * sorted by name, holds what a promise is besides its calls. Where a group
 * allows only some uses of a call, the promise carries the constraint and the
 * filter compiler applies it to the call's arguments (or hands the call to the
 * supervisor when they are in memory).
 */
#ifndef PICOVISOR_PROMISES_H
#define PICOVISOR_PROMISES_H

#include <stdint.h>

/* The promises, in the promise table's (alphabetical) order: a promise's index is its bit. */
enum promise_index {
	PROMISE_CHOWN,
	PROMISE_CPATH,
	PROMISE_DNS,
	PROMISE_DPATH,
	PROMISE_EXEC,
	PROMISE_FATTR,
	PROMISE_FLOCK,
	PROMISE_ID,
	PROMISE_INET,
	PROMISE_PROC,
	PROMISE_PROT_EXEC,
	PROMISE_PS,
	PROMISE_RECVFD,
	PROMISE_RPATH,
	PROMISE_SENDFD,
	PROMISE_SETTIME,
	PROMISE_STDIO,
	PROMISE_THREAD,
	PROMISE_TTY,
	PROMISE_UNIX,
	PROMISE_VMINFO,
	PROMISE_WPATH,
	PROMISE_COUNT, /* at most 24: the bits above PROMISE_SHIFT of a table row's flags */
};

/* Argument constraints: which uses of its calls a promise allows. */
enum {
	PC_OPEN_READ = 1u << 0,    /* open family: O_RDONLY only (rpath) */
	PC_OPEN_WRITE = 1u << 1,   /* open family: writing an existing file, O_TRUNC (wpath) */
	PC_OPEN_CREATE = 1u << 2,  /* open family: O_CREAT, O_TMPFILE (cpath) */
	PC_SOCKET_UNIX = 1u << 3,  /* socket, socketpair: AF_UNIX */
	PC_SOCKET_INET = 1u << 4,  /* socket: AF_INET, AF_INET6 */
	PC_PROT_EXEC = 1u << 5,    /* mmap, mprotect, pkey_mprotect: PROT_EXEC allowed */
	PC_CLONE_THREAD = 1u << 6, /* clone: threads (CLONE_THREAD|CLONE_VM|...), never namespaces */
	PC_CLONE_PROCESS = 1u << 7, /* clone: new processes, never namespaces or CLONE_UNTRACED */
	PC_IOCTL_STDIO = 1u << 8,  /* ioctl: FIONREAD, FIONBIO, FIOCLEX, FIONCLEX, TCGETS (isatty) */
	PC_IOCTL_TTY = 1u << 9,    /* ioctl: the terminal's (TCSETS*, TIOCGWINSZ, TIOCSPGRP...), never TIOCSTI */
	PC_PRCTL_SELF = 1u << 10,  /* prctl: names, dumpable, no_new_privs, death signal, seccomp mode reads */
	PC_FD_PASSING = 1u << 11,  /* sendmsg/recvmsg: SCM_RIGHTS control messages (inspected) */
	PC_FCNTL_STDIO = 1u << 12, /* fcntl: descriptor flags, F_DUPFD*, F_GETFL/SETFL; no locks */
	PC_FCNTL_LOCK = 1u << 13,  /* fcntl: F_GETLK, F_SETLK, F_SETLKW, F_OFD_* */
	PC_RLIMIT_READ = 1u << 14, /* prlimit64: reading a limit only (no new value) */
	PC_RLIMIT_SET = 1u << 15,  /* prlimit64: setting limits too (within the hard limits) */
};

struct promise {
	const char *name;
	const char *what;          /* one line, for docs/policy.md and policy show */
	uint32_t constraints;      /* PC_* */
};

/* The table, sorted by name; *count receives its length. */
const struct promise *promise_table(int *count);
/* A promise's index (its bit in struct policy's promises), or -1. */
int promise_index(const char *name);

#endif
