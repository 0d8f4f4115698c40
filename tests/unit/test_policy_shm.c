/* The policy's shm line: sizes, none, its errors, once per text, and ci's 64 MiB. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <string.h>

#include "policy.h"

static int parse(struct policy *p, const char *text, char *err, size_t size)
{
	memset(p, 0, sizeof(*p));
	return policy_parse(p, text, "t.policy", err, size);
}

Test(policy_shm, sizes_and_none)
{
	struct policy p;
	char err[512];

	cr_assert_eq(parse(&p, "shm 64M\n", err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(p.shm_size, 64ull << 20);
	cr_assert_eq(parse(&p, "shm 1.5G\n", err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(p.shm_size, 3ull << 29);
	cr_assert_eq(parse(&p, "shm none\n", err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(p.shm_size, 0);
	cr_assert_eq(parse(&p, "shm 0\n", err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(p.shm_size, 0);
}

Test(policy_shm, errors)
{
	struct policy p;
	char err[512];

	cr_assert_eq(parse(&p, "shm lots\n", err, sizeof(err)), -1);
	cr_assert(strstr(err, "t.policy:1:5: expected none or a size"), "%s", err);
	cr_assert_eq(parse(&p, "shm 100\n", err, sizeof(err)), -1, "less than a page");
	cr_assert_eq(parse(&p, "shm\n", err, sizeof(err)), -1);
	cr_assert_eq(parse(&p, "shm 1M\nshm 2M\n", err, sizeof(err)), -1);
	cr_assert(strstr(err, "say it once"), "%s", err);
}

Test(policy_shm, ci_has_64_mib_and_a_file_overrides_it)
{
	struct policy p;
	char err[512];

	memset(&p, 0, sizeof(p));
	cr_assert_eq(policy_load(&p, "ci", err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(p.shm_size, 64ull << 20);
	cr_assert_eq(policy_parse(&p, "shm none\n", "override", err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(p.shm_size, 0);
}
