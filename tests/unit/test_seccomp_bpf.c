/*
 * The supervisor's classic BPF (include/seccomp_bpf.h): the checker against
 * malformed and oversized programs, the interpreter's semantics, the kernel's
 * combining of stacked filters, what a program can return, and the judge of
 * the program's own filters (tracer/run/seccomp_guard.h), ordinary ones included:
 * OpenSSH-style, libseccomp-generated, LOG and TRAP.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#include "filter.h"
#include "../../tracer/run/own_filters.h"
#include "seccomp_bpf.h"
#include "../../tracer/run/seccomp_guard.h"

#define LD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define LD_ARCH BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch))
#define RET(v) BPF_STMT(BPF_RET | BPF_K, (v))
#define N(p) (sizeof(p) / sizeof((p)[0]))

static struct seccomp_data call(int nr)
{
	struct seccomp_data d = { .nr = nr, .arch = AUDIT_ARCH_X86_64 };

	return d;
}

static int check(const struct sock_filter *p, size_t n)
{
	const char *why = NULL;
	int rc = seccomp_bpf_check(p, n, &why);

	cr_assert((rc == 0) == (why == NULL), "a refusal says why");
	return rc;
}

Test(seccomp_bpf, checker_refuses_malformed_programs)
{
	const struct sock_filter ok[] = { RET(SECCOMP_RET_ALLOW) };
	const struct sock_filter no_ret[] = { LD_NR };
	const struct sock_filter past_data[] = { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 64), RET(0) };
	const struct sock_filter unaligned[] = { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 2), RET(0) };
	const struct sock_filter byte_load[] = { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0), RET(0) };
	const struct sock_filter jump_out[] = { LD_NR, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 5, 0), RET(0) };
	const struct sock_filter ja_out[] = { BPF_STMT(BPF_JMP | BPF_JA, 1), RET(0) };
	const struct sock_filter ja_huge[] = { BPF_STMT(BPF_JMP | BPF_JA, 0xffffffffu), RET(0) };
	const struct sock_filter div0[] = { BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0), RET(0) };
	const struct sock_filter mod[] = { BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 3), RET(0) };
	const struct sock_filter shift32[] = { BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 32), RET(0) };
	const struct sock_filter mem17[] = { BPF_STMT(BPF_ST, 16), RET(0) };
	const struct sock_filter unset_mem[] = { BPF_STMT(BPF_LD | BPF_MEM, 3), RET(0) };
	const struct sock_filter half_set_mem[] = {
		LD_NR, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1), BPF_STMT(BPF_ST, 3),
		BPF_STMT(BPF_LD | BPF_MEM, 3), RET(0),
	};
	const struct sock_filter garbage[] = { { 0xffff, 7, 9, 0xdeadbeef }, RET(0) };

	cr_assert_eq(check(ok, N(ok)), 0);
	cr_assert_eq(check(ok, 0), -EINVAL, "empty");
	cr_assert_eq(check(no_ret, N(no_ret)), -EINVAL);
	cr_assert_eq(check(past_data, N(past_data)), -EINVAL);
	cr_assert_eq(check(unaligned, N(unaligned)), -EINVAL);
	cr_assert_eq(check(byte_load, N(byte_load)), -EINVAL, "seccomp loads words only");
	cr_assert_eq(check(jump_out, N(jump_out)), -EINVAL);
	cr_assert_eq(check(ja_out, N(ja_out)), -EINVAL);
	cr_assert_eq(check(ja_huge, N(ja_huge)), -EINVAL);
	cr_assert_eq(check(div0, N(div0)), -EINVAL);
	cr_assert_eq(check(mod, N(mod)), -EINVAL, "seccomp has no modulo");
	cr_assert_eq(check(shift32, N(shift32)), -EINVAL);
	cr_assert_eq(check(mem17, N(mem17)), -EINVAL);
	cr_assert_eq(check(unset_mem, N(unset_mem)), -EINVAL);
	cr_assert_eq(check(half_set_mem, N(half_set_mem)), -EINVAL, "stored on one path only");
	cr_assert_eq(check(garbage, N(garbage)), -EINVAL);
}

Test(seccomp_bpf, checker_bounds_the_length)
{
	struct sock_filter *big = calloc(SECCOMP_BPF_MAX_INSNS + 1, sizeof(*big));

	for (size_t i = 0; i <= SECCOMP_BPF_MAX_INSNS; i++)
		big[i] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
	cr_assert_eq(check(big, SECCOMP_BPF_MAX_INSNS), 0, "4096 instructions are the kernel's limit");
	cr_assert_eq(check(big, SECCOMP_BPF_MAX_INSNS + 1), -EINVAL, "4097 are too many");
	free(big);
}

Test(seccomp_bpf, interpreter_semantics)
{
	/* nr * 3 + 1, shifted, masked, through X and scratch memory: the result is returned as the data word. */
	const struct sock_filter p[] = {
		LD_NR,
		BPF_STMT(BPF_ALU | BPF_MUL | BPF_K, 3),
		BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1),
		BPF_STMT(BPF_ST, 5),
		BPF_STMT(BPF_LDX | BPF_MEM, 5),
		BPF_STMT(BPF_LD | BPF_IMM, 0x10),
		BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 4),
		BPF_STMT(BPF_ALU | BPF_OR | BPF_X, 0),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xffff),
		BPF_STMT(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	/* Division by X = 0 ends the program with 0 (KILL_THREAD), as classic BPF in the kernel does. */
	const struct sock_filter div[] = {
		BPF_STMT(BPF_LDX | BPF_W | BPF_LEN, 0), /* X = 64 */
		LD_NR,
		BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
		BPF_STMT(BPF_MISC | BPF_TAX, 0),
		BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
		RET(SECCOMP_RET_ALLOW),
	};
	/* Arguments are two words each: the high word of args[0] at offset 20. */
	const struct sock_filter arg_hi[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]) + 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1),
		RET(SECCOMP_RET_KILL_PROCESS),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x80000000u, 0, 1),
		RET(SECCOMP_RET_TRAP),
		RET(SECCOMP_RET_ALLOW),
	};
	struct seccomp_data d = call(7);

	cr_assert_eq(check(p, N(p)), 0);
	cr_assert_eq(seccomp_bpf_run(p, N(p), &d), SECCOMP_RET_ERRNO | ((0x100 | 22) & 0xffff));
	cr_assert_eq(check(div, N(div)), 0);
	d = call(640);
	cr_assert_eq(seccomp_bpf_run(div, N(div), &d), SECCOMP_RET_ALLOW, "640/64 = 10, then 10/10 = 1");
	d = call(63);
	cr_assert_eq(seccomp_bpf_run(div, N(div), &d), 0, "63/64 = 0, then a division by 0");
	d = call(0);
	d.args[0] = 1ULL << 32;
	cr_assert_eq(seccomp_bpf_run(arg_hi, N(arg_hi), &d), SECCOMP_RET_KILL_PROCESS);
	d.args[0] = 0x80000000ULL;
	cr_assert_eq(seccomp_bpf_run(arg_hi, N(arg_hi), &d), SECCOMP_RET_ALLOW, "the low word is not loaded");
	d.args[0] = 0x8000000000000000ULL;
	cr_assert_eq(seccomp_bpf_run(arg_hi, N(arg_hi), &d), SECCOMP_RET_TRAP);
}

