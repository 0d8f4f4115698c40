/*
 * bind() of a relative unix socket name, checked by the supervisor (a
 * narrowing rule takes ./secret away inside a directory the rules open):
 * another thread flips the working directory between . and ./secret, so that
 * the name the check resolved in . is made in ./secret. A socket file that
 * appears in ./secret wins (natively it is removed and the count goes on).
 */
#include "hostile.h"
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>

static char launch[4096], secret_dir[4096 + 16], secret_sock[4096 + 32], launch_sock[4096 + 32];
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
		chdir(secret_dir);
		pause_a_little();
		chdir(launch);
		pause_a_little();
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX, .sun_path = "pv-race-sock" };
	pthread_t th;
	time_t end = time(NULL) + 1;
	long tries = 0, wins = 0;
	char buf[160];
	struct stat st;

	(void)argc;
	(void)argv;
	if (!getcwd(launch, sizeof(launch)))
		cannot("getcwd");
	snprintf(secret_dir, sizeof(secret_dir), "%s/secret", launch);
	snprintf(secret_sock, sizeof(secret_sock), "%s/pv-race-sock", secret_dir);
	snprintf(launch_sock, sizeof(launch_sock), "%s/pv-race-sock", launch);
	if (stat(secret_dir, &st) < 0 || !S_ISDIR(st.st_mode))
		cannot("./secret is not there");
	unlink(launch_sock);
	pthread_create(&th, NULL, changer, NULL);
	while (time(NULL) < end) {
		int s = socket(AF_UNIX, SOCK_STREAM, 0);

		if (s < 0) {
			stop = 1;
			cannot("socket");
		}
		tries++;
		if (bind(s, (struct sockaddr *)&sun, sizeof(sun)) < 0)
			note_refusal_once(errno);
		close(s);
		if (lstat(secret_sock, &st) == 0) {
			wins++;
			unlink(secret_sock); /* natively allowed: count on */
		}
		unlink(launch_sock); /* made where the check saw it: allowed */
	}
	stop = 1;
	pthread_join(th, NULL);
	snprintf(buf, sizeof(buf), "bind of a relative unix name under a narrowing rule: won %ld of %ld tries", wins,
		 tries);
	if (wins)
		escaped(buf);
	refused_all(buf);
}
