/* The guest view's mount table and guest-view resolution (include/guest_view.h, translate/pathmap/guest_resolve.h). */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../translate/pathmap/guest_resolve.h"
#include "guest_view.h"
#include "util.h"

static char a[PATH_MAX], b[PATH_MAX];

static void setup(void)
{
	char err[512], p[PATH_MAX + 32];

	snprintf(a, sizeof(a), "/tmp/pv-view-a-XXXXXX");
	snprintf(b, sizeof(b), "/tmp/pv-view-b-XXXXXX");
	cr_assert(mkdtemp(a) && mkdtemp(b));
	snprintf(p, sizeof(p), "%s/sub", a);
	cr_assert_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/f", a);
	cr_assert_eq(close(open(p, O_CREAT | O_WRONLY, 0644)), 0);
	snprintf(p, sizeof(p), "%s/abs", a);
	cr_assert_eq(symlink("/pvguest/f", p), 0);
	snprintf(p, sizeof(p), "%s/up", a);
	cr_assert_eq(symlink("../../..", p), 0);
	cr_assert_eq(guest_view_add_map("/pvguest", a, false, "/", err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(guest_view_finish(err, sizeof(err)), 0, "%s", err);
}

static void teardown(void)
{
	guest_view_cleanup(false);
	remove_tree(a);
	remove_tree(b);
}

Test(guest_view, normalise)
{
	char out[PATH_MAX];

	cr_assert_eq(path_normalise("/a//b/./c/../d/", out, sizeof(out)), 0);
	cr_assert_str_eq(out, "/a/b/d");
	cr_assert_eq(path_normalise("/../..", out, sizeof(out)), 0);
	cr_assert_str_eq(out, "/");
}

Test(guest_view, prefixes_both_ways, .init = setup, .fini = teardown)
{
	const struct guest_view *v = guest_view();
	char out[PATH_MAX], want[PATH_MAX + 8];
	const struct guest_mount *kids[4];

	cr_assert(v);
	cr_assert_eq(view_to_host(v, "/pvguest/sub/x", out, sizeof(out)), 0);
	snprintf(want, sizeof(want), "%s/sub/x", a);
	cr_assert_str_eq(out, want);
	cr_assert_eq(view_to_host(v, "/pvguestX/y", out, sizeof(out)), 0);
	cr_assert_str_eq(out, "/pvguestX/y", "a prefix only at a component boundary");
	cr_assert_eq(view_to_guest(v, want, out, sizeof(out)), 0);
	cr_assert_str_eq(out, "/pvguest/sub/x");
	cr_assert_eq(view_children(v, "/", kids, 4), 1);
	cr_assert_str_eq(kids[0]->guest, "/pvguest");
	cr_assert_eq(view_children(v, "/pvguest", kids, 4), 0);
}

Test(guest_view, errors_at_start, .fini = teardown)
{
	char err[512];

	snprintf(a, sizeof(a), "/tmp/pv-view-a-XXXXXX");
	snprintf(b, sizeof(b), "/tmp/pv-view-b-XXXXXX");
	cr_assert(mkdtemp(a) && mkdtemp(b));
	cr_assert_eq(guest_view_add_map("/x", "/nonexistent-pv", false, "/", err, sizeof(err)), -1);
	cr_assert(strstr(err, "/nonexistent-pv"), "%s", err);
	cr_assert_eq(guest_view_add_map("/x", "/etc/hostname", false, "/", err, sizeof(err)), -1);
	cr_assert(strstr(err, "not a directory"), "%s", err);
	cr_assert_eq(guest_view_add_map("/no/such/parent/x", a, false, "/", err, sizeof(err)), 0);
	cr_assert_eq(guest_view_finish(err, sizeof(err)), -1);
	cr_assert(strstr(err, "parent"), "%s", err);
}

static int resolve(const char *path, bool follow, unsigned flags, struct guest_resolved *r)
{
	struct guest_lookup q = { getpid(), getpid(), AT_FDCWD, path, follow, flags };

	return guest_resolve(guest_view(), &q, r);
}

Test(guest_view, resolution, .init = setup, .fini = teardown)
{
	struct guest_resolved *r = malloc(sizeof(*r));
	char want[PATH_MAX + 8];

	cr_assert_eq(resolve("/pvguest/abs", true, 0, r), 0);
	cr_assert_str_eq(r->guest, "/pvguest/f", "an absolute target is resolved in the guest view");
	snprintf(want, sizeof(want), "%s/f", a);
	cr_assert_str_eq(r->host, want);
	cr_assert_eq(resolve("/pvguest/abs", false, 0, r), 0);
	cr_assert_str_eq(r->guest, "/pvguest/abs");
	cr_assert_eq(resolve("/pvguest/..", true, 0, r), 0);
	cr_assert_str_eq(r->host, "/", ".. of a mapping root is its guest parent");
	cr_assert_eq(resolve("/pvguest/up/etc", true, 0, r), 0);
	cr_assert_str_eq(r->host, "/etc", "a relative target's .. climbs in the guest view");
	cr_assert_eq(resolve("/pvguest/f/", true, 0, r), 0);
	cr_assert(r->host[strlen(r->host) - 1] == '/', "a trailing slash is kept for the kernel");
	cr_assert_eq(resolve("/pvguest/missing/x", true, 0, r), -ENOENT);
	cr_assert_eq(resolve("/pvguest/sub/../f/x", true, 0, r), -ENOTDIR, "a file on the way (the component walk)");
	cr_assert_eq(resolve("/pvguest/abs", true, RESOLVE_NO_SYMLINKS, r), -ELOOP);
	cr_assert_eq(resolve("/pvguest/f", true, RESOLVE_BENEATH, r), -EXDEV);
	free(r);
}
