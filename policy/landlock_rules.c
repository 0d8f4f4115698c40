/* A policy's Landlock ruleset (include/landlock_rules.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "landlock_rules.h"
#include "util.h"

/* The kernel's Landlock ABI, written out: the build machine's headers stop at an older version. */
enum {
	LL_FS_EXECUTE = 1 << 0,
	LL_FS_WRITE_FILE = 1 << 1,
	LL_FS_READ_FILE = 1 << 2,
	LL_FS_READ_DIR = 1 << 3,
	LL_FS_REMOVE_DIR = 1 << 4,
	LL_FS_REMOVE_FILE = 1 << 5,
	LL_FS_MAKE_CHAR = 1 << 6,
	LL_FS_MAKE_DIR = 1 << 7,
	LL_FS_MAKE_REG = 1 << 8,
	LL_FS_MAKE_SOCK = 1 << 9,
	LL_FS_MAKE_FIFO = 1 << 10,
	LL_FS_MAKE_BLOCK = 1 << 11,
	LL_FS_MAKE_SYM = 1 << 12,
	LL_FS_REFER = 1 << 13,     /* ABI 2 */
	LL_FS_TRUNCATE = 1 << 14,  /* ABI 3 */
	LL_FS_IOCTL_DEV = 1 << 15, /* ABI 5 */
	LL_NET_BIND_TCP = 1 << 0,  /* ABI 4 */
	LL_NET_CONNECT_TCP = 1 << 1,
	LL_SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0, /* ABI 6 */
	LL_SCOPE_SIGNAL = 1 << 1,
	LL_RULE_PATH_BENEATH = 1,
	LL_RULE_NET_PORT = 2,
	LL_CREATE_RULESET_VERSION = 1 << 0,
	LL_RESTRICT_SELF_LOG_NEW_EXEC_ON = 1 << 1, /* ABI 7 */
	/* What a rule on a file (not a directory) may grant. */
	LL_FS_FILE_RIGHTS = LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV,
};

struct ll_ruleset_attr {
	uint64_t handled_access_fs, handled_access_net, scoped;
};

struct ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

struct ll_net_port_attr {
	uint64_t allowed_access, port;
};

int landlock_abi_version(void)
{
	long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);

	return v > 0 ? (int)v : 0;
}

static uint64_t fs_rights(int abi)
{
	uint64_t all = (LL_FS_MAKE_SYM << 1) - 1; /* ABI 1: bits 0-12 */

	if (abi >= 2)
		all |= LL_FS_REFER;
	if (abi >= 3)
		all |= LL_FS_TRUNCATE;
	if (abi >= 5)
		all |= LL_FS_IOCTL_DEV;
	return all;
}

/* A path rule's permissions in Landlock's rights (devices are never made). */
static uint64_t rights_of(unsigned perms, uint64_t handled)
{
	uint64_t r = 0;

	if (perms & PERM_R)
		r |= LL_FS_READ_FILE | LL_FS_READ_DIR | LL_FS_IOCTL_DEV;
	if (perms & PERM_W)
		r |= LL_FS_WRITE_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV;
	if (perms & PERM_X)
		r |= LL_FS_EXECUTE;
	if (perms & PERM_C)
		r |= LL_FS_MAKE_REG | LL_FS_MAKE_DIR | LL_FS_MAKE_SYM | LL_FS_MAKE_FIFO | LL_FS_MAKE_SOCK |
		     LL_FS_REMOVE_FILE | LL_FS_REMOVE_DIR | LL_FS_REFER;
	return r & handled;
}

static void note(struct landlock_plan *plan, const char *origin, const char *what)
{
	plan->notes = xrealloc(plan->notes, (plan->nnotes + 1) * sizeof(*plan->notes));
	plan->notes[plan->nnotes++] = xasprintf("%s: %s", origin, what);
}

static void unenforced(struct landlock_plan *plan, const char *origin, const char *what)
{
	plan->unenforced = xrealloc(plan->unenforced, (plan->nunenforced + 1) * sizeof(*plan->unenforced));
	plan->unenforced[plan->nunenforced++] = xasprintf("%s: %s", origin, what);
}

/* Is a an ancestor of b (or b itself)? Both absolute and without trailing slashes. */
static int is_beneath(const char *b, const char *a)
{
	size_t n = strlen(a);

	if (strcmp(a, "/") == 0)
		return 1;
	return strncmp(a, b, n) == 0 && (b[n] == '\0' || b[n] == '/');
}

