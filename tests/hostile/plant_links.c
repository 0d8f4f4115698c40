/*
 * Plant links where picovisor writes or removes after the run (tests/e2e/lifecycle_tests.py judges
 * what happened to the outside afterwards; this program only says whether it could plant them).
 *   plant_links link NAME TARGET   replace NAME (the report, the trace) by a symlink to TARGET
 *   plant_links tree DIR OUTSIDE   in DIR (the tmpdir, a tmp map; "TMPDIR": $TMPDIR): symlinks to OUTSIDE and to a file
 *                                  in it, nested directories, and an empty directory "mnt"; prints
 *                                  "planted", then waits (up to 10 s) for DIR/mnt/secret to show
 *                                  (the harness mounts OUTSIDE there) or for DIR/go
 */
#include "hostile.h"
#include <sys/stat.h>
#include <time.h>

static void plant(const char *target, const char *dir, const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (symlink(target, path) < 0)
		cannot("symlink");
}

int main(int argc, char **argv)
{
	char path[4096], file[4096];

	if (argc < 4)
		cannot("usage");
	if (strcmp(argv[1], "link") == 0) {
		if (unlink(argv[2]) < 0 && errno != ENOENT)
			cannot("unlink");
		if (symlink(argv[3], argv[2]) < 0)
			cannot("symlink");
		printf("planted %s -> %s\n", argv[2], argv[3]);
		return 0;
	}
	if (strcmp(argv[1], "tree") != 0)
		cannot("usage");
	if (strcmp(argv[2], "TMPDIR") == 0 && !(argv[2] = getenv("TMPDIR")))
		cannot("no TMPDIR");
	snprintf(file, sizeof(file), "%s/secret", argv[3]);
	plant(argv[3], argv[2], "dirlink");
	plant(file, argv[2], "filelink");
	snprintf(path, sizeof(path), "%s/a", argv[2]);
	if (mkdir(path, 0755) < 0)
		cannot("mkdir");
	snprintf(path, sizeof(path), "%s/a/b", argv[2]);
	if (mkdir(path, 0755) < 0)
		cannot("mkdir");
	plant(argv[3], path, "deeplink");
	snprintf(path, sizeof(path), "%s/a/b/f", argv[2]);
	if (close(open(path, O_WRONLY | O_CREAT, 0644)) < 0)
		cannot("create");
	snprintf(path, sizeof(path), "%s/mnt", argv[2]);
	if (mkdir(path, 0777) < 0)
		cannot("mkdir");
	printf("planted\n");
	fflush(stdout);
	for (int i = 0; i < 1000; i++) {
		struct timespec ts = { 0, 10000000 };
		snprintf(path, sizeof(path), "%s/mnt/secret", argv[2]);
		if (access(path, F_OK) == 0)
			break;
		snprintf(path, sizeof(path), "%s/go", argv[2]);
		if (access(path, F_OK) == 0)
			break;
		nanosleep(&ts, NULL);
	}
	return 0;
}
