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
	attempt(fd < 0 ? -1 : read(fd, buf, sizeof(buf)), "read the environment of a process outside");
	snprintf(path, sizeof(path), "/proc/%s/mem", argv[2]);
	attempt(open(path, O_RDWR), "opened the memory of a process outside");
	/* EFAULT: the process was reached, only the address was wrong. */
	attempt(process_vm_readv(atoi(argv[2]), &local, 1, &remote, 1, 0) >= 0 || errno == EFAULT ? 0 : -1,
		"process_vm_readv of a process outside");
	refused_all("the environment, memory and process_vm_readv of a process outside");
}
