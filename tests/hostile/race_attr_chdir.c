/* chmod("attr_victim") while a second thread moves the working directory between the launch and the outside one. */
#include "race.h"
#include <pthread.h>

static char launch[4096], away[4096];
static volatile int stop;

static void *mover(void *arg)
{
	(void)arg;
	while (!stop) {
		chdir(away);
		for (volatile int i = 0; i < 2000; i++)
			;
		chdir(launch);
		for (volatile int i = 0; i < 2000; i++)
			;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th;

	race_setup(argc, argv);
	if (!getcwd(launch, sizeof(launch)))
		cannot("getcwd");
	snprintf(away, sizeof(away), "%s", argv[1]);
	pthread_create(&th, NULL, mover, NULL);
	while (race_running()) {
		race_count(chmod("attr_victim", RACE_MODE));
	}
	stop = 1;
	pthread_join(th, NULL);
	chdir(launch);
	race_verdict("chmod of a relative path while another thread changes the working directory");
}
