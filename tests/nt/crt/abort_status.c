/* abort(): what was written before it, and the exit status 3 msvcrt gives (Linux: SIGABRT, so no Linux reference). */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	printf("before abort\n");
	fflush(stdout);
	abort();
}
