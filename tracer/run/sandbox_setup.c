/* Setting up a run's sandbox (include/sandbox.h): in the supervisor, then in the child before exec. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps_drop.h"
#include "env_rules.h"
#include "guest_view.h"
#include "options.h"
#include "path_access.h"
#include "promises.h"
#include "landlock_audit.h"
#include "sandbox.h"
#include "sha256.h"
#include "util.h"

static struct sandbox the_sandbox;
static bool active;
static char *caller_tmpdir; /* TMPDIR as picovisor was given it, before the policy's environment lines */

struct sandbox *sandbox_get(void)
{
	return active ? &the_sandbox : NULL;
}

/* The policy the run names, then each command-line override as a text of its own. */
static void load_policy(const struct run_options *o, struct policy *p)
{
	char err[512];

	if (policy_load(p, o->policy ? o->policy : "none", err, sizeof(err)) < 0)
		die("%s", err);
	for (int i = 0; i < o->noverrides; i++)
		if (policy_parse(p, o->overrides[i].line, o->overrides[i].origin, err, sizeof(err)) < 0) {
			/* "limit:1:14: expected ..." is about a line the user never wrote: name the option instead. */
			const char *why = err;
			size_t n = strlen(o->overrides[i].origin);

			if (strncmp(err, o->overrides[i].origin, n) == 0 && strncmp(err + n, ":1:", 3) == 0 &&
			    strstr(err + n + 3, ": "))
				why = strstr(err + n + 3, ": ") + 2;
			die("--%s: %s (the option stands for the policy line '%s'; docs/policy.md)", o->overrides[i].origin,
			    why, o->overrides[i].line);
		}
	if (!o->quiet)
		for (size_t i = 0; i < p->nwarnings; i++)
			warn("warning: %s", p->warnings[i]);
}

/* A rule the run adds to the policy's own (the tmpdir, the program), unless the policy already gives that much. */
static void add_rule(struct sandbox *sb, const char *path, unsigned perms, const char *origin)
{
	const struct policy_path *rule;
	struct policy_path *pp;

	if ((path_rules_lookup(&sb->policy, sb->launch_dir, path, NULL, &rule) & perms) == perms)
		return; /* a rule that narrowed nothing would still cost Landlock its completeness */

	sb->policy.paths = xrealloc(sb->policy.paths, (sb->policy.npaths + 1) * sizeof(*sb->policy.paths));
	pp = &sb->policy.paths[sb->policy.npaths++];
	pp->path = xstrdup(path);
	pp->perms = perms;
	snprintf(pp->origin, sizeof(pp->origin), "%s", origin);
}

/* Where private directories go: the caller's TMPDIR, unless that is the working directory, where the program would see it. */
static const char *private_base(const struct sandbox *sb)
{
	const char *base = caller_tmpdir;
	size_t n = strlen(sb->launch_dir);

	if (!base || base[0] != '/' ||
	    (strncmp(base, sb->launch_dir, n) == 0 && (base[n] == '\0' || base[n] == '/')))
		base = "/tmp";
	/* The run's own /dev/shm hides the host's, and goes with the run: --keep-tmpdir could keep nothing there. */
	if (sb->shm.made && private_shm_hides(base))
		base = "/tmp";
	return base;
}

/* Does a map or tmp line's guest path cover /dev/shm? The guest view then serves it, not a tmpfs. */
static bool view_covers_shm(const struct policy *p)
{
	for (size_t i = 0; i < p->nmaps + p->ntmps; i++) {
		const char *g = i < p->nmaps ? p->maps[i].guest : p->tmps[i - p->nmaps];
		size_t n = strlen(g);

		while (n > 1 && g[n - 1] == '/')
			n--;
		if ((n == 1 && g[0] == '/') || (strncmp("/dev/shm", g, n) == 0 && ("/dev/shm"[n] == '\0' || "/dev/shm"[n] == '/')))
			return true;
	}
	return false;
}

/*
 * The policy's shm: made before anything of the run is named on the host
 * (tmpdirs, rules bound to files), so that the supervisor, which resolves
 * the program's paths itself, and the program see one tree. Where it cannot
 * be made /dev/shm stays as the path rules say (ci's: closed), and the run
 * says why once.
 */
