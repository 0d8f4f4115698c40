/*
 * The run's private /dev/shm (the policy's `shm SIZE`): a tmpfs of SIZE
 * bytes mounted on /dev/shm in a mount namespace of picovisor's own, made
 * before the program is forked, so that the supervisor and every process of
 * the run see the same tree (the supervisor resolves the program's paths in
 * the program's view without a second way of walking). As root
 * (CAP_SYS_ADMIN) the mount namespace alone; as an ordinary user inside a
 * user namespace that maps the caller's uid and gid to themselves, after
 * which picovisor drops every capability it had there. The tmpfs goes with
 * the namespace's last process: nothing is left to remove.
 */
#ifndef PICOVISOR_PRIVATE_SHM_H
#define PICOVISOR_PRIVATE_SHM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct private_shm {
	uint64_t size;        /* what the policy asked for (0: nothing asked) */
	bool made;            /* the tmpfs is on /dev/shm for the run */
	bool user_namespace;  /* made inside a user namespace (an ordinary user) */
	char why_not[512];    /* !made && size: why not, and what to do */
};

/*
 * Make it (the calling process must be single-threaded for the user
 * namespace). blockers: host paths the run names (the launch directory, the
 * program, maps), NULL-terminated: one under /dev/shm would vanish behind
 * the tmpfs, so none is made then. Fills r; never dies.
 */
void private_shm_make(uint64_t size, const char *const *blockers, struct private_shm *r);

/* Is path (an existing one, resolved) /dev/shm or below it, where the host's files are hidden once it is made? */
bool private_shm_hides(const char *path);

#endif
