/*
 * Rules written with "./": run with `path r ./ro` and `path - ./secret/`, in
 * a launch directory holding ro/file and secret/file. Writing ro/file or
 * reading secret/file is the escape (each rule must name what it says).
 */
#include "hostile.h"

int main(int argc, char **argv)
{
	int fd;

	(void)outside(argc, argv, "");
	if (access("ro/file", F_OK) < 0 || access("secret/file", F_OK) < 0)
		cannot("ro/file and secret/file must be there");
	fd = open("ro/file", O_WRONLY | O_APPEND);
	if (fd >= 0) {
		if (write(fd, "x", 1) == 1)
			escaped("wrote ro/file under 'path r ./ro'");
		close(fd);
		errno = EBADMSG; /* opened for writing, though the write failed: not a refusal of the open */
	}
	note_refusal(errno);
	attempt(reads_secret("secret/file") ? 0 : -1, "read secret/file under 'path - ./secret/'");
	refused_all("ro/file not writable, secret/file not readable");
}