static void make_private_shm(const struct run_options *o, struct sandbox *sb)
{
	const struct policy *p = &sb->policy;
	const char **blockers = xcalloc(p->nmaps + 5, sizeof(*blockers));
	char *trace_dir = NULL;
	size_t n = 0;

	if (!p->shm_size)
		goto out;
	if (view_covers_shm(p)) {
		sb->shm.size = p->shm_size;
		snprintf(sb->shm.why_not, sizeof(sb->shm.why_not), "a map or tmp line serves /dev/shm instead");
		goto out;
	}
	blockers[n++] = sb->launch_dir;
	if (o->program_path)
		blockers[n++] = o->program_path;
	if (o->chdir)
		blockers[n++] = o->chdir;
	for (size_t i = 0; i < p->nmaps; i++)
		blockers[n++] = p->maps[i].host;
	if (o->trace_output && strrchr(o->trace_output, '/')) {
		/* -ff makes a file there for each process, after the namespace is made (a bare name: the launch directory) */
		char *slash;

		trace_dir = xstrdup(o->trace_output);
		slash = strrchr(trace_dir, '/');
		slash[slash == trace_dir] = '\0';
		blockers[n++] = trace_dir;
	}
	private_shm_make(p->shm_size, blockers, &sb->shm);
	if (!sb->shm.made && !o->quiet)
		warn("note: no private /dev/shm for this run: %s. /dev/shm stays as the path rules say (ci gives it "
		     "none: shm_open and sem_open fail with EACCES)",
		     sb->shm.why_not);
out:
	free(trace_dir);
	free(blockers);
}

static void make_tmpdir(struct sandbox *sb)
{
	char *tmpl;
	int rc = held_dir_make(&sb->tmpdir_held, private_base(sb), "picovisor-tmp", &tmpl);

	if (rc < 0)
		die("cannot make the private tmpdir in %s: %s", private_base(sb), strerror(-rc));
	sb->tmpdir = tmpl;
	setenv("TMPDIR", tmpl, 1);
	add_rule(sb, tmpl, PERM_R | PERM_W | PERM_C, "tmpdir");
}

/*
 * The guest view of the policy's map and tmp lines; the path rules, written
 * for guest paths, then name the host paths the kernel and Landlock see.
 */
static void build_view(struct sandbox *sb)
{
	struct policy *p = &sb->policy;
	const struct guest_view *v;
	char err[1024];

	if (!p->nmaps && !p->ntmps)
		return;
	for (size_t i = 0; i < p->nmaps; i++)
		if (guest_view_add_map(p->maps[i].guest, p->maps[i].host, p->maps[i].read_only, sb->launch_dir, err,
				       sizeof(err)) < 0)
			die("%s (%s)", err, p->maps[i].origin);
	for (size_t i = 0; i < p->ntmps; i++)
		if (guest_view_add_tmp(p->tmps[i], private_base(sb), err, sizeof(err)) < 0)
			die("%s", err);
	if (guest_view_finish(err, sizeof(err)) < 0)
		die("%s", err);
	v = guest_view();
	for (size_t i = 0; i < p->npaths; i++) {
		char norm[PATH_MAX], host[PATH_MAX];

		if (p->paths[i].path[0] != '/' || path_normalise(p->paths[i].path, norm, sizeof(norm)) < 0 ||
		    view_to_host(v, norm, host, sizeof(host)) < 0 || strcmp(host, norm) == 0)
			continue;
		free(p->paths[i].path);
		p->paths[i].path = xstrdup(host);
	}
}

/*
 * /proc/self names whoever looks: its rules stay names (path_rules_lookup
 * matches a tracee's /proc/PID to them), never picovisor's own /proc/PID.
 */
static bool names_the_looker(const char *path)
{
	static const char *const selves[] = { "/proc/self", "/proc/thread-self" };

	for (size_t i = 0; i < ARRAY_SIZE(selves); i++) {
		size_t n = strlen(selves[i]);

		if (strncmp(path, selves[i], n) == 0 && (path[n] == '\0' || path[n] == '/'))
			return true;
	}
	return false;
}

/*
 * Bind each rule to what it names when the run starts: absolute (relative
 * rules against the launch directory) and without symlinks, as the
 * supervisor's resolved paths and Landlock's opened directories are. The
 * part that exists is resolved (realpath); what does not exist yet is
 * kept as written after it (the parser left no "." or ".." there).
 */
