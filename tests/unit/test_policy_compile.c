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
#include <sys/socket.h>
#include <termios.h>

#include "filter.h"
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

static struct compiled compile(const char *text, bool landlock)
{
	struct policy p;
	struct policy_filter f;
	struct compile_env env = { .landlock_paths = landlock };
	char err[512];
	void *bytes;
	size_t len;
	struct compiled c;

	memset(&p, 0, sizeof(p));
	cr_assert_eq(policy_parse(&p, text, "t.policy", err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(policy_compile(&p, &env, &f, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(policy_filter_bpf(&f, ABI_X86_64, &bytes, &len), 0);
	c.prog = bytes;
	c.n = len / sizeof(struct sock_filter);
	policy_filter_free(&f);
	policy_free(&p);
	return c;
}

static uint32_t decide(struct compiled c, const char *name, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct seccomp_data d = { .nr = syscall_number(ABI_X86_64, name), .arch = AUDIT_ARCH_X86_64 };

	cr_assert_geq(d.nr, 0, "%s", name);
	d.args[0] = a0;
	d.args[1] = a1;
	d.args[2] = a2;
	return run_bpf(c.prog, c.n, &d);
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
	cr_expect_eq(decide(c, "mmap", 0, 4096, PROT_READ | PROT_EXEC), VIOLATION, "PROT_EXEC needs prot_exec");
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
