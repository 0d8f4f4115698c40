/* A parsed policy as text: what policy check prints, and what a run's policy digest is taken over. */
#include <inttypes.h>
#include <stdio.h>
#include <sys/socket.h>

#include "path_access.h"
#include "policy.h"
#include "promises.h"

void policy_describe(const struct policy *p, FILE *out)
{
	static const char *const nets[] = { "unset (none)", "none", "loopback", "any" };
	static const char *const actions[] = { "unset (deny)", "deny", "kill", "log" };
	char perms[8];
	int count;
	const struct promise *t = promise_table(&count);

	fprintf(out, "  promises:");
	for (int i = 0; i < count; i++)
		if (p->promises & (1ULL << i))
			fprintf(out, " %s", t[i].name);
	fprintf(out, "\n");
	for (size_t i = 0; i < p->npaths; i++)
		fprintf(out, "  path %-4s %s  (%s)\n", perms_letters(p->paths[i].perms, perms), p->paths[i].path, p->paths[i].origin);
	fprintf(out, "  tmpdir: %s\n  net: %s\n", p->tmpdir ? "yes" : "no", nets[p->net]);
	for (size_t i = 0; i < p->nconnects; i++)
		fprintf(out, "  connect %s%s%s:%u  (%s)\n", p->connects[i].family == AF_INET6 ? "[" : "", p->connects[i].host,
		       p->connects[i].family == AF_INET6 ? "]" : "", p->connects[i].port, p->connects[i].origin);
	for (size_t i = 0; i < p->nbinds; i++)
		fprintf(out, "  bind %u  (%s)\n", p->binds[i].port, p->binds[i].origin);
	for (int k = 0; k < LIMIT_COUNT; k++) {
		if (!p->limit_set[k])
			continue;
		if (k == LIMIT_WALL)
			fprintf(out, "  limit wall %.3f s\n", (double)p->limit[k] / 1e9);
		else
			fprintf(out, "  limit %s %" PRIu64 "%s\n", limit_name((enum limit_kind)k), p->limit[k],
			       k == LIMIT_CPU ? " s" : k == LIMIT_MEMORY || k == LIMIT_FSIZE || k == LIMIT_TMPFS ? " bytes" : "");
	}
	fprintf(out, "  on-violation: %s\n", actions[p->on_violation]);
	if (p->fail_on_violation)
		fprintf(out, "  fail-on-violation: exit status 123 after any violation\n");
	if (p->see_all_refusals)
		fprintf(out, "  see-all-refusals: the supervisor checks every path, so that each refusal is reported\n");
	for (size_t i = 0; i < p->nmaps; i++)
		fprintf(out, "  map %s %s%s  (%s)\n", p->maps[i].guest, p->maps[i].host, p->maps[i].read_only ? " ro" : "",
		       p->maps[i].origin);
	for (size_t i = 0; i < p->ntmps; i++)
		fprintf(out, "  tmp %s\n", p->tmps[i]);
	if (p->shm_size)
		fprintf(out, "  shm: a private tmpfs of %" PRIu64 " bytes on /dev/shm\n", p->shm_size);
	if (p->env_clear)
		fprintf(out, "  clearenv\n");
	for (size_t i = 0; i < p->nenv_unset; i++)
		fprintf(out, "  unsetenv %s\n", p->env_unset[i]);
	for (size_t i = 0; i < p->nenv_keep; i++)
		fprintf(out, "  keep-env %s\n", p->env_keep[i]);
	/* Names only: a value may be a secret, and this text is printed and digested. */
	for (size_t i = 0; i < p->nenv_set; i++)
		fprintf(out, "  setenv %s\n", p->env_set[i].name);
}