static void bind_rules(struct sandbox *sb)
{
	struct policy *p = &sb->policy;

	for (size_t i = 0; i < p->npaths; i++) {
		char joined[PATH_MAX], prefix[PATH_MAX], real[PATH_MAX], *bound;
		const char *rest;

		if (snprintf(joined, sizeof(joined), "%s%s%s", p->paths[i].path[0] == '/' ? "" : sb->launch_dir,
			     p->paths[i].path[0] == '/' ? "" : "/", p->paths[i].path) >= (int)sizeof(joined))
			die("%s: the rule's path %s is longer than PATH_MAX in %s", p->paths[i].origin, p->paths[i].path,
			    sb->launch_dir);
		if (path_normalise(joined, prefix, sizeof(prefix)) < 0)
			die("%s: the rule's path %s cannot be normalised", p->paths[i].origin, joined);
		snprintf(joined, sizeof(joined), "%s", prefix);
		if (names_the_looker(joined)) {
			bound = xstrdup(joined);
			goto out;
		}
		/* The longest prefix that resolves; "/" always does. */
		while (!realpath(prefix, real)) {
			char *slash = strrchr(prefix, '/');

			if (slash == prefix) {
				snprintf(real, sizeof(real), "/");
				prefix[1] = '\0';
				break;
			}
			*slash = '\0';
		}
		rest = joined + (strcmp(prefix, "/") == 0 ? 0 : strlen(prefix));
		bound = strcmp(real, "/") == 0 ? xstrdup(rest[0] ? rest : "/") : xasprintf("%s%s", real, rest);
		{
			/* Through /proc/self (/dev/fd, /dev/stdin): realpath named picovisor's own /proc/PID. */
			char mine[32];
			size_t n = (size_t)snprintf(mine, sizeof(mine), "/proc/%d", (int)getpid());

			if (strncmp(bound, mine, n) == 0 && (bound[n] == '\0' || bound[n] == '/')) {
				char *self = xasprintf("/proc/self%s", bound + n);

				free(bound);
				bound = self;
			}
		}
	out:
		free(p->paths[i].path);
		p->paths[i].path = bound;
	}
}

/* A tmp's private directory is the run's to use, like the tmpdir. */
static void add_tmp_rules(struct sandbox *sb)
{
	const struct guest_view *v = guest_view();

	for (size_t i = 0; v && i < v->n; i++)
		if (v->mounts[i].tmp)
			add_rule(sb, v->mounts[i].host, PERM_R | PERM_W | PERM_C, "tmp");
}

