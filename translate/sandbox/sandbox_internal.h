/* Shared by the sandbox personality's files (translate/sandbox_*.c). */
#ifndef PICOVISOR_SANDBOX_INTERNAL_H
#define PICOVISOR_SANDBOX_INTERNAL_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "host.h"
#include "personality.h"
#include "sandbox.h"

/*
 * The sandbox's own state of a thread (host_thread_state), there while a call
 * of the thread needs it: a translated call's exit (path_translate.h), a fork
 * counted against the process limit.
 */
struct sandbox_thread {
	struct path_exit *path_exit; /* what to restore or fix up at this call's exit, or NULL */
	bool fork_counted;           /* a fork under the process limit is in flight */
};
/* translate/sandbox/sandbox_thread.c */
struct path_exit *sandbox_path_exit(const struct tracee *t);
void sandbox_set_path_exit(struct tracee *t, struct path_exit *pe);
bool sandbox_fork_counted(const struct tracee *t);
void sandbox_set_fork_counted(struct tracee *t, bool counted);

/* What a check concluded. */
enum check_result {
	CHECK_PASS,     /* nothing against it */
	CHECK_DONE,     /* the call's verdict is final (failed, answered, or the run is ending) */
};

/*
 * The one door every refusal goes through (translate/sandbox/sandbox_door.c,
 * a leaf the checks call): report the call and the rule that
 * refused it, then apply on-violation (hard refusals are never merely logged).
 * CHECK_PASS when on-violation log lets the call go on; CHECK_DONE otherwise
 * (the call failed with -err, or the run is being killed).
 */
__attribute__((format(printf, 6, 7))) enum check_result sandbox_refuse(struct tracee *t, const struct syscall_stop *s,
								      int err, bool hard, const char *path,
								      const char *rule_fmt, ...);
/* Fail the call with -err without running it (not a violation: what the kernel would say). */
void sandbox_fail_call(struct tracee *t, const struct syscall_stop *s, int err);
/* Skip the call and give the thread ret as its result (the supervisor did what it asked). */
void sandbox_answer(struct tracee *t, const struct syscall_stop *s, long ret);

/* The checks of a call the filter handed over (translate/sandbox/sandbox_checks.c). */
/*
 * opens: an open-family call with open_flags (the others' access comes from
 * the table's effects). What passed is pinned (sandbox_pin_paths): s->regs
 * become the call the kernel will run.
 */
enum check_result sandbox_check_paths(struct tracee *t, struct syscall_stop *s, bool opens, uint64_t open_flags);

/* A path the checks let through: the argument, as given, and as resolved. */
struct pinned_path {
	bool set;
	bool as_given;   /* "", or what only the kernel's walk reaches, while nothing but the thread can change it */
	bool via_link;   /* through a /proc magic link, to a file with a name: pinned by that name */
	int index;
	char given[PATH_MAX];
	char resolved[PATH_MAX];
	char dots[PATH_MAX]; /* a name ending in . or ..: its resolved directory and that component, or "" */
};
/*
 * Give the kernel what was checked (translate/sandbox/sandbox_pin.c): the resolved
 * paths in the thread's scratch slot, an open as openat2 without symlinks.
 * CHECK_PASS (s->regs and the thread's registers rewritten; the program's are
 * put back at the exit), or CHECK_DONE (failed: the verdict says so).
 */
enum check_result sandbox_pin_paths(struct tracee *t, struct syscall_stop *s, const struct pinned_path *pins, int n,
				    bool opens, uint64_t open_flags);
/*
 * Under the supervisor's path checks, a call that makes or takes away a name
 * (the table's NAME field) is done by picovisor in the directory it checked
 * (translate/sandbox/sandbox_names.c): served? (/proc's own names, "" and names
 * ending in . or .. are left to the kernel, pinned.) serve answers the call.
 */
bool sandbox_names_served(const struct syscall_stop *s, const struct pinned_path *pins, int n);
/* Does the path's last component read "." or ".."? */
bool path_ends_in_dots(const char *path);
void sandbox_serve_names(struct tracee *t, const struct syscall_stop *s, const struct pinned_path *pins, int n);
/* The same for a socket address (bind's): argument index and index + 1 become the checked copy. */
enum check_result sandbox_pin_sockaddr(struct tracee *t, struct syscall_stop *s, int index, const void *addr,
				       size_t len);
