/*
 * Moves inside the syscall table that must not change behaviour, checked
 * against golden files generated once from the code before the move:
 * the calls each promise grants (promises once listed calls by name; now
 * each row carries its promises), the i386 table (once kept by hand;
 * now derived from the x86_64 rows), and what a call does with each path
 * (once row flags applied to the first or last path; now each path
 * argument's role).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>

#include "../../translate/pathmap/path_args.h"
#include "promises.h"
#include "syscall_table.h"
#include "tracee.h"

static const struct {
	const char *promise, *call;
} golden_promises[] = {
#include "golden/promise_calls.inc"
};

static const struct {
	int nr;
	const char *name;
	uint64_t flags;
	uint32_t classes;
} golden_i386[] = {
#include "golden/i386_table.inc"
};

static const struct {
	const char *name;
	int index;
	bool created, removed, written; /* FX_CREATE on the last path, FX_REMOVE on the first, FX_WRITE */
	bool follow[3];                 /* path_args_of under at-flags 0, AT_SYMLINK_NOFOLLOW, AT_SYMLINK_FOLLOW */
	bool creates, removes, writes;  /* path_args_of under at-flags 0 */
} golden_paths[] = {
#include "golden/path_roles.inc"
};

/* Does the promise at index p grant the x86_64 call e? */
static bool grants(int p, const struct syscall_entry *e)
{
	return (syscall_promises(e) >> p) & 1;
}

Test(table_golden, every_promise_grants_the_calls_it_granted)
{
	int count, ncalls;
	const struct promise *t = promise_table(&count);
	const struct syscall_entry *calls = syscall_table(ABI_X86_64, &ncalls);
	size_t expected = 0, found = 0;

	for (int p = 0; p < count; p++)
		for (int i = 0; i < ncalls; i++) {
			bool want = false;

			for (size_t g = 0; g < sizeof(golden_promises) / sizeof(golden_promises[0]); g++)
				if (strcmp(golden_promises[g].promise, t[p].name) == 0 &&
				    strcmp(golden_promises[g].call, calls[i].name) == 0)
					want = true;
			cr_expect_eq(grants(p, &calls[i]), want, "promise %s, call %s: %s", t[p].name, calls[i].name,
				     want ? "no longer granted" : "newly granted");
			expected += want;
			found += grants(p, &calls[i]);
		}
	cr_expect_eq(expected, sizeof(golden_promises) / sizeof(golden_promises[0]), "a golden pair names an unknown promise or call");
	cr_expect_eq(found, expected);
}

Test(table_golden, i386_rows_as_before)
{
	int count;
	size_t n = sizeof(golden_i386) / sizeof(golden_i386[0]);

	syscall_table(ABI_I386, &count);
	cr_expect_eq((size_t)count, n, "i386 calls: %d, golden %zu", count, n);
	for (size_t g = 0; g < n; g++) {
		const struct syscall_entry *e = syscall_lookup(ABI_I386, golden_i386[g].nr);

		cr_assert_not_null(e, "i386 %d (%s) is gone", golden_i386[g].nr, golden_i386[g].name);
		cr_expect_str_eq(e->name, golden_i386[g].name, "i386 %d", golden_i386[g].nr);
		/* SC_AFFINITY_SET came later, for what cosched once read from the name (see below). */
		cr_expect_eq(e->flags & ~(uint64_t)SC_AFFINITY_SET, golden_i386[g].flags, "i386 %s: flags %#llx, were %#llx",
			     e->name, (unsigned long long)e->flags, (unsigned long long)golden_i386[g].flags);
		cr_expect_eq((e->flags & SC_AFFINITY_SET) != 0, strcmp(e->name, "sched_setaffinity") == 0, "i386 %s", e->name);
		/* %desc later left the socket calls, which strace counts as %network only (trace -e trace=%desc). */
		cr_expect_eq(syscall_classes(ABI_I386, e),
			     golden_i386[g].classes & CL_NETWORK ? golden_i386[g].classes & ~(uint32_t)CL_DESC
								 : golden_i386[g].classes,
			     "i386 %s: trace classes", e->name);
		cr_expect_eq(syscall_nargs(e), 0, "i386 %s: traced with raw arguments", e->name);
	}
}

