/*
 * The path-buffer race: one thread flips a path between a name inside the map
 * (argv[1]) and one the guest view hides (argv[2], e.g. a host file under a
 * tmp mapping), while the main thread opens the buffer in a loop. Prints how
 * many opens reached each file ("inside N", "hidden N", "failed N"). Under
 * path translation "hidden" must stay 0; natively the flip reaches it.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

static char path[4096];
static const char *a, *b;
static atomic_int stop;

static void *flipper(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		strcpy(path, b);
		strcpy(path, a);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th;
	long inside = 0, hidden = 0, failed = 0;
	char buf[64];

	if (argc < 4)
		return 2;
	a = argv[1];
	b = argv[2];
	strcpy(path, a);
	pthread_create(&th, NULL, flipper, NULL);
	for (long i = 0, n = strtol(argv[3], NULL, 10); i < n; i++) {
		int fd = open(path, O_RDONLY);
		ssize_t k;

		if (fd < 0) {
			failed++;
			continue;
		}
		k = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[k > 0 ? k : 0] = '\0';
		if (strncmp(buf, "hidden", 6) == 0)
			hidden++;
		else
			inside++;
	}
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
	printf("inside %ld\nhidden %ld\nfailed %ld\n", inside, hidden, failed);
	return 0;
}
