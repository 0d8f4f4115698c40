/* A second thread flips the path buffer between an allowed name and the secret while the main thread opens it. */
#include "hostile.h"
#include <pthread.h>
#include <time.h>

static char path[4096];
static char allowed[4096], secret[4096];
static volatile int stop;

static void *flipper(void *arg)
{
	(void)arg;
	while (!stop) {
		/* Each name stays a while: natively, about half the opens get the secret. */
		memcpy(path, secret, sizeof(path));
		__asm__ volatile("" ::: "memory"); /* the other thread reads it: the store is not dead */
		for (volatile int i = 0; i < 2000; i++)
			;
		memcpy(path, allowed, sizeof(path));
		__asm__ volatile("" ::: "memory");
		for (volatile int i = 0; i < 2000; i++)
			;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th;
	time_t end = time(NULL) + 2;
	long tries = 0;
	int fd = open("allowed", O_CREAT | O_WRONLY, 0644);

	if (fd < 0)
		cannot("creating a file in the working directory");
	if (write(fd, "harmless", 8) != 8)
		cannot("writing it");
	close(fd);
	snprintf(allowed, sizeof(allowed), "allowed");
	snprintf(secret, sizeof(secret), "%s", outside(argc, argv, "secret"));
	memcpy(path, allowed, sizeof(path));
	pthread_create(&th, NULL, flipper, NULL);
	while (time(NULL) < end) {
		char buf[16];
		ssize_t n;

		fd = open(path, O_RDONLY);
		tries++;
		if (fd < 0) {
			note_refusal_once(errno);
			continue;
		}
		n = read(fd, buf, sizeof(buf));
		close(fd);
		if (n >= 6 && memcmp(buf, "secret", 6) == 0) {
			stop = 1;
			escaped("the flipped path reached the secret");
		}
	}
	stop = 1;
	pthread_join(th, NULL);
	printf("%ld opens\n", tries);
	refused_all("no open ever reached the secret");
}
