/* The -P path filter (trace_paths.h). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace_paths.h"
#include "tracee.h"
#include "util.h"

/* Each path as given and as the absolute name /proc/TID/fd links show for it. */
static char **names;
static int nnames;

static void add_name(const char *s)
{
	for (int i = 0; i < nnames; i++)
		if (strcmp(names[i], s) == 0)
			return;
	names = xrealloc(names, sizeof(*names) * (size_t)(nnames + 1));
	names[nnames++] = xstrdup(s);
}

void trace_paths_set(char *const *paths, int n)
{
	for (int i = 0; i < n; i++) {
		char real[PATH_MAX], cwd[PATH_MAX];

		add_name(paths[i]);
		if (realpath(paths[i], real))
			add_name(real);
		else if (paths[i][0] != '/' && getcwd(cwd, sizeof(cwd))) {
			/* not there yet: the name it will have once the run makes it */
			char *abs = xasprintf("%s/%s", strcmp(cwd, "/") == 0 ? "" : cwd, paths[i]);
			add_name(abs);
			free(abs);
		}
	}
}

bool trace_paths_active(void)
{
	return nnames > 0;
}

static bool name_selected(const char *s)
{
	for (int i = 0; i < nnames; i++)
		if (strcmp(names[i], s) == 0)
			return true;
	return false;
}

static bool fd_selected(pid_t tid, long fd)
{
	char link[64], target[PATH_MAX];
	ssize_t n;

	if (fd < 0 || fd > INT_MAX)
		return false;
	snprintf(link, sizeof(link), "/proc/%d/fd/%ld", (int)tid, fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0)
		return false;
	target[n] = '\0';
	return name_selected(target);
}

bool trace_paths_touched(pid_t tid, const struct syscall_entry *e, const uint64_t *args, bool at_exit, long ret)
{
	char path[PATH_MAX + 1];

	for (int i = 0; i < syscall_nargs(e); i++) {
		uint8_t kind = e->args[i].kind;

		if (kind == K_PATH && args[i] && tracee_read_string(tid, args[i], path, sizeof(path)) >= 0 &&
		    name_selected(path))
			return true;
		if (kind == K_DIRFD && (int)args[i] != AT_FDCWD && fd_selected(tid, (int)args[i]))
			return true;
		if ((kind == K_FD || kind == K_FD_CLOSED) && fd_selected(tid, (int)args[i]))
			return true;
	}
	return at_exit && e->ret == R_FD && ret >= 0 && fd_selected(tid, ret);
}
