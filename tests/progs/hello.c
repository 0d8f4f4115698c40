/* Prints its arguments and one environment variable; exits with argv[1] if numeric. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	printf("PV_TEST=%s\n", getenv("PV_TEST") ? getenv("PV_TEST") : "(unset)");
	fprintf(stderr, "to stderr\n");
	return argc > 1 ? atoi(argv[1]) : 0;
}