/* --chdir DIR: relative to the launch directory, a guest path in a view; it must be a directory. */
static void resolve_chdir(const struct run_options *o, struct sandbox *sb)
{
	char joined[PATH_MAX], norm[PATH_MAX], host[PATH_MAX];
	struct stat st;

	if (!o->chdir)
		return;
	if (snprintf(joined, sizeof(joined), "%s%s%s", o->chdir[0] == '/' ? "" : sb->launch_dir,
		     o->chdir[0] == '/' ? "" : "/", o->chdir) >= (int)sizeof(joined) ||
	    path_normalise(joined, norm, sizeof(norm)) < 0)
		die("--chdir %s: not a usable path", o->chdir);
	if (guest_view()) {
		if (view_to_host(guest_view(), norm, host, sizeof(host)) < 0)
			die("--chdir %s: not a path of the guest view", o->chdir);
	} else {
		snprintf(host, sizeof(host), "%s", norm);
	}
	if (stat(host, &st) < 0)
		die("--chdir %s: %s", o->chdir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		die("--chdir %s: not a directory", o->chdir);
	sb->chdir_host = xstrdup(host);
}

/* The program as the command line names it, in the guest view. */
static bool program_host_path(const struct sandbox *sb, const char *program, char *out)
{
	char joined[PATH_MAX], norm[PATH_MAX], host[PATH_MAX];

	if (!guest_view())
		return realpath(program, out) != NULL;
	snprintf(joined, sizeof(joined), "%s%s%s", program[0] == '/' ? "" : sb->launch_dir, program[0] == '/' ? "" : "/",
		 program);
	if (path_normalise(joined, norm, sizeof(norm)) < 0 || view_to_host(guest_view(), norm, host, sizeof(host)) < 0)
		return false;
	return realpath(host, out) != NULL;
}

static void digest(struct sandbox *sb)
{
	char *text = NULL, hex[65];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		die("out of memory");
	policy_describe(&sb->policy, f);
	fclose(f);
	sha256_hex(text, len, hex);
	snprintf(sb->digest, sizeof(sb->digest), "sha256:%s", hex);
	free(text);
}

static bool grants_network(const struct policy *p)
{
	return (p->promises & (1ULL << promise_index("inet"))) || (p->promises & (1ULL << promise_index("dns")));
}

/* The kernel may lack what the policy needs from Landlock: refuse under --require-landlock, else say so once. */
static void landlock_gaps(const struct run_options *o, struct sandbox *sb)
{
	const struct landlock_plan *plan = &sb->landlock;

	if (o->require_landlock) {
		if (plan->abi < 1)
			die("--require-landlock: this kernel has no Landlock (or it is disabled: see the lsm= boot "
			    "parameter); run without --require-landlock to have the supervisor check every path");
		if (grants_network(&sb->policy) && sb->policy.net != NET_ANY && plan->abi < 4)
			die("--require-landlock: this kernel's Landlock (ABI %d) has no network rules (ABI 4, Linux 6.7)",
			    plan->abi);
		if (plan->abi < 6)
			die("--require-landlock: this kernel's Landlock (ABI %d) cannot scope signals and abstract "
			    "sockets to the run (ABI 6, Linux 6.12)",
			    plan->abi);
	}
	if (o->quiet)
		return;
	if (o->no_landlock) {
		warn("note: --no-landlock: seccomp and picovisor's own checks alone enforce the policy");
		return;
	}
	for (size_t i = 0; i < plan->nunenforced; i++) {
		if (strncmp(plan->unenforced[i], "net:", 4) == 0 && !grants_network(&sb->policy))
			continue; /* no socket of the kind can be made at all */
		warn("note: not enforced by the kernel, checked by picovisor instead: %s", plan->unenforced[i]);
	}
}

void sandbox_prepare(const struct run_options *o, unsigned personality_classes)
{
	struct sandbox *sb = &the_sandbox;
	struct compile_env env;
	char cwd[PATH_MAX], err[512];

	if (!getcwd(cwd, sizeof(cwd)))
		die("cannot name the launch directory: %s", strerror(errno));
	sb->launch_dir = xstrdup(cwd);
	if (getenv("TMPDIR"))
		caller_tmpdir = xstrdup(getenv("TMPDIR"));
	load_policy(o, &sb->policy);
	digest(sb); /* before the tmpdir's rule, whose name changes every run */
	make_private_shm(o, sb);
	build_view(sb);
	resolve_chdir(o, sb);
	bind_rules(sb);
	add_tmp_rules(sb);
	{
		/* before the tmpdir's TMPDIR, which no line removes */
		const char *unset = env_rules_apply(&sb->policy, &sb->env);

		if (unset)
			die("cannot set the environment variable %s for the run: %s", unset, strerror(errno));
	}
	if (o->verbose && sb->env.nremoved)
		for (size_t i = 0; i < sb->env.nremoved; i++)
			warn("note: not passed to the program (environment rules): %s", sb->env.removed[i]);
	if (sb->policy.tmpdir)
		make_tmpdir(sb);
	if (sb->shm.made)
		add_rule(sb, "/dev/shm", PERM_R | PERM_W | PERM_C, "shm");
	/* The program named on the command line may always be read and run (strict runs nothing else). */
	{
		char real[PATH_MAX];
		if (program_host_path(sb, o->program_path, real))
			add_rule(sb, real, PERM_R | PERM_X, "the program");
	}
	bind_rules(sb); /* the run's own rules too (a TMPDIR through a symlink) */
	/* --no-landlock plans as for a kernel without it: the supervisor checks everything Landlock would. */
	landlock_plan_build(&sb->policy, o->no_landlock ? 0 : landlock_abi_version(), sb->launch_dir, &sb->landlock);
	landlock_gaps(o, sb);
	/* Landlock's refusals read from the kernel's audit log spare the supervisor checking paths to see them. */
	if (sb->landlock.abi >= 1 && sb->policy.on_violation != VIOLATION_LOG)
		sb->landlock.audited = landlock_audit_open(sb->landlock.abi, sb->landlock_audit_why,
							   sizeof(sb->landlock_audit_why));
	policy_compile_env(&sb->policy, &sb->landlock, &env);
	env.personality_classes = personality_classes;
	env.run_uid = (uint32_t)getuid();
	env.run_gid = (uint32_t)getgid();
	/* log allows what the policy refuses: Landlock would refuse it in the kernel. */
	sb->landlock_active = sb->landlock.abi >= 1 && sb->policy.on_violation != VIOLATION_LOG;
	sb->supervisor_paths = !env.landlock_paths;
	if (policy_compile(&sb->policy, &env, &sb->filter, err, sizeof(err)) < 0)
		die("%s", err);
	active = true;
}

__attribute__((format(printf, 1, 2), noreturn)) static void child_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "picovisor: cannot enter the sandbox: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	_exit(EXIT_PV_FAILED);
}

