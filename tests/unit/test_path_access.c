/* The supervisor's path resolution and rule lookup (include/path_access.h), against a scratch tree. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path_access.h"
#include "policy.h"

static char root[PATH_MAX];

static void setup_tree(void)
{
	char p[PATH_MAX + 64];

	snprintf(root, sizeof(root), "/tmp/pv-path-XXXXXX");
	cr_assert(mkdtemp(root));
#define AT(...) (snprintf(p, sizeof(p), __VA_ARGS__), p)
	cr_assert_eq(mkdir(AT("%s/dir", root), 0755), 0);
	cr_assert_eq(mkdir(AT("%s/dir/sub", root), 0755), 0);
	cr_assert_eq(close(open(AT("%s/dir/sub/file", root), O_CREAT | O_WRONLY, 0644)), 0);
	cr_assert_eq(symlink("sub/file", AT("%s/dir/rel", root)), 0);
	cr_assert_eq(symlink("/etc", AT("%s/dir/abs", root)), 0);
	cr_assert_eq(symlink("../dir/sub", AT("%s/dir/up", root)), 0);
	cr_assert_eq(symlink("loop2", AT("%s/loop1", root)), 0);
	cr_assert_eq(symlink("loop1", AT("%s/loop2", root)), 0);
#undef AT
}

static void teardown_tree(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
}

TestSuite(path_access, .init = setup_tree, .fini = teardown_tree);

static void expect_resolves(const char *path, bool follow, const char *want)
{
	char in[PATH_MAX + 64], out[PATH_MAX], expect[PATH_MAX + 64];
	int rc;

	snprintf(in, sizeof(in), path[0] == '/' ? "%s" : "%s/%s", path[0] == '/' ? path : root, path);
	rc = path_resolve(getpid(), getpid(), AT_FDCWD, in, follow, out, sizeof(out));
	cr_assert_eq(rc, 0, "%s: %s", in, strerror(-rc));
	snprintf(expect, sizeof(expect), want[0] == '/' ? "%s" : "%s/%s", want[0] == '/' ? want : root, want);
	cr_expect_str_eq(out, expect, "%s (follow %d)", in, follow);
}

Test(path_access, resolves_like_the_kernel)
{
	expect_resolves("dir/./sub/../sub/file", true, "dir/sub/file");
	expect_resolves("dir/rel", true, "dir/sub/file");
	expect_resolves("dir/rel", false, "dir/rel");                 /* lstat, unlink: the link itself */
	expect_resolves("dir/abs/hostname", true, "/etc/hostname");   /* absolute targets restart at / */
	expect_resolves("dir/up/file", true, "dir/sub/file");         /* relative targets from the link's dir */
	expect_resolves("dir/missing/new", true, "dir/missing/new");  /* missing parts kept as written */
	expect_resolves("/../../etc/../etc", true, "/etc");           /* .. at / stays at / */
}

Test(path_access, proc_self_is_the_tracee)
{
	char out[PATH_MAX], want[64];

	/* Resolved for process 1: /proc/self is its /proc entry, not the resolver's. */
	cr_assert_eq(path_resolve(getpid(), 1, AT_FDCWD, "/proc/self/status", true, out, sizeof(out)), 0);
	cr_expect_str_eq(out, "/proc/1/status");
	cr_assert_eq(path_resolve(getpid(), getpid(), AT_FDCWD, "/proc/self/cwd", true, out, sizeof(out)), 0);
	cr_expect_str_eq(out, getcwd(want, sizeof(want)) ? want : "?", "the cwd magic link leads to the directory");
	cr_assert_eq(path_resolve(getpid(), getpid(), AT_FDCWD, "/proc/self/fd/0", true, out, sizeof(out)) >= 0, 1);
}

Test(path_access, errors)
{
	char in[PATH_MAX + 64], out[PATH_MAX];
	char *longp = malloc(PATH_MAX + 10);

	snprintf(in, sizeof(in), "%s/loop1", root);
	cr_expect_eq(path_resolve(getpid(), getpid(), AT_FDCWD, in, true, out, sizeof(out)), -ELOOP);
	memset(longp, 'a', PATH_MAX + 9);
	longp[0] = '/';
	longp[PATH_MAX + 9] = '\0';
	cr_expect_eq(path_resolve(getpid(), getpid(), AT_FDCWD, longp, true, out, sizeof(out)), -ENAMETOOLONG);
	cr_expect_eq(path_resolve(getpid(), getpid(), 9999, "x", true, out, sizeof(out)), -EBADF);
	free(longp);
}

