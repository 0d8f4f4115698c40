/* Planning execs: #! chains, interpreters, the errors on the way. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader.h"

static char dir[] = "/tmp/pv-plan-XXXXXX";

static void setup(void)
{
	elf_version(EV_CURRENT);
	cr_assert(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_expect_eq(system(cmd), 0);
}

TestSuite(exec_plan, .init = setup, .fini = teardown);

static char *file(const char *name, const char *text, int mode)
{
	char *path;
	FILE *f;

	cr_assert(asprintf(&path, "%s/%s", dir, name) > 0);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	chmod(path, (mode_t)mode);
	return path;
}

static int plain_open(void *ctx, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	(void)ctx;
	return fd < 0 ? -errno : fd;
}

static int plan(const char *path, struct exec_plan *p, struct load_error *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	cr_assert_geq(fd, 0, "cannot open %s", path);
	rc = exec_plan_build(fd, path, plain_open, NULL, p, e);
	close(fd);
	return rc;
}

Test(exec_plan, dynamic_image_gets_its_interpreter)
{
	struct exec_plan p;
	struct load_error e;

	cr_assert_eq(plan("/bin/true", &p, &e), 0, "%s", e.why);
	cr_expect(p.has_interp);
	cr_expect_str_eq(p.interp_path, "/lib64/ld-linux-x86-64.so.2");
	cr_expect_null(p.main_path, "the tracee's own fd is mapped");
	cr_expect_eq(p.nprefix, 0);
	cr_expect_str_eq(p.comm, "true");
	cr_expect_str_eq(p.exe_path, "/usr/bin/true");
	exec_plan_free(&p);
}

Test(exec_plan, script_argv_follows_binfmt_script)
{
	struct exec_plan p;
	struct load_error e;
	char *s = file("s.sh", "#!  /bin/sh   -e -x  \necho\n", 0755);

	cr_assert_eq(plan(s, &p, &e), 0, "%s", e.why);
	cr_assert_eq(p.nprefix, 3);
	cr_expect_str_eq(p.argv_prefix[0], "/bin/sh");
	cr_expect_str_eq(p.argv_prefix[1], "-e -x", "the rest of the line is one argument");
	cr_expect_str_eq(p.argv_prefix[2], s);
	cr_expect_str_eq(p.main_path, "/bin/sh");
	cr_expect_str_eq(p.comm, "s.sh");
	cr_expect_str_eq(p.filename, s, "AT_EXECFN is the script");
	exec_plan_free(&p);
	free(s);
}

Test(exec_plan, nested_scripts_stack_their_interpreters)
{
	struct exec_plan p;
	struct load_error e;
	char *inner = file("inner", "#!/bin/sh\n", 0755), *outer_text, *outer;

	cr_assert(asprintf(&outer_text, "#!%s arg\n", inner) > 0);
	outer = file("outer", outer_text, 0755);
	cr_assert_eq(plan(outer, &p, &e), 0, "%s", e.why);
	cr_assert_eq(p.nprefix, 4);
	cr_expect_str_eq(p.argv_prefix[0], "/bin/sh");
	cr_expect_str_eq(p.argv_prefix[1], inner);
	cr_expect_str_eq(p.argv_prefix[2], "arg");
	cr_expect_str_eq(p.argv_prefix[3], outer);
	exec_plan_free(&p);
}

Test(exec_plan, too_deep_script_nesting_is_ELOOP)
{
	struct exec_plan p;
	struct load_error e;
	char name[16], text[64], *last = NULL;

	last = file("d6", "#!/bin/sh\n", 0755);
	for (int i = 5; i >= 0; i--) {
		snprintf(name, sizeof(name), "d%d", i);
		snprintf(text, sizeof(text), "#!%s\n", last);
		last = file(name, text, 0755);
	}
	cr_expect_eq(plan(last, &p, &e), -1);
	cr_expect_eq(e.err, ELOOP, "got %s", strerrorname_np(e.err));
	exec_plan_free(&p);
}

Test(exec_plan, missing_interpreter_is_ENOENT_naming_it)
{
	struct exec_plan p;
	struct load_error e;
	char *s = file("s", "#!/no/such/shell\n", 0755);

	cr_expect_eq(plan(s, &p, &e), -1);
	cr_expect_eq(e.err, ENOENT);
	cr_expect(strstr(e.why, "/no/such/shell") != NULL, "%s", e.why);
	exec_plan_free(&p);
}

Test(exec_plan, non_executable_interpreter_is_EACCES)
{
	struct exec_plan p;
	struct load_error e;
	char *interp = file("i", "#!/bin/sh\n", 0644), text[128], *s;

	snprintf(text, sizeof(text), "#!%s\n", interp);
	s = file("s", text, 0755);
	cr_expect_eq(plan(s, &p, &e), -1);
	cr_expect_eq(e.err, EACCES);
	exec_plan_free(&p);
}

Test(exec_plan, shebang_without_interpreter_or_with_a_truncated_one)
{
	struct exec_plan p;
	struct load_error e;
	char longline[400];

	cr_expect_eq(plan(file("empty", "#!   \n", 0755), &p, &e), -1);
	cr_expect_eq(e.err, ENOEXEC);
	exec_plan_free(&p);
	memset(longline, 'a', sizeof(longline) - 1);
	longline[0] = '#';
	longline[1] = '!';
	longline[2] = '/';
	longline[sizeof(longline) - 1] = '\0';
	cr_expect_eq(plan(file("long", longline, 0755), &p, &e), -1);
	cr_expect_eq(e.err, ENOEXEC);
	cr_expect(strstr(e.why, "truncates") != NULL, "%s", e.why);
	exec_plan_free(&p);
}

/* An ELF interpreter must be an ELF image without an interpreter of its own. */
static int open_looping(void *ctx, const char *path)
{
	(void)path;
	return plain_open(NULL, ctx);
}

Test(exec_plan, interpreter_with_its_own_interpreter_is_ELIBBAD)
{
	struct exec_plan p;
	struct load_error e;
	int fd = open("/bin/true", O_RDONLY);

	/* Every interpreter lookup yields /bin/true itself: a PT_INTERP loop. */
	cr_expect_eq(exec_plan_build(fd, "/bin/true", open_looping, (void *)"/bin/true", &p, &e), -1);
	cr_expect_eq(e.err, ELIBBAD);
	cr_expect(strstr(e.why, "interpreter of its own") != NULL, "%s", e.why);
	exec_plan_free(&p);
	close(fd);
}

Test(exec_plan, script_as_ELF_interpreter_is_ELIBBAD)
{
	struct exec_plan p;
	struct load_error e;
	int fd = open("/bin/true", O_RDONLY);
	char *script = file("notelf", "#!/bin/sh\n", 0755);

	cr_expect_eq(exec_plan_build(fd, "/bin/true", open_looping, script, &p, &e), -1);
	cr_expect_eq(e.err, ELIBBAD);
	exec_plan_free(&p);
	close(fd);
}
