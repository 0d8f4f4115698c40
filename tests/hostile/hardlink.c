/* A hard link to an outside file in the writable directory, then a write through it. */
#include "hostile.h"

int main(int argc, char **argv)
{
	int fd;

	if (link(outside(argc, argv, "victim"), "hardlink") < 0)
		refused("link() of an outside file", errno);
	fd = open("hardlink", O_WRONLY | O_APPEND);
	attempt(fd < 0 ? -1 : write(fd, "x", 1), "wrote an outside file through a hard link");
	refused_all("the hard link cannot be written");
}
