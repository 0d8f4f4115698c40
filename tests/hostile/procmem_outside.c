/* /proc/PID/mem and /proc/PID/environ of a process outside the run, and process_vm_readv (argv[2]: its pid). */
#include "hostile.h"
#include <sys/uio.h>

int main(int argc, char **argv)
{
	char path[64], buf[64];
	struct iovec local = { buf, sizeof(buf) }, remote = { (void *)0x400000, sizeof(buf) };
	int fd;

	if (argc < 3)
		cannot("usage");
	snprintf(path, sizeof(path), "/proc/%s/environ", argv[2]);
	fd = open(path, O_RDONLY);
	if (fd >= 0 && read(fd, buf, sizeof(buf)) > 0)
		escaped("read the environment of a process outside");
	snprintf(path, sizeof(path), "/proc/%s/mem", argv[2]);
	if (open(path, O_RDWR) >= 0)
		escaped("opened the memory of a process outside");
	verdict(process_vm_readv(atoi(argv[2]), &local, 1, &remote, 1, 0) >= 0 || errno == EFAULT ? 0 : -1,
		"process_vm_readv of a process outside");
}
