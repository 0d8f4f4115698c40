/*
 * The user an NT program runs as, by name: the passwd entry of the run's
 * uid. Windows sets USERNAME from the logon token; picovisor puts this name
 * there (translate/nt/nt_env.c) and advapi32's GetUserName answers it.
 * /etc/passwd is read directly rather than through NSS, so the static
 * picovisor behaves the same (a name only a directory service knows is not
 * found: the program then has no USERNAME).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nt.h"

int nt_passwd_name(const char *passwd, uid_t uid, char *buf, size_t cap)
{
	FILE *f = fopen(passwd, "re");
	char line[1024];
	int ret = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *name = line, *pw, *id, *end;
		unsigned long n;

		pw = strchr(name, ':');
		if (!pw)
			continue;
		id = strchr(pw + 1, ':');
		if (!id)
			continue;
		*pw = 0;
		n = strtoul(id + 1, &end, 10);
		if (end == id + 1 || *end != ':' || n != (unsigned long)uid || !*name || name[0] == '+' || name[0] == '-')
			continue;
		if (strlen(name) < cap) {
			strcpy(buf, name);
			ret = 0;
		}
		break;
	}
	fclose(f);
	return ret;
}
