/*
 * Ways for a run to end, for the canary tests (tests/e2e/lifecycle_tests.py):
 *   storm N MS      N workers fork and reap children as fast as they can; the main
 *                   program exits after MS ms (-1: never), leaving the storm to picovisor
 *   memsplit N MIB [S]  N processes each touch MIB/N MiB and wait (a memory limit ends the
 *                   run), with S storm workers beside them
 *   forkbomb        fork until a fork fails; everyone waits
 *   self SIG        the main program dies of signal SIG while a child waits
 * "ready" is printed once everything is running.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void storm_worker(void)
{
	for (;;) {
		pid_t p = fork();

		if (p == 0)
			_exit(0);
		if (p > 0)
			waitpid(p, NULL, 0);
	}
}

static void ready(void)
{
	printf("ready\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	int n = argc > 2 ? atoi(argv[2]) : 1;
	long arg = argc > 3 ? atol(argv[3]) : 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (strcmp(mode, "storm") == 0) {
		for (int i = 0; i < n; i++)
			if (fork() == 0)
				storm_worker();
		ready();
		if (arg < 0)
			for (;;)
				pause();
		struct timespec ts = { arg / 1000, (arg % 1000) * 1000000L };
		nanosleep(&ts, NULL);
		return 0;
	}
	if (strcmp(mode, "memsplit") == 0) {
		size_t each = (size_t)(arg / (n > 0 ? n : 1)) << 20;
		int storms = argc > 4 ? atoi(argv[4]) : 0;

		for (int i = 0; i < storms; i++)
			if (fork() == 0)
				storm_worker();

		for (int i = 0; i < n; i++)
			if (fork() == 0) {
				char *p = mmap(NULL, each, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
				if (p != MAP_FAILED)
					memset(p, 1, each);
				for (;;)
					pause();
			}
		ready();
		for (;;)
			pause();
	}
	if (strcmp(mode, "forkbomb") == 0) {
		for (;;) {
			pid_t p = fork();

			if (p == 0)
				for (;;)
					pause();
			if (p < 0)
				break;
		}
		ready();
		return 0;
	}
	if (strcmp(mode, "self") == 0) {
		if (fork() == 0)
			for (;;)
				pause();
		ready();
		signal(n, SIG_DFL);
		raise(n);
		return 99;
	}
	fprintf(stderr, "usage: run_ender storm N MS | memsplit N MIB [S] | forkbomb | self SIG\n");
	return 2;
}
