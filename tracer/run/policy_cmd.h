/* picovisor policy check: the command line's view of a policy. */
#ifndef PICOVISOR_POLICY_CMD_H
#define PICOVISOR_POLICY_CMD_H

struct run_options;

int policy_check_main(const struct run_options *o);

#endif
