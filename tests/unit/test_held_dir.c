/* A directory made for the run and removed after it (include/held_dir.h). */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "held_dir.h"
#include "util.h"

static char base[64], outside[64];

static void touch(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);

	cr_assert_eq(close(open(p, O_CREAT | O_WRONLY, 0644)), 0, "%s", p);
	free(p);
}

static bool exists(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	struct stat st;
	bool yes = lstat(p, &st) == 0;

	free(p);
	return yes;
}

/* symlink(target, dir/name) */
static void link_at(const char *target, const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);

	cr_assert_eq(symlink(target, p), 0, "%s", p);
	free(p);
}

static char *mkdir_at(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);

	cr_assert_eq(mkdir(p, 0755), 0, "%s", p);
	return p;
}

static void setup(void)
{
	snprintf(base, sizeof(base), "/tmp/pv-held-base-XXXXXX");
	snprintf(outside, sizeof(outside), "/tmp/pv-held-out-XXXXXX");
	cr_assert(mkdtemp(base) && mkdtemp(outside));
	touch(outside, "keep");
}

static void teardown(void)
{
	remove_tree(base);
	remove_tree(outside);
}

TestSuite(held_dir, .init = setup, .fini = teardown);

Test(held_dir, removes_what_is_inside_and_nothing_a_symlink_leads_to)
{
	struct held_dir h;
	char *path, *keep, *a, *b;

	cr_assert_eq(held_dir_make(&h, base, "picovisor-tmp", &path), 0);
	cr_assert(strncmp(path, base, strlen(base)) == 0);
	link_at(outside, path, "dirlink");
	keep = xasprintf("%s/keep", outside);
	link_at(keep, path, "filelink");
	a = mkdir_at(path, "a");
	b = mkdir_at(a, "b");
	touch(b, "f");
	link_at("../../..", b, "up");
	held_dir_remove(&h);
	free(keep);
	free(a);
	free(b);
	cr_expect(!exists(base, strrchr(path, '/') + 1), "the directory is gone");
	cr_expect(exists(outside, "keep"), "what the symlinks lead to stays");
	free(path);
}

Test(held_dir, a_directory_renamed_away_is_emptied_and_a_planted_name_is_left)
{
	struct held_dir h;
	char *path, *moved;

	cr_assert_eq(held_dir_make(&h, base, "picovisor-tmp", &path), 0);
	touch(path, "mine");
	moved = xasprintf("%s/moved", outside);
	cr_assert_eq(rename(path, moved), 0);
	cr_assert_eq(symlink(outside, path), 0); /* planted where the directory was */
	held_dir_remove(&h);
	cr_expect(!exists(moved, "mine"), "the directory itself was emptied wherever it went");
	cr_expect(exists(base, strrchr(path, '/') + 1), "the planted symlink is not ours to remove");
	cr_expect(exists(outside, "keep"));
	free(moved);
	free(path);
}

Test(held_dir, deeper_than_it_walks_is_left_not_followed)
{
	struct held_dir h;
	char *path;
	int dfd;

	cr_assert_eq(held_dir_make(&h, base, "picovisor-tmp", &path), 0);
	dfd = open(path, O_RDONLY | O_DIRECTORY);
	for (int i = 0; i < 140; i++) { /* deeper than picovisor walks (128 levels) */
		int sub;
		cr_assert_eq(mkdirat(dfd, "d", 0755), 0);
		sub = openat(dfd, "d", O_RDONLY | O_DIRECTORY);
		close(dfd);
		dfd = sub;
	}
	close(dfd);
	held_dir_remove(&h); /* must end, and not crash */
	cr_expect(exists(outside, "keep"));
	free(path);
}

Test(held_dir, keep_releases_only)
{
	struct held_dir h;
	char *path;

	cr_assert_eq(held_dir_make(&h, base, "picovisor-tmp", &path), 0);
	touch(path, "kept");
	held_dir_release(&h);
	cr_expect(exists(path, "kept"));
	cr_expect_eq(h.fd, -1);
	free(path);
}
