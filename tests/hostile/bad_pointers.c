/* Hostile pointers and sizes in calls the sandbox must look at: EFAULT/ENAMETOOLONG/EINVAL, and the supervisor lives. */
#include "hostile.h"
#include <linux/openat2.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>

static int bad;

static void expect(const char *what, long rc, int err)
{
	if (rc != -1 || errno != err) {
		printf("%s: got %ld (%s), expected %s\n", what, rc, strerror(errno), strerror(err));
		bad = 1;
	}
}

int main(void)
{
	char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *huge = malloc(1 << 20);
	struct open_how how = { 0 };
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	munmap(page + 4096, 4096);
	memset(page, 'a', 4096);
	memset(huge, 'b', (1 << 20) - 1);
	huge[(1 << 20) - 1] = '\0';
	expect("open(NULL)", syscall(SYS_open, 0L, O_RDONLY), EFAULT);
	expect("open(path running into a hole)", open(page + 4096 - 100, O_RDONLY), EFAULT);
	expect("open(PATH_MAX bytes, no NUL)", open(page, O_RDONLY), ENAMETOOLONG);
	expect("open(1 MiB path)", open(huge, O_RDONLY), ENAMETOOLONG);
	expect("mkdir(bad pointer)", syscall(SYS_mkdir, 8L, 0755), EFAULT);
	expect("openat2(bad how)", syscall(SYS_openat2, AT_FDCWD, "x", (void *)16, sizeof(how)), EFAULT);
	expect("openat2(short how)", syscall(SYS_openat2, AT_FDCWD, "x", &how, 4), EINVAL);
	expect("connect(bad sockaddr)", connect(s, (struct sockaddr *)16, sizeof(struct sockaddr_un)), EFAULT);
	expect("execve(bad path)", syscall(SYS_execve, 16L, 0L, 0L), EFAULT);
	expect("linkat(bad pointers)", syscall(SYS_linkat, AT_FDCWD, 8L, AT_FDCWD, 16L, 0), EFAULT);
	if (bad)
		escaped("a hostile argument got an answer the kernel would not give");
	contained("every hostile argument got the kernel's errno");
}
