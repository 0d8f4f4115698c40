/*
 * pidfd_send_signal with each of its flags (0, PIDFD_SIGNAL_THREAD,
 * PIDFD_SIGNAL_THREAD_GROUP) on a descriptor of the program's own process,
 * while a second thread dup2()s the outside process's /proc/PID directory
 * onto the same number and back: the kernel must never act on a descriptor
 * the supervisor did not look at. argv[2]: the outside pid (SIGUSR1 ends it).
 * Run under on-violation log, where no Landlock signal scope stands behind
 * the supervisor.
 */
#include "hostile.h"
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>

enum { SLOT = 100 };

static int in_fd, out_fd;
static volatile int stop;

static void *flipper(void *arg)
{
	(void)arg;
	while (!stop) {
		dup2(out_fd, SLOT);
		for (volatile int i = 0; i < 300; i++)
			;
		dup2(in_fd, SLOT);
		for (volatile int i = 0; i < 300; i++)
			;
	}
	return NULL;
}

static int gone(pid_t pid)
{
	char path[64], st[256];
	FILE *f;
	int dead;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return 1;
	dead = fgets(st, sizeof(st), f) && strstr(st, ") Z");
	fclose(f);
	return dead;
}

int main(int argc, char **argv)
{
	static const unsigned long forms[] = { 0, 1 /* PIDFD_SIGNAL_THREAD */, 2 /* PIDFD_SIGNAL_THREAD_GROUP */ };
	pid_t victim = argc > 2 ? atoi(argv[2]) : 0;
	char path[64];
	pthread_t th;
	time_t end = time(NULL) + 2;
	long tries = 0;

	(void)outside(argc, argv, "");
	if (victim <= 0)
		cannot("usage: pidfd_flags_race OUTSIDE_DIR PID");
	signal(SIGUSR1, SIG_IGN); /* hitting itself is harmless */
	in_fd = open("/proc/self", O_RDONLY | O_DIRECTORY);
	snprintf(path, sizeof(path), "/proc/%d", victim);
	out_fd = open(path, O_RDONLY | O_DIRECTORY); /* O_PATH-like look: allowed, its use is the attempt */
	if (in_fd < 0 || out_fd < 0)
		cannot("opening the /proc directories");
	if (syscall(SYS_pidfd_send_signal, in_fd, 0, NULL, 2) < 0 && errno == EINVAL)
		cannot("this kernel's pidfd_send_signal has no flags (before 6.9)");
	dup2(in_fd, SLOT);
	if (pthread_create(&th, NULL, flipper, NULL) != 0)
		cannot("pthread_create");
	while (time(NULL) < end && !gone(victim)) {
		syscall(SYS_pidfd_send_signal, SLOT, SIGUSR1, NULL, forms[tries % 3]);
		tries++;
	}
	stop = 1;
	pthread_join(th, NULL);
	usleep(100 * 1000);
	if (gone(victim))
		escaped("the outside process got SIGUSR1 through a descriptor swapped after the check");
	printf("%ld tries\n", tries);
	contained("every signal reached the process the supervisor checked");
}
