/* 200000 getppid() calls: the cost of a system call picovisor does not trap. */
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	long sum = 0;

	for (int i = 0; i < 200000; i++)
		sum += syscall(SYS_getppid);
	return sum == 0;
}
