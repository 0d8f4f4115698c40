/* /proc/self/cwd/..: the parent of the working directory by a magic link. */
#include "hostile.h"

int main(int argc, char **argv)
{
	char path[4096];
	const char *name;

	if (argc < 2 || !(name = strrchr(argv[1], '/')))
		cannot("usage");
	snprintf(path, sizeof(path), "/proc/self/cwd/../%s/secret", name + 1);
	verdict(reads_secret(path) ? 0 : -1, "read the secret through /proc/self/cwd/..");
}
