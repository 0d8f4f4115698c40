/*
 * Policies compiled to seccomp: the filter's decision for sample calls, found
 * by running the exported BPF program in a small classic-BPF interpreter.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <termios.h>

#include "filter.h"
#include "landlock_rules.h"
#include "policy.h"
#include "policy_compile.h"

/* Run a classic BPF program on a seccomp_data: its return value. */
static uint32_t run_bpf(const struct sock_filter *prog, size_t n, const struct seccomp_data *d)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
	const unsigned char *data = (const unsigned char *)d;

	for (size_t pc = 0; pc < n; pc++) {
		const struct sock_filter *f = &prog[pc];
		uint32_t k = f->k, src = BPF_SRC(f->code) == BPF_X ? x : k;

		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
			if (BPF_MODE(f->code) == BPF_ABS) {
				cr_assert_leq(k + 4, sizeof(*d), "load past seccomp_data");
				memcpy(&a, data + k, 4);
			} else if (BPF_MODE(f->code) == BPF_IMM)
				a = k;
			else if (BPF_MODE(f->code) == BPF_MEM)
				a = mem[k];
			else
				cr_assert_fail("unknown load %#x", f->code);
			break;
		case BPF_LDX:
			x = BPF_MODE(f->code) == BPF_MEM ? mem[k] : k;
			break;
		case BPF_ST:
			mem[k] = a;
			break;
		case BPF_STX:
			mem[k] = x;
			break;
		case BPF_ALU:
			switch (BPF_OP(f->code)) {
			case BPF_ADD: a += src; break;
			case BPF_SUB: a -= src; break;
			case BPF_AND: a &= src; break;
			case BPF_OR: a |= src; break;
			case BPF_LSH: a <<= src; break;
			case BPF_RSH: a >>= src; break;
			default: cr_assert_fail("unknown alu %#x", f->code);
			}
			break;
		case BPF_JMP: {
			bool t;
			if (BPF_OP(f->code) == BPF_JA) {
				pc += k;
				continue;
			}
			switch (BPF_OP(f->code)) {
			case BPF_JEQ: t = a == src; break;
			case BPF_JGT: t = a > src; break;
			case BPF_JGE: t = a >= src; break;
			case BPF_JSET: t = (a & src) != 0; break;
			default: cr_assert_fail("unknown jump %#x", f->code); t = false;
			}
			pc += t ? f->jt : f->jf;
			break;
		}
		case BPF_RET:
			return BPF_RVAL(f->code) == BPF_A ? a : k;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default:
			cr_assert_fail("unknown instruction %#x", f->code);
		}
	}
	cr_assert_fail("the program ran off its end");
	return 0;
}

struct compiled {
	struct sock_filter *prog;
	size_t n;
};

static struct compiled compile_env_of(const char *text, bool landlock_paths, bool sockaddrs, bool tasks);

static struct compiled compile(const char *text, bool landlock)
{
	return compile_env_of(text, landlock, false, false);
}

static uint32_t decide4(struct compiled c, const char *name, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct seccomp_data d = { .nr = syscall_number(ABI_X86_64, name), .arch = AUDIT_ARCH_X86_64 };

	cr_assert_geq(d.nr, 0, "%s", name);
	d.args[0] = a0;
	d.args[1] = a1;
	d.args[2] = a2;
	d.args[3] = a3;
	return run_bpf(c.prog, c.n, &d);
}

static uint32_t decide(struct compiled c, const char *name, uint64_t a0, uint64_t a1, uint64_t a2)
{
	return decide4(c, name, a0, a1, a2, 0);
}

#define ALLOW SECCOMP_RET_ALLOW
#define VIOLATION (SECCOMP_RET_TRACE | POLICY_DATA_VIOLATION)
#define CHECK (SECCOMP_RET_TRACE | POLICY_DATA_CHECK)

