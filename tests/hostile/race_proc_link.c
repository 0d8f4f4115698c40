/*
 * Paths through /proc magic links, and names ending in "..", checked by the
 * supervisor (a narrowing rule takes ./secret away inside a directory the
 * rules open): another thread changes what the link names between the check
 * and the kernel's walk. argv[2] says how:
 *   "fd"     open("/proc/self/fd/50/f") while 50 is dup2'd between O_PATH
 *            descriptors of . and ./secret;
 *   "cwd"    open("/proc/self/cwd/f") while the cwd flips between . and ./secret;
 *   "reopen" open("/proc/self/fd/50") while 50 flips between O_PATH
 *            descriptors of ./f and ./secret/f (O_PATH may name anything);
 *   "pipe"   the same, 50 flipping between a pipe and ./secret/f;
 *   "dots"   open("sub/..", O_DIRECTORY) while the cwd flips between ./x and
 *            ./secret (each has a sub/): the listing of secret names "f".
 * The harness made ./secret/f ("secret") and ./secret/sub. Reading the
 * file, or listing ./secret, wins. The attempts alternate between bursts and
 * spaced ones every quarter of a second: bursts stop picovisor often enough
 * that it keeps the run on one CPU (where the changer runs only when the
 * scheduler switches), spaced ones let the changer run beside the call.
 */
#include "hostile.h"
#include <dirent.h>
#include <stdbool.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>

/* Milliseconds since the first call. */
static long elapsed_ms(void)
{
	static struct timespec start;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!start.tv_sec)
		start = now;
	return (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
}

static char launch[4096], secret_dir[4096 + 16], x_dir[4096 + 16];
static int allowed_fd, secret_fd;
static const char *how;
static volatile int stop;

static void pause_a_little(void)
{
	for (volatile int i = 0; i < 2000; i++)
		;
}

static bool chdirs(void)
{
	return strcmp(how, "cwd") == 0 || strcmp(how, "dots") == 0;
}

static void *changer(void *arg)
{
	const char *home = strcmp(how, "dots") == 0 ? x_dir : launch;

	(void)arg;
	while (!stop) {
		if (chdirs()) {
			chdir(secret_dir);
			pause_a_little();
			chdir(home);
		} else {
			dup2(secret_fd, 50);
			pause_a_little();
			dup2(allowed_fd, 50);
		}
		pause_a_little();
	}
	return NULL;
}

static void make_file(const char *name, const char *text)
{
	int fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, 0644);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		cannot("creating the allowed files");
	close(fd);
}

/* Does the directory open at fd list an entry named "f" (only ./secret has one)? */
static bool lists_secret(int fd)
{
	char buf[4096];
	long n;

	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0)
		for (long at = 0; at < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + at);

			if (strcmp(d->d_name, "f") == 0)
				return true;
			at += d->d_reclen;
		}
	return false;
}

int main(int argc, char **argv)
{
	pthread_t th;
	long tries = 0, wins = 0;
	char buf[128];
	int pipefd[2];

	if (argc < 3)
		cannot("usage: race_proc_link OUTSIDE fd|cwd|reopen|pipe|dots");
	how = argv[2];
	if (!getcwd(launch, sizeof(launch)))
		cannot("getcwd");
	snprintf(secret_dir, sizeof(secret_dir), "%s/secret", launch);
	snprintf(x_dir, sizeof(x_dir), "%s/x", launch);
	make_file("f", "harmless");
	mkdir("x", 0755);
	mkdir("x/sub", 0755);
	if (access("secret/f", R_OK) < 0)
		cannot("./secret/f is not there to read");
	if (strcmp(how, "reopen") == 0)
		allowed_fd = open("f", O_PATH);
	else if (strcmp(how, "pipe") == 0)
		allowed_fd = pipe(pipefd) == 0 ? pipefd[0] : -1;
	else
		allowed_fd = open(".", O_PATH);
	secret_fd = open(strcmp(how, "reopen") == 0 || strcmp(how, "pipe") == 0 ? "secret/f" : "secret", O_PATH);
	if (allowed_fd < 0 || secret_fd < 0 || dup2(allowed_fd, 50) < 0)
		cannot("opening the objects O_PATH");
	if (strcmp(how, "pipe") == 0 && write(pipefd[1], "harmless", 8) != 8)
		cannot("filling the pipe");
	if (strcmp(how, "dots") == 0 && chdir(x_dir) < 0)
		cannot("chdir x");
	pthread_create(&th, NULL, changer, NULL);
	elapsed_ms();
	while (elapsed_ms() < 2000) {
		int fd;
		ssize_t n;

		tries++;
		if (elapsed_ms() / 250 % 2)
			usleep(700);
		if (strcmp(how, "dots") == 0) {
			fd = open("sub/..", O_RDONLY | O_DIRECTORY);
			if (fd < 0) {
				note_refusal_once(errno);
				continue;
			}
			if (lists_secret(fd))
				wins++;
			close(fd);
			continue;
		}
		fd = open(strcmp(how, "fd") == 0	   ? "/proc/self/fd/50/f"
			  : strcmp(how, "cwd") == 0 ? "/proc/self/cwd/f"
						    : "/proc/self/fd/50",
			  O_RDONLY | O_NONBLOCK);
		if (fd < 0) {
			note_refusal_once(errno);
			continue;
		}
		n = read(fd, buf, sizeof(buf));
		close(fd);
		if (n >= 6 && memcmp(buf, "secret", 6) == 0)
			wins++;
	}
	stop = 1;
	pthread_join(th, NULL);
	snprintf(buf, sizeof(buf), "open through /proc or .. (%s) under a narrowing rule: won %ld of %ld tries", how,
		 wins, tries);
	if (wins)
		escaped(buf);
	refused_all(buf);
}
