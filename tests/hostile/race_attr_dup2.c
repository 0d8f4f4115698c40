/*
 * A second thread keeps swapping descriptor 50 between the allowed twin and
 * the outside victim (both O_PATH, which any path rule lets one open) while
 * the main thread changes the mode of whatever 50 is (fchmodat2 with
 * AT_EMPTY_PATH, which works on O_PATH descriptors).
 */
#include "race.h"
#include <pthread.h>
#include <sys/syscall.h>

static int ok_fd, victim_fd;
static volatile int stop;

static void *swapper(void *arg)
{
	(void)arg;
	while (!stop) {
		dup2(victim_fd, 50);
		dup2(ok_fd, 50);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th;

	race_setup(argc, argv);
	ok_fd = open("attr_victim", O_PATH);
	victim_fd = open(race_victim, O_PATH);
	if (ok_fd < 0 || victim_fd < 0)
		cannot("opening the twin and the victim O_PATH");
	dup2(ok_fd, 50);
	if (syscall(452 /* fchmodat2 */, 50, "", 0644, AT_EMPTY_PATH) < 0)
		cannot("fchmodat2 with AT_EMPTY_PATH (Linux 6.6)");
	pthread_create(&th, NULL, swapper, NULL);
	while (race_running()) {
		race_count(syscall(452, 50, "", RACE_MODE, AT_EMPTY_PATH));
	}
	stop = 1;
	pthread_join(th, NULL);
	race_verdict("a mode change through a descriptor another thread swaps");
}
