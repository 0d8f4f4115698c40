/* Move a file of the writable directory out of it. */
#include "hostile.h"

int main(int argc, char **argv)
{
	int fd = open("mine", O_CREAT | O_WRONLY, 0644);

	if (fd < 0)
		cannot("creating a file in the working directory");
	close(fd);
	verdict(rename("mine", outside(argc, argv, "moved-out")), "rename a file to outside");
}
