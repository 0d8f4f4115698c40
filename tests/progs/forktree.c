/* A tree of processes; each level reports its children's exit statuses in order. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int tree(int depth, int id)
{
	pid_t kids[3];

	if (depth == 0)
		return id % 7;
	for (int i = 0; i < 3; i++) {
		kids[i] = fork();
		if (kids[i] == 0)
			exit(tree(depth - 1, id * 3 + i));
	}
	int sum = 0;
	for (int i = 0; i < 3; i++) {
		int st;
		waitpid(kids[i], &st, 0);
		sum += WEXITSTATUS(st);
	}
	return sum % 50;
}

int main(void)
{
	int r = tree(3, 1);
	printf("tree result %d\n", r);
	fflush(stdout);
	return r;
}
