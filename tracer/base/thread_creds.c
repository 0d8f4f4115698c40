/* Taking on a stopped thread's filesystem credentials (include/thread_creds.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "thread_creds.h"
#include "util.h"

/* The fourth number of a "Uid:"/"Gid:" line: the filesystem id. */
static unsigned long fourth(const char *p)
{
	char *end;

	for (int i = 0; i < 3; i++) {
		strtoul(p, &end, 10);
		p = end;
	}
	return strtoul(p, NULL, 10);
}

/* The lines of /proc/TID/status that say what file permission checks use (read raw: it is read per call). */
static int parse_status(const char *text, struct thread_creds *c)
{
	int have = 0;

	memset(c, 0, sizeof(*c));
	for (const char *line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		if (strncmp(line, "Umask:", 6) == 0) {
			c->umask = (mode_t)strtoul(line + 6, NULL, 8);
		} else if (strncmp(line, "Uid:", 4) == 0) {
			c->fsuid = (uid_t)fourth(line + 4);
			have |= 1;
		} else if (strncmp(line, "Gid:", 4) == 0) {
			c->fsgid = (gid_t)fourth(line + 4);
			have |= 2;
		} else if (strncmp(line, "Groups:", 7) == 0) {
			const char *p = line + 7;
			char *end;

			for (;;) {
				unsigned long g = strtoul(p, &end, 10);
				if (end == p || *p == '\n')
					break;
				if (c->ngroups == THREAD_CREDS_MAX_GROUPS)
					return -E2BIG;
				c->groups[c->ngroups++] = (gid_t)g;
				p = end;
			}
			have |= 4;
		} else if (strncmp(line, "CapEff:", 7) == 0) {
			c->cap_eff = strtoull(line + 7, NULL, 16);
			have |= 8;
			break; /* the last of the four */
		}
	}
	return have == 15 ? 0 : -EINVAL;
}

int thread_creds_read(pid_t tid, struct thread_creds *c)
{
	char path[64], *text = xmalloc(16384);
	ssize_t n, len = 0;
	int fd, rc;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(text);
		return -errno;
	}
	while (len < 16383 && (n = read(fd, text + len, (size_t)(16383 - len))) > 0)
		len += n;
	close(fd);
	text[len] = '\0';
	rc = parse_status(text, c);
	free(text);
	return rc;
}

static int caps_get(uint64_t *eff, uint64_t *prm, uint64_t *inh)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return -errno;
	*eff = d[0].effective | (uint64_t)d[1].effective << 32;
	*prm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	*inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	return 0;
}

static int caps_set(uint64_t eff, uint64_t prm, uint64_t inh)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = {
		{ (uint32_t)eff, (uint32_t)prm, (uint32_t)inh },
		{ (uint32_t)(eff >> 32), (uint32_t)(prm >> 32), (uint32_t)(inh >> 32) },
	};

	return syscall(SYS_capset, &h, d) < 0 ? -errno : 0;
}

static bool same_groups(const struct thread_creds *a, const struct thread_creds *b)
{
	if (a->ngroups != b->ngroups)
		return false;
	for (int i = 0; i < a->ngroups; i++) {
		bool found = false;
		for (int k = 0; k < b->ngroups && !found; k++)
			found = a->groups[i] == b->groups[k];
		if (!found)
			return false;
	}
	return true;
}

/* The raw calls: glibc's wrappers would hand setgroups to every thread (picovisor has one anyway). */
static int set_fs_ids(const struct thread_creds *c, const struct thread_creds *now)
{
	if (!same_groups(c, now) && syscall(SYS_setgroups, (size_t)c->ngroups, c->groups) < 0)
		return -errno;
	syscall(SYS_setfsgid, c->fsgid);
	syscall(SYS_setfsuid, c->fsuid);
	/* setfs*id say nothing on failure: ask again (an invalid id changes nothing and returns the current one). */
	if ((uid_t)syscall(SYS_setfsuid, -1) != c->fsuid || (gid_t)syscall(SYS_setfsgid, -1) != c->fsgid)
		return -EPERM;
	return 0;
}

/* Is thread tid in picovisor's user namespace? */
static bool same_user_ns(pid_t tid)
{
	char path[64];
	struct stat a, b;

	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)tid);
	return stat(path, &a) == 0 && stat("/proc/self/ns/user", &b) == 0 && a.st_ino == b.st_ino &&
	       a.st_dev == b.st_dev;
}

int creds_assume(pid_t tid, struct creds_saved *saved)
{
	struct thread_creds want;
	int rc = thread_creds_read(tid, &want);

	if (rc < 0) {
		memset(saved, 0, sizeof(*saved));
		return rc;
	}
	return creds_take_on(tid, &want, saved);
}

int creds_take_on(pid_t tid, const struct thread_creds *thread, struct creds_saved *saved)
{
	static struct creds_saved own; /* picovisor's credentials do not change during a run */
	static bool have_own;
	struct thread_creds want = *thread;
	sigset_t all;
	int rc;

	memset(saved, 0, sizeof(*saved));
	if (!have_own) {
		rc = thread_creds_read((pid_t)syscall(SYS_gettid), &own.own);
		if (rc == 0)
			rc = caps_get(&own.own.cap_eff, &own.cap_prm, &own.cap_inh);
		if (rc < 0)
			return rc;
		have_own = true;
	}
	*saved = own;
	if (want.cap_eff && !same_user_ns(tid))
		want.cap_eff = 0;
	if (want.fsuid == saved->own.fsuid && want.fsgid == saved->own.fsgid && same_groups(&want, &saved->own) &&
	    want.cap_eff == saved->own.cap_eff)
		return 0;
	/* Only a picovisor that holds every capability the thread has, and may set ids, can be the thread. */
	if ((want.cap_eff & ~saved->cap_prm) ||
	    !(saved->cap_prm & (1ULL << CAP_SETUID)) || !(saved->cap_prm & (1ULL << CAP_SETGID)))
		return -EPERM;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &saved->sigmask);
	saved->changed = true;
	saved->target = want;
	/* Every capability first (setgroups needs CAP_SETGID), then the ids, then exactly the thread's. */
	rc = caps_set(saved->cap_prm, saved->cap_prm, saved->cap_inh);
	if (rc == 0)
		rc = set_fs_ids(&want, &saved->own);
	if (rc == 0)
		rc = caps_set(want.cap_eff, saved->cap_prm, saved->cap_inh);
	if (rc < 0) {
		creds_restore(saved);
		return -EPERM;
	}
	return 0;
}

void creds_restore(struct creds_saved *saved)
{
	if (!saved->changed)
		return;
	if (caps_set(saved->cap_prm, saved->cap_prm, saved->cap_inh) < 0 || set_fs_ids(&saved->own, &saved->target) < 0 ||
	    caps_set(saved->own.cap_eff, saved->cap_prm, saved->cap_inh) < 0)
		die("cannot take back picovisor's own credentials after acting as a traced thread");
	saved->changed = false;
	sigprocmask(SIG_SETMASK, &saved->sigmask, NULL);
}
