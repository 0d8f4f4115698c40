/* io_uring: system calls a ring performs in the kernel, out of seccomp's sight. */
#include "hostile.h"
#include <sys/syscall.h>

int main(void)
{
	char params[120] = { 0 };

	verdict(syscall(SYS_io_uring_setup, 4, params), "io_uring_setup");
}
