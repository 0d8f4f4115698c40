/* /proc/self/root: the root directory again, by another name. */
#include "hostile.h"

int main(int argc, char **argv)
{
	char path[4096];

	if (argc < 2)
		cannot("usage");
	snprintf(path, sizeof(path), "/proc/self/root%s/secret", argv[1]);
	verdict(reads_secret(path) ? 0 : -1, "read the secret through /proc/self/root");
}
