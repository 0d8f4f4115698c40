/*
 * The sandbox of a run (run --policy ...): the policy with its command-line
 * overrides, what it compiled to (seccomp filters, a Landlock plan), the
 * private tmpdir, and the run's counters. Set up by the supervisor before the
 * program starts; the child enters it (sandbox_enter) between fork and exec;
 * the sandbox personality (translate/sandbox/sandbox_personality.c) enforces what the
 * kernel cannot.
 */
#ifndef PICOVISOR_SANDBOX_H
#define PICOVISOR_SANDBOX_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "held_dir.h"
#include "landlock_rules.h"
#include "env_rules.h"
#include "policy.h"
#include "policy_compile.h"
#include "private_shm.h"

struct run_options;
struct tracee;

struct sandbox {
	struct policy policy;
	char digest[80];          /* "sha256:..." of the policy texts and overrides, in order */
	char *launch_dir;         /* "." of the path rules */
	struct landlock_plan landlock;
	struct policy_filter filter;
	bool landlock_active;     /* the child enters the Landlock ruleset */
	bool supervisor_paths;    /* path-bearing calls stop and the supervisor checks their paths */
	char landlock_audit_why[256]; /* why Landlock's refusals cannot be read from the audit log ("" if they are) */
	char *tmpdir;             /* the private tmpdir, or NULL */
	struct held_dir tmpdir_held; /* held from before the start, for its removal */
	struct env_changes env;   /* names the policy removed from or set in the program's environment */
	char *chdir_host;         /* --chdir: the host directory the program starts in, or NULL */
	struct private_shm shm;   /* the policy's shm: the run's own tmpfs on /dev/shm, or why there is none */
	/* Counters of the run, for limits and the report. */
	int forks_in_flight;      /* fork/clone calls let through whose task has not been seen yet */
	unsigned long calls_checked; /* stops the policy's filter handed to the supervisor */
	pid_t sid;                /* the run's session (setsid), 0 with --tty */
};

/* The run's sandbox, or NULL when the run is not sandboxed. */
struct sandbox *sandbox_get(void);

/*
 * Load the policy and overrides of o, plan Landlock, compile the filter (which
 * also stops the calls of personality_classes the policy allows, for the
 * personality: the run needs no filter of its own unless it is traced),
 * make the tmpdir (exporting TMPDIR). Dies with status 125 and a message on a
 * bad policy or a setup failure. Says once on stderr (unless --quiet) which
 * rules the kernel cannot enforce here.
 */
void sandbox_prepare(const struct run_options *o, unsigned personality_classes);
/*
 * In the child, after fork and before the filters: its own session, closed
 * descriptors, rlimits, no_new_privs, the Landlock ruleset, no capabilities.
 * Exits with status 125 after a message if any step fails.
 */
void sandbox_enter(const struct run_options *o);
/*
 * May thread t change the metadata (mode, times) of the file open on its fd?
 * The rule fchmod and utimensat(fd, NULL) of a Linux program are checked by:
 * the policy's write permission on the file the fd is open on, by the name
 * the kernel gives it (Landlock has no right for metadata). True without a
 * sandbox, and in --on-violation log mode.
 */
bool sandbox_fd_may_change(struct tracee *t, int fd);
/*
 * A Linux call another personality writes for the program in its place (the
 * NT personality's sockets, translate/nt/nt_afd.c), vetted as the same call of
 * a Linux program would be: the policy's filter run on its registers, then the
 * supervisor's checks of what it points to (socket addresses), refusals
 * reported and on-violation applied. The kernel's re-check after such a call is
 * written lets the filter's stops through, so this is where the policy sees it.
 * The memory its pointers name must be memory no thread of the program can
 * change (the scratch area). 0: it may run as written; -errno: refused. True
 * (0) without a sandbox.
 */
struct tracee;
int sandbox_vet_call(struct tracee *t, long nr, const uint64_t args[6]);
/* The run is over: remove the tmpdir (unless --keep-tmpdir). */
void sandbox_cleanup(const struct run_options *o);

#endif
