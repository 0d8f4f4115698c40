/* A hard link to an outside file in the writable directory, then a write through it. */
#include "hostile.h"

int main(int argc, char **argv)
{
	int fd;

	if (link(outside(argc, argv, "victim"), "hardlink") < 0)
		contained("link() refused");
	fd = open("hardlink", O_WRONLY | O_APPEND);
	if (fd >= 0 && write(fd, "x", 1) == 1)
		escaped("wrote an outside file through a hard link");
	contained("the hard link cannot be written");
}
