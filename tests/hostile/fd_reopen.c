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
		contained("no O_PATH descriptor of the outside dir");
	fd = openat(dfd, "secret", O_RDONLY);
	if (fd >= 0 && read(fd, buf, sizeof(buf)) > 0)
		escaped("read the secret with openat on an O_PATH dirfd");
	contained("openat on the dirfd is refused");
}
