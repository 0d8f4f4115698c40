/*
 * The sandbox's checks of what a call points to (translate/sandbox/sandbox_internal.h):
 * paths against the path rules, socket addresses against the net rules and
 * the path rules, pids against the run, openat2's open_how, exec images. Each
 * copies what it decides on into the supervisor first; a refusal names its rule.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "arch.h"
#include "path_access.h"
#include "../pathmap/path_args.h"
#include "../pathmap/path_translate.h"
#include "promises.h"
#include "sandbox_internal.h"
#include "tracee.h"
#include "util.h"

#define PERM_ANY 0x100 /* some permission, whichever (stat, chdir, readlink) */

bool sandbox_pid_in_run(pid_t pid)
{
	return host_task_in_run(pid);
}

static const char *rule_text(const struct policy_path *rule, char *buf, size_t size)
{
	char perms[8];

	if (!rule)
		snprintf(buf, size, "no path rule covers it");
	else
		snprintf(buf, size, "path %s %s (%s)", perms_letters(rule->perms, perms), rule->path, rule->origin);
	return buf;
}

static const char *need_text(unsigned need, char *buf)
{
	if (need & PERM_ANY)
		return strcpy(buf, "any access");
	return perms_letters(need, buf);
}

enum check_result sandbox_check_resolved(struct tracee *t, const struct syscall_stop *s, const char *path,
					 unsigned need, unsigned *granted)
{
	struct sandbox *sb = sandbox_get();
	const struct policy_path *rule;
	unsigned perms = path_rules_lookup(&sb->policy, sb->launch_dir, path, sandbox_pid_in_run, &rule);
	char why[600], needs[16], got[8];

	if (sandbox_check_proc_target(t, s, path, need) == CHECK_DONE)
		return CHECK_DONE;
	if (granted)
		*granted = perms;
	/* Reading metadata (stat, access, readlink, chdir) is not restricted: Landlock does not either. */
	if ((need & PERM_ANY) || (perms & need) == need)
		return CHECK_PASS;
	if (!rule)
		return sandbox_refuse(t, s, EACCES, false, path, "%s needs %s; no path rule covers it", path,
				      need_text(need, needs));
	rule_text(rule, why, sizeof(why));
	return sandbox_refuse(t, s, EACCES, false, path, "%s needs %s; the rule '%s' gives %s", path,
			      need_text(need, needs), why, perms_letters(perms, got));
}

/* Would the rules allow need on this resolved path? (No report: a question, not a check.) */
static bool path_rules_allow(const char *path, unsigned need)
{
	struct sandbox *sb = sandbox_get();
	const struct policy_path *rule;
	unsigned perms = path_rules_lookup(&sb->policy, sb->launch_dir, path, sandbox_pid_in_run, &rule);

	return (need & PERM_ANY) || (perms & need) == need;
}

bool sandbox_fd_may_change(struct tracee *t, int fd)
{
	struct sandbox *sb = sandbox_get();
	char link[64], path[PATH_MAX];
	ssize_t n;

	if (!sb || sb->policy.on_violation == VIOLATION_LOG)
		return true;
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", host_tid(t), fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n < 0)
		return false;
	path[n] = '\0';
	if (path[0] != '/')
		return true; /* pipes and sockets have no rules */
	if (n > 10 && strcmp(path + n - 10, " (deleted)") == 0)
		path[n - 10] = '\0';
	return path_rules_allow(path, PERM_W);
}

/*
 * Resolve a path as the check sees it, into p->resolved. A name ending in .
 * or .. keeps that last component for the kernel (it means something of its
 * own to rmdir, mkdir and rename): p->dots is its directory, resolved, with
 * the component after it, an absolute walk of one step from what was checked.
 */
static int resolve_for_pin(struct tracee *t, int dirfd, const char *path, bool follow, struct pinned_path *p,
			   struct path_links *walk)
{
	size_t len = strlen(path);
	const char *last;
	char prefix[PATH_MAX];
	int rc, n;

