/* picovisor policy check: the command line's view of a policy. */
#ifndef PICOVISOR_POLICY_CMD_H
#define PICOVISOR_POLICY_CMD_H

struct run_options;

int policy_check_main(const struct run_options *o);
/* policy suggest REPORT|TRACE: a policy under which an audited run would have passed, on stdout. */
int policy_suggest_main(const struct run_options *o);

#endif