enum check_result sandbox_check_sockaddr(struct tracee *t, struct syscall_stop *s);
enum check_result sandbox_check_pids(struct tracee *t, const struct syscall_stop *s);
/* openat2: without RESOLVE_* flags, rewritten into openat in s (CHECK_PASS: check it as that); else answered. */
enum check_result sandbox_check_openat2(struct tracee *t, struct syscall_stop *s);
/* An image an exec maps, open at fd in the supervisor: 0 or -EACCES. */
int sandbox_check_image(struct tracee *t, int fd, const char *role);
/*
 * One resolved path against the rules (need: PERM_* bits): CHECK_PASS, or the
 * refusal's outcome. granted (may be NULL) receives what the rules give.
 */
enum check_result sandbox_check_resolved(struct tracee *t, const struct syscall_stop *s, const char *path,
					 unsigned need, unsigned *granted);
/*
 * A mode, owner, time or xattr change (FX_ATTR): performed by the supervisor
 * on the object it checked (translate/sandbox/sandbox_attr.c); the thread gets the
 * result. Always answers the call.
 */
void sandbox_serve_attr(struct tracee *t, const struct syscall_stop *s);
/*
 * The object path names for the thread (relative to dirfd or its cwd; a final
 * symlink followed if follow), as picovisor's own O_PATH descriptor, opened
 * with the thread's credentials c. The descriptor, or -errno (the walk's).
 */
struct thread_creds;
int sandbox_take_path(struct tracee *t, const struct thread_creds *c, int dirfd, const char *path, bool follow);
/* The rule for an object picovisor holds, by the name the kernel gives it (nameless objects have none). */
enum check_result sandbox_decide_object(struct tracee *t, const struct syscall_stop *s, int obj, unsigned need);
struct creds_saved;
/* Take on the thread's credentials c (read once a call; thread_creds.h); -EPERM, said once, when picovisor cannot. */
int sandbox_as_thread(struct tracee *t, const struct thread_creds *c, struct creds_saved *saved);
/*
 * A connect, sendto or sendmsg to a pathname unix socket (path: the copied
 * sun_path): done by picovisor on the socket file it checked
 * (translate/sandbox/sandbox_unix.c). Always answers the call.
 */
void sandbox_serve_unix_path(struct tracee *t, const struct syscall_stop *s, const char *path);
/*
 * bind of a relative unix socket name (path: the copied sun_path; addr, len:
 * the copied address) under the supervisor's path checks: checked and bound
 * by picovisor from the thread's cwd, held (translate/sandbox_unix.c). Always
 * answers the call.
 */
void sandbox_serve_unix_bind(struct tracee *t, const struct syscall_stop *s, const char *path, const void *addr,
			     size_t len);
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
 * (translate/sandbox/sandbox_proc.c).
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
 * the process must be of the run, in every mode (translate/sandbox/sandbox_owner.c).
 * s may be rewritten into an equivalent call whose target is in a register.
 */
enum check_result sandbox_check_pidfds(struct tracee *t, struct syscall_stop *s);

/* State a task holds that other tasks may share (clone's CLONE_FILES, CLONE_FS, CLONE_VM). */
enum shared_state {
	SHARED_FILES, /* the descriptor table: what a descriptor number names */
	SHARED_FS,    /* the cwd and root */
	SHARED_VM,    /* the memory map (/proc/PID/map_files) */
};
/*
 * Can nothing but the stopped thread t change that state of task owner (t's
 * own, or the task a /proc link names) until t's call runs? True when owner's
 * is t's and no other task of the run shares it (translate/sandbox_shared.c).
 */
bool sandbox_state_private(const struct tracee *t, pid_t owner, enum shared_state what);
enum check_result sandbox_check_owner(struct tracee *t, struct syscall_stop *s);

/*
 * Why the net, connect and bind rules refuse a connect (binding false) or bind to this inet address
 * (written into why), or NULL when they allow it (sandbox_checks.c).
 */
struct sockaddr_storage;
const char *sandbox_inet_refusal(const struct sockaddr_storage *ss, bool binding, char *why, size_t size);

#endif