	if (!path_ends_in_dots(path))
		return path_resolve_walk(host_tid(t), host_tgid(t), dirfd, path, follow, p->resolved, PATH_MAX, walk);
	while (len > 1 && path[len - 1] == '/')
		len--;
	last = path + len;
	while (last > path && last[-1] != '/')
		last--;
	snprintf(prefix, sizeof(prefix), "%.*s", (int)(last - path), path);
	rc = path_resolve_walk(host_tid(t), host_tgid(t), dirfd, prefix[0] ? prefix : ".", true, p->resolved, PATH_MAX, walk);
	if (rc != 0)
		return rc == PATH_NOT_A_FILE ? -ENOTDIR : rc;
	n = snprintf(p->dots, sizeof(p->dots), "%s%s%.*s", p->resolved, strcmp(p->resolved, "/") == 0 ? "" : "/",
		     (int)(path + len - last), last);
	if (n < 0 || (size_t)n >= sizeof(p->dots))
		return -ENAMETOOLONG;
	if (path + len - last == 2)
		path_pop(p->resolved); /* ".." */
	return 0;
}

/* The task a /proc magic link belongs to (/proc/PID/... or /proc/PID/task/TID/...), and what follows it. */
static pid_t link_owner(const char *link, const char **kind)
{
	const char *p = link + 6;
	char *end;
	long owner = strtol(p, &end, 10);

	if (strncmp(link, "/proc/", 6) != 0 || end == p || *end != '/')
		return -1;
	p = end + 1;
	if (strncmp(p, "task/", 5) == 0) {
		owner = strtol(p + 5, &end, 10);
		if (end == p + 5 || *end != '/')
			return -1;
		p = end + 1;
	}
	*kind = p;
	return (pid_t)owner;
}

/*
 * Can anything but the stopped thread change what the magic link names
 * before its call runs? An fd/N, cwd, root or map_files/ link stays put only
 * while the table, fs or memory it reads is the thread's alone; exe changes
 * only by an exec, which in the thread's own process would end the thread.
 */
static bool link_stable(const struct tracee *t, const char *link)
{
	const char *kind = "";
	pid_t owner = link_owner(link, &kind);
	pid_t owner_tgid = owner > 0 ? host_tgid_of(owner) : 0;

	if (!owner_tgid)
		return false;
	if (strcmp(kind, "exe") == 0)
		return owner_tgid == host_tgid(t);
	if (strncmp(kind, "fd/", 3) == 0)
		return sandbox_state_private(t, owner, SHARED_FILES);
	if (strcmp(kind, "cwd") == 0 || strcmp(kind, "root") == 0)
		return sandbox_state_private(t, owner, SHARED_FS);
	if (strncmp(kind, "map_files/", 10) == 0)
		return sandbox_state_private(t, owner, SHARED_VM);
	return false;
}

/*
 * A path whose magic link leads to something no path names (a pipe, a
 * socket, a deleted file): only the kernel's own walk reaches it, so it is
 * passed as given, which holds only while nothing else can change what the
 * link names; otherwise it cannot be pinned and is refused.
 */
static enum check_result check_unnamed(struct tracee *t, const struct syscall_stop *s, const struct path_links *walk,
				       char *resolved, unsigned need, unsigned *granted)
{
	char *mark;
	size_t n = strlen(resolved);
	/*
	 * The unnamed object is what the call reaches (a reopen: resolved is the
	 * link itself for a pipe or socket), not a directory the kernel walks on from.
	 */
	bool final = strcmp(resolved, walk->link) == 0 || (n > 10 && strstr(resolved, " (deleted)") == resolved + n - 10);

	*granted = PERM_R | PERM_W | PERM_X | PERM_C; /* pipes, sockets and memfds: no rule names them */
	if (sandbox_check_proc_target(t, s, resolved, need) == CHECK_DONE)
		return CHECK_DONE;
	if (strcmp(resolved, walk->link) != 0 && strncmp(resolved, "/memfd:", 7) != 0) {
		/*
		 * A deleted file or directory (and what lies below or above it:
		 * fd/N/.. reaches the directory it was removed from): the rules of
		 * the names it had.
		 */
		while ((mark = strstr(resolved, " (deleted)")) && (mark[10] == '/' || mark[10] == '\0'))
			memmove(mark, mark + 10, strlen(mark + 10) + 1);
		if (sandbox_check_resolved(t, s, resolved, need, granted) == CHECK_DONE)
			return CHECK_DONE;
	}
	if (!final)
		/* The kernel would walk on from a removed directory by names, following what it meets then. */
		return sandbox_refuse(t, s, EACCES, false, walk->link,
				      "%s leads to a removed directory, and a path that walks on from one cannot be "
				      "pinned (no name reaches it)",
				      walk->link);
	if (link_stable(t, walk->link))
		return CHECK_PASS;
	return sandbox_refuse(t, s, EACCES, false, walk->link,
			      "%s leads to something no path names (a pipe, a socket, a deleted file), and another task "
			      "shares what the link reads, so it could lead elsewhere by the time the call runs: it "
			      "cannot be pinned",
			      walk->link);
}