/* The name the code compared before, and the table fact it asks now: they must pick the same calls. */
static bool has_kind(const struct syscall_entry *e, enum arg_kind kind)
{
	return syscall_kind_arg(e, kind) >= 0;
}

static bool in(const char *name, const char *const *names)
{
	for (; *names; names++)
		if (strcmp(name, *names) == 0)
			return true;
	return false;
}

#define NAMES(...) ((const char *const[]){ __VA_ARGS__, NULL })

Test(table_golden, facts_that_replaced_name_comparisons_pick_the_same_calls)
{
	int count;
	const struct syscall_entry *t = syscall_table(ABI_X86_64, &count);

	for (int i = 0; i < count; i++) {
		const struct syscall_entry *e = &t[i];
		const char *n = e->name;

		cr_expect_eq((e->flags & SC_AFFINITY_SET) != 0, in(n, NAMES("sched_setaffinity")), "%s", n); /* cosched */
		cr_expect_eq((e->flags & SC_RANDOM_OUT) != 0, in(n, NAMES("getrandom")), "%s", n);          /* diff */
		cr_expect_eq((e->flags & SC_CREAT) != 0, in(n, NAMES("creat")), "%s", n);                   /* diff */
		cr_expect_eq((e->flags & SC_DIRENTS64) != 0, in(n, NAMES("getdents64")), "%s", n);          /* dirents */
		cr_expect_eq(has_kind(e, K_CLONE_FLAGS), in(n, NAMES("clone")), "%s", n);   /* sandbox, event loop */
		cr_expect_eq(has_kind(e, K_CLONE_ARGS), in(n, NAMES("clone3")), "%s", n);   /* event loop */
		cr_expect_eq(has_kind(e, K_IOCTL_CMD), in(n, NAMES("ioctl")), "%s", n);     /* sandbox */
		/* decode: at-flags next to an access mode (strncmp "faccessat"). */
		if (has_kind(e, K_AT_FLAGS))
			cr_expect_eq(has_kind(e, K_ACCESS_MODE), strncmp(n, "faccessat", 9) == 0, "%s", n);
		/* exec_job, linux_personality: the exec and readlink calls with a dirfd. */
		if (e->flags & SC_EXEC)
			cr_expect_eq(has_kind(e, K_DIRFD), in(n, NAMES("execveat")), "%s", n);
		if (e->flags & SC_READLINK)
			cr_expect_eq(has_kind(e, K_DIRFD), in(n, NAMES("readlinkat")), "%s", n);
		/* Argument positions that were constants in the handlers of a class of calls. */
		if (e->flags & SC_PATH_OUT) /* getcwd(buf, size) */
			cr_expect_eq(syscall_kind_arg(e, K_BUF_OUT), 0, "%s", n);
		if (e->flags & SC_DIRENTS) { /* getdents(fd, dirent, count) */
			cr_expect_eq(syscall_kind_arg(e, K_FD), 0, "%s", n);
			cr_expect_eq(syscall_kind_arg(e, K_PTR), 1, "%s", n);
			cr_expect_eq(syscall_kind_arg(e, K_UINT), 2, "%s", n);
		}
		if (has_kind(e, K_OPEN_HOW)) /* openat2(dfd, path, how, size) */
			cr_expect_eq(syscall_kind_arg(e, K_OPEN_HOW), 2, "%s", n);
		if (e->flags & SC_AFFINITY) { /* sched_[gs]etaffinity(pid, len, mask) */
			cr_expect_eq(syscall_kind_arg(e, K_PID), 0, "%s", n);
			cr_expect_eq(syscall_kind_arg(e, K_SIZE), 1, "%s", n);
		}
		/* path_translate: of the calls returning an address, accept's is the new fd's, getsockname's local. */
		if (has_kind(e, K_SOCKADDR_OUT)) {
			cr_expect_eq(e->ret == R_FD, strncmp(n, "accept", 6) == 0, "%s", n);
			cr_expect_eq((e->flags & SC_LOCAL_ADDR) != 0, in(n, NAMES("getsockname")), "%s", n);
		}
	}
}

