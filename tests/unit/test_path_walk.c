/* The one path walker (include/path_walk.h) under each policy, against a scratch tree: the edge cases. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path_walk.h"

static char root[PATH_MAX];

static void setup_tree(void)
{
	char p[PATH_MAX + 64];

	snprintf(root, sizeof(root), "/tmp/pv-walk-XXXXXX");
	cr_assert(mkdtemp(root));
#define AT(...) (snprintf(p, sizeof(p), __VA_ARGS__), p)
	cr_assert_eq(mkdir(AT("%s/dir", root), 0755), 0);
	cr_assert_eq(mkdir(AT("%s/dir/Sub", root), 0755), 0);
	cr_assert_eq(close(open(AT("%s/dir/Sub/file", root), O_CREAT | O_WRONLY, 0644)), 0);
	cr_assert_eq(symlink("Sub", AT("%s/dir/link", root)), 0);
	cr_assert_eq(symlink("/", AT("%s/dir/toroot", root)), 0);
	cr_assert_eq(symlink("loop2", AT("%s/loop1", root)), 0);
	cr_assert_eq(symlink("loop1", AT("%s/loop2", root)), 0);
	cr_assert_eq(symlink("self", AT("%s/self", root)), 0);
#undef AT
}

static void teardown_tree(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
}

TestSuite(path_walk, .init = setup_tree, .fini = teardown_tree);

/* Walk path from start (the scratch root if NULL) with w's policy; the walked name in out. */
static int walk(struct path_walk *w, const char *start, const char *path, char *out)
{
	char *rest = malloc(2 * PATH_MAX + 2);
	int rc;

	cr_assert_not_null(rest);
	snprintf(rest, 2 * PATH_MAX + 2, "%s", path);
	snprintf(out, PATH_MAX, "%s", start ? start : root);
	rc = path_walk(w, rest, out, NULL);
	free(rest);
	return rc;
}

static void expect_name(const char *out, const char *below_root)
{
	char want[PATH_MAX + 64];

	snprintf(want, sizeof(want), "%s%s", root, below_root);
	cr_expect_str_eq(out, want);
}

Test(path_walk, dotdot_at_a_root_stays_or_fails_beneath)
{
	struct path_walk host = { .root = "/", .flags = WALK_KEEP_MISSING | WALK_FOLLOW_LAST };
	struct path_walk beneath = { .root = root, .flags = WALK_FOLLOW_LAST | WALK_BENEATH };
	struct path_walk in_root = { .root = root, .flags = WALK_FOLLOW_LAST | WALK_IN_ROOT };
	char out[PATH_MAX];

	cr_expect_eq(walk(&host, "/", "../../..", out), 0);
	cr_expect_str_eq(out, "/");
	cr_expect_eq(walk(&beneath, NULL, "dir/../..", out), -EXDEV);
	cr_expect_eq(walk(&in_root, NULL, "dir/../../dir", out), 0, "\"..\" of the root is the root");
	expect_name(out, "/dir");
	/* An absolute target starts again at the root the policy names. */
	cr_expect_eq(walk(&in_root, NULL, "dir/toroot/dir/Sub", out), 0);
	expect_name(out, "/dir/Sub");
	cr_expect_eq(walk(&beneath, NULL, "dir/toroot", out), -EXDEV);
}

Test(path_walk, symlink_loops_spend_the_budget)
{
	struct path_walk w = { .root = "/", .flags = WALK_FOLLOW_LAST };
	struct path_walk nofollow = { .root = "/", .flags = 0 };
	char out[PATH_MAX];

	cr_expect_eq(walk(&w, NULL, "loop1", out), -ELOOP);
	cr_expect_eq(walk(&w, NULL, "self/x", out), -ELOOP);
	cr_expect_eq(walk(&nofollow, NULL, "loop1", out), 0, "an unfollowed final link is the link");
	expect_name(out, "/loop1");
	cr_expect_eq(walk(&nofollow, NULL, "loop1/x", out), -ELOOP, "a link on the way is always followed");
}

Test(path_walk, forty_links_and_no_more)
{
	struct path_walk w = { .root = "/", .flags = WALK_FOLLOW_LAST };
	char out[PATH_MAX], p[PATH_MAX + 64], to[32];

	/* chain0 -> chain1 -> ... -> chain40 -> dir: walking chainK follows 41 - K links. */
	for (int i = 0; i <= 40; i++) {
		snprintf(to, sizeof(to), i == 40 ? "dir" : "chain%d", i + 1);
		snprintf(p, sizeof(p), "%s/chain%d", root, i);
		cr_assert_eq(symlink(to, p), 0);
	}
	cr_expect_eq(walk(&w, NULL, "chain1", out), 0, "the kernel's 40");
	expect_name(out, "/dir");
	cr_expect_eq(walk(&w, NULL, "chain0", out), -ELOOP, "the 41st");
}

Test(path_walk, no_symlinks_stops_at_any_link)
{
	struct path_walk w = { .root = "/", .flags = WALK_FOLLOW_LAST | WALK_NO_SYMLINKS };
	char out[PATH_MAX];

	cr_expect_eq(walk(&w, NULL, "dir/link/file", out), -ELOOP);
	cr_expect(w.symlink);
	cr_expect_eq(walk(&w, NULL, "dir/Sub/file", out), 0);
	cr_expect(!w.symlink && w.exists && !w.is_dir);
}

