/* The program's environment under a policy: clearenv, unsetenv, keep-env, setenv (policy/env_rules.c). */
#ifndef PICOVISOR_ENV_RULES_H
#define PICOVISOR_ENV_RULES_H

#include <stdbool.h>
#include <stddef.h>

struct policy;

/* What a run changed in the environment it hands the program: names only (values may be secrets). */
struct env_changes {
	char **removed;
	size_t nremoved;
	char **set;
	size_t nset;
};

/* Apply p's environment lines to this process's environment (the program inherits it): NULL, or the name it could not set. */
const char *env_rules_apply(const struct policy *p, struct env_changes *out);
/* Is this variable name one of @credentials (a CI system's or cloud SDK's secret, or a secret-like name)? */
bool env_is_credential(const char *name);
/* The lists behind @credentials, for documentation and tests. */
const char *const *env_credential_names(size_t *n);
const char *const *env_credential_patterns(size_t *n);

#endif