/* path_args_of's view of argument index of e, with at-flags in its flags argument. */
static struct path_arg path_arg_of(const struct syscall_entry *e, int index, uint64_t at_flags)
{
	struct syscall_stop s;
	struct path_arg a[2], none = { .index = -1 };
	uint64_t open_flags = 0;
	int n;

	memset(&s, 0, sizeof(s));
	s.abi = ABI_X86_64;
	s.nr = e->nr;
	s.entry = e;
	for (int j = 0; j < syscall_nargs(e); j++)
		regs_set_arg(&s.regs, ABI_X86_64, j,
			     e->args[j].kind == K_DIRFD      ? (uint64_t)(int64_t)AT_FDCWD
			     : e->args[j].kind == K_PATH     ? 0x1000
			     : e->args[j].kind == K_AT_FLAGS ? at_flags
							     : 0);
	path_call_opens(&s, &open_flags);
	n = path_args_of(&s, open_flags, a);
	for (int m = 0; m < n; m++)
		if (a[m].index == index)
			return a[m];
	return none;
}

Test(table_golden, every_path_argument_has_the_role_it_had)
{
	static const uint64_t variants[] = { 0, AT_SYMLINK_NOFOLLOW, AT_SYMLINK_FOLLOW };
	int count, npaths = 0;
	const struct syscall_entry *t = syscall_table(ABI_X86_64, &count);
	size_t n = sizeof(golden_paths) / sizeof(golden_paths[0]);

	for (int k = 0; k < count; k++)
		for (int i = 0; i < syscall_nargs(&t[k]); i++)
			npaths += t[k].args[i].kind == K_PATH;
	cr_expect_eq((size_t)npaths, n, "path arguments: %d, golden %zu", npaths, n);
	for (size_t g = 0; g < n; g++) {
		int nr = syscall_number(ABI_X86_64, golden_paths[g].name), i = golden_paths[g].index;
		const struct syscall_entry *e = nr >= 0 ? syscall_lookup(ABI_X86_64, nr) : NULL;
		unsigned role;
		struct path_arg a;

		cr_assert_not_null(e, "%s is gone", golden_paths[g].name);
		cr_assert_eq(e->args[i].kind, K_PATH, "%s: argument %d is no path", e->name, i);
		role = syscall_path_role(e, i);
		cr_expect_eq((role & PATH_CREATED) != 0, golden_paths[g].created, "%s path %d: created", e->name, i);
		cr_expect_eq((role & PATH_REMOVED) != 0, golden_paths[g].removed, "%s path %d: removed", e->name, i);
		cr_expect_eq((role & PATH_WRITTEN) != 0, golden_paths[g].written, "%s path %d: written", e->name, i);
		for (int v = 0; v < 3; v++) {
			a = path_arg_of(e, i, variants[v]);
			cr_assert_eq(a.index, i, "%s: path %d not seen by path_args_of", e->name, i);
			cr_expect_eq(a.follow, golden_paths[g].follow[v], "%s path %d, at-flags %#llx: follow", e->name, i,
				     (unsigned long long)variants[v]);
		}
		a = path_arg_of(e, i, 0);
		cr_expect_eq(a.creates, golden_paths[g].creates, "%s path %d: creates", e->name, i);
		cr_expect_eq(a.removes, golden_paths[g].removes, "%s path %d: removes", e->name, i);
		cr_expect_eq(a.writes, golden_paths[g].writes, "%s path %d: writes", e->name, i);
	}
}
