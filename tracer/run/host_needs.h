/* What picovisor cannot run without, checked before a run (tracer/run/host_needs.c). */
#ifndef PICOVISOR_HOST_NEEDS_H
#define PICOVISOR_HOST_NEEDS_H

/* Returns if the machine gives picovisor what every run needs; dies with what is missing otherwise. */
void host_needs_check(void);

#endif
