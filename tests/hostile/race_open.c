/*
 * Opens checked by the supervisor (a narrowing rule takes ./secret away inside
 * a directory Landlock opens): another thread changes what the checked open
 * names. argv[2] says how: "flip" the path buffer between "f" and "secret/f";
 * "chdir" between . and ./secret while opening "f"; "symlink" swaps "a"
 * between a real directory and a symlink to secret while opening "a/f";
 * "dirfd" dup2s an O_PATH of ./secret onto the dirfd of openat(50, "f");
 * "unlink" swaps "a" as "symlink" does while removing "a/f", "truncate"
 * while truncating it to nothing. The harness made ./secret/f ("secret");
 * an open that reads it, an unlink that removes it or a truncate that
 * empties it wins.
 */
#include "hostile.h"
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>

static char path[64] = "f", launch[4096], secret_dir[4096 + 16];
static int launch_fd, secret_fd;
static const char *how;
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
		if (strcmp(how, "flip") == 0) {
			strcpy(path, "secret/f");
			__asm__ volatile("" ::: "memory");
			pause_a_little();
			strcpy(path, "f");
			__asm__ volatile("" ::: "memory");
		} else if (strcmp(how, "chdir") == 0) {
			chdir(secret_dir);
			pause_a_little();
			chdir(launch);
		} else if (strcmp(how, "symlink") == 0 || strcmp(how, "unlink") == 0 || strcmp(how, "truncate") == 0) {
			rename("a", "a_dir");
			rename("a_sym", "a");
			for (int i = strcmp(how, "symlink") != 0 ? 20 : 1; i > 0; i--)
				pause_a_little();
			rename("a", "a_sym");
			rename("a_dir", "a");
		} else {
			dup2(secret_fd, 50);
			pause_a_little();
			dup2(launch_fd, 50);
		}
		pause_a_little();
	}
	return NULL;
}

static void make_file(const char *name)
{
	int fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, 0644);

	if (fd < 0 || write(fd, "harmless", 8) != 8)
		cannot("creating the allowed files");
	close(fd);
}

int main(int argc, char **argv)
{
	pthread_t th;
	time_t end = time(NULL) + 1;
	long tries = 0, wins = 0;
	char buf[128];

	if (argc < 3)
		cannot("usage: race_open OUTSIDE flip|chdir|symlink|dirfd|unlink|truncate");
	how = argv[2];
	if (!getcwd(launch, sizeof(launch)))
		cannot("getcwd");
	snprintf(secret_dir, sizeof(secret_dir), "%s/secret", launch);
	make_file("f");
	mkdir("a", 0755);
	make_file("a/f");
	unlink("a_sym");
	if (symlink("secret", "a_sym") < 0)
		cannot("making the symlink to secret");
	launch_fd = open(".", O_PATH);
	secret_fd = open("secret", O_PATH);
	if (launch_fd < 0 || secret_fd < 0 || dup2(launch_fd, 50) < 0)
		cannot("opening the directories O_PATH");
	pthread_create(&th, NULL, changer, NULL);
	while (time(NULL) < end && strcmp(how, "unlink") == 0) {
		struct stat st;

		tries++;
		if (unlink("a/f") < 0)
			note_refusal_once(errno);
		if (stat("secret/f", &st) < 0) {
			int fd = open("secret/f", O_CREAT | O_WRONLY, 0644); /* natively allowed: count on */

			wins++;
			if (fd < 0)
				break;
			close(fd);
		}
		close(open("a/f", O_CREAT | O_WRONLY, 0644));
	}
	while (time(NULL) < end && strcmp(how, "truncate") == 0) {
		struct stat st;

		tries++;
		if (truncate("a/f", 0) < 0)
			note_refusal_once(errno);
		if (stat("secret/f", &st) == 0 && st.st_size == 0) {
			int fd = open("secret/f", O_WRONLY); /* natively allowed: count on */

			wins++;
			if (fd < 0 || write(fd, "secret\n", 7) != 7)
				break;
			close(fd);
		}
	}
	while (time(NULL) < end) {
		const char *name = strcmp(how, "symlink") == 0 ? "a/f" : path;
		int fd = strcmp(how, "dirfd") == 0 ? openat(50, "f", O_RDONLY) : open(name, O_RDONLY);
		ssize_t n;

		tries++;
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
	snprintf(buf, sizeof(buf), "%s (%s) under a narrowing rule: won %ld of %ld tries",
		 strcmp(how, "unlink") == 0 ? "unlink" : strcmp(how, "truncate") == 0 ? "truncate" : "open", how, wins,
		 tries);
	if (wins)
		escaped(buf);
	refused_all(buf);
}