Test(policy_compile, stdio_alone)
{
	struct compiled c = compile("promise stdio\nnet none\n", true);

	cr_expect_eq(decide(c, "read", 0, 0, 0), ALLOW);
	cr_expect_eq(decide(c, "getpid", 0, 0, 0), ALLOW);
	cr_expect_eq(decide(c, "openat", -100, 0, O_RDONLY), VIOLATION, "no rpath");
	cr_expect_eq(decide(c, "execve", 0, 0, 0), VIOLATION, "no exec");
	cr_expect_eq(decide(c, "mmap", 0, 4096, PROT_READ | PROT_WRITE), ALLOW);
	cr_expect_eq(decide4(c, "mmap", 0, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS), VIOLATION,
		     "anonymous PROT_EXEC needs prot_exec");
	cr_expect_eq(decide4(c, "mmap", 0, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE), ALLOW,
		     "a file's code, read-only (the dynamic loader)");
	cr_expect_eq(decide4(c, "mmap", 0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE), VIOLATION,
		     "writable and executable at once needs prot_exec");
	cr_expect_eq(decide(c, "exit_group", 0, 0, 0), ALLOW, "leaving is always allowed");
	cr_expect_eq(decide(c, "kill", 1234, 9, 0), VIOLATION, "signals need proc");
	cr_expect_eq(decide(c, "ptrace", 16, 1, 0), VIOLATION, "never allowed");
	cr_expect_eq(decide(c, "mprotect", 0, 4096, PROT_EXEC), VIOLATION);
	cr_expect_eq(decide(c, "ioctl", 1, TCGETS, 0), ALLOW, "isatty");
	cr_expect_eq(decide(c, "ioctl", 1, TCSETS, 0), VIOLATION, "setting the terminal needs tty");
	cr_expect_eq(decide(c, "ioctl", 1, TIOCSTI, 0), VIOLATION);
	cr_expect_eq(decide(c, "fcntl", 1, F_GETFL, 0), ALLOW);
	cr_expect_eq(decide(c, "fcntl", 1, F_SETLK, 0), VIOLATION, "locks need flock");
	cr_expect_eq(decide(c, "socketpair", AF_UNIX, SOCK_STREAM, 0), ALLOW);
	cr_expect_eq(decide(c, "socket", AF_INET, SOCK_STREAM, 0), VIOLATION);
	cr_expect_eq(decide(c, "clone", CLONE_THREAD | CLONE_VM, 0, 0), VIOLATION, "threads need thread");
	cr_expect_eq(decide(c, "prctl", 15 /* PR_SET_NAME */, 0, 0), ALLOW);
	cr_expect_eq(decide(c, "prctl", 35 /* PR_SET_MM */, 0, 0), VIOLATION);
	cr_expect_eq(decide(c, "prlimit64", 0, RLIMIT_NOFILE, 0), ALLOW, "getrlimit: reading its own limit");
	cr_expect_eq(decide(c, "prlimit64", 0, RLIMIT_NOFILE, 0x1000), VIOLATION, "setting a limit needs proc");
	cr_expect_eq(decide(c, "prlimit64", 77, RLIMIT_NOFILE, 0), CHECK, "another process's: is it in the run?");
	free(c.prog);
}

Test(policy_compile, promises_open_more)
{
	struct compiled c = compile("promise stdio rpath wpath prot_exec thread proc inet\nnet any\n", true);

	cr_expect_eq(decide(c, "openat", -100, 0, O_RDONLY | O_CLOEXEC), ALLOW);
	cr_expect_eq(decide(c, "openat", -100, 0, O_WRONLY | O_TRUNC), ALLOW, "wpath");
	cr_expect_eq(decide(c, "openat", -100, 0, O_WRONLY | O_CREAT), VIOLATION, "creating needs cpath");
	cr_expect_eq(decide(c, "mmap", 0, 4096, PROT_READ | PROT_EXEC), ALLOW);
	cr_expect_eq(decide(c, "clone", CLONE_THREAD | CLONE_VM | CLONE_SIGHAND, 0, 0), ALLOW);
	cr_expect_eq(decide(c, "clone", SIGCHLD, 0, 0), ALLOW, "a process");
	cr_expect_eq(decide(c, "clone", SIGCHLD | CLONE_NEWUSER, 0, 0), VIOLATION, "namespaces, never");
	cr_expect_eq(decide(c, "clone", SIGCHLD | CLONE_UNTRACED, 0, 0), VIOLATION, "leaving the tracer, never");
	cr_expect_eq(decide(c, "clone3", 0, 88, 0), CHECK, "clone3's flags are in memory");
	cr_expect_eq(decide(c, "socket", AF_INET6, SOCK_STREAM, 0), ALLOW);
	cr_expect_eq(decide(c, "socket", AF_NETLINK, SOCK_RAW, 0), VIOLATION);
	free(c.prog);
}

Test(policy_compile, never_allowed_whatever_the_promises)
{
	struct compiled c = compile("promise all\npath rwxc /\nnet any\n", true);

	cr_expect_eq(decide(c, "read", 0, 0, 0), ALLOW);
	cr_expect_eq(decide(c, "ptrace", 0, 0, 0), VIOLATION);
	cr_expect_eq(decide(c, "unshare", 0, 0, 0), VIOLATION);
	cr_expect_eq(decide(c, "io_uring_setup", 0, 0, 0), VIOLATION);
	cr_expect_eq(decide(c, "mount", 0, 0, 0), VIOLATION);
	cr_expect_eq(decide(c, "bpf", 0, 0, 0), VIOLATION);
	cr_expect_eq(decide(c, "execve", 0, 0, 0), CHECK, "every exec goes through the loader and the x rules");
	free(c.prog);
}

