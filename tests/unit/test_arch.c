/* The architecture seam (include/arch.h): the ABI of a call, and no machine facts outside tracer/arch/. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <linux/audit.h>
#include <stdio.h>
#include <string.h>

#include "arch.h"

Test(arch, abi_of_call_takes_the_number_bit_off)
{
	long nr = 0x40000000L | 1;

	cr_expect_eq(arch_abi_of_call(AUDIT_ARCH_X86_64, &nr), ABI_X32);
	cr_expect_eq(nr, 1);
	nr = 59;
	cr_expect_eq(arch_abi_of_call(AUDIT_ARCH_X86_64, &nr), ABI_NATIVE);
	cr_expect_eq(nr, 59);
	nr = 11;
	cr_expect_eq(arch_abi_of_call(AUDIT_ARCH_I386, &nr), ABI_I386);
	cr_expect_eq(nr, 11);
	nr = 221;
	cr_expect_eq(arch_abi_of_call(AUDIT_ARCH_AARCH64, &nr), ABI_COUNT, "not this machine's arch");
}

Test(arch, abis_native_first_and_nt_is_none_of_them)
{
	int n;
	const struct arch_abi *a = arch_abis(&n);

	cr_assert_gt(n, 0);
	cr_expect_eq(a[0].abi, ABI_NATIVE);
	cr_expect_eq(a[0].audit_arch, ARCH_AUDIT_NATIVE);
	cr_expect_str_eq(a[0].name, ARCH_NAME);
	cr_expect(a[0].loads && a[0].traced);
	cr_expect_null(arch_abi_info(ABI_NT));
	for (int i = 0; i < n; i++) {
		cr_expect_lt(a[i].abi, ABI_LINUX_COUNT);
		cr_expect_eq(arch_abi_info(a[i].abi), &a[i]);
	}
}

/* Identifiers that only the architecture folder may use (the syscall tables name their ABIs). */
static const char *const machine_words[] = {
	"user_regs_struct", "AUDIT_ARCH_", "SCMP_ARCH_X", "EM_X86_64", "ABI_X86_64", "orig_rax", "__x86_64__",
};
static const char *const allowed[] = {
	"tracer/arch/", "include/arch.h", "translate/table/", "include/syscall_table.h",
};

static int scan(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int hits = 0;

	cr_assert_not_null(d, "cannot open %s", dir);
	while ((de = readdir(d))) {
		char path[512], line[1024];
		size_t len = strlen(de->d_name);
		bool ok = false;
		FILE *f;
		int lineno = 0;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (de->d_type == DT_DIR) {
			hits += scan(path);
			continue;
		}
		if (len < 2 || (strcmp(de->d_name + len - 2, ".c") && strcmp(de->d_name + len - 2, ".h")))
			continue;
		for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
			ok |= strncmp(path, allowed[i], strlen(allowed[i])) == 0;
		if (ok)
			continue;
		f = fopen(path, "r");
		cr_assert_not_null(f, "cannot open %s", path);
		while (fgets(line, sizeof(line), f)) {
			lineno++;
			for (size_t i = 0; i < sizeof(machine_words) / sizeof(machine_words[0]); i++)
				if (strstr(line, machine_words[i])) {
					cr_log_error("%s:%d names %s: it belongs behind include/arch.h", path, lineno,
						     machine_words[i]);
					hits++;
				}
		}
		fclose(f);
	}
	closedir(d);
	return hits;
}

Test(arch, machine_facts_stay_in_the_arch_folder)
{
	int hits = scan("tracer") + scan("translate") + scan("policy") + scan("include");

	cr_expect_eq(hits, 0, "%d lines outside tracer/arch/ name the machine (see the log)", hits);
}
