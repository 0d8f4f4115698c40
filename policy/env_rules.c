/*
 * The program's environment under a policy (docs/policy.md, "Environment"):
 * clearenv, unsetenv, keep-env and setenv lines applied to picovisor's own
 * environment, which the program inherits. @credentials names the variables
 * CI systems and cloud SDKs keep secrets in.
 */
#define _GNU_SOURCE
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "env_rules.h"
#include "policy.h"
#include "util.h"

extern char **environ;

/*
 * Where CI systems and cloud SDKs put secrets (each system's documentation
 * of its predefined variables and its SDK's credential chain). A CI job's own
 * secrets are usually given names of the user's choosing: the patterns below
 * catch the usual spellings.
 */
static const char *const credential_names[] = {
	/* GitHub Actions */
	"GITHUB_TOKEN", "GH_TOKEN", "ACTIONS_RUNTIME_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
	"ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_RUNTIME_URL", "ACTIONS_CACHE_URL", "ACTIONS_RESULTS_URL",
	/* GitLab CI (CI_REPOSITORY_URL carries the job token in its user part) */
	"CI_JOB_TOKEN", "CI_JOB_JWT", "CI_JOB_JWT_V1", "CI_JOB_JWT_V2", "CI_BUILD_TOKEN", "CI_REGISTRY_PASSWORD",
	"CI_DEPLOY_PASSWORD", "CI_DEPENDENCY_PROXY_PASSWORD", "CI_REPOSITORY_URL", "GITLAB_TOKEN",
	/* Jenkins */
	"JENKINS_SECRET", "JENKINS_API_TOKEN", "JENKINS_PASSWORD",
	/* Buildkite */
	"BUILDKITE_AGENT_ACCESS_TOKEN", "BUILDKITE_AGENT_TOKEN", "BUILDKITE_API_TOKEN",
	/* CircleCI */
	"CIRCLE_TOKEN", "CIRCLECI_CLI_TOKEN", "CIRCLE_OIDC_TOKEN", "CIRCLE_OIDC_TOKEN_V2",
	/* Azure Pipelines */
	"SYSTEM_ACCESSTOKEN",
	/* AWS SDKs */
	"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
	"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
	"AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
	/* Google Cloud SDKs */
	"GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_CREDENTIALS", "GOOGLE_OAUTH_ACCESS_TOKEN",
	"CLOUDSDK_AUTH_ACCESS_TOKEN", "CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE", "GOOGLE_GHA_CREDS_PATH",
	/* Azure SDKs */
	"AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_CLIENT_CERTIFICATE_PASSWORD",
	"AZURE_PASSWORD", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_STORAGE_KEY", "AZURE_STORAGE_CONNECTION_STRING",
	"AZURE_STORAGE_SAS_TOKEN", "ARM_CLIENT_SECRET", "ARM_ACCESS_KEY", "ARM_CLIENT_CERTIFICATE_PASSWORD",
	/* Package registries */
	"NPM_TOKEN", "NODE_AUTH_TOKEN", "TWINE_PASSWORD", "CARGO_REGISTRY_TOKEN", "DOCKER_PASSWORD",
};

/* Names of the user's own secrets, as CI documentation spells them (matched case-blind). */
static const char *const credential_patterns[] = {
	"*TOKEN", "*TOKEN_*", "*SECRET*", "*PASSWORD*", "*PASSWD*", "*API_KEY*", "*APIKEY*", "*ACCESS_KEY*",
	"*PRIVATE_KEY*", "*CREDENTIAL*",
};

const char *const *env_credential_names(size_t *n)
{
	*n = ARRAY_SIZE(credential_names);
	return credential_names;
}

const char *const *env_credential_patterns(size_t *n)
{
	*n = ARRAY_SIZE(credential_patterns);
	return credential_patterns;
}

bool env_is_credential(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(credential_names); i++)
		if (strcmp(name, credential_names[i]) == 0)
			return true;
	for (size_t i = 0; i < ARRAY_SIZE(credential_patterns); i++)
		if (fnmatch(credential_patterns[i], name, FNM_CASEFOLD) == 0)
			return true;
	return false;
}

static bool matches(const char *pattern, const char *name)
{
	if (strcmp(pattern, "@credentials") == 0)
		return env_is_credential(name);
	return fnmatch(pattern, name, 0) == 0;
}

static bool kept(const struct policy *p, const char *name)
{
	for (size_t i = 0; i < p->nenv_keep; i++)
		if (matches(p->env_keep[i], name))
			return true;
	return false;
}

static bool removed(const struct policy *p, const char *name)
{
	if (kept(p, name))
		return false;
	if (p->env_clear)
		return true;
	for (size_t i = 0; i < p->nenv_unset; i++)
		if (matches(p->env_unset[i], name))
			return true;
	return false;
}

static void add(char ***list, size_t *n, const char *name)
{
	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = xstrdup(name);
}

const char *env_rules_apply(const struct policy *p, struct env_changes *out)
{
	memset(out, 0, sizeof(*out));
	/* Names first (a removal changes environ under the walk), then removed one by one. */
	for (char **e = environ; e && *e; e++) {
		const char *eq = strchr(*e, '=');
		char *name = eq ? xasprintf("%.*s", (int)(eq - *e), *e) : xstrdup(*e);

		if (removed(p, name))
			add(&out->removed, &out->nremoved, name);
		free(name);
	}
	for (size_t i = 0; i < out->nremoved; i++)
		unsetenv(out->removed[i]);
	for (size_t i = 0; i < p->nenv_set; i++) {
		if (setenv(p->env_set[i].name, p->env_set[i].value, 1) < 0)
			return p->env_set[i].name;
		add(&out->set, &out->nset, p->env_set[i].name);
	}
	return NULL;
}
