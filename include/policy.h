/*
 * Sandbox policies (docs/policy.md): the language, parsed into one struct
 * policy, and the built-in profiles written in it. The promise table (pledge
 * style groups of system calls) is in promises.h.
 *
 * Enforcement (seccomp, Landlock, the supervisor's checks and limits) is the
 * sandbox personality's: sandbox.h and translate/sandbox/.
 */
#ifndef PICOVISOR_POLICY_H
#define PICOVISOR_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum net_mode {
	NET_UNSET,
	NET_NONE,
	NET_LOOPBACK,
	NET_ANY,
};

enum on_violation {
	VIOLATION_UNSET,
	VIOLATION_DENY, /* the call fails as the kernel would refuse it, and is reported */
	VIOLATION_KILL, /* the whole run ends with status 159 */
	VIOLATION_LOG,  /* the call is allowed and reported (audit mode) */
};

enum {
	PERM_R = 1u << 0, /* read, list */
	PERM_W = 1u << 1, /* write, truncate */
	PERM_X = 1u << 2, /* execute */
	PERM_C = 1u << 3, /* create and remove */
};

enum limit_kind {
	LIMIT_WALL,   /* ns, the whole run */
	LIMIT_CPU,    /* seconds of CPU, per process (RLIMIT_CPU) */
	LIMIT_PROCS,  /* tasks, the whole run */
	LIMIT_MEMORY, /* bytes, the whole run */
	LIMIT_FSIZE,  /* bytes, per file (RLIMIT_FSIZE) */
	LIMIT_NOFILE, /* open files, per process (RLIMIT_NOFILE) */
	LIMIT_FILES,  /* open files of the whole run (and no process may hold more: RLIMIT_NOFILE's hard limit) */
	LIMIT_TMPFS,  /* bytes, each tmp directory of the run (like a tmpfs's size=) */
	LIMIT_COUNT,
};

/* Where a rule came from, for errors and violation reports: "ci:3", "my.policy:12", "--path". */
typedef char policy_origin[96];

struct policy_path {
	char *path;     /* as written: absolute, or relative to the launch directory ("." is it) */
	unsigned perms; /* PERM_*; 0 takes every access away */
	policy_origin origin;
};

struct policy_endpoint {
	char host[64]; /* a numeric address; "localhost" is 127.0.0.1 */
	int family;    /* AF_INET or AF_INET6 */
	uint16_t port;
	policy_origin origin;
};

struct policy_map { /* the path-translation issue's; parsed, not yet enforced */
	char *guest, *host;
	bool read_only;
	policy_origin origin;
};

struct policy_setenv { /* setenv NAME VALUE */
	char *name, *value;
};

struct policy {
	char *name;                     /* the profile's name or the file's path */
	uint64_t promises;              /* bit i: promise i of the promise table */
	struct policy_path *paths;      /* in order: later lines narrow or widen earlier ones */
	size_t npaths;
	bool tmpdir;
	enum net_mode net;
	struct policy_endpoint *connects, *binds;
	size_t nconnects, nbinds;
	bool limit_set[LIMIT_COUNT];
	uint64_t limit[LIMIT_COUNT];
	enum on_violation on_violation;
	bool fail_on_violation;         /* a run with any violation exits with status 123 (implies see_all_refusals) */
	bool see_all_refusals;          /* the supervisor checks every path, so that each refusal is reported */
	struct policy_map *maps;
	size_t nmaps;
	char **tmps;
	size_t ntmps;
	uint64_t shm_size;              /* shm: a private tmpfs of this many bytes on /dev/shm for the run (0: none) */
	/* The program's environment (env_rules.c): from picovisor's, cleared or not, then names removed, then set. */
	bool env_clear;                 /* clearenv: start from an empty environment (keep-env names stay) */
	char **env_unset;               /* unsetenv NAME|PATTERN|@credentials, in order */
	size_t nenv_unset;
	char **env_keep;                /* keep-env NAME|PATTERN: never removed by clearenv or unsetenv */
	size_t nenv_keep;
	struct policy_setenv *env_set;  /* setenv NAME VALUE, in order (the last for a name wins) */
	size_t nenv_set;
	char **warnings;                /* "FILE:LINE:COL: ..." that do not make the policy invalid */
	size_t nwarnings;
};

/*
 * Parse policy text into p (which may already hold a profile's rules: lines
 * add to it). file names the text in messages. 0, or -1 with err set to
 * "FILE:LINE:COL: what was expected".
 */
int policy_parse(struct policy *p, const char *text, const char *file, char *err, size_t errsize);
/* A built-in profile's name, or a policy file: parsed into a fresh p. 0 or -1 with err. */
int policy_load(struct policy *p, const char *name_or_file, char *err, size_t errsize);
/* A built-in profile's text, or NULL. */
const char *policy_profile_text(const char *name);
/* The built-in profiles' names, NULL-terminated. */
extern const char *const policy_profile_names[];
void policy_free(struct policy *p);

const char *limit_name(enum limit_kind k);
/* What p sets, one line each (policy check's listing; the run's policy digest is taken over it). */
void policy_describe(const struct policy *p, FILE *out);

#endif
