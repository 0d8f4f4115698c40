/*
 * Moves inside the syscall table that must not change behaviour, checked
 * against golden files generated once from the code before the move:
 * the calls each promise grants (promises once listed calls by name; now
 * each row carries its promises), and the i386 table (once kept by hand;
 * now derived from the x86_64 rows).
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "promises.h"
#include "syscall_table.h"

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
		cr_expect_eq(syscall_classes(ABI_I386, e), golden_i386[g].classes, "i386 %s: trace classes", e->name);
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
		/* path_translate: of the calls returning an address, accept's is the new fd's, getsockname's local. */
		if (has_kind(e, K_SOCKADDR_OUT)) {
			cr_expect_eq(e->ret == R_FD, strncmp(n, "accept", 6) == 0, "%s", n);
			cr_expect_eq((e->flags & SC_LOCAL_ADDR) != 0, in(n, NAMES("getsockname")), "%s", n);
		}
	}
}