Test(seccomp_bpf, stacked_filters_combine_as_the_kernel_does)
{
	const struct sock_filter trace_a[] = { RET(SECCOMP_RET_TRACE | 0xa) };
	const struct sock_filter trace_b[] = { RET(SECCOMP_RET_TRACE | 0xb) };
	const struct sock_filter errno_[] = { RET(SECCOMP_RET_ERRNO | 1) };
	const struct sock_filter notif[] = { RET(SECCOMP_RET_USER_NOTIF) };
	const struct sock_filter kill_p[] = { RET(SECCOMP_RET_KILL_PROCESS) };
	const struct sock_filter log_[] = { RET(SECCOMP_RET_LOG) };
	struct seccomp_data d = call(1);
	struct seccomp_prog two_traces[] = { { 1, trace_a }, { 1, trace_b } };
	struct seccomp_prog trace_under_notif[] = { { 1, trace_a }, { 1, notif } };
	struct seccomp_prog errno_over_trace[] = { { 1, errno_ }, { 1, trace_b }, { 1, log_ } };
	struct seccomp_prog kill_first[] = { { 1, kill_p }, { 1, errno_ } };
	struct filter_chain *c;

	cr_assert_eq(seccomp_bpf_verdict(two_traces, 2, &d), SECCOMP_RET_TRACE | 0xb, "the newest data word wins a tie");
	cr_assert_eq(seccomp_bpf_verdict(trace_under_notif, 2, &d), SECCOMP_RET_USER_NOTIF, "USER_NOTIF before TRACE");
	cr_assert_eq(seccomp_bpf_verdict(errno_over_trace, 3, &d), SECCOMP_RET_ERRNO | 1);
	cr_assert_eq(seccomp_bpf_verdict(kill_first, 2, &d), SECCOMP_RET_KILL_PROCESS, "KILL_PROCESS is the strongest");
	cr_assert_eq(seccomp_bpf_verdict(NULL, 0, &d), SECCOMP_RET_ALLOW);
	/* The chain the supervisor keeps per thread: the same rule. */
	c = filter_chain_push(NULL, trace_a, sizeof(trace_a));
	c = filter_chain_push(c, log_, sizeof(log_));
	cr_assert_eq(filter_chain_verdict(c, &d), SECCOMP_RET_TRACE | 0xa, "an older TRACE wins over a newer LOG");
	c = filter_chain_push(c, trace_b, sizeof(trace_b));
	cr_assert_eq(filter_chain_verdict(c, &d), SECCOMP_RET_TRACE | 0xb);
	filter_chain_unref(c);
}

