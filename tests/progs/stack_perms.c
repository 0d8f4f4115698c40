/* Prints the permissions of the process's [stack] mapping (built with and without -z execstack). */
#include <stdio.h>
#include <string.h>

int main(void)
{
	char line[512], perms[8];
	FILE *f = fopen("/proc/self/maps", "r");

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "[stack]") && sscanf(line, "%*s %7s", perms) == 1)
			printf("[stack] %s\n", perms);
	return 0;
}
