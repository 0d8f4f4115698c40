/* An O_PATH descriptor of the outside directory, then openat relative to it. */
#include "hostile.h"

int main(int argc, char **argv)
{
	int dfd, fd;
	char buf[16];

	if (argc < 2)
		cannot("usage");
	dfd = open(argv[1], O_PATH | O_DIRECTORY);
	if (dfd < 0)
		refused("an O_PATH descriptor of the outside dir", errno);
	fd = openat(dfd, "secret", O_RDONLY);
	attempt(fd < 0 ? -1 : read(fd, buf, sizeof(buf)), "read the secret with openat on an O_PATH dirfd");
	refused_all("openat on the dirfd is refused");
}
