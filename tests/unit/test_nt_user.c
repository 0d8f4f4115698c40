/*
 * The run's user by name (translate/nt/nt_user.c), as USERNAME gets it: the
 * passwd entry whose uid field is the uid, read without NSS; malformed and
 * NIS lines skipped, a name too long for the buffer refused.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "nt.h"

static char path[] = "/tmp/pv-passwd-XXXXXX";

static void write_passwd(const char *text)
{
	int fd = mkstemp(path);
	FILE *f;

	cr_assert(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
}

static void drop(void)
{
	unlink(path);
}

Test(nt_user, finds_the_uid_field_not_the_gid, .fini = drop)
{
	char name[64];

	write_passwd("root:x:0:0:root:/root:/bin/sh\n"
		     "broken line without fields\n"
		     "+nisuser:x:1000:1000::/:/bin/sh\n"
		     "gidonly:x:3000:4242::/:/bin/sh\n"
		     "alice:x:1000:1000:Alice:/home/alice:/bin/bash\n"
		     "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
	cr_assert_eq(nt_passwd_name(path, 1000, name, sizeof(name)), 0);
	cr_assert_str_eq(name, "alice");
	cr_assert_eq(nt_passwd_name(path, 65534, name, sizeof(name)), 0);
	cr_assert_str_eq(name, "nobody");
	cr_assert_eq(nt_passwd_name(path, 0, name, sizeof(name)), 0);
	cr_assert_str_eq(name, "root");
	cr_assert_eq(nt_passwd_name(path, 4242, name, sizeof(name)), -1, "a uid found only as a gid is not the user");
	cr_assert_eq(nt_passwd_name(path, 1000, name, 5), -1, "a name longer than the buffer is refused");
	cr_assert_eq(nt_passwd_name("/nonexistent/passwd", 0, name, sizeof(name)), -1);
}