Test(seccomp_bpf, what_a_program_can_return)
{
	const struct sock_filter allow_errno[] = {
		LD_NR, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 1), RET(SECCOMP_RET_ERRNO | 13), RET(SECCOMP_RET_ALLOW),
	};
	const struct sock_filter hidden_trace[] = {
		LD_NR, BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 400, 0, 1), RET(SECCOMP_RET_TRACE), RET(SECCOMP_RET_ALLOW),
	};
	/* RET A of a constant: provable; RET A of a loaded value: anything. */
	const struct sock_filter ret_a_const[] = {
		BPF_STMT(BPF_LD | BPF_IMM, SECCOMP_RET_LOG), BPF_STMT(BPF_ST, 0), BPF_STMT(BPF_LDX | BPF_MEM, 0),
		BPF_STMT(BPF_MISC | BPF_TXA, 0), BPF_STMT(BPF_RET | BPF_A, 0),
	};
	const struct sock_filter ret_a_built[] = {
		BPF_STMT(BPF_LD | BPF_IMM, 0x7ff0), BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 16), BPF_STMT(BPF_RET | BPF_A, 0),
	};
	const struct sock_filter ret_a_loaded[] = {
		LD_NR, BPF_STMT(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO), BPF_STMT(BPF_RET | BPF_A, 0),
	};
	/* A path that cannot be taken (A is a known constant at the jump) does not count. */
	const struct sock_filter dead_branch[] = {
		BPF_STMT(BPF_LD | BPF_IMM, 5), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 6, 0, 1), RET(SECCOMP_RET_USER_NOTIF),
		RET(SECCOMP_RET_ALLOW),
	};
	/* After a merge of two paths with different constants, A is unknown. */
	const struct sock_filter merged[] = {
		LD_NR, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 2), BPF_STMT(BPF_LD | BPF_IMM, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_JMP | BPF_JA, 1), BPF_STMT(BPF_LD | BPF_IMM, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};

	cr_assert_eq(seccomp_bpf_actions(allow_errno, N(allow_errno)), SECCOMP_CAN_ERRNO | SECCOMP_CAN_ALLOW);
	cr_assert(seccomp_bpf_actions(hidden_trace, N(hidden_trace)) & SECCOMP_CAN_TRACE);
	cr_assert_eq(seccomp_bpf_actions(ret_a_const, N(ret_a_const)), SECCOMP_CAN_LOG);
	cr_assert_eq(seccomp_bpf_actions(ret_a_built, N(ret_a_built)), SECCOMP_CAN_TRACE, "0x7ff0 << 16 is TRACE");
	cr_assert(seccomp_bpf_actions(ret_a_loaded, N(ret_a_loaded)) & SECCOMP_CAN_ANYTHING);
	cr_assert_eq(seccomp_bpf_actions(dead_branch, N(dead_branch)), SECCOMP_CAN_ALLOW);
	cr_assert(seccomp_bpf_actions(merged, N(merged)) & SECCOMP_CAN_ANYTHING);
}

static int judge(const struct sock_filter *p, size_t n, unsigned flags)
{
	const char *why = NULL;
	int rc = seccomp_guard_judge(p, n, flags, &why);

	cr_assert((rc == 0) == (why == NULL), "a refusal names its rule");
	return rc;
}

