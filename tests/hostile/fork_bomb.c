/* Fork until it fails (argv[2]: how many forks would be an escape). Children wait to be killed. */
#include "hostile.h"
#include <signal.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	int limit = argc > 2 ? atoi(argv[2]) : 1000, n = 0, err;

	for (;;) {
		pid_t p = fork();
		if (p == 0) {
			pause();
			_exit(0);
		}
		if (p < 0)
			break;
		if (++n > limit) {
			kill(0, SIGKILL);
			escaped("more processes than the limit");
		}
	}
	err = errno;
	printf("%d forks, then %s\n", n, strerror(errno));
	if (err != EAGAIN)
		escaped("the fork failed, but not with EAGAIN");
	refused("forks beyond the limit", err);
}
