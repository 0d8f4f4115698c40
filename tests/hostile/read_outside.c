/* Read a file outside the allowed paths by its absolute path. */
#include "hostile.h"

int main(int argc, char **argv)
{
	verdict(reads_secret(outside(argc, argv, "secret")) ? 0 : -1, "read the secret by its absolute path");
}
