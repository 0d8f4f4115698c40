/* The syscall table against the system headers: every name and number must agree. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "syscall_table.h"

static void check_against(const char *header, enum abi abi)
{
	FILE *f = fopen(header, "r");
	char line[256], name[128];
	int nr, checked = 0;

	cr_assert(f, "cannot open %s", header);
	while (fgets(line, sizeof(line), f)) {
		const struct syscall_entry *e;

		if (sscanf(line, "#define __NR_%127s %d", name, &nr) != 2)
			continue;
		e = syscall_lookup(abi, nr);
		cr_expect_not_null(e, "%s: number %d (%s) missing from the table", abi_name(abi), nr, name);
		if (e)
			cr_expect_str_eq(e->name, name, "%s: number %d", abi_name(abi), nr);
		cr_expect_eq(syscall_number(abi, name), nr, "%s: %s", abi_name(abi), name);
		checked++;
	}
	fclose(f);
	cr_expect_gt(checked, 300, "%s parsed: %d", header, checked);
}

Test(syscall_table, x86_64_matches_headers)
{
	check_against("/usr/include/x86_64-linux-gnu/asm/unistd_64.h", ABI_X86_64);
}

Test(syscall_table, i386_matches_headers)
{
	check_against("/usr/include/x86_64-linux-gnu/asm/unistd_32.h", ABI_I386);
}

Test(syscall_table, sorted_and_goes_past_the_headers)
{
	int count;
	const struct syscall_entry *t = syscall_table(ABI_X86_64, &count);

	for (int i = 1; i < count; i++)
		cr_expect_gt(t[i].nr, t[i - 1].nr, "%s after %s", t[i].name, t[i - 1].name);
	cr_expect_eq(syscall_number(ABI_X86_64, "fchmodat2"), 452);
	cr_expect_eq(syscall_number(ABI_X86_64, "mseal"), 462);
	cr_expect_eq(syscall_number(ABI_I386, "execve"), 11);
}

Test(syscall_table, exec_family_is_flagged)
{
	cr_expect(syscall_lookup(ABI_X86_64, 59)->flags & SC_EXEC);
	cr_expect(syscall_lookup(ABI_X86_64, 322)->flags & SC_EXEC);
	cr_expect(syscall_lookup(ABI_I386, 11)->flags & SC_EXEC);
	cr_expect(syscall_lookup(ABI_I386, 358)->flags & SC_EXEC);
	cr_expect_not(syscall_lookup(ABI_X86_64, 0)->flags & SC_EXEC);
}

Test(syscall_table, argument_kinds_and_classes)
{
	int count;
	const struct syscall_entry *t = syscall_table(ABI_X86_64, &count);
	const struct syscall_entry *openat = syscall_lookup(ABI_X86_64, syscall_number(ABI_X86_64, "openat"));

	cr_assert_not_null(openat);
	cr_expect_eq(syscall_nargs(openat), 4);
	cr_expect_eq(openat->args[0].kind, K_DIRFD);
	cr_expect_eq(openat->args[1].kind, K_PATH);
	cr_expect_str_eq(openat->args[1].name, "filename");
	cr_expect_eq(openat->args[2].kind, K_OPEN_FLAGS);
	cr_expect_eq(openat->ret, R_FD);
	for (int i = 0; i < count; i++) {
		bool has_path = false, has_fd = false;

		for (int a = 0; a < syscall_nargs(&t[i]); a++) {
			cr_expect(t[i].args[a].name && t[i].args[a].name[0], "%s: argument %d unnamed", t[i].name, a);
			has_path |= t[i].args[a].kind == K_PATH;
			has_fd |= t[i].args[a].kind == K_FD || t[i].args[a].kind == K_DIRFD || t[i].args[a].kind == K_PIDFD;
		}
		/* The classes of -e follow the kinds: a path makes %file, an fd %desc (but for %network). */
		if (strcmp(t[i].name, "getcwd") != 0) /* strace counts getcwd as %file too */
			cr_expect_eq(has_path, (t[i].flags & CL_FILE) != 0, "%s: %%file", t[i].name);
		/* strace's classes: a socket call is %network, not %desc, though it takes an fd */
		if (has_fd && !(t[i].flags & CL_NETWORK))
			cr_expect(t[i].flags & CL_DESC, "%s takes an fd but is not %%desc", t[i].name);
		if (t[i].flags & CL_NETWORK)
			cr_expect(!(t[i].flags & CL_DESC), "%s is %%network, which strace's %%desc leaves out", t[i].name);
	}
	cr_expect(syscall_classes(ABI_I386, syscall_lookup(ABI_I386, 5)) & CL_FILE, "i386 open is %%file");
}
