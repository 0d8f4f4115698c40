/* Shared by the sandbox personality's files (translate/sandbox_*.c). */
#ifndef PICOVISOR_SANDBOX_INTERNAL_H
#define PICOVISOR_SANDBOX_INTERNAL_H

#include <stdbool.h>

#include "event_loop.h"
#include "personality.h"
#include "sandbox.h"

/* What a check concluded. */
enum check_result {
	CHECK_PASS,     /* nothing against it */
	CHECK_DONE,     /* the call was failed (or the run is ending): the thread has been resumed */
};

/*
 * The one door every refusal goes through: report the call and the rule that
 * refused it, then apply on-violation (hard refusals are never merely logged).
 * CHECK_PASS when on-violation log lets the call go on; CHECK_DONE otherwise
 * (the call failed with -err, or the run is being killed).
 */
__attribute__((format(printf, 6, 7))) enum check_result sandbox_refuse(struct tracee *t, const struct syscall_stop *s,
								      int err, bool hard, const char *path,
								      const char *rule_fmt, ...);
/* Fail the call with -err without running it (not a violation: what the kernel would say). */
void sandbox_fail_call(struct tracee *t, const struct syscall_stop *s, int err);
/* Replace the call's registers (a rewritten call) and let it run: the filter looks at it again. */
void sandbox_rewrite_call(struct tracee *t, const tracee_regs *r);

/* The checks of a call the filter handed over (translate/sandbox_checks.c). */
/* opens: an open-family call with open_flags (the others' access comes from the table's effects). */
enum check_result sandbox_check_paths(struct tracee *t, const struct syscall_stop *s, bool opens, uint64_t open_flags);
enum check_result sandbox_check_sockaddr(struct tracee *t, const struct syscall_stop *s);
enum check_result sandbox_check_pids(struct tracee *t, const struct syscall_stop *s);
/* openat2 without RESOLVE_* flags is rewritten in place into openat (the checks go on with it). */
enum check_result sandbox_check_openat2(struct tracee *t, struct syscall_stop *s);
/* An image an exec maps, open at fd in the supervisor: 0 or -EACCES. */
int sandbox_check_image(struct tracee *t, int fd, const char *role);
/* Is pid a task of the run? */
bool sandbox_pid_in_run(pid_t pid);
/* Does process group pgid belong to the run (and is not picovisor's own, shared with --tty)? */
bool sandbox_group_in_run(pid_t pgid);
/*
 * A resolved path that acts on a task outside the run is refused in every
 * mode (EACCES): /proc/PID/mem, fd/N and map_files/... for any access but a
 * look (need PERM_R, PERM_W or PERM_C: the kernel leaves pipes and sockets
 * there), any other /proc/PID/... or /proc/PID/task/TID/... entry for
 * writing or changing (PERM_W, PERM_C). CHECK_PASS for anything else
 * (translate/sandbox_proc.c).
 */
enum check_result sandbox_check_proc_target(struct tracee *t, const struct syscall_stop *s, const char *path,
					    unsigned need);
/*
 * A call aimed at pid (what: "process", "process group"), which is not a task of the run:
 * fails with ESRCH if nothing is there, passes for a zombie child of the run, and is
 * otherwise refused in every mode (on-violation log too).
 */
enum check_result sandbox_refuse_target(struct tracee *t, const struct syscall_stop *s, long pid, const char *what);
/*
 * Calls that name a process by a descriptor (K_PIDFD), or choose who gets a
 * descriptor's signals (fcntl F_SETOWN/F_SETOWN_EX, ioctl FIOSETOWN/SIOCSPGRP):
 * the process must be of the run, in every mode (translate/sandbox_owner.c).
 * s may be rewritten into an equivalent call whose target is in a register.
 */
enum check_result sandbox_check_pidfds(struct tracee *t, struct syscall_stop *s);
enum check_result sandbox_check_owner(struct tracee *t, struct syscall_stop *s);

#endif
