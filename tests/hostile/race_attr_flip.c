/* A second thread flips chmod's path between the allowed twin and the outside victim. */
#include "race.h"
#include <pthread.h>

static char path[4096];
static volatile int stop;

static void *flipper(void *arg)
{
	(void)arg;
	while (!stop) {
		memcpy(path, race_victim, sizeof(path));
		__asm__ volatile("" ::: "memory");
		for (volatile int i = 0; i < 2000; i++)
			;
		memcpy(path, "attr_victim", sizeof("attr_victim"));
		__asm__ volatile("" ::: "memory");
		for (volatile int i = 0; i < 2000; i++)
			;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th;

	race_setup(argc, argv);
	memcpy(path, "attr_victim", sizeof("attr_victim"));
	pthread_create(&th, NULL, flipper, NULL);
	while (race_running()) {
		race_count(chmod(path, RACE_MODE));
	}
	stop = 1;
	pthread_join(th, NULL);
	race_verdict("chmod of a path another thread flips");
}