static bool all_in_run(pid_t pid)
{
	return pid == 4242;
}

Test(path_access, the_longest_rule_decides_and_later_lines_win)
{
	struct policy p;
	const struct policy_path *rule;
	char err[256];

	memset(&p, 0, sizeof(p));
	cr_assert_eq(policy_parse(&p,
				  "path rx /usr\npath r /etc\npath - /etc/shadow\npath rwc .\npath r /proc/self\n"
				  "path w /etc\n",
				  "t.policy", err, sizeof(err)),
		     0, "%s", err);
	cr_expect_eq(path_rules_lookup(&p, "/work", "/usr/bin/ls", NULL, &rule), PERM_R | PERM_X);
	cr_expect_eq(path_rules_lookup(&p, "/work", "/etc/passwd", NULL, &rule), PERM_W, "the later /etc line wins");
	cr_expect_eq(path_rules_lookup(&p, "/work", "/etc/shadow", NULL, &rule), 0u, "the longer path decides");
	cr_expect(rule && strcmp(rule->path, "/etc/shadow") == 0);
	cr_expect_eq(path_rules_lookup(&p, "/work", "/work/src/a.c", NULL, &rule), PERM_R | PERM_W | PERM_C, ". is the launch dir");
	cr_expect_eq(path_rules_lookup(&p, "/work", "/workshop/x", NULL, &rule), 0u, "a prefix is not a parent");
	cr_expect_eq(path_rules_lookup(&p, "/work", "/proc/4242/maps", all_in_run, &rule), PERM_R,
		     "a process of the run has /proc/self's rules");
	cr_expect_eq(path_rules_lookup(&p, "/work", "/proc/1/maps", all_in_run, &rule), 0u, "another process has none");
	cr_expect_eq(path_rules_lookup(&p, "/work", "/home/me", NULL, &rule), 0u);
	cr_expect_null(rule, "no rule covers it");
	policy_free(&p);
}

Test(path_access, rules_written_with_dots_name_what_they_say)
{
	struct policy p;
	const struct policy_path *rule;
	char err[256];

	memset(&p, 0, sizeof(p));
	cr_assert_eq(policy_parse(&p, "path rwc .\npath r ./ro\npath - ./secret/\npath w .//a/./b//\n", "t.policy", err,
				  sizeof(err)),
		     0, "%s", err);
	cr_expect_eq(path_rules_lookup(&p, "/work", "/work/ro/file", NULL, &rule), PERM_R, "./ro is ro");
	cr_expect_eq(path_rules_lookup(&p, "/work", "/work/secret/file", NULL, &rule), 0u, "./secret/ is secret");
	cr_expect_eq(path_rules_lookup(&p, "/work", "/work/secret", NULL, &rule), 0u);
	cr_expect_eq(path_rules_lookup(&p, "/work", "/work/a/b/c", NULL, &rule), PERM_W, ".//a/./b// is a/b");
	policy_free(&p);
}

Test(path_access, narrowing_rules_and_the_directories_above_them_are_pinned)
{
	struct policy p;
	const struct policy_path *pinned;
	char err[256];

	memset(&p, 0, sizeof(p));
	cr_assert_eq(policy_parse(&p, "path rwxc .\npath - sub/secret\npath rwxc wide\npath r /etc\npath rw /etc/x\n",
				  "t.policy", err, sizeof(err)),
		     0, "%s", err);
	pinned = path_rules_pinned(&p, "/work", "/work/sub");
	cr_expect(pinned && strcmp(pinned->path, "sub/secret") == 0, "the directory above a narrowing rule");
	cr_expect_not_null(path_rules_pinned(&p, "/work", "/work/sub/secret"), "the rule's own path");
	cr_expect_not_null(path_rules_pinned(&p, "/work", "/work"), "the launch directory is above it too");
	cr_expect_null(path_rules_pinned(&p, "/work", "/work/sub2"), "a sibling");
	cr_expect_null(path_rules_pinned(&p, "/work", "/work/sub/other"), "beside the rule");
	cr_expect_null(path_rules_pinned(&p, "/work", "/work/wide"), "a rule that gives as much is not pinned");
	cr_expect_null(path_rules_pinned(&p, "/work", "/etc/x"), "a rule that widens is not pinned");
	policy_free(&p);
}
