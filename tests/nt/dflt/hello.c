/* A C hello built with mingw-w64's defaults (its CRT startup, msvcrt's printf): run under picovisor and natively. */
#include <stdio.h>

int main(int argc, char **argv)
{
	printf("hello, world: %d args, %s, %5.2f\n", argc, argc > 1 ? argv[1] : "-", 3.14159);
	fprintf(stderr, "to stderr\n");
	return 3;
}