enum check_result sandbox_check_paths(struct tracee *t, struct syscall_stop *s, bool opens, uint64_t open_flags)
{
	const struct syscall_entry *e = s->entry;
	unsigned first_perms = 0;
	struct path_arg args[2];
	int npaths = path_args_of(s, open_flags, args);
	struct pinned_path *pins = xcalloc(2, sizeof(*pins));
	enum check_result result = CHECK_DONE;

	for (int k = 0; k < npaths; k++) {
		char *path = pins[k].given, *resolved = pins[k].resolved;
		unsigned need = PERM_ANY, granted = 0;
		struct path_links walk;
		int i = args[k].index, dirfd = args[k].dirfd;
		unsigned role = syscall_path_role(e, i), roles = syscall_path_roles(e);
		bool first = k == 0;
		ssize_t len;
		int rc;

		/*
		 * A translated path (a guest view) is the host path in the sealed
		 * scratch area, which no thread can change: it is checked and pinned
		 * like any other (so is a restarted call's pinned copy, the same again).
		 */
		len = tracee_read_string(host_tid(t), regs_arg(&s->regs, s->abi, i), path, PATH_MAX);
		if (len < 0) { /* what the kernel says about the same pointer */
			sandbox_fail_call(t, s, (int)-len);
			goto out;
		}
		pins[k].index = i;
		if (len == 0) { /* ENOENT, or AT_EMPTY_PATH: the open file itself, already reached */
			pins[k].set = pins[k].as_given = true; /* and "" it stays */
			continue;
		}
		/* Which access the call makes (whether it follows a final symlink: path_args_of). */
		if (opens) {
			unsigned acc = (unsigned)(open_flags & O_ACCMODE);
			need = acc == O_RDONLY ? PERM_R : acc == O_WRONLY ? PERM_W : PERM_R | PERM_W;
			if (open_flags & O_PATH)
				need = PERM_ANY;
			if (open_flags & O_TRUNC)
				need |= PERM_W;
		}
		if (role & (PATH_CREATED | PATH_REMOVED))
			need = PERM_C;
		if (role & PATH_WRITTEN)
			need = (need & PERM_ANY) ? PERM_W : need | PERM_W;
		rc = resolve_for_pin(t, dirfd, path, args[k].follow, &pins[k], &walk);
		if (rc == PATH_NOT_A_FILE || (rc == 0 && walk.unnamed)) {
			/* Nothing to pin by name: the kernel must follow the link itself. */
			if (check_unnamed(t, s, &walk, resolved, need, &granted) == CHECK_DONE)
				goto out;
			if (first)
				first_perms = granted;
			pins[k].set = pins[k].as_given = true;
			continue;
		}
		if (rc < 0) {
			sandbox_fail_call(t, s, -rc);
			goto out;
		}
		/*
		 * Through a magic link: the file it led to when checked, by its name
		 * (whoever's link it was: a pid can be reused before the call runs).
		 */
		pins[k].via_link = walk.magic;
		if ((roles & PATH_REMOVED) && (roles & PATH_CREATED) && npaths > 1) { /* rename, exchange */
			const struct policy_path *pinned = path_rules_pinned(&sandbox_get()->policy, sandbox_get()->launch_dir,
									    resolved);
			char why[600];

			if (pinned && sandbox_refuse(t, s, EACCES, false, resolved,
						     "renaming %s would move what the rule '%s' protects out from under it",
						     resolved, rule_text(pinned, why, sizeof(why))) == CHECK_DONE)
				goto out;
		}
		if (!(role & PATH_CREATED)) {
			struct stat st;
			bool missing = lstat(resolved, &st) < 0 && errno == ENOENT;

			if (missing && (open_flags & O_CREAT))
				need = (need & ~(unsigned)PERM_ANY) | PERM_C;
			else if (missing && !(path_rules_allow(resolved, need))) {
				/*
				 * Nothing there to reach: say what the kernel would, without
				 * running the call (a symlink made meanwhile could lead elsewhere).
				 */
				sandbox_fail_call(t, s, ENOENT);
				goto out;
			}
		} else if (!(role & PATH_REMOVED) && !opens && !path_rules_allow(resolved, need)) {
			struct stat st;

			/*
			 * A name that is already there (mkdir -p walking up through /):
			 * the kernel says EEXIST before it asks anyone's permission, so
			 * nothing is refused and nothing is reported.
			 */
			if (lstat(resolved, &st) == 0) {
				sandbox_fail_call(t, s, EEXIST);
				goto out;
			}
		}
		if (sandbox_check_resolved(t, s, resolved, need, &granted) == CHECK_DONE)
			goto out;
		if (first)
			first_perms = granted;
		/*
		 * A hard link gives the file a second name: under the new name it must
		 * not get rights it does not have where it is (link /etc/passwd into .
		 * and write it).
		 */
		if ((role & PATH_CREATED) && npaths > 1 && !(roles & PATH_REMOVED)) {
			struct sandbox *sb = sandbox_get();
			const struct policy_path *rule;
			unsigned target = path_rules_lookup(&sb->policy, sb->launch_dir, resolved, sandbox_pid_in_run, &rule);
			char a[8], b[8];

			if ((target & ~first_perms & (PERM_R | PERM_W | PERM_X)) &&
			    sandbox_refuse(t, s, EACCES, false, resolved,
					   "a hard link at %s would give %s to a file whose own rules give %s", resolved,
					   perms_letters(target, a), perms_letters(first_perms, b)) == CHECK_DONE)
				goto out;
		}
		pins[k].set = true;
	}
	if (sandbox_get()->supervisor_paths && sandbox_names_served(s, pins, npaths)) {
		sandbox_serve_names(t, s, pins, npaths);
		result = CHECK_DONE;
	} else {
		result = sandbox_pin_paths(t, s, pins, npaths, opens, open_flags);
	}
out:
	free(pins);
	return result;
}

