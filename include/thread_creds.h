/*
 * A stopped thread's filesystem credentials, and picovisor taking them on for
 * the calls it makes on the thread's behalf (an attribute change on an object
 * picovisor holds, the walk to that object, an exec image's permission check):
 * what the kernel checks for the thread must be what it checks for picovisor
 * meanwhile. File permission checks use the filesystem ids, the supplementary
 * groups and the effective capabilities; those are what is taken on
 * (setfsuid, setfsgid, setgroups, capset: picovisor has one thread, so nothing
 * else runs with them), and given back afterwards.
 */
#ifndef PICOVISOR_THREAD_CREDS_H
#define PICOVISOR_THREAD_CREDS_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define THREAD_CREDS_MAX_GROUPS 256

struct thread_creds {
	uid_t fsuid;
	gid_t fsgid;
	int ngroups;
	gid_t groups[THREAD_CREDS_MAX_GROUPS];
	uint64_t cap_eff;
	mode_t umask;   /* what a file the thread creates loses */
};

/* What picovisor had before it took a thread's credentials on. */
struct creds_saved {
	bool changed;             /* false: the thread's were picovisor's own; nothing to give back */
	struct thread_creds own;
	struct thread_creds target; /* what was taken on */
	uint64_t cap_prm, cap_inh;
	sigset_t sigmask;         /* picovisor's signal mask: every signal waits meanwhile */
};

/* The credentials of thread tid (stopped) from /proc/TID/status. 0 or -errno. */
int thread_creds_read(pid_t tid, struct thread_creds *c);
/*
 * Make picovisor's filesystem credentials the thread's until creds_restore
 * (which is harmless after a failure). A thread in another user namespace
 * is taken with no capabilities: its own are its namespace's. 0, or -EPERM
 * when picovisor may not (then nothing changed).
 */
int creds_assume(pid_t tid, struct creds_saved *saved);
/* The same with credentials already read (tid: the thread they are of). */
int creds_take_on(pid_t tid, const struct thread_creds *want, struct creds_saved *saved);
void creds_restore(struct creds_saved *saved);

#endif
