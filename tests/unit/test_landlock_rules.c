/* Path rules as a Landlock ruleset: planned from a policy, then entered by a child that tries what it may not. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "landlock_rules.h"
#include "policy.h"

static void plan_for(const char *text, const char *launch, struct landlock_plan *plan, int abi)
{
	struct policy p;
	char err[512];

	memset(&p, 0, sizeof(p));
	cr_assert_eq(policy_parse(&p, text, "t.policy", err, sizeof(err)), 0, "%s", err);
	landlock_plan_build(&p, abi, launch, plan);
	policy_free(&p);
}

Test(landlock_rules, planning)
{
	struct landlock_plan plan;

	plan_for("path r /etc /usr\npath rwc .\npath - /etc/shadow\npath rx /usr\n", "/home/x", &plan, 6);
	cr_assert_eq(plan.npaths, 4, "the same path twice is one rule");
	cr_expect_str_eq(plan.paths[1].path, "/usr");
	cr_expect(plan.paths[1].access & (1 << 0), "the later line for /usr adds execute");
	cr_expect_str_eq(plan.paths[2].path, "/home/x", ". is the launch directory");
	cr_expect_eq(plan.paths[3].access, 0);
	cr_assert_geq(plan.nunenforced, 2);
	cr_expect(strstr(plan.unenforced[0], "/etc/shadow narrows /etc"), "%s", plan.unenforced[0]);
	cr_expect(plan.scoped != 0, "ABI 6 scopes signals and abstract sockets");
	landlock_plan_free(&plan);
	plan_for("path r /etc\n", "/", &plan, 0);
	cr_expect_eq(plan.npaths, 0);
	cr_expect_eq(plan.nunenforced, 1, "without Landlock every path rule is the supervisor's");
	landlock_plan_free(&plan);
}

/* In a child: enter the ruleset, try each access, report the errnos as exit bits. */
Test(landlock_rules, enforced_by_the_kernel)
{
	char dir[] = "/tmp/pv-landlock-XXXXXX", text[512], outside[64];
	struct landlock_plan plan;
	int abi = landlock_abi_version(), status;
	pid_t pid;

	if (abi < 1)
		cr_skip_test("this kernel has no Landlock");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(outside, sizeof(outside), "/tmp/pv-landlock-outside-%d", getpid());
	snprintf(text, sizeof(text), "path r /etc\npath rwc %s\n", dir);
	plan_for(text, "/", &plan, abi);
	pid = fork();
	if (pid == 0) {
		char err[256], inside[256];
		int bits = 0, fd;

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || landlock_apply(&plan, err, sizeof(err)) < 0)
			_exit(100);
		snprintf(inside, sizeof(inside), "%s/made", dir);
		if ((fd = open("/etc/hostname", O_RDONLY)) >= 0)
			bits |= 1, close(fd);
		if ((fd = open(inside, O_CREAT | O_WRONLY, 0600)) >= 0)
			bits |= 2, close(fd);
		if (open(outside, O_CREAT | O_WRONLY, 0600) < 0 && errno == EACCES)
			bits |= 4;
		if (open("/etc/hostname", O_WRONLY) < 0 && errno == EACCES)
			bits |= 8;
		if (unlink(inside) == 0)
			bits |= 16;
		execl("/bin/true", "true", (char *)NULL);
		if (errno == EACCES)
			bits |= 32;
		_exit(bits);
	}
	cr_assert_gt(pid, 0);
	waitpid(pid, &status, 0);
	unlink(outside);
	rmdir(dir);
	landlock_plan_free(&plan);
	cr_assert(WIFEXITED(status));
	cr_expect_eq(WEXITSTATUS(status), 63,
		     "bits: 1 read /etc, 2 create inside, 4 refused outside, 8 refused writing /etc, 16 remove inside, "
		     "32 refused exec: got %d",
		     WEXITSTATUS(status));
}

/* Landlock's TCP rules name ports, not hosts: only "no network" is theirs; loopback is the supervisor's. */
Test(landlock_rules, network_planning)
{
	struct landlock_plan plan;

	plan_for("net none\n", "/", &plan, 4);
	cr_expect_eq(plan.handled_net, 3, "net none: every TCP connect and bind refused by Landlock");
	landlock_plan_free(&plan);
	plan_for("net loopback\nconnect 10.0.0.1:443\nbind 8080\n", "/", &plan, 7);
	cr_expect_eq(plan.handled_net, 0, "net loopback: any loopback port, which port rules cannot say");
	cr_expect_eq(plan.nports, 0);
	landlock_plan_free(&plan);
	plan_for("net any\n", "/", &plan, 7);
	cr_expect_eq(plan.handled_net, 0);
	landlock_plan_free(&plan);
}
