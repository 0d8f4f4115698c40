/* bpf, perf_event_open, userfaultfd, keyctl, personality: kernel surfaces a sandbox keeps shut. */
#include "hostile.h"
#include <sys/personality.h>
#include <sys/syscall.h>

int main(void)
{
	char attr[128] = { 0 };

	attempt(syscall(SYS_bpf, 0 /* BPF_MAP_CREATE */, attr, sizeof(attr)), "bpf");
	attempt(syscall(SYS_perf_event_open, attr, 0, -1, -1, 0), "perf_event_open");
	attempt(syscall(SYS_userfaultfd, 0), "userfaultfd");
	attempt(syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3, 0), "keyctl");
	if (personality(ADDR_NO_RANDOMIZE) >= 0 && (personality(0xffffffff) & ADDR_NO_RANDOMIZE))
		escaped("personality changed");
	note_refusal(errno); /* the personality call's */
	refused_all("bpf, perf_event_open, userfaultfd, keyctl and personality refused");
}