Test(seccomp_guard, refuses_what_would_speak_for_picovisor)
{
	const struct sock_filter allow[] = { RET(SECCOMP_RET_ALLOW) };
	const struct sock_filter trace0[] = {
		LD_NR, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_chmod, 0, 1), RET(SECCOMP_RET_TRACE | 0), RET(SECCOMP_RET_ALLOW),
	};
	const struct sock_filter notif[] = {
		LD_NR, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_connect, 0, 1), RET(SECCOMP_RET_USER_NOTIF),
		RET(SECCOMP_RET_ALLOW),
	};
	const struct sock_filter computed[] = { LD_NR, BPF_STMT(BPF_RET | BPF_A, 0) };
	const struct sock_filter broken[] = { LD_NR };

	cr_assert_eq(judge(allow, N(allow), 0), 0);
	cr_assert_eq(judge(allow, N(allow), SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG), 0);
	cr_assert_eq(judge(allow, N(allow), SECCOMP_FILTER_FLAG_NEW_LISTENER), -EPERM, "a listener");
	cr_assert_eq(judge(trace0, N(trace0), 0), -EPERM);
	cr_assert_eq(judge(notif, N(notif), 0), -EPERM);
	cr_assert_eq(judge(computed, N(computed), 0), -EPERM, "a return value that cannot be proven");
	cr_assert_eq(judge(broken, N(broken), 0), -EINVAL, "what the kernel refuses anyway");
}

Test(seccomp_guard, ordinary_self_sandboxing_filters_go_in)
{
	/* OpenSSH's privsep child: the arch, then numbers with ERRNO, KILL and ALLOW, an argument masked with ALU AND. */
	const struct sock_filter openssh[] = {
		LD_ARCH,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		RET(SECCOMP_RET_KILL),
		LD_NR,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_open, 0, 1),
		RET(SECCOMP_RET_ERRNO | EACCES),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_read, 0, 1),
		RET(SECCOMP_RET_ALLOW),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mmap, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2])),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, ~(0x1u | 0x2u)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		RET(SECCOMP_RET_ALLOW),
		LD_NR,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		RET(SECCOMP_RET_TRAP),
		RET(SECCOMP_RET_KILL_PROCESS),
	};
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	void *bytes;
	size_t len;

	cr_assert_eq(judge(openssh, N(openssh), SECCOMP_FILTER_FLAG_TSYNC), 0);
	/* What libseccomp generates (systemd, bwrap --seccomp, container runtimes): every action but TRACE and NOTIFY. */
	cr_assert_not_null(ctx);
	cr_assert_eq(seccomp_arch_add(ctx, SCMP_ARCH_X86), 0);
	cr_assert_eq(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 0), 0);
	cr_assert_eq(seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(openat), 0), 0);
	cr_assert_eq(seccomp_rule_add(ctx, SCMP_ACT_TRAP, SCMP_SYS(getppid), 0), 0);
	cr_assert_eq(seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, SCMP_SYS(ptrace), 0), 0);
	cr_assert_eq(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, 1)), 0);
	cr_assert_eq(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, 4, 0)), 0);
	cr_assert_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0), 0);
	cr_assert_eq(filter_ctx_bpf(ctx, &bytes, &len), 0);
	cr_assert_eq(judge(bytes, len / sizeof(struct sock_filter), SECCOMP_FILTER_FLAG_TSYNC), 0);
	free(bytes);
	seccomp_release(ctx);
}

Test(seccomp_guard, picovisors_own_filters_pass_the_checker)
{
	void *bytes;
	size_t len;
	struct seccomp_data d = call(SYS_getpid);

	cr_assert_eq(filter_bpf_strict(&bytes, &len), 0);
	cr_assert_eq(check(bytes, len / 8), 0);
	cr_assert_eq(seccomp_bpf_run(bytes, len / 8, &d), SECCOMP_RET_TRACE | FILTER_DATA_STRICT);
	d = call(SYS_write);
	cr_assert_eq(seccomp_bpf_run(bytes, len / 8, &d), SECCOMP_RET_ALLOW);
	d = call(SYS_exit_group);
	cr_assert_eq(seccomp_bpf_run(bytes, len / 8, &d), SECCOMP_RET_TRACE | FILTER_DATA_STRICT, "only _exit");
	d = call(0x40000000 | SYS_read);
	cr_assert_eq(seccomp_bpf_run(bytes, len / 8, &d), SECCOMP_RET_TRACE | FILTER_DATA_STRICT, "x32: killed");
	d = call(3);
	d.arch = AUDIT_ARCH_I386;
	cr_assert_eq(seccomp_bpf_run(bytes, len / 8, &d), SECCOMP_RET_ALLOW, "i386 read");
	free(bytes);
	cr_assert_eq(filter_bpf_nt(&bytes, &len, 0x7ffe1002, 0, 0), 0);
	cr_assert_eq(check(bytes, len / 8), 0);
	free(bytes);
	cr_assert_eq(filter_bpf_nt(&bytes, &len, 0x7ffe1002, 0x7fff12340000, 0x7fff12342000), 0);
	cr_assert_eq(check(bytes, len / 8), 0);
	free(bytes);
	cr_assert_eq(filter_bpf_for_classes(SC_READLINK, &bytes, &len), 0);
	cr_assert_eq(check(bytes, len / 8), 0);
	free(bytes);
}

