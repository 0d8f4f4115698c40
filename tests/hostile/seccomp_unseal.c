/*
 * A filter of the program's own that answers mseal with SECCOMP_RET_ERRNO|0
 * ("success", without running it), then an exec: picovisor's loader seals the
 * scratch area that holds the copies it checked, and must not take the
 * filter's word for it. The exec'd image looks for an unsealed area (3 MiB,
 * read-only, anonymous) and tries to make it writable.
 */
#include "hostile.h"
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define AREA_SIZE (3UL << 20)

static int stage2(void)
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		cannot("/proc/self/maps");
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char perms[8];
		int n = 0;

		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s%n", &lo, &hi, perms, &n) < 3)
			continue;
		while (line[n] == ' ')
			n++;
		if (hi - lo == AREA_SIZE && strcmp(perms, "r--p") == 0 && line[n] == '\n') { /* anonymous */
			if (mprotect((void *)lo, AREA_SIZE, PROT_READ | PROT_WRITE) == 0)
				return 1; /* a thread could now rewrite what picovisor checked */
			printf("the area is sealed: %s\n", strerror(errno));
			return 0;
		}
	}
	printf("no scratch area in this image\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 462 /* mseal */, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog fprog = { sizeof(prog) / sizeof(prog[0]), prog };
	int status;
	pid_t pid;

	if (argc > 1 && strcmp(argv[1], "stage2") == 0)
		return stage2();
	pid = fork();
	if (pid < 0)
		cannot("fork");
	if (pid == 0) {
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) < 0)
			cannot("an ERRNO filter (an ordinary one) was refused");
		execl("/proc/self/exe", argv[0], "stage2", (char *)NULL);
		_exit(3);
	}
	if (waitpid(pid, &status, 0) < 0)
		cannot("waitpid");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
		escaped("the scratch area was left unsealed and made writable");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 2)
		cannot("the exec'd image has no scratch area to look at");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
		cannot("the exec failed");
	contained(WIFSIGNALED(status) ? "the load was stopped (the process was killed)" : "the area was sealed");
}
