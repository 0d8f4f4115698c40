/*
 * Under --tty the run shares the caller's session, which holds the caller's
 * other jobs. The program joins the process group of a job outside the run
 * (argv[2]: its group id), which would then hold a tracee, and signals that
 * group. Both must be refused (EPERM) in every mode: a group is the run's
 * only if the run made it. argv[2] "own": the groups the run made, and the
 * one it started in, must stay usable ("own groups ok", else exit 3).
 */
#include "hostile.h"
#include <signal.h>

static void must(long rc, const char *what)
{
	if (rc < 0) {
		printf("FAILED: %s: %s\n", what, strerror(errno));
		exit(3);
	}
}

static int own_groups(void)
{
	pid_t start = getpgrp(), child = fork();

	if (child < 0)
		cannot("fork");
	if (child == 0) {
		sleep(2);
		_exit(0);
	}
	must(setpgid(child, child), "setpgid(child, child)");
	must(kill(-child, 0), "kill(-child's group)");
	must(setpgid(0, child), "joining the child's group");
	must(kill(0, 0), "kill(0) in the child's group");
	must(setpgid(0, start), "back to the group the run started in");
	must(setpgid(0, 0), "a group of its own");
	must(kill(-getpid(), 0), "kill(-its own group)");
	kill(child, SIGKILL);
	printf("own groups ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	pid_t pg = argc > 2 ? atoi(argv[2]) : 0;

	if (argc > 2 && strcmp(argv[2], "own") == 0)
		return own_groups();
	if (pg <= 0)
		cannot("usage: group_join OUTSIDE_DIR PGID");
	attempt(setpgid(0, pg), "joined the process group of a job outside the run");
	attempt(kill(-pg, SIGUSR1), "signalled the process group of a job outside the run");
	refused_all("joining and signalling an outside job's process group");
}
