/*
 * Common ground of the race programs: the victim is argv[1]/attr_victim (mode
 * 0644, owned by the user the test runs as, so that natively the attempt
 * works); the allowed twin is ./attr_victim in the launch directory. An
 * attempt that wins turns the victim's mode into RACE_MODE; natively the mode
 * is put back and the program goes on counting, so that its output shows the
 * race won many times. Exit 1 if it ever won, 0 if not, 2 if it could not try.
 */
#ifndef RACE_H
#define RACE_H

#include "hostile.h"
#include <sys/stat.h>
#include <time.h>

#define RACE_MODE 0747
#define RACE_SECONDS 1

static char race_victim[4096];
static long race_tries, race_wins;

static inline void race_setup(int argc, char **argv)
{
	struct stat st;
	int fd;

	snprintf(race_victim, sizeof(race_victim), "%s", outside(argc, argv, "attr_victim"));
	if (stat(race_victim, &st) < 0 || (st.st_mode & 07777) != 0644)
		cannot("the outside victim is not there with mode 0644");
	fd = open("attr_victim", O_CREAT | O_WRONLY, 0644);
	if (fd < 0)
		cannot("creating the allowed twin in the working directory");
	close(fd);
}

/* After one attempt (rc: what the call returned): did it reach the victim? A refusal's errno joins the verdict once. */
static inline void race_count(long rc)
{
	struct stat st;

	if (rc < 0)
		note_refusal_once(errno);
	race_tries++;
	if (stat(race_victim, &st) == 0 && (st.st_mode & 07777) == RACE_MODE) {
		race_wins++;
		chmod(race_victim, 0644); /* natively allowed: count on */
	}
}

/*
 * At least RACE_SECONDS and RACE_MIN_TRIES attempts (a loaded machine gives
 * fewer a second, and the tests want that many to call a race contained), but
 * never more than RACE_MAX_SECONDS.
 */
#define RACE_MIN_TRIES 200
#define RACE_MAX_SECONDS 20

static inline double race_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline int race_running(void)
{
	static double start;
	double elapsed;

	if (!start)
		start = race_now();
	elapsed = race_now() - start;
	return elapsed < RACE_SECONDS || (race_tries < RACE_MIN_TRIES && elapsed < RACE_MAX_SECONDS);
}

static inline __attribute__((noreturn)) void race_verdict(const char *what)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%s: won %ld of %ld tries", what, race_wins, race_tries);
	if (race_wins)
		escaped(buf);
	if (race_tries == 0)
		cannot("no attempt was made");
	refused_all(buf);
}

#endif