enum check_result sandbox_check_openat2(struct tracee *t, struct syscall_stop *s)
{
	struct open_how how;
	int how_arg = syscall_kind_arg(s->entry, K_OPEN_HOW); /* its size follows */
	uint64_t size = regs_arg(&s->regs, s->abi, how_arg + 1);
	long openat = syscall_number(ABI_NATIVE, "openat");

	if (size < sizeof(how)) {
		sandbox_fail_call(t, s, EINVAL);
		return CHECK_DONE;
	}
	if (tracee_read(host_tid(t), regs_arg(&s->regs, s->abi, how_arg), &how, sizeof(how)) != (ssize_t)sizeof(how)) {
		sandbox_fail_call(t, s, EFAULT);
		return CHECK_DONE;
	}
	if (how.resolve == 0 && size == sizeof(how)) {
		/*
		 * The same open as openat with the flags in registers, which no other
		 * thread can change. The kernel lets a rewritten call through the
		 * filter without another stop, so the checks that follow (the
		 * filter's verdict on openat, sandbox_check_paths) look at the openat
		 * (s is rewritten in place) before it runs.
		 */
		if (how.flags >> 32 || (!(how.flags & (O_CREAT | 020000000 /* the kernel's O_TMPFILE bit */)) && how.mode)) {
			sandbox_fail_call(t, s, EINVAL);
			return CHECK_DONE;
		}
		regs_set_syscall_nr(&s->regs, openat);
		regs_set_arg(&s->regs, s->abi, 2, how.flags);
		regs_set_arg(&s->regs, s->abi, 3, how.mode);
		s->nr = openat;
		s->entry = syscall_lookup(ABI_NATIVE, (int)openat);
		verdict_set_regs(s, &s->regs);
		return CHECK_PASS;
	}
	if (!sandbox_get()->supervisor_paths)
		return CHECK_PASS; /* Landlock decides the path, whatever the flags become */
	/* RESOLVE_* scoping needs the path translation's resolver: C libraries fall back to openat. */
	sandbox_fail_call(t, s, ENOSYS);
	return CHECK_DONE;
}

