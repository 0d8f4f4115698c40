/* Double fork and setsid: a daemon meant to outlive the run. It writes its pid to ./daemon.pid. */
#include "hostile.h"
#include <sys/wait.h>

int main(void)
{
	pid_t p = fork();

	if (p < 0)
		cannot("fork");
	if (p == 0) {
		if (setsid() < 0 || fork() != 0)
			_exit(0);
		/* Written under another name and renamed: the parent goes on as soon as the name exists, and
		 * the harness must never find it empty. */
		FILE *f = fopen("daemon.pid.new", "w");
		if (f) {
			fprintf(f, "%d\n", getpid());
			if (fclose(f) == 0)
				rename("daemon.pid.new", "daemon.pid");
		}
		close(0);
		close(1);
		close(2);
		for (;;)
			pause();
	}
	waitpid(p, NULL, 0);
	while (access("daemon.pid", F_OK) < 0)
		usleep(1000);
	/* The harness checks that the daemon is gone once the run has ended. */
	contained("the daemon was left for the harness to look for");
}
