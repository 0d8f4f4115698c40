/*
 * A second thread flips connect's address between a socket the program
 * listens on in its working directory and the outside listener (argv[1]/sock).
 * A connect that reaches the outside one wins (the peer's name says which).
 */
#include "hostile.h"
#include <pthread.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

static struct sockaddr_un addr = { .sun_family = AF_UNIX }, ok = { .sun_family = AF_UNIX }, away = { .sun_family = AF_UNIX };
static volatile int stop;

static void *flipper(void *arg)
{
	(void)arg;
	while (!stop) {
		memcpy(addr.sun_path, away.sun_path, sizeof(addr.sun_path));
		__asm__ volatile("" ::: "memory");
		for (volatile int i = 0; i < 2000; i++)
			;
		memcpy(addr.sun_path, ok.sun_path, sizeof(addr.sun_path));
		__asm__ volatile("" ::: "memory");
		for (volatile int i = 0; i < 2000; i++)
			;
	}
	return NULL;
}

static void *acceptor(void *arg)
{
	int l = *(int *)arg;

	for (;;) {
		int c = accept(l, NULL, NULL);
		if (c >= 0)
			close(c);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const char *outside_sock = outside(argc, argv, "sock");
	pthread_t th, ac;
	time_t end = time(NULL) + 1;
	long tries = 0, wins = 0;
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	char buf[256];

	if (strlen(outside_sock) >= sizeof(away.sun_path))
		cannot("the outside socket's path is too long");
	strcpy(away.sun_path, outside_sock);
	strcpy(ok.sun_path, "ok.sock");
	unlink("ok.sock");
	if (l < 0 || bind(l, (struct sockaddr *)&ok, sizeof(ok)) < 0 || listen(l, 4096) < 0)
		cannot("listening on ok.sock in the working directory");
	memcpy(&addr, &ok, sizeof(ok));
	pthread_create(&ac, NULL, acceptor, &l);
	pthread_create(&th, NULL, flipper, NULL);
	while (time(NULL) < end) {
		struct sockaddr_un peer;
		socklen_t plen = sizeof(peer);
		int c = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);

		if (c < 0)
			cannot("socket");
		tries++;
		if (connect(c, (struct sockaddr *)&addr, sizeof(addr)) < 0)
			note_refusal_once(errno);
		else if (getpeername(c, (struct sockaddr *)&peer, &plen) == 0 && strcmp(peer.sun_path, outside_sock) == 0)
			wins++;
		close(c);
	}
	stop = 1;
	snprintf(buf, sizeof(buf), "connect to an address another thread flips: won %ld of %ld tries", wins, tries);
	if (wins)
		escaped(buf);
	refused_all(buf);
}