/* The socket address argument of the call: its tracee address and length, or false. */
static bool sockaddr_arg(struct tracee *t, const struct syscall_stop *s, uint64_t *addr, uint64_t *len)
{
	const struct syscall_entry *e = s->entry;

	for (int i = 0; i < syscall_nargs(e); i++) {
		if (e->args[i].kind == K_SOCKADDR_IN) {
			*addr = regs_arg(&s->regs, s->abi, i);
			*len = i + 1 < 6 ? regs_arg(&s->regs, s->abi, i + 1) : 0;
			return true;
		}
		if (e->args[i].kind == K_MSGHDR_IN) {
			struct msghdr m;
			if (tracee_read(host_tid(t), regs_arg(&s->regs, s->abi, i), &m, sizeof(m)) != (ssize_t)sizeof(m))
				return *addr = 1, *len = 0, true; /* unreadable: the kernel says EFAULT */
			*addr = (uint64_t)(uintptr_t)m.msg_name;
			*len = m.msg_namelen;
			return true;
		}
	}
	return false;
}

static bool is_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
	if (ss->ss_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
		if (IN6_IS_ADDR_LOOPBACK(a))
			return true;
		return IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127;
	}
	return false;
}

/* Does an endpoint rule name this address and port? */
static bool endpoint_matches(const struct policy_endpoint *ep, const struct sockaddr_storage *ss)
{
	char host[INET6_ADDRSTRLEN];
	uint16_t port;

	if (ss->ss_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, host, sizeof(host));
		port = ntohs(((const struct sockaddr_in *)ss)->sin_port);
	} else {
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr, host, sizeof(host));
		port = ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	}
	return ep->port == port && ep->family == ss->ss_family && strcmp(ep->host, host) == 0;
}

const char *sandbox_inet_refusal(const struct sockaddr_storage *ss, bool binding, char *why, size_t size)
{
	const struct policy *p = &sandbox_get()->policy;
	uint16_t port = ntohs(ss->ss_family == AF_INET ? ((const struct sockaddr_in *)ss)->sin_port
						       : ((const struct sockaddr_in6 *)ss)->sin6_port);

	if (p->net == NET_ANY)
		return NULL;
	if (p->net == NET_LOOPBACK && is_loopback(ss))
		return NULL;
	if (binding) {
		for (size_t i = 0; i < p->nbinds; i++)
			if (p->binds[i].port == 0 || p->binds[i].port == port)
				return NULL;
		snprintf(why, size, "net %s allows no bind of port %u here", p->net == NET_LOOPBACK ? "loopback" : "none",
			 port);
		return why;
	}
	for (size_t i = 0; i < p->nconnects; i++)
		if (endpoint_matches(&p->connects[i], ss))
			return NULL;
	snprintf(why, size, "net %s: no connect rule names this endpoint", p->net == NET_LOOPBACK ? "loopback" : "none");
	return why;
}

static enum check_result check_inet(struct tracee *t, const struct syscall_stop *s, const struct sockaddr_storage *ss)
{
	char why[128];

	if (!sandbox_inet_refusal(ss, (s->entry->flags & SC_LOCAL_ADDR) != 0, why, sizeof(why)))
		return CHECK_PASS;
	return sandbox_refuse(t, s, EACCES, false, NULL, "%s", why);
}

enum check_result sandbox_check_sockaddr(struct tracee *t, struct syscall_stop *s)
{
	struct sandbox *sb = sandbox_get();
	struct sockaddr_storage ss;
	uint64_t addr, len;
	ssize_t got;

