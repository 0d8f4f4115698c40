/*
 * Signals a program sends its own processes by descriptor: a socket's signal owner (F_SETOWN,
 * F_SETOWN_EX for the process, a thread, the group) and pidfd_send_signal (a pidfd, a /proc/PID
 * directory). The same output natively and under a policy (the owners are all of the run).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_sig(int sig)
{
	got = sig;
}

static void owner(const char *what, int cmd, long arg)
{
	int p[2];
	struct timespec ts = { 0, 2000000 };

	got = 0;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, p) < 0 || fcntl(p[0], F_SETSIG, SIGUSR1) < 0 ||
	    fcntl(p[0], F_SETFL, O_ASYNC | O_NONBLOCK) < 0) {
		perror("socketpair");
		return;
	}
	if (fcntl(p[0], cmd, arg) < 0) {
		printf("%s: %s\n", what, strerror(errno));
	} else {
		if (write(p[1], "x", 1) != 1)
			perror("write");
		for (int i = 0; i < 500 && !got; i++)
			nanosleep(&ts, NULL);
		struct f_owner_ex now;
		bool kept = fcntl(p[0], F_GETOWN_EX, &now) == 0 &&
			    (cmd == F_SETOWN ? (arg > 0   ? now.type == F_OWNER_PID && now.pid == arg
						: arg < 0 ? now.type == F_OWNER_PGRP && now.pid == -arg
							  : now.pid == 0)
					     : now.type == ((struct f_owner_ex *)arg)->type &&
						       now.pid == ((struct f_owner_ex *)arg)->pid);
		printf("%s: owner %s, signal %s\n", what, kept ? "as set" : "differs", got == SIGUSR1 ? "SIGUSR1" : "none");
	}
	close(p[0]);
	close(p[1]);
}

static void by_pidfd(const char *what, bool proc_dir)
{
	pid_t child = fork();
	int fd, status = 0;
	char path[64];

	if (child == 0) {
		pause();
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/%d", child);
	fd = proc_dir ? open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : (int)syscall(SYS_pidfd_open, child, 0);
	if (fd < 0 || syscall(SYS_pidfd_send_signal, fd, SIGTERM, NULL, 0) < 0)
		printf("%s: %s\n", what, strerror(errno));
	waitpid(child, &status, 0);
	printf("%s: child %s %d\n", what, WIFSIGNALED(status) ? "killed by" : "exited", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	if (fd >= 0)
		close(fd);
}

int main(void)
{
	struct f_owner_ex ex;

	setvbuf(stdout, NULL, _IONBF, 0);
	setpgid(0, 0); /* the group's signals are for this program alone, not its caller's group */
	signal(SIGUSR1, on_sig);
	owner("F_SETOWN the process", F_SETOWN, getpid());
	owner("F_SETOWN the group", F_SETOWN, -getpgrp());
	ex = (struct f_owner_ex){ F_OWNER_PID, getpid() };
	owner("F_SETOWN_EX the process", F_SETOWN_EX, (long)&ex);
	ex = (struct f_owner_ex){ F_OWNER_TID, (pid_t)syscall(SYS_gettid) };
	owner("F_SETOWN_EX this thread", F_SETOWN_EX, (long)&ex);
	ex = (struct f_owner_ex){ F_OWNER_PGRP, getpgrp() };
	owner("F_SETOWN_EX the group", F_SETOWN_EX, (long)&ex);
	owner("F_SETOWN nobody", F_SETOWN, 0);
	by_pidfd("pidfd_send_signal on a pidfd", false);
	by_pidfd("pidfd_send_signal on /proc/PID", true);
	return 0;
}