static char *absolute(const char *path, const char *launch_dir)
{
	char *p = path[0] == '/' ? xstrdup(path)
		  : strcmp(path, ".") == 0 ? xstrdup(launch_dir)
					    : xasprintf("%s/%s", launch_dir, path);
	size_t n = strlen(p);

	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	return p;
}

void landlock_plan_build(const struct policy *p, int abi, const char *launch_dir, struct landlock_plan *out)
{
	bool no_network = p->net != NET_ANY && p->net != NET_LOOPBACK; /* none, or not said: none */

	memset(out, 0, sizeof(*out));
	out->abi = abi;
	if (abi < 1) {
		if (p->npaths)
			unenforced(out, p->paths[0].origin, "this kernel has no Landlock: every path rule");
		return;
	}
	out->handled_fs = fs_rights(abi);
	out->paths_complete = true;
	/* The same path given again: the later line replaces the earlier one. */
	for (size_t i = 0; i < p->npaths; i++) {
		char *path = absolute(p->paths[i].path, launch_dir);
		uint64_t access = rights_of(p->paths[i].perms, out->handled_fs);
		size_t k;

		/*
		 * /proc/self names whoever looks: a ruleset entered once cannot follow
		 * each process of the run. Reading /proc is granted instead; what is
		 * private in another process's /proc entry is behind the kernel's
		 * ptrace check, which Landlock confines to the run's own domain.
		 */
		if (is_beneath(path, "/proc/self") || is_beneath(path, "/proc/thread-self")) {
			note(out, p->paths[i].origin,
			     "/proc/self: Landlock cannot tell one process's /proc from another's, so /proc is readable; "
			     "other processes' private entries (mem, environ, fd, maps, root, cwd) are refused by the "
			     "kernel's ptrace check, which Landlock confines to the run");
			free(path);
			path = xstrdup("/proc");
			access &= LL_FS_READ_FILE | LL_FS_READ_DIR;
		}

		for (k = 0; k < out->npaths; k++)
			if (strcmp(out->paths[k].path, path) == 0)
				break;
		if (k == out->npaths) {
			out->paths = xrealloc(out->paths, (out->npaths + 1) * sizeof(*out->paths));
			out->npaths++;
		} else
			free(out->paths[k].path);
		out->paths[k].path = path;
		out->paths[k].access = access;
		snprintf(out->paths[k].origin, sizeof(out->paths[k].origin), "%s", p->paths[i].origin);
	}
	/* Landlock only adds rights down a tree: a rule that takes away what one above gives is the supervisor's. */
	for (size_t i = 0; i < out->npaths; i++)
		for (size_t k = 0; k < out->npaths; k++)
			if (k != i && is_beneath(out->paths[i].path, out->paths[k].path) &&
			    (out->paths[k].access & ~out->paths[i].access)) {
				char *what = xasprintf("%s narrows %s, which Landlock cannot do", out->paths[i].path,
						       out->paths[k].path);
				unenforced(out, out->paths[i].origin, what);
				out->paths_complete = false;
				free(what);
				break;
			}
	/*
	 * Landlock's TCP rules name ports, never hosts: they can say "no TCP at
	 * all" (net none), but not "any port on loopback" (net loopback, which
	 * connect and bind rules only widen). Handling TCP there would refuse
	 * every loopback port no rule names, so loopback networks are left to
	 * the supervisor, which checks every address.
	 */
	if (abi >= 4 && no_network)
		out->handled_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
	if (no_network)
		unenforced(out, "net", abi >= 4 ? "Landlock covers TCP only: UDP and raw sockets are the supervisor's"
					       : "this kernel's Landlock has no network rules: the supervisor checks every endpoint");
	else if (p->net == NET_LOOPBACK)
		unenforced(out, "net", "Landlock's network rules name ports, not hosts: the supervisor checks every endpoint");
	if (abi >= 6)
		out->scoped = LL_SCOPE_SIGNAL | LL_SCOPE_ABSTRACT_UNIX_SOCKET;
}

