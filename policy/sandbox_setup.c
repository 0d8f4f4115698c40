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
#include <sys/syscall.h>
#include <unistd.h>

#include "guest_view.h"
#include "options.h"
#include "path_access.h"
#include "promises.h"
#include "sandbox.h"
#include "sha256.h"
#include "util.h"

static struct sandbox the_sandbox;
static bool active;

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
		if (policy_parse(p, o->overrides[i].line, o->overrides[i].origin, err, sizeof(err)) < 0)
			die("%s (from %s %s)", err, o->overrides[i].origin, o->overrides[i].line);
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
	const char *base = getenv("TMPDIR");
	size_t n = strlen(sb->launch_dir);

	if (!base || base[0] != '/' ||
	    (strncmp(base, sb->launch_dir, n) == 0 && (base[n] == '\0' || base[n] == '/')))
		base = "/tmp";
	return base;
}

static void make_tmpdir(struct sandbox *sb)
{
	char *tmpl = xasprintf("%s/picovisor-tmp-XXXXXX", private_base(sb));

	if (!mkdtemp(tmpl))
		die("cannot make the private tmpdir %s: %s", tmpl, strerror(errno));
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

/* A tmp's private directory is the run's to use, like the tmpdir. */
static void add_tmp_rules(struct sandbox *sb)
{
	const struct guest_view *v = guest_view();

	for (size_t i = 0; v && i < v->n; i++)
		if (v->mounts[i].tmp)
			add_rule(sb, v->mounts[i].host, PERM_R | PERM_W | PERM_C, "tmp");
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
	load_policy(o, &sb->policy);
	digest(sb); /* before the tmpdir's rule, whose name changes every run */
	build_view(sb);
	add_tmp_rules(sb);
	if (sb->policy.tmpdir)
		make_tmpdir(sb);
	/* The program named on the command line may always be read and run (strict runs nothing else). */
	{
		char real[PATH_MAX];
		if (program_host_path(sb, o->program_path, real))
			add_rule(sb, real, PERM_R | PERM_X, "the program");
	}
	/* --no-landlock plans as for a kernel without it: the supervisor checks everything Landlock would. */
	landlock_plan_build(&sb->policy, o->no_landlock ? 0 : landlock_abi_version(), sb->launch_dir, &sb->landlock);
	landlock_gaps(o, sb);
	policy_compile_env(&sb->policy, &sb->landlock, &env);
	env.personality_classes = personality_classes;
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

/* No capability left in any set, and none to be had again: a root CI job is then an ordinary uid 0. */
static void drop_capabilities(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	if (prctl(PR_CAPBSET_READ, CAP_SETPCAP) == 1 && syscall(SYS_capget, &hdr, data) == 0 &&
	    (data[0].effective & (1u << CAP_SETPCAP))) {
		/* Root keeps no root powers through exec or setuid, and cannot take them back. */
		if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
						     SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
						     SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED) < 0)
			child_fail("setting the securebits: %s", strerror(errno));
		for (int cap = 0; cap <= 63; cap++)
			if (prctl(PR_CAPBSET_DROP, cap) < 0 && errno != EINVAL)
				child_fail("dropping capability %d from the bounding set: %s", cap, strerror(errno));
	}
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	memset(data, 0, sizeof(data));
	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	hdr.pid = 0;
	if (syscall(SYS_capset, &hdr, data) < 0)
		child_fail("clearing the capability sets: %s", strerror(errno));
}

void sandbox_enter(const struct run_options *o)
{
	struct sandbox *sb = &the_sandbox;
	const struct policy *p = &sb->policy;
	char err[512];

	if (!o->share_tty && setsid() < 0)
		child_fail("setsid: %s", strerror(errno));
	close_descriptors(o);
	if (p->limit_set[LIMIT_CPU])
		set_limit(RLIMIT_CPU, p->limit[LIMIT_CPU], "cpu");
	if (p->limit_set[LIMIT_FSIZE])
		set_limit(RLIMIT_FSIZE, p->limit[LIMIT_FSIZE], "fsize");
	if (p->limit_set[LIMIT_NOFILE])
		set_limit(RLIMIT_NOFILE, p->limit[LIMIT_NOFILE], "nofile");
	if (p->limit_set[LIMIT_MEMORY]) /* the first wall; the supervisor bounds the whole run */
		set_limit(RLIMIT_AS, p->limit[LIMIT_MEMORY], "memory (address space)");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		child_fail("no_new_privs: %s", strerror(errno));
	if (sb->landlock_active && landlock_apply(&sb->landlock, err, sizeof(err)) < 0)
		child_fail("%s", err);
	drop_capabilities();
}

int sandbox_load_filters(void)
{
	return seccomp_load(the_sandbox.filter.ctx);
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
		return;
	}
	remove_tree(sb->tmpdir);
}
