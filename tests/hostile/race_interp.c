/*
 * A #! script whose interpreter, ./interp, another thread keeps switching
 * between a symlink to an allowed copy of this program and one to a copy in
 * ./nox, a directory the policy gives no x (the harness narrows it). The copy
 * in ./nox carries another marker; an exec that runs it wins. picovisor checks
 * and plans the interpreter, then its executor opens it again by path.
 * argv[0] must be readable under the policy (the harness copies the program
 * into the launch directory). As the interpreter (argv: interp, script) it
 * says which copy it is by its exit status.
 */
#include "hostile.h"
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

static volatile const char marker[] = "PVMARK-GOOD-0000";
static volatile int stop;

static void *switcher(void *arg)
{
	(void)arg;
	while (!stop) {
		symlink("good", "interp.a");
		rename("interp.a", "interp");
		symlink("nox/bad", "interp.b");
		rename("interp.b", "interp");
	}
	return NULL;
}

/* A copy of this program, its marker replaced by mark. */
static void copy_self(const char *self, const char *to, const char *mark)
{
	static char buf[1 << 22];
	int in = open(self, O_RDONLY), out;
	ssize_t n = in >= 0 ? read(in, buf, sizeof(buf)) : -1;

	if (n <= 0)
		cannot("reading this program");
	close(in);
	for (ssize_t i = 0; i + 16 <= n; i++)
		if (memcmp(buf + i, "PVMARK-GOOD-0000", 16) == 0)
			memcpy(buf + i, mark, 16);
	unlink(to);
	out = open(to, O_CREAT | O_WRONLY | O_TRUNC, 0755);
	if (out < 0 || write(out, buf, (size_t)n) != n)
		cannot("writing a copy of this program");
	close(out);
}

int main(int argc, char **argv)
{
	char cwd[4096], script[4200];
	pthread_t th;
	time_t end;
	long tries = 0, wins = 0, ran = 0;
	int fd;

	/* As the interpreter: argv is [interp, script]; say which copy this is. */
	if (argc == 2 && strstr(argv[1], "script"))
		return marker[7] == 'B' ? 11 : 10;
	if (argc < 2)
		cannot("usage: race_interp OUTSIDE");
	if (!getcwd(cwd, sizeof(cwd)))
		cannot("getcwd");
	mkdir("nox", 0755);
	copy_self(argv[0], "good", "PVMARK-GOOD-0000");
	copy_self(argv[0], "nox/bad", "PVMARK-BAD!-0000");
	snprintf(script, sizeof(script), "#!%s/interp\n", cwd);
	fd = open("script", O_CREAT | O_WRONLY | O_TRUNC, 0755);
	if (fd < 0 || write(fd, script, strlen(script)) != (ssize_t)strlen(script))
		cannot("writing the script");
	close(fd);
	symlink("good", "interp");
	pthread_create(&th, NULL, switcher, NULL);
	end = time(NULL) + 2;
	while (time(NULL) < end) {
		int status;
		pid_t pid = fork();

		if (pid < 0)
			cannot("fork");
		if (pid == 0) {
			execl("./script", "./script", (char *)NULL);
			_exit(3);
		}
		waitpid(pid, &status, 0);
		tries++;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 11)
			wins++;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 10)
			ran++;
	}
	stop = 1;
	pthread_join(th, NULL);
	snprintf(script, sizeof(script), "exec of a script whose interpreter is switched: won %ld of %ld tries (%ld ran the allowed one)",
		 wins, tries, ran);
	if (wins)
		escaped(script);
	if (ran == 0)
		cannot("the allowed interpreter never ran");
	contained(script);
}
