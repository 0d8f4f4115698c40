/*
 * A second thread flips the filter the program installs between one picovisor
 * accepts (ALLOW for getppid) and one it refuses (SECCOMP_RET_TRACE|0 for
 * getppid, whose data word a supervisor that trusted it would read): the
 * kernel must install the bytes picovisor judged, never the program's memory
 * read again after the check. A TRACE filter that got in shows as getppid
 * failing with ENOSYS (natively: no tracer; under picovisor: a stop its own
 * filters did not ask for). Each install is tried until the time is up.
 */
#include "hostile.h"
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>

static struct sock_filter prog[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW), /* flipped to TRACE|0 and back */
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};
static volatile int stop;

static void *flipper(void *arg)
{
	(void)arg;
	while (!stop) {
		__atomic_store_n(&prog[2].k, SECCOMP_RET_TRACE, __ATOMIC_RELAXED);
		for (volatile int i = 0; i < 500; i++)
			;
		__atomic_store_n(&prog[2].k, SECCOMP_RET_ALLOW, __ATOMIC_RELAXED);
		for (volatile int i = 0; i < 500; i++)
			;
	}
	return NULL;
}

int main(void)
{
	struct sock_fprog fprog = { sizeof(prog) / sizeof(prog[0]), prog };
	time_t end = time(NULL) + 1;
	long tries = 0, installed = 0;
	char buf[160];
	pthread_t th;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		cannot("no_new_privs");
	if (pthread_create(&th, NULL, flipper, NULL) != 0)
		cannot("the flipping thread");
	/* Each accepted filter stacks (8 instructions of the kernel's 32768 each): stop well below that. */
	while (time(NULL) < end && installed < 2000) {
		tries++;
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) < 0) {
			note_refusal_once(errno);
			continue;
		}
		installed++;
		if (syscall(SYS_getppid) < 0 && errno == ENOSYS)
			break;
	}
	stop = 1;
	pthread_join(th, NULL);
	if (syscall(SYS_getppid) < 0 && errno == ENOSYS) {
		snprintf(buf, sizeof(buf), "a TRACE filter got in after %ld of %ld installs", installed, tries);
		escaped(buf);
	}
	if (tries == 0)
		cannot("no install was tried");
	snprintf(buf, sizeof(buf), "no TRACE filter in %ld installs of %ld tries", installed, tries);
	refused_all(buf);
}
