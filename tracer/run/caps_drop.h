/*
 * Dropping every capability: what the sandbox's child does before the
 * program runs (started by root: an ordinary uid 0 after it), and what
 * picovisor does after making the private /dev/shm's user namespace.
 */
#ifndef PICOVISOR_CAPS_DROP_H
#define PICOVISOR_CAPS_DROP_H

/*
 * Every capability gone from every set, none to be had again (with
 * CAP_SETPCAP: the securebits locked, the bounding set cleared; the ambient,
 * effective, permitted and inheritable sets emptied). 0, or -errno with
 * *what naming the step that failed.
 */
int caps_drop_all(const char **what);

#endif
