/* What a call does with its paths: from the syscall table's flags and kinds and the call's flags, never its name. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <fcntl.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>

#include "../../translate/pathmap/path_args.h"
#include "tracee.h"

/* A stop of the x86_64 call name with these arguments. */
static struct syscall_stop stop(const char *name, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	struct syscall_stop s;
	uint64_t args[5] = { a0, a1, a2, a3, a4 };

	memset(&s, 0, sizeof(s));
	s.abi = ABI_X86_64;
	s.nr = syscall_number(ABI_X86_64, name);
	s.entry = syscall_lookup(ABI_X86_64, (int)s.nr);
	cr_assert_not_null(s.entry, "%s", name);
	for (int i = 0; i < 5; i++)
		regs_set_arg(&s.regs, ABI_X86_64, i, args[i]);
	return s;
}

static bool follows(const char *name, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, int which)
{
	struct syscall_stop s = stop(name, a0, a1, a2, a3, a4);
	struct path_arg args[2];
	uint64_t open_flags = 0;
	int n;

	path_call_opens(&s, &open_flags);
	n = path_args_of(&s, open_flags, args);
	cr_assert_gt(n, which, "%s has a path argument %d", name, which);
	return args[which].follow;
}

Test(path_args, a_final_symlink_is_followed_as_the_table_and_the_flags_say)
{
	cr_expect(follows("linkat", AT_FDCWD, 1, AT_FDCWD, 2, AT_SYMLINK_FOLLOW, 0),
		  "linkat(AT_SYMLINK_FOLLOW) links the file the symlink names");
	cr_expect(!follows("linkat", AT_FDCWD, 1, AT_FDCWD, 2, 0, 0), "linkat without it links the symlink");
	cr_expect(!follows("linkat", AT_FDCWD, 1, AT_FDCWD, 2, AT_SYMLINK_FOLLOW, 1), "the new name is made, not followed");
	cr_expect(!follows("link", 1, 2, 0, 0, 0, 0), "link(2) does not follow");
	cr_expect(follows("name_to_handle_at", AT_FDCWD, 1, 2, 3, AT_SYMLINK_FOLLOW, 0));
	cr_expect(!follows("name_to_handle_at", AT_FDCWD, 1, 2, 3, 0, 0));
	cr_expect(!follows("lstat", 1, 2, 0, 0, 0, 0));
	cr_expect(!follows("lchown", 1, 0, 0, 0, 0, 0));
	cr_expect(!follows("lgetxattr", 1, 2, 3, 4, 0, 0));
	cr_expect(follows("listxattr", 1, 2, 3, 0, 0, 0), "listxattr follows, whatever its name starts with");
	cr_expect(follows("listxattrat", AT_FDCWD, 1, 0, 2, 3, 0));
	cr_expect(!follows("listxattrat", AT_FDCWD, 1, AT_SYMLINK_NOFOLLOW, 2, 3, 0));
	cr_expect(follows("stat", 1, 2, 0, 0, 0, 0));
	cr_expect(!follows("newfstatat", AT_FDCWD, 1, 2, AT_SYMLINK_NOFOLLOW, 0, 0));
	cr_expect(!follows("readlink", 1, 2, 3, 0, 0, 0));
	cr_expect(follows("inotify_add_watch", 3, 1, IN_MODIFY, 0, 0, 0));
	cr_expect(!follows("inotify_add_watch", 3, 1, IN_MODIFY | IN_DONT_FOLLOW, 0, 0, 0));
	cr_expect(follows("fanotify_mark", 3, FAN_MARK_ADD, 0, AT_FDCWD, 1, 0));
	cr_expect(!follows("fanotify_mark", 3, FAN_MARK_ADD | FAN_MARK_DONT_FOLLOW, 0, AT_FDCWD, 1, 0));
	cr_expect(follows("openat", AT_FDCWD, 1, O_RDONLY, 0, 0, 0));
	cr_expect(!follows("openat", AT_FDCWD, 1, O_RDONLY | O_NOFOLLOW, 0, 0, 0));
}

Test(path_args, opens_from_the_table)
{
	struct syscall_stop s = stop("creat", 1, 0644, 0, 0, 0);
	uint64_t flags = 0;
	struct path_arg args[2];

	cr_expect(path_call_opens(&s, &flags), "creat opens");
	cr_expect_eq(flags, (uint64_t)(O_CREAT | O_WRONLY | O_TRUNC));
	cr_assert_eq(path_args_of(&s, flags, args), 1);
	cr_expect(args[0].creates && args[0].writes);
	s = stop("mkdir", 1, 0755, 0, 0, 0);
	cr_expect(!path_call_opens(&s, &flags), "mkdir does not open");
}
