/* A symlink in the writable directory pointing at the secret. */
#include "hostile.h"

int main(int argc, char **argv)
{
	if (symlink(outside(argc, argv, "secret"), "link-to-secret") < 0)
		cannot("symlink");
	verdict(reads_secret("link-to-secret") ? 0 : -1, "read the secret through a symlink");
}
