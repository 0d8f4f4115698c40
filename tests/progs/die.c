/* Ends as told: "exit N" or "signal N" (after printing). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

int main(int argc, char **argv)
{
	struct rlimit no_core = { 0, 0 };

	setrlimit(RLIMIT_CORE, &no_core);
	if (argc != 3)
		return 2;
	printf("ending with %s %s\n", argv[1], argv[2]);
	fflush(stdout);
	if (strcmp(argv[1], "signal") == 0) {
		signal(atoi(argv[2]), SIG_DFL);
		raise(atoi(argv[2]));
	}
	return atoi(argv[2]);
}
