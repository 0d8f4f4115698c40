/*
 * While a thread execs an allowed program, a second thread keeps putting an
 * O_PATH descriptor of an outside file at the number of each memfd that
 * appears (picovisor writes its stub into one when the thread may not reach
 * picovisor's own).
 * picovisor must never write or plan through a number the program can change:
 * the outside file must keep its contents, which the harness checks after the
 * run (the sandbox keeps the program from reading it). Nothing to show
 * natively: the kernel writes no stub.
 */
#include "hostile.h"
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

static int victim_fd;

/* Each memfd that appears (picovisor's stub goes into it) is replaced at once by the outside file. */
static void *swapper(void *arg)
{
	char link[64], name[64];

	(void)arg;
	for (;;)
		for (int n = victim_fd + 1; n < victim_fd + 6; n++) {
			ssize_t len;

			snprintf(link, sizeof(link), "/proc/self/fd/%d", n);
			len = readlink(link, name, sizeof(name) - 1);
			if (len > 7 && memcmp(name, "/memfd:", 7) == 0)
				dup2(victim_fd, n);
		}
	return NULL;
}

int main(int argc, char **argv)
{
	const char *victim = outside(argc, argv, "victim");
	time_t end = time(NULL) + 3;
	long tries = 0, ran = 0;

	if (argc > 2 && strcmp(argv[2], "child") == 0)
		return 7; /* the allowed program the exec reaches */
	while (time(NULL) < end) {
		int status;
		pid_t pid = fork();

		if (pid < 0)
			cannot("fork");
		if (pid == 0) {
			pthread_t th;
			char *args[] = { argv[0], argv[1], "child", NULL };

			victim_fd = open(victim, O_PATH);
			if (victim_fd < 0)
				_exit(2);
			pthread_create(&th, NULL, swapper, NULL);
			execv("/proc/self/exe", args);
			_exit(3);
		}
		waitpid(pid, &status, 0);
		tries++;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 7)
			ran++;
	}
	printf("%ld execs, %ld reached the program\n", tries, ran);
	if (ran == 0)
		cannot("no exec ever reached the program");
	contained("the execs ran (the harness checks the outside file)");
}