	if (!sockaddr_arg(t, s, &addr, &len) || addr == 0)
		return CHECK_PASS;
	if (len > sizeof(ss))
		len = sizeof(ss);
	memset(&ss, 0, sizeof(ss));
	got = len >= sizeof(sa_family_t) ? tracee_read(host_tid(t), addr, &ss, len) : -EINVAL;
	if (got < (ssize_t)sizeof(sa_family_t)) {
		sandbox_fail_call(t, s, got == -EINVAL ? EINVAL : EFAULT);
		return CHECK_DONE;
	}
	switch (ss.ss_family) {
	case AF_INET:
	case AF_INET6:
		return check_inet(t, s, &ss);
	case AF_UNIX: {
		const struct sockaddr_un *un = (const struct sockaddr_un *)&ss;
		size_t plen = len > offsetof(struct sockaddr_un, sun_path) ? len - offsetof(struct sockaddr_un, sun_path) : 0;
		char path[sizeof(un->sun_path) + 1], resolved[PATH_MAX];
		bool binding = (s->entry->flags & SC_LOCAL_ADDR) != 0;
		int rc;

		if (plen == 0)
			return CHECK_PASS; /* autobind or unnamed */
		if (un->sun_path[0] == '\0') {
			/* Abstract names: Landlock's scope (ABI 6) keeps them to the run; without it only net any may. */
			if (sb->policy.net == NET_ANY || (sb->landlock_active && sb->landlock.scoped))
				return CHECK_PASS;
			return sandbox_refuse(t, s, EPERM, false, NULL,
					      "abstract unix sockets reach outside the run (net is not any, and this "
					      "kernel's Landlock cannot scope them)");
		}
		memcpy(path, un->sun_path, plen);
		path[plen] = '\0';
		if (!binding) {
			sandbox_serve_unix_path(t, s, path); /* on the socket file it checks: see sandbox_unix.c */
			return CHECK_DONE;
		}
		if (path[0] != '/' && sb->supervisor_paths && !host_scratch_contains(t, addr)) {
			/* A relative name would meet the cwd of the call's moment: bound from the cwd checked. */
			sandbox_serve_unix_bind(t, s, path, &ss, len);
			return CHECK_DONE;
		}
		rc = path_resolve(host_tid(t), host_tgid(t), AT_FDCWD, path, false, resolved, sizeof(resolved));
		if (rc < 0) {
			sandbox_fail_call(t, s, -rc);
			return CHECK_DONE;
		}
		/*
		 * Binding creates the socket file. The kernel gets the checked copy of
		 * the address (its name is what getsockname shows, so not the resolved one).
		 */
		if (sandbox_check_resolved(t, s, resolved, PERM_C, NULL) == CHECK_DONE)
			return CHECK_DONE;
		if (host_scratch_contains(t, addr))
			return CHECK_PASS;
		for (int i = 0; i < syscall_nargs(s->entry); i++)
			if (s->entry->args[i].kind == K_SOCKADDR_IN)
				return sandbox_pin_sockaddr(t, s, i, &ss, len);
		return CHECK_PASS;
	}
	default:
		if (sb->policy.net == NET_ANY)
			return CHECK_PASS;
		return sandbox_refuse(t, s, EACCES, false, NULL, "address family %d is beyond net rules other than any",
				      ss.ss_family);
	}
}

struct group_search {
	pid_t pgid;
	bool found;
};

static void find_group(pid_t tid, void *ctx)
{
	struct group_search *g = ctx;

	if (!g->found && getpgid(tid) == g->pgid && getsid(tid) != getsid(0))
		g->found = true;
}

/*
 * A group the run made: its id is a pid of the run (setpgid(0, 0) and setsid
 * name the group after their caller), or a tracee is in it within a session
 * that is not picovisor's (the run's own without --tty, or one a tracee made
 * with setsid: setpgid never crosses sessions, so the run made all its
 * groups). Holding a tracee is not enough: under --tty the run shares the
 * caller's session, whose other jobs are not the run's.
 */
bool sandbox_group_in_run(pid_t pgid)
{
	struct group_search g = { pgid, false };

	if (pgid <= 0 || pgid == getpgrp())
		return false;
	if (sandbox_pid_in_run(pgid))
		return true;
	host_for_each_task(find_group, &g);
	return g.found;
}

/* A child of the run that has exited but was not waited for yet: no longer a tracee, still the run's. */
static bool is_zombie_of_run(long pid)
{
	char path[48], buf[512], *end;
	char state;
	int ppid;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	buf[0] = '\0';
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	end = strrchr(buf, ')'); /* the name may hold anything; the fields follow its last ')' */
	return end && sscanf(end + 1, " %c %d", &state, &ppid) == 2 && state == 'Z' && sandbox_pid_in_run(ppid);
}

enum check_result sandbox_refuse_target(struct tracee *t, const struct syscall_stop *s, long pid, const char *what)
{
	char path[32];