Test(policy_compile, paths_stop_without_landlock)
{
	struct compiled with = compile("promise stdio rpath\npath r /etc\n", true);
	struct compiled without = compile("promise stdio rpath\npath r /etc\n", false);

	cr_expect_eq(decide(with, "openat", -100, 0, O_RDONLY), ALLOW, "Landlock decides the path");
	cr_expect_eq(decide(without, "openat", -100, 0, O_RDONLY), CHECK, "the supervisor must look at the path");
	cr_expect_eq(decide(without, "read", 0, 0, 0), ALLOW);
	free(with.prog);
	free(without.prog);
}

Test(policy_compile, profiles_compile)
{
	for (int i = 0; policy_profile_names[i]; i++) {
		struct policy p;
		struct policy_filter f;
		struct compile_env env = { .landlock_paths = true };
		char err[512];

		cr_assert_eq(policy_load(&p, policy_profile_names[i], err, sizeof(err)), 0, "%s", err);
		cr_expect_eq(policy_compile(&p, &env, &f, err, sizeof(err)), 0, "%s: %s", policy_profile_names[i], err);
		policy_filter_free(&f);
		policy_free(&p);
	}
}

static struct compiled compile_env_of(const char *text, bool landlock_paths, bool sockaddrs, bool tasks)
{
	struct policy p;
	struct policy_filter f;
	struct compile_env env = { .landlock_paths = landlock_paths, .check_sockaddrs = sockaddrs, .count_tasks = tasks };
	char err[512];
	void *bytes;
	size_t len;
	struct compiled c;

	memset(&p, 0, sizeof(p));
	cr_assert_eq(policy_parse(&p, text, "t.policy", err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(policy_compile(&p, &env, &f, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(policy_filter_bpf(&f, &bytes, &len), 0);
	c.prog = bytes;
	c.n = len / sizeof(struct sock_filter);
	policy_filter_free(&f);
	policy_free(&p);
	return c;
}

Test(policy_compile, the_run_state_decides_some_calls)
{
	struct compiled c = compile_env_of("promise stdio proc unix\n", true, true, true);
	struct compiled free_run = compile_env_of("promise stdio proc unix\n", true, false, false);

	cr_expect_eq(decide(c, "fork", 0, 0, 0), CHECK, "a process limit counts every fork");
	cr_expect_eq(decide(c, "clone", SIGCHLD, 0, 0), CHECK);
	cr_expect_eq(decide(c, "clone", SIGCHLD | CLONE_NEWPID, 0, 0), VIOLATION, "namespaces stay refused in the filter");
	cr_expect_eq(decide(free_run, "fork", 0, 0, 0), ALLOW);
	cr_expect_eq(decide(c, "kill", 1234, SIGTERM, 0), CHECK, "is pid 1234 in the run?");
	cr_expect_eq(decide(c, "kill", 0, SIGTERM, 0), CHECK, "the caller's group: with --tty it is picovisor's");
	cr_expect_eq(decide(c, "prlimit64", 0, RLIMIT_NOFILE, 0), ALLOW, "itself");
	cr_expect_eq(decide(c, "prlimit64", 4321, RLIMIT_NOFILE, 0), CHECK, "another process");
	cr_expect_eq(decide(c, "setpriority", PRIO_USER, 0, 0), CHECK, "0 is not the caller when a which says user");
	cr_expect_eq(decide(c, "connect", 3, 0x1000, 16), CHECK, "a unix socket path is beyond Landlock");
	cr_expect_eq(decide(free_run, "connect", 3, 0x1000, 16), ALLOW);
	cr_expect_eq(decide(c, "wait4", -1, 0, 0), ALLOW, "waiting picks among the caller's own children");
	free(c.prog);
	free(free_run.prog);
}

Test(policy_compile, on_violation_decides_who_checks_paths)
{
	static const struct {
		const char *text;
		int landlock_abi;
		bool landlock_paths;
	} cases[] = {
		{ "profile ci\n", 7, true },
		{ "profile ci\non-violation kill\n", 7, false }, /* each refusal must be seen to end the run */
		{ "profile ci\non-violation log\n", 7, false },  /* and to be allowed */
		{ "profile ci\n", 0, false },                    /* no Landlock */
		{ "profile ci\npath - /etc/shadow\n", 7, false }, /* a rule narrowing /etc */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct policy p;
		struct landlock_plan plan;
		struct compile_env env;
		char err[512];

		memset(&p, 0, sizeof(p));
		cr_assert_eq(policy_parse(&p, cases[i].text, "t.policy", err, sizeof(err)), 0, "%s", err);
		landlock_plan_build(&p, cases[i].landlock_abi, "/tmp", &plan);
		policy_compile_env(&p, &plan, &env);
		cr_expect_eq(env.landlock_paths, cases[i].landlock_paths, "case %zu: %s", i, cases[i].text);
		cr_expect(env.count_tasks, "ci has a process limit");
		landlock_plan_free(&plan);
		policy_free(&p);
	}
}