static uint32_t nt_verdict(const void *bytes, size_t len, int nr, uint64_t ip, uint64_t a0)
{
	struct seccomp_data d = call(nr);

	d.instruction_pointer = ip;
	d.args[0] = a0;
	return seccomp_bpf_run(bytes, len / 8, &d);
}

/* The NT filter lets the gate's harmless calls through from the gate and the vDSO only; all else is a service. */
Test(seccomp_bpf, nt_filter_lets_through_only_the_gate_calls)
{
	const uint64_t gate = 0x7ffe1002, lo = 0x7fff12340000, hi = 0x7fff12342000;
	uint32_t service;
	void *bytes;
	size_t len;

	cr_assert_eq(filter_bpf_nt(&bytes, &len, gate, lo, hi), 0);
	service = nt_verdict(bytes, len, 0x55, 0x401000, 0); /* NtCreateFile from the program's code */
	cr_assert_eq(service & SECCOMP_RET_ACTION_FULL, SECCOMP_RET_TRACE);
	cr_assert_eq(nt_verdict(bytes, len, SYS_sched_yield, gate, 0), SECCOMP_RET_ALLOW);
	cr_assert_eq(nt_verdict(bytes, len, SYS_time, gate, 0x12345678), SECCOMP_RET_ALLOW);
	cr_assert_eq(nt_verdict(bytes, len, SYS_clock_gettime, gate, CLOCK_MONOTONIC), SECCOMP_RET_ALLOW);
	cr_assert_eq(nt_verdict(bytes, len, SYS_clock_nanosleep, gate, CLOCK_REALTIME), SECCOMP_RET_ALLOW);
	cr_assert_eq(nt_verdict(bytes, len, SYS_clock_gettime, lo + 0x800, CLOCK_REALTIME), SECCOMP_RET_ALLOW, "the vDSO");
	/* sched_yield's number is NtAllocateVirtualMemory's: from anywhere else it is that service */
	cr_assert_eq(nt_verdict(bytes, len, SYS_sched_yield, 0x401000, 0), service);
	cr_assert_eq(nt_verdict(bytes, len, SYS_sched_yield, gate + 1, 0), service, "one byte off");
	cr_assert_eq(nt_verdict(bytes, len, SYS_sched_yield, gate | (1ULL << 32), 0), service, "4 GiB off");
	cr_assert_eq(nt_verdict(bytes, len, SYS_clock_gettime, hi, CLOCK_REALTIME), service, "past the vDSO");
	cr_assert_eq(nt_verdict(bytes, len, SYS_clock_gettime, lo - 1, CLOCK_REALTIME), service, "before it");
	/* other calls from the gate, other clocks, x32 numbers: services */
	cr_assert_eq(nt_verdict(bytes, len, SYS_write, gate, 1), service);
	cr_assert_eq(nt_verdict(bytes, len, SYS_getppid, gate, 0), service);
	cr_assert_eq(nt_verdict(bytes, len, SYS_clock_gettime, gate, CLOCK_PROCESS_CPUTIME_ID), service);
	cr_assert_eq(nt_verdict(bytes, len, SYS_clock_gettime, gate, (uint64_t)-6), service, "another pid's CPU clock");
	cr_assert_eq(nt_verdict(bytes, len, SYS_clock_gettime, gate, 1ULL << 32), service, "a high word");
	cr_assert_eq(nt_verdict(bytes, len, SYS_clock_nanosleep, gate, CLOCK_BOOTTIME), service);
	cr_assert_eq(nt_verdict(bytes, len, SYS_sched_yield | 0x40000000, gate, 0), service, "x32");
	/* another architecture is killed */
	{
		struct seccomp_data d = call(SYS_sched_yield);

		d.arch = AUDIT_ARCH_I386;
		d.instruction_pointer = gate;
		cr_assert_eq(seccomp_bpf_run(bytes, len / 8, &d), SECCOMP_RET_KILL_PROCESS);
	}
	free(bytes);
	/* without a vDSO, only the gate */
	cr_assert_eq(filter_bpf_nt(&bytes, &len, gate, 0, 0), 0);
	cr_assert_eq(nt_verdict(bytes, len, SYS_clock_gettime, lo + 0x800, CLOCK_REALTIME), service);
	cr_assert_eq(nt_verdict(bytes, len, SYS_clock_gettime, gate, CLOCK_REALTIME), SECCOMP_RET_ALLOW);
	free(bytes);
}