	if (pid > 0) {
		snprintf(path, sizeof(path), "/proc/%ld", pid);
		if (access(path, F_OK) < 0) { /* nothing there: what the kernel would say */
			sandbox_fail_call(t, s, ESRCH);
			return CHECK_DONE;
		}
		if (is_zombie_of_run(pid))
			return CHECK_PASS;
	}
	return sandbox_refuse(t, s, EPERM, true, NULL, "%s %ld is outside the run: %s never reaches beyond the run",
			      what, pid, s->entry->name);
}

enum check_result sandbox_check_pids(struct tracee *t, const struct syscall_stop *s)
{
	const struct syscall_entry *e = s->entry;
	bool signals = (e->flags & CL_SIGNAL) != 0;
	int which = -1;

	if (syscall_waits_for_children(e))
		return CHECK_PASS;
	for (int i = 0; i < syscall_nargs(e); i++) {
		long v;

		if (e->args[i].kind == K_PRIO_WHICH || e->args[i].kind == K_IOPRIO_WHICH)
			which = (int)regs_arg(&s->regs, s->abi, i); /* getpriority, setpriority, ioprio_set */
		if (e->args[i].kind != K_PID && e->args[i].kind != K_PGID)
			continue;
		v = (long)(int)regs_arg(&s->regs, s->abi, i);
		if (e->args[i].kind == K_PGID) {
			long who = i > 0 ? (long)(int)regs_arg(&s->regs, s->abi, 0) : 0; /* checked above */

			if (who == 0)
				who = host_tgid(t);
			/* its own group, a group the run made, or (--tty) the one it started in */
			if (v <= 0 || v == who || sandbox_group_in_run((pid_t)v) ||
			    (host_facts()->share_tty && v == getpgrp()))
				continue;
			return sandbox_refuse(t, s, EPERM, true, NULL,
					      "process group %ld was not made by the run: setpgid never joins it", v);
		}
		if (which >= 0) {
			/* PRIO_PROCESS 0, PRIO_PGRP 1, PRIO_USER 2; ioprio: 1 process, 2 group, 3 user */
			bool ioprio = syscall_kind_arg(e, K_IOPRIO_WHICH) >= 0;
			int user = ioprio ? 3 : PRIO_USER, group = ioprio ? 2 : PRIO_PGRP;
			if (which == user)
				return sandbox_refuse(t, s, EPERM, true, NULL,
						      "%s on every process of a user reaches beyond the run", e->name);
			if (which == group) {
				if ((v == 0 && sandbox_get()->sid) || sandbox_group_in_run((pid_t)(v ? v : getpgid(host_tid(t)))))
					continue;
				return sandbox_refuse_target(t, s, v, "process group");
			}
		}
		if (v == 0) {
			/* kill(0): the caller's group, the run's own unless it shares picovisor's (--tty) */
			if (!signals || host_facts()->share_tty == false || sandbox_group_in_run(getpgid(host_tid(t))))
				continue;
			return sandbox_refuse_target(t, s, v, "process group");
		}
		if (v == -1 && signals)
			return sandbox_refuse(t, s, EPERM, true, NULL,
					      "kill(-1) signals every process of the user: never allowed in the sandbox");
		if (v < 0 && signals) {
			if (sandbox_group_in_run((pid_t)-v))
				continue;
			return sandbox_refuse_target(t, s, -v, "process group");
		}
		if (v > 0 && sandbox_pid_in_run((pid_t)v))
			continue;
		return sandbox_refuse_target(t, s, v, "process");
	}
	return CHECK_PASS;
}

int sandbox_check_image(struct tracee *t, int fd, const char *role)
{
	struct sandbox *sb = sandbox_get();
	const struct policy_path *rule;
	char link[64], path[PATH_MAX], why[600], got[8];
	ssize_t n;
	unsigned perms;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n < 0)
		return -EACCES;
	path[n] = '\0';
	perms = path_rules_lookup(&sb->policy, sb->launch_dir, path, sandbox_pid_in_run, &rule);
	if (perms & PERM_X)
		return 0;
	rule_text(rule, why, sizeof(why));
	return sandbox_refuse(t, NULL, EACCES, false, path, "executing %s (the %s) needs x; %s%s%s gives %s", path,
			      role, rule ? "the rule '" : "", why, rule ? "'" : "", perms_letters(perms, got)) == CHECK_PASS
		       ? 0
		       : -EACCES;
}
