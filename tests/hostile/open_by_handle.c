/* name_to_handle_at + open_by_handle_at: opening a file without its path. */
#include "hostile.h"

int main(int argc, char **argv)
{
	struct file_handle *h = malloc(sizeof(*h) + 128);
	int mount_id, fd;

	h->handle_bytes = 128;
	if (name_to_handle_at(AT_FDCWD, "/etc/hostname", h, &mount_id, 0) < 0)
		refused("name_to_handle_at", errno);
	fd = open_by_handle_at(AT_FDCWD, h, O_RDONLY);
	(void)argc;
	(void)argv;
	verdict(fd, "open_by_handle_at");
}
