/*
 * The drive map of the NT personality: a letter names a host directory, as
 * WSL's DrvFS named /mnt/c for C:. Paths of NT processes resolve through it
 * (translate/nt/nt_path.c) and host paths shown to them go back through it.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nt.h"
#include "util.h"

static char *drive[26];
static bool c_is_launch_dir; /* C: is the launch directory because --drive did not give it */

/*
 * The drive roots and every directory above them, by identity: renaming or
 * removing one would take a drive away (or move it elsewhere) under the
 * names the program resolves, so no service does either to them.
 */
static struct {
	dev_t dev;
	ino_t ino;
} protected_ids[26 * 64];
static int nprotected;

static void protect_with_parents(const char *real)
{
	char *p = xstrdup(real);
	struct stat st;

	for (;;) {
		char *slash;

		if (stat(p, &st) == 0 && nprotected < (int)ARRAY_SIZE(protected_ids)) {
			protected_ids[nprotected].dev = st.st_dev;
			protected_ids[nprotected++].ino = st.st_ino;
		}
		slash = strrchr(p, '/');
		if (!slash || slash == p) {
			if (strcmp(p, "/") != 0 && stat("/", &st) == 0 && nprotected < (int)ARRAY_SIZE(protected_ids)) {
				protected_ids[nprotected].dev = st.st_dev;
				protected_ids[nprotected++].ino = st.st_ino;
			}
			break;
		}
		*slash = '\0';
	}
	free(p);
}

bool nt_drive_protected(dev_t dev, ino_t ino)
{
	for (int i = 0; i < nprotected; i++)
		if (protected_ids[i].dev == dev && protected_ids[i].ino == ino)
			return true;
	return false;
}

int nt_drive_add(char letter, const char *dir, char *err, size_t errsize)
{
	char real[PATH_MAX];
	struct stat st;
	int i = toupper((unsigned char)letter) - 'A';

	if (i < 0 || i >= 26) {
		snprintf(err, errsize, "'%c' is not a drive letter (A to Z)", letter);
		return -1;
	}
	if (drive[i]) {
		snprintf(err, errsize, "drive %c: is given twice", 'A' + i);
		return -1;
	}
	if (!realpath(dir, real) || stat(real, &st) < 0) {
		snprintf(err, errsize, "drive %c:'s directory %s: %s", 'A' + i, dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errsize, "drive %c:'s %s is not a directory", 'A' + i, dir);
		return -1;
	}
	drive[i] = xstrdup(real);
	protect_with_parents(real);
	return 0;
}

int nt_drives_finish(void)
{
	char cwd[PATH_MAX], err[PATH_MAX + 64];

	/* Z: is the whole Linux tree, as under Wine, unless it was given: what no other drive reaches. */
	if (!drive['Z' - 'A'] && nt_drive_add('Z', "/", err, sizeof(err)) < 0)
		return -1;
	{
		/* NUL is the host's /dev/null (nt_path.c): a device, which no service may rename or remove */
		struct stat st;

		if (stat("/dev/null", &st) == 0 && nprotected < (int)ARRAY_SIZE(protected_ids)) {
			protected_ids[nprotected].dev = st.st_dev;
			protected_ids[nprotected++].ino = st.st_ino;
		}
	}
	if (drive['C' - 'A'])
		return 0;
	if (!getcwd(cwd, sizeof(cwd)) || nt_drive_add('C', cwd, err, sizeof(err)) < 0)
		return -1; /* errno says why */
	c_is_launch_dir = true;
	return 0;
}

const char *nt_drive_host(char letter)
{
	int i = toupper((unsigned char)letter) - 'A';

	return i >= 0 && i < 26 ? drive[i] : NULL;
}

/* The longest drive root that contains host wins (drives may nest). */
static int dos_path_of_host(const char *host, char *out, size_t size, int skip)
{
	int best = -1;
	size_t best_len = 0;

	for (int i = 0; i < 26; i++) {
		size_t n;

		if (!drive[i] || i == skip)
			continue;
		n = strlen(drive[i]);
		if (strcmp(drive[i], "/") == 0)
			n = 0;
		if (strncmp(host, drive[i], n) == 0 && (host[n] == '/' || host[n] == 0) && (best < 0 || n > best_len)) {
			best = i;
			best_len = n;
		}
	}
	if (best < 0)
		return -1;
	if ((size_t)snprintf(out, size, "%c:%s", 'A' + best, host[best_len] ? host + best_len : "\\") >= size)
		return -1;
	for (char *p = out; *p; p++)
		if (*p == '/')
			*p = '\\';
	return 0;
}

int nt_dos_path_of_host(const char *host, char *out, size_t size)
{
	return dos_path_of_host(host, out, size, -1);
}

/*
 * The working directory is named on the other drives first when C: is only
 * the launch directory: on Z: (all of /) by default, as under Wine, so that
 * a rooted name, which is what a program makes of a Linux path it is given
 * (`/usr/share/x` is `\usr\share\x` on the current drive), means there what
 * it means on Linux, not a directory below the launch directory.
 */
int nt_dos_cwd_of_host(const char *host, char *out, size_t size)
{
	if (c_is_launch_dir && dos_path_of_host(host, out, size, 'C' - 'A') == 0)
		return 0;
	return dos_path_of_host(host, out, size, -1);
}