void landlock_plan_free(struct landlock_plan *plan)
{
	for (size_t i = 0; i < plan->npaths; i++)
		free(plan->paths[i].path);
	for (size_t i = 0; i < plan->nunenforced; i++)
		free(plan->unenforced[i]);
	for (size_t i = 0; i < plan->nnotes; i++)
		free(plan->notes[i]);
	free(plan->notes);
	free(plan->paths);
	free(plan->ports);
	free(plan->unenforced);
	memset(plan, 0, sizeof(*plan));
}

void landlock_plan_print(const struct landlock_plan *plan, FILE *out)
{
	if (plan->abi < 1) {
		fprintf(out, "landlock: not available: the supervisor checks every path\n");
		return;
	}
	fprintf(out, "landlock: ABI %d, handled fs %#llx, net %#llx, scoped %#llx\n", plan->abi,
		(unsigned long long)plan->handled_fs, (unsigned long long)plan->handled_net,
		(unsigned long long)plan->scoped);
	for (size_t i = 0; i < plan->npaths; i++)
		fprintf(out, "  path-beneath %s allow %#llx  (%s)\n", plan->paths[i].path,
			(unsigned long long)plan->paths[i].access, plan->paths[i].origin);
	for (size_t i = 0; i < plan->nports; i++)
		fprintf(out, "  net-port %llu allow %#llx  (%s)\n", (unsigned long long)plan->ports[i].port,
			(unsigned long long)plan->ports[i].access, plan->ports[i].origin);
	for (size_t i = 0; i < plan->nnotes; i++)
		fprintf(out, "  note: %s\n", plan->notes[i]);
	for (size_t i = 0; i < plan->nunenforced; i++)
		fprintf(out, "  not by Landlock: %s\n", plan->unenforced[i]);
}

int landlock_apply(const struct landlock_plan *plan, char *err, size_t errsize)
{
	struct ll_ruleset_attr attr = { plan->handled_fs, plan->handled_net, plan->scoped };
	/* An older kernel takes the prefix of the struct it knows (and wants the rest zero). */
	size_t size = plan->abi >= 6 ? sizeof(attr) : plan->abi >= 4 ? 2 * sizeof(uint64_t) : sizeof(uint64_t);
	int fd, rc = 0;

	if (plan->abi < 1) {
		snprintf(err, errsize, "this kernel has no Landlock");
		return -ENOSYS;
	}
	fd = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errsize, "cannot create the Landlock ruleset: %s", strerror(errno));
		return rc;
	}
	for (size_t i = 0; i < plan->npaths && rc == 0; i++) {
		struct ll_path_beneath_attr pb = { plan->paths[i].access, -1 };
		struct stat st;

		pb.parent_fd = open(plan->paths[i].path, O_PATH | O_CLOEXEC);
		if (pb.parent_fd < 0)
			continue; /* not there: nothing beneath it to allow */
		if (fstat(pb.parent_fd, &st) == 0 && !S_ISDIR(st.st_mode))
			pb.allowed_access &= LL_FS_FILE_RIGHTS;
		if (pb.allowed_access &&
		    syscall(SYS_landlock_add_rule, fd, LL_RULE_PATH_BENEATH, &pb, 0) < 0) {
			rc = -errno;
			snprintf(err, errsize, "Landlock refused the rule for %s (%s): %s", plan->paths[i].path,
				 plan->paths[i].origin, strerror(errno));
		}
		close(pb.parent_fd);
	}
	for (size_t i = 0; i < plan->nports && rc == 0; i++) {
		struct ll_net_port_attr np = { plan->ports[i].access, plan->ports[i].port };

		if (syscall(SYS_landlock_add_rule, fd, LL_RULE_NET_PORT, &np, 0) < 0) {
			rc = -errno;
			snprintf(err, errsize, "Landlock refused the rule for port %llu (%s): %s",
				 (unsigned long long)plan->ports[i].port, plan->ports[i].origin, strerror(errno));
		}
	}
	/* The child execs the program next: Landlock logs only what precedes an exec unless told otherwise. */
	if (rc == 0 && syscall(SYS_landlock_restrict_self, fd, plan->audited ? LL_RESTRICT_SELF_LOG_NEW_EXEC_ON : 0) < 0) {
		rc = -errno;
		snprintf(err, errsize, "cannot enter the Landlock ruleset: %s%s", strerror(errno),
			 errno == EPERM ? " (no_new_privs must be set first)" : "");
	}
	close(fd);
	return rc;
}
