/* Write a program into a memfd and execute it with execveat: code that no path rule names. */
#include "hostile.h"
#include <sys/mman.h>
#include <sys/syscall.h>

int main(void)
{
	static const char script[] = "#!/bin/sh\necho ESCAPED: the memfd ran\nexit 1\n";
	char *argv[] = { "memfd-prog", NULL }, *envp[] = { NULL };
	int fd = memfd_create("payload", 0);

	if (fd < 0)
		cannot("memfd_create");
	if (write(fd, script, sizeof(script) - 1) != (ssize_t)sizeof(script) - 1)
		cannot("write");
	syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
	refused("executing the memfd", errno);
}
