/* abort(): what was written before it, what was still buffered, and the exit status 3 msvcrt gives
 * (Linux: SIGABRT, so no Linux reference). */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	printf("before abort\n");
	fflush(stdout);
	printf("still buffered at abort: written out when the DLL detaches, as with Wine's msvcrt\n");
	abort();
}