static void close_descriptors(const struct run_options *o)
{
	int keep[20], n = 0;
	unsigned from = 3;

	for (int i = 0; i < o->nkeep_fds; i++)
		keep[n++] = o->keep_fds[i];
	/* close_range between the kept ones, in order */
	for (int i = 0; i < n; i++)
		for (int k = i + 1; k < n; k++)
			if (keep[k] < keep[i]) {
				int tmp = keep[i];
				keep[i] = keep[k];
				keep[k] = tmp;
			}
	for (int i = 0; i < n; i++) {
		if ((unsigned)keep[i] > from && syscall(SYS_close_range, from, (unsigned)keep[i] - 1, 0) < 0)
			child_fail("close_range: %s", strerror(errno));
		from = (unsigned)keep[i] + 1;
		if (fcntl(keep[i], F_SETFD, 0) < 0) /* passed on: not close-on-exec */
			child_fail("--keep-fd %d: %s", keep[i], strerror(errno));
	}
	if (syscall(SYS_close_range, from, ~0U, 0) < 0)
		child_fail("close_range: %s", strerror(errno));
}

static void set_limit(int resource, uint64_t v, const char *what)
{
	struct rlimit r = { (rlim_t)v, (rlim_t)v };
	struct rlimit cur;

	/* Never raise a hard limit the run already has (an ordinary user cannot anyway). */
	if (getrlimit(resource, &cur) == 0 && cur.rlim_max != RLIM_INFINITY && cur.rlim_max < r.rlim_max)
		r.rlim_cur = r.rlim_max = cur.rlim_max;
	if (setrlimit(resource, &r) < 0)
		child_fail("setting the %s limit: %s", what, strerror(errno));
}

/*
 * The open files one process may hold: nofile (soft and hard), and never more
 * than the run's files limit, as the hard limit, which a process without
 * CAP_SYS_RESOURCE (and the sandbox keeps none) cannot raise; the soft limit
 * stays the caller's where that is lower (select() users count on 1024).
 */
static void set_nofile(const struct policy *p)
{
	struct rlimit cur;
	uint64_t cap;

	if (p->limit_set[LIMIT_NOFILE])
		set_limit(RLIMIT_NOFILE, p->limit[LIMIT_NOFILE], "nofile");
	if (!p->limit_set[LIMIT_FILES])
		return;
	cap = p->limit[LIMIT_FILES];
	if (getrlimit(RLIMIT_NOFILE, &cur) < 0)
		child_fail("reading the nofile limit: %s", strerror(errno));
	if (cur.rlim_max == RLIM_INFINITY || cur.rlim_max > cap)
		cur.rlim_max = (rlim_t)cap;
	if (cur.rlim_cur == RLIM_INFINITY || cur.rlim_cur > cur.rlim_max)
		cur.rlim_cur = cur.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &cur) < 0)
		child_fail("setting the nofile limit to the run's files limit: %s", strerror(errno));
}

/* No capability left in any set, and none to be had again: a root CI job is then an ordinary uid 0. */
static void drop_capabilities(void)
{
	const char *what = "";
	int rc = caps_drop_all(&what);

	if (rc < 0)
		child_fail("%s: %s", what, strerror(-rc));
}

void sandbox_enter(const struct run_options *o)
{
	struct sandbox *sb = &the_sandbox;
	const struct policy *p = &sb->policy;
	char err[512];

	if (!o->share_tty && setsid() < 0)
		child_fail("setsid: %s", strerror(errno));
	if (sb->chdir_host && chdir(sb->chdir_host) < 0)
		child_fail("--chdir %s: %s", o->chdir, strerror(errno));
	close_descriptors(o);
	if (p->limit_set[LIMIT_CPU])
		set_limit(RLIMIT_CPU, p->limit[LIMIT_CPU], "cpu");
	if (p->limit_set[LIMIT_FSIZE])
		set_limit(RLIMIT_FSIZE, p->limit[LIMIT_FSIZE], "fsize");
	set_nofile(p);
	if (p->limit_set[LIMIT_MEMORY]) /* the first wall; the supervisor bounds the whole run */
		set_limit(RLIMIT_AS, p->limit[LIMIT_MEMORY], "memory (address space)");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		child_fail("no_new_privs: %s", strerror(errno));
	if (sb->landlock_active && landlock_apply(&sb->landlock, err, sizeof(err)) < 0)
		child_fail("%s", err);
	drop_capabilities();
}

void sandbox_cleanup(const struct run_options *o)
{
	struct sandbox *sb = sandbox_get();

	if (!sb)
		return;
	guest_view_cleanup(o->keep_tmpdir);
	if (!sb->tmpdir)
		return;
	if (o->keep_tmpdir) {
		if (!o->quiet)
			warn("the private tmpdir is kept: %s", sb->tmpdir);
		held_dir_release(&sb->tmpdir_held);
		return;
	}
	held_dir_remove(&sb->tmpdir_held);
}
