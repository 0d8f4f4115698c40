/* /proc/.../exe paths and the pico processes they name. */
#include <stdlib.h>
#include <string.h>

#include "event_loop.h"
#include "proc_links.h"

struct pico_process *exe_link_owner(struct tracee *t, const char *path)
{
	const char *p;
	char *end;
	long pid = 0;

	if (strncmp(path, "/proc/", 6) != 0)
		return NULL;
	p = path + 6;
	if (strncmp(p, "self/", 5) == 0) {
		p += 5;
		pid = t->proc->tgid;
	} else if (strncmp(p, "thread-self/", 12) == 0) {
		p += 12;
		pid = t->proc->tgid;
	} else {
		pid = strtol(p, &end, 10);
		if (end == p || *end != '/' || pid <= 0)
			return NULL;
		p = end + 1;
	}
	if (strncmp(p, "task/", 5) == 0) { /* /proc/PID/task/TID/exe */
		long tid = strtol(p + 5, &end, 10);
		if (end == p + 5 || *end != '/')
			return NULL;
		p = end + 1;
		pid = tid; /* any thread names its process */
	}
	if (strcmp(p, "exe") != 0)
		return NULL;
	{
		struct tracee *owner = tracee_find((pid_t)pid);
		return owner && owner->proc->exe_path ? owner->proc : NULL;
	}
}
