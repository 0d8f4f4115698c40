/*
 * Hold more open files at once than argv[2] over several processes: each
 * child raises its soft nofile limit to the hard one and opens its share
 * (twice argv[2] in all), the parent adds the counts up and holds them long
 * enough for a sampler to see. A run with a files limit of argv[2] must end
 * (or refuse the opens) before "ESCAPED".
 */
#include "hostile.h"
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

enum { CHILDREN = 8 };

int main(int argc, char **argv)
{
	long limit = argc > 2 ? atol(argv[2]) : 8192, share = 2 * limit / CHILDREN + 1, total = 0;
	int report[2], release[2];
	pid_t kids[CHILDREN];
	char hold;

	(void)outside(argc, argv, "");
	if (pipe(report) < 0 || pipe(release) < 0)
		cannot("pipe");
	for (int i = 0; i < CHILDREN; i++) {
		kids[i] = fork();
		if (kids[i] < 0)
			cannot("fork");
		if (kids[i] == 0) {
			struct rlimit r;
			long n = 0;

			close(release[1]); /* the parent's closing it is the release */

			if (getrlimit(RLIMIT_NOFILE, &r) == 0) {
				r.rlim_cur = r.rlim_max;
				setrlimit(RLIMIT_NOFILE, &r);
			}
			while (n < share && dup(0) >= 0)
				n++;
			if (write(report[1], &n, sizeof(n)) != sizeof(n))
				_exit(3);
			if (read(release[0], &hold, 1) < 0) /* hold them until the parent is done */
				_exit(3);
			_exit(0);
		}
	}
	close(report[1]);
	for (int i = 0; i < CHILDREN; i++) {
		long n;

		if (read(report[0], &n, sizeof(n)) != sizeof(n))
			cannot("reading a child's count");
		total += n;
	}
	printf("%ld open files held at once by %d processes\n", total, CHILDREN);
	fflush(stdout);
	if (total > limit)
		usleep(500 * 1000); /* held: a run-wide count sees them now */
	close(release[1]);
	for (int i = 0; i < CHILDREN; i++)
		waitpid(kids[i], NULL, 0);
	if (total > limit)
		escaped("more open files than the limit, held at once");
	contained("the processes could not open more than the limit between them");
}
