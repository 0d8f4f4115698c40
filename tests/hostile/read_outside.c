/* Read a file outside the allowed paths by its absolute path. */
#include "hostile.h"

int main(int argc, char **argv)
{
	if (reads_secret(outside(argc, argv, "secret")))
		escaped("read the secret by its absolute path");
	contained("the secret's absolute path is refused");
}
