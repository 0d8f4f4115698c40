/* Runs a program under a seccomp filter that fails the given system calls with one errno, as a
 * container's profile does: deny_calls ERRNO NR[,NR...] PROGRAM [ARG...]. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sock_filter f[64];
	int n = 0, err, nrs[16], k = 0;
	char *p;

	if (argc < 4) {
		fprintf(stderr, "usage: deny_calls ERRNO NR[,NR...] PROGRAM [ARG...]\n");
		return 2;
	}
	err = atoi(argv[1]);
	for (p = argv[2]; *p && k < 16; p++) {
		nrs[k++] = (int)strtol(p, &p, 10);
		if (*p != ',')
			break;
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (int i = 0; i < k; i++) {
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nrs[i], 0, 1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (unsigned)(err & 0xffff));
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { (unsigned short)n, f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
		perror("deny_calls: seccomp");
		return 2;
	}
	execvp(argv[3], argv + 3);
	perror("deny_calls: exec");
	return 127;
}
