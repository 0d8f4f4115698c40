/* A non-leader thread execs: the whole process becomes the new image. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

extern char **environ;

static void *run(void *arg)
{
	char *args[] = { "echo", "exec from a thread", NULL };
	(void)arg;
	execve("/bin/echo", args, environ);
	perror("execve");
	return NULL;
}

int main(void)
{
	pthread_t t;

	pthread_create(&t, NULL, run, NULL);
	for (;;)
		pause();
}
