/*
 * The seccomp filters picovisor itself installed in each thread, kept as the
 * exact bytes the kernel was given, newest on top like the kernel's own chain:
 * the run's filters (loaded by the spawned child), the NT filter a PE load
 * stacks, the readlink filter of a process that dropped privileges, and the
 * filter that stands in for a thread's strict mode.
 *
 * At a seccomp stop the supervisor runs these on the stopped call (the
 * registers of the stopped thread, which nothing else can change) and acts on
 * their verdict, never on the data word the kernel reports: a newer filter of
 * the program's that also returns TRACE would supply that word. A stop that
 * picovisor's filters would not have made is the program's own filter asking
 * for a tracer it does not have: the call fails with ENOSYS, as it does
 * natively without one.
 */
#ifndef PICOVISOR_OWN_FILTERS_H
#define PICOVISOR_OWN_FILTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "seccomp_bpf.h"

struct tracee;

/* One filter in a thread's chain; chains share their older part (filters are inherited). */
struct filter_chain {
	struct seccomp_prog prog; /* picovisor's own bytes, kept for the whole run */
	struct filter_chain *prev;
	int refs;
};

/* A new chain: prog (copied, kept for the run) on top of prev (whose reference it takes over). */
struct filter_chain *filter_chain_push(struct filter_chain *prev, const void *bytes, size_t len);
struct filter_chain *filter_chain_ref(struct filter_chain *c);
void filter_chain_unref(struct filter_chain *c);
/* The verdict of the whole chain on d, combined as the kernel combines stacked filters. */
uint32_t filter_chain_verdict(const struct filter_chain *c, const struct seccomp_data *d);

/*
 * The run's filters, in load order, before the program is spawned; the
 * spawned child installs exactly these (own_filters_install_run), with
 * no_new_privs first when nnp.
 */
void own_filters_add_run(const void *bytes, size_t len, bool nnp);
/* The run's filters from filter_build's result (may be NULL) and the sandbox's policy, if any. */
void own_filters_prepare(void *filter);
/* The run's chain (a new reference), for the first tracee. */
struct filter_chain *own_filters_run_chain(void);
/* In the spawned child: install the run's filters. 0 or -errno. */
int own_filters_install_run(void);

/* Did picovisor itself start with seccomp filters (a container's), which its children inherit? */
bool own_filters_foreign_at_start(void);
/*
 * At t's seccomp stop: the data word of picovisor's own verdict (0 and
 * *data), or -1 when picovisor's filters would not have stopped this call
 * (the thread has been resumed: the call failed with ENOSYS, or the thread is
 * gone). The verdict is computed from the stopped call whenever a filter that
 * is not picovisor's may be in the thread (t->foreign_filters, or filters
 * from before the run); otherwise every filter of the thread is picovisor's
 * and the reported word is already exactly that verdict.
 */
int own_filters_decide(struct tracee *t, uint32_t *data);

#endif
