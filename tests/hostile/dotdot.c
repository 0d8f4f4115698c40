/* Climb out of the working directory with .. (the outside dir is a sibling of it). */
#include "hostile.h"

int main(int argc, char **argv)
{
	char path[4096];
	const char *name = strrchr(argv[argc > 1 ? 1 : 0], '/');

	if (argc < 2 || !name)
		cannot("usage");
	snprintf(path, sizeof(path), "../%s/secret", name + 1);
	attempt(reads_secret(path) ? 0 : -1, "read ../outside/secret");
	snprintf(path, sizeof(path), "./../../../../../../../../%s/secret", argv[1]);
	attempt(reads_secret(path) ? 0 : -1, "read through many ..");
	refused_all(".. leads nowhere new");
}
