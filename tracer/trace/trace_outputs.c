/* Trace outputs (trace_outputs.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "trace_outputs.h"
#include "util.h"

static pid_t pipe_command = -1;

/* "|command": sh -c command reads the records on its standard input. */
static int open_pipe(const char *command)
{
	int fds[2];
	pid_t pid;

	if (!command[0])
		die("-o '|COMMAND' wants a command after the '|'");
	if (pipe2(fds, O_CLOEXEC) < 0)
		die("cannot make a pipe for -o '|%s': %s", command, strerror(errno));
	pid = fork();
	if (pid < 0)
		die("cannot start -o '|%s': %s", command, strerror(errno));
	if (pid == 0) {
		sigset_t none;

		/* The command is no part of the run: it starts as the caller would start it. */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		if (dup2(fds[0], 0) < 0)
			_exit(127);
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	pipe_command = pid;
	return fds[1];
}

int trace_output_open(const char *spec, bool append, bool *shared)
{
	int fd;

	*shared = false;
	if (spec && spec[0] == '|')
		return open_pipe(spec + 1);
	if (spec && strcmp(spec, "-") != 0) {
		fd = open(spec, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0666);
		if (fd < 0)
			die("cannot write the trace to %s: %s", spec, strerror(errno));
		return fd;
	}
	/* standard error or output, shared with the program: whole lines, in order with what it writes */
	fd = fcntl(spec ? 1 : 2, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		die("cannot write the trace to standard %s: %s", spec ? "output" : "error", strerror(errno));
	*shared = true;
	return fd;
}

void trace_output_close(int fd)
{
	close(fd);
	if (pipe_command > 0) {
		/* The event loop may have reaped it already (it ended early): ECHILD then. */
		while (waitpid(pipe_command, NULL, 0) < 0 && errno == EINTR)
			;
		pipe_command = -1;
	}
}

/* -ff's files: a small open-addressed table of the processes seen, by tgid. */
static struct process_file {
	pid_t tgid; /* 0: a free slot */
	int fd;     /* -1: closed (the process ended) */
} *files;
static size_t nslots, nused;

static struct process_file *slot_of(pid_t tgid)
{
	size_t i;

	if (nused * 2 >= nslots) {
		struct process_file *old = files;
		size_t oldn = nslots;

		nslots = nslots ? nslots * 2 : 64;
		files = xcalloc(nslots, sizeof(*files));
		nused = 0;
		for (size_t k = 0; k < oldn; k++)
			if (old[k].tgid)
				*slot_of(old[k].tgid) = old[k];
		free(old);
	}
	for (i = (size_t)tgid * 2654435761u % nslots; files[i].tgid && files[i].tgid != tgid; i = (i + 1) % nslots)
		;
	if (!files[i].tgid) {
		files[i].tgid = tgid;
		files[i].fd = -2; /* never opened */
		nused++;
	}
	return &files[i];
}

int trace_output_process_fd(const char *base, pid_t tgid, bool append)
{
	struct process_file *f = slot_of(tgid);

	if (f->fd == -1 || f->fd == -2) {
		char *path = xasprintf("%s.%d", base, (int)tgid);

		/* A pid the run saw end and come back (reused) goes on in the same file, as one more process. */
		f->fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (f->fd == -2 && !append ? O_TRUNC : O_APPEND), 0666);
		if (f->fd < 0)
			warn("cannot write the trace of process %d to %s: %s", (int)tgid, path, strerror(errno));
		free(path);
		if (f->fd < 0)
			f->fd = -3; /* said once; not retried */
	}
	return f->fd >= 0 ? f->fd : -1;
}

void trace_output_process_done(pid_t tgid)
{
	struct process_file *f;

	if (!nslots)
		return;
	f = slot_of(tgid);
	if (f->fd >= 0) {
		close(f->fd);
		f->fd = -1;
	}
}

void trace_output_process_close_all(void)
{
	for (size_t i = 0; i < nslots; i++)
		if (files[i].tgid && files[i].fd >= 0)
			close(files[i].fd);
	free(files);
	files = NULL;
	nslots = nused = 0;
}
