/* argv, the environment and the exit sequence: the same output on Linux (run with the arguments the test gives). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void last(void)
{
	printf("atexit: registered first, runs last\n");
}

static void first(void)
{
	printf("atexit: registered last, runs first\n");
}

int main(int argc, char **argv)
{
	char *v;

	for (int i = 1; i < argc; i++)
		printf("argv[%d] = [%s]\n", i, argv[i]);
	v = getenv("CRT_TEST_VAR");
	printf("CRT_TEST_VAR = [%s]\n", v ? v : "(unset)");
	printf("missing = [%s]\n", getenv("CRT_NO_SUCH_VAR") ? "set" : "(unset)");
#ifdef _WIN32
	_putenv("CRT_NEW=fresh value");
#else
	putenv("CRT_NEW=fresh value");
#endif
	v = getenv("CRT_NEW");
	printf("CRT_NEW = [%s]\n", v ? v : "(unset)");
	atexit(last);
	atexit(first);
	printf("buffered output is flushed at exit");
	exit(argc > 1 ? atoi(argv[argc - 1]) : 0);
}
