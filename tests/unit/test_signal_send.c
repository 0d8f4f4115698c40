/*
 * The one door for picovisor's signals (tracer/run/signal_send.c): a target whose
 * pid is 0 or -1 (kill's "my process group" and "every process I may signal")
 * is never signalled, whatever state it claims. Signal 0 only checks, so a
 * door that let such a pid through shows as a success here and harms nothing.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <unistd.h>

#include "../../tracer/run/signal_send.h"

Test(signal_send, never_reaches_beyond_one_process)
{
	for (pid_t pid = -1; pid <= 0; pid++) {
		struct signal_target to = { .pid = pid, .pidfd = -1, .live = 1 };

		cr_expect_eq(signal_send(&to, 0), -EINVAL, "a live target with pid %d must be refused", pid);
	}
}

Test(signal_send, opening_a_target_for_pid_0_or_less_fails_and_leaves_it_dead)
{
	for (pid_t pid = -1; pid <= 0; pid++) {
		struct signal_target to;

		cr_expect_eq(signal_target_open(&to, pid), -EINVAL);
		cr_expect_eq(signal_send(&to, 0), -ESRCH, "pid %d", pid);
	}
}

Test(signal_send, a_live_target_is_reached_and_a_retired_one_never)
{
	struct signal_target to;

	cr_assert_eq(signal_target_open(&to, getpid()), 0);
	cr_expect_eq(signal_send(&to, 0), 0);
	signal_target_retire(&to);
	cr_expect_eq(signal_send(&to, 0), -ESRCH);
}

Test(signal_send, a_thread_is_reached_by_its_ids_and_ids_of_0_or_less_never)
{
	pid_t self = getpid();

	cr_expect_eq(signal_send_thread(self, gettid(), 0), 0);
	for (pid_t id = -1; id <= 0; id++) {
		cr_expect_eq(signal_send_thread(id, gettid(), 0), -EINVAL, "tgid %d", id);
		cr_expect_eq(signal_send_thread(self, id, 0), -EINVAL, "tid %d", id);
	}
}
