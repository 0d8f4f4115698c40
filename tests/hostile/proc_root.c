/* /proc/self/root: the root directory again, by another name. */
#include "hostile.h"

int main(int argc, char **argv)
{
	char path[4096];

	if (argc < 2)
		cannot("usage");
	snprintf(path, sizeof(path), "/proc/self/root%s/secret", argv[1]);
	if (reads_secret(path))
		escaped("read the secret through /proc/self/root");
	contained("/proc/self/root leads to the same rules");
}
