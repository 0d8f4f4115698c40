/*
 * The program's own seccomp calls, served by the supervisor whatever the
 * personality: seccomp(2) and prctl(PR_SET_SECCOMP, PR_GET_SECCOMP).
 *
 * - A filter the program installs is copied once into the supervisor,
 *   checked (the kernel's rules, then every value it can return), and, where
 *   the process has the sealed scratch area (every sandboxed image), written
 *   there with the call pointed at the copy: the kernel installs exactly the
 *   bytes checked. Where picovisor's decisions rest on filters (a sandbox, a
 *   trace), a filter that can return SECCOMP_RET_TRACE or USER_NOTIF, and the
 *   NEW_LISTENER flag, are refused: such a filter would answer calls in
 *   picovisor's place. Ordinary filters (ALLOW, ERRNO, KILL, TRAP, LOG; TSYNC)
 *   go in unchanged.
 * - Strict mode, which the kernel refuses once a thread has filters (and
 *   every thread of a run has picovisor's), is emulated by a filter of
 *   picovisor's own (filter_bpf_strict) that allows what strict mode allows;
 *   any other call ends the thread with SIGKILL, as strict mode does.
 * - PR_GET_SECCOMP answers 0 where the thread would have no filter natively.
 */
#ifndef PICOVISOR_SECCOMP_GUARD_H
#define PICOVISOR_SECCOMP_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "seccomp_bpf.h"

struct tracee;
struct syscall_stop;

/*
 * May this filter go in where picovisor's decisions rest on filters (flags:
 * seccomp(2)'s)? 0; -EINVAL when the kernel would refuse it anyway; -EACCES
 * when picovisor refuses it. *why says why not.
 */
int seccomp_guard_judge(const struct sock_filter *prog, size_t len, unsigned flags, const char **why);

/*
 * Serve the call at t's stop (an SC_SECCOMP entry a personality answered
 * with VERDICT_SECCOMP). 0 when served (s->verdict says how the event loop
 * resumes the thread), or -errno with *why naming the rule when the call is
 * refused: the event loop has the personality refuse it (the sandbox through
 * its one door).
 */
int seccomp_guard_enter(struct tracee *t, const struct syscall_stop *s, const char **why);
/* The exit stop of a call the guard rewrote (t->seccomp_install): the program's registers back; did it go in? */
void seccomp_guard_exit(struct tracee *t);
/* t is gone: forget what was in flight. */
void seccomp_guard_abandon(struct tracee *t);
/* t, in emulated strict mode, made a call strict mode does not allow: it ends as the kernel would end it. */
void seccomp_guard_strict_violation(struct tracee *t);

#endif