Test(path_walk, trailing_slashes_and_empty_components)
{
	struct path_walk w = { .root = "/", .flags = 0 };
	struct path_walk strict = { .root = "/", .flags = WALK_FOLLOW_LAST | WALK_EVERY_SEPARATOR };
	char out[PATH_MAX];

	cr_expect_eq(walk(&w, NULL, "dir//Sub///file", out), 0, "empty components are nothing");
	expect_name(out, "/dir/Sub/file");
	/* "link/" is the last component: followed only where the policy follows a final link. */
	cr_expect_eq(walk(&w, NULL, "dir/link/", out), 0);
	expect_name(out, "/dir/link");
	cr_expect_eq(walk(&strict, NULL, "dir/link/", out), 0);
	expect_name(out, "/dir/Sub");
	/* Every separator counts: "file/" puts file on the way (ENOTDIR), "a//b" has an empty name. */
	cr_expect_eq(walk(&strict, NULL, "dir/Sub/file/", out), -ENOTDIR);
	cr_expect_eq(walk(&w, NULL, "dir/Sub/file/", out), 0, "the plain walk leaves that to the kernel");
}

static int reject_empty(void *ctx, const char *comp, size_t len)
{
	(void)comp;
	(*(int *)ctx)++;
	return len == 0 ? -EINVAL : 0;
}

Test(path_walk, check_name_judges_every_component_in_order)
{
	int seen = 0;
	struct path_walk w = { .root = "/", .flags = WALK_EVERY_SEPARATOR, .ctx = &seen, .check_name = reject_empty };
	char out[PATH_MAX];

	cr_expect_eq(walk(&w, NULL, "dir//Sub", out), -EINVAL);
	cr_expect_eq(seen, 2);
	seen = 0;
	cr_expect_eq(walk(&w, NULL, "missing//Sub", out), -ENOENT, "a missing directory fails before a later name");
	cr_expect_eq(seen, 1);
}

Test(path_walk, overlong_names)
{
	struct path_walk w = { .root = "/", .flags = WALK_KEEP_MISSING };
	char out[PATH_MAX], name[NAME_MAX + 2], *deep = malloc(2 * PATH_MAX);

	memset(name, 'a', NAME_MAX + 1);
	name[NAME_MAX + 1] = '\0';
	cr_expect_eq(walk(&w, NULL, name, out), -ENAMETOOLONG, "a component over NAME_MAX");
	name[NAME_MAX] = '\0';
	cr_expect_eq(walk(&w, NULL, name, out), 0, "NAME_MAX itself is a name (kept, missing)");
	cr_assert_not_null(deep);
	deep[0] = '\0';
	for (int i = 0; i < 20; i++)
		strcat(strcat(deep, name), "/");
	cr_expect_eq(walk(&w, NULL, deep, out), -ENAMETOOLONG, "a result over PATH_MAX");
	free(deep);
}

Test(path_walk, missing_components_by_policy)
{
	struct path_walk keep = { .root = "/", .flags = WALK_KEEP_MISSING };
	struct path_walk strict = { .root = "/", .flags = 0 };
	char out[PATH_MAX];

	cr_expect_eq(walk(&keep, NULL, "nope/new", out), 0);
	expect_name(out, "/nope/new");
	cr_expect_eq(walk(&strict, NULL, "nope/new", out), -ENOENT);
	cr_expect_eq(walk(&strict, NULL, "dir/new", out), 0, "a missing final name is one to create");
	cr_expect(!strict.exists && !strict.is_dir);
	cr_expect_eq(walk(&strict, NULL, "dir/Sub/file/x", out), -ENOTDIR);
}

static char *fold_entry(void *ctx, const char *dir, const char *comp)
{
	(void)ctx;
	(void)dir;
	return strcasecmp(comp, "sub") == 0 ? strdup("Sub") : NULL;
}

Test(path_walk, find_entry_takes_the_real_name)
{
	struct path_walk w = { .root = "/", .flags = WALK_FOLLOW_LAST | WALK_NO_SYMLINKS, .find_entry = fold_entry };
	char out[PATH_MAX];

	cr_expect_eq(walk(&w, NULL, "dir/SUB/file", out), 0);
	expect_name(out, "/dir/Sub/file");
	cr_expect_eq(walk(&w, NULL, "dir/other", out), 0);
	cr_expect(!w.exists);
}

Test(path_walk, proc_self_names_the_given_process)
{
	struct path_walk w = { .root = "/", .flags = WALK_FOLLOW_LAST | WALK_KEEP_MISSING, .tid = 1, .tgid = 1 };
	struct path_walk last = { .root = "/", .flags = WALK_KEEP_MISSING, .tid = 1, .tgid = 1 };
	char out[PATH_MAX];

	cr_expect_eq(walk(&w, "/", "proc/self/status", out), 0);
	cr_expect_str_eq(out, "/proc/1/status");
	cr_expect_eq(walk(&last, "/", "proc/self", out), 0);
	cr_expect_str_eq(out, "/proc/self", "an unfollowed final /proc/self stays unless the policy says");
	last.flags |= WALK_PROC_SELF_LAST;
	cr_expect_eq(walk(&last, "/", "proc/self", out), 0);
	cr_expect_str_eq(out, "/proc/1");
}
