/*
 * Move a protected file out from under its rule by renaming a directory
 * above it: run with `path - ./sub/secret` in a launch directory holding
 * sub/secret and an empty directory other. Tries rename(sub, sub2) and
 * renameat2(sub, other, RENAME_EXCHANGE), then reads the secret under its
 * new name.
 */
#include "hostile.h"
#include <stdio.h>

int main(int argc, char **argv)
{
	(void)outside(argc, argv, "");
	if (access("sub/secret", F_OK) < 0 || access("other", F_OK) < 0)
		cannot("sub/secret and other must be there");
	/* A rename that works is no escape by itself, but its missing refusal fails the verdict's errnos. */
	if (rename("sub", "sub2") == 0) {
		if (reads_secret("sub2/secret"))
			escaped("renamed sub to sub2 and read sub2/secret");
	} else {
		note_refusal(errno);
	}
	if (renameat2(AT_FDCWD, "sub", AT_FDCWD, "other", RENAME_EXCHANGE) == 0) {
		if (reads_secret("other/secret"))
			escaped("exchanged sub and other and read other/secret");
	} else {
		note_refusal(errno);
	}
	attempt(reads_secret("sub/secret") ? 0 : -1, "read sub/secret where it is");
	refused_all("the directory above a protected file cannot be renamed");
}
