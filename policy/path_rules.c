/* Which path rule decides a resolved path (include/path_access.h). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "path_access.h"

const char *perms_letters(unsigned perms, char *buf)
{
	char *b = buf;

	if (perms & PERM_R)
		*b++ = 'r';
	if (perms & PERM_W)
		*b++ = 'w';
	if (perms & PERM_X)
		*b++ = 'x';
	if (perms & PERM_C)
		*b++ = 'c';
	if (b == buf)
		*b++ = '-';
	*b = '\0';
	return buf;
}

/* Length of the rule path prefix if rule covers path (rule itself or below it), else -1. */
static long covers(const char *rule, const char *path)
{
	size_t n = strlen(rule);

	while (n > 1 && rule[n - 1] == '/')
		n--;
	if (n == 1 && rule[0] == '/')
		return 1;
	if (strncmp(rule, path, n) == 0 && (path[n] == '\0' || path[n] == '/'))
		return (long)n;
	return -1;
}

/* /proc/PID/... of a process of the run, as /proc/self/... (the rules' name for it). */
static const char *as_proc_self(const char *path, pid_in_run_fn in_run, char *buf, size_t size)
{
	char *end;
	long pid;

	if (strncmp(path, "/proc/", 6) != 0 || !in_run)
		return path;
	pid = strtol(path + 6, &end, 10);
	if (end == path + 6 || (*end != '\0' && *end != '/') || pid <= 0 || !in_run((pid_t)pid))
		return path;
	snprintf(buf, size, "/proc/self%s", end);
	return buf;
}

/* A rule's path, absolute: a run binds its rules to absolute paths, a policy on its own has relative ones. */
static const char *rule_path(const struct policy_path *rule, const char *launch_dir, char *buf, size_t size)
{
	if (rule->path[0] == '/')
		return rule->path;
	snprintf(buf, size, strcmp(rule->path, ".") == 0 ? "%s" : "%s/%s", launch_dir, rule->path);
	return buf;
}

unsigned path_rules_lookup(const struct policy *p, const char *launch_dir, const char *path, pid_in_run_fn in_run,
			   const struct policy_path **rule)
{
	char self[4096], abs[4096];
	const char *view = as_proc_self(path, in_run, self, sizeof(self));
	long best = -1;

	*rule = NULL;
	/* The longest rule path decides; for the same path the later line does (>=). */
	for (size_t i = 0; i < p->npaths; i++) {
		const char *rp = rule_path(&p->paths[i], launch_dir, abs, sizeof(abs));
		long n;

		n = covers(rp, view);
		if (n < 0 && view != path)
			n = covers(rp, path); /* a rule naming /proc/PID itself */
		if (n >= 0 && n >= best) {
			best = n;
			*rule = &p->paths[i];
		}
	}
	return *rule ? (*rule)->perms : 0;
}

/*
 * Does rule i take away a right that the rule it narrows gives (the longest
 * rule strictly above its path, or an earlier line for the same path)?
 */
static bool rule_narrows(const struct policy *p, const char *launch_dir, size_t i)
{
	char abs[4096], other[4096];
	const char *rp = rule_path(&p->paths[i], launch_dir, abs, sizeof(abs));
	size_t len = strlen(rp);
	const struct policy_path *above = NULL;
	long best = -1;

	for (size_t j = 0; j < p->npaths; j++) {
		const char *op = rule_path(&p->paths[j], launch_dir, other, sizeof(other));
		long n = covers(op, rp);

		if (j == i || n < 0 || ((size_t)n == len && j > i))
			continue;
		if (n >= best) {
			best = n;
			above = &p->paths[j];
		}
	}
	return above && (above->perms & ~p->paths[i].perms);
}

const struct policy_path *path_rules_pinned(const struct policy *p, const char *launch_dir, const char *path)
{
	char abs[4096];

	for (size_t i = 0; i < p->npaths; i++)
		if (covers(path, rule_path(&p->paths[i], launch_dir, abs, sizeof(abs))) >= 0 &&
		    rule_narrows(p, launch_dir, i))
			return &p->paths[i];
	return NULL;
}
