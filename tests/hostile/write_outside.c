/* Create a file outside the allowed paths by its absolute path. */
#include "hostile.h"

int main(int argc, char **argv)
{
	verdict(open(outside(argc, argv, "dropped"), O_CREAT | O_WRONLY, 0644), "create a file outside");
}
