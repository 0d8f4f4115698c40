/* PTRACE_GET_SYSCALL_INFO, kept apart: <linux/ptrace.h> has its struct but clashes with <sys/ptrace.h>. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/ptrace.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "arch.h"
#include "tracee.h"

int tracee_syscall_info(pid_t tid, enum syscall_stop_kind *kind, enum abi *abi)
{
	struct ptrace_syscall_info info;
	long nr;

	if (syscall(SYS_ptrace, PTRACE_GET_SYSCALL_INFO, tid, sizeof(info), &info) <= 0)
		return -errno;
	switch (info.op) {
	case PTRACE_SYSCALL_INFO_ENTRY:
		*kind = STOP_SYSCALL_ENTRY;
		break;
	case PTRACE_SYSCALL_INFO_EXIT:
		*kind = STOP_SYSCALL_EXIT;
		break;
	case PTRACE_SYSCALL_INFO_SECCOMP:
		*kind = STOP_SYSCALL_SECCOMP;
		break;
	default:
		*kind = STOP_NOT_SYSCALL;
		break;
	}
	nr = 0; /* the ABI of the arch alone: a number bit (x32) counts as the native ABI here */
	*abi = arch_abi_of_call(info.arch, &nr);
	if (*abi == ABI_COUNT)
		*abi = ABI_NATIVE;
	return 0;
}

int tracee_seccomp_data(pid_t tid, struct seccomp_data *d)
{
	struct ptrace_syscall_info info;

	memset(&info, 0, sizeof(info));
	if (syscall(SYS_ptrace, PTRACE_GET_SYSCALL_INFO, tid, sizeof(info), &info) <= 0)
		return -errno;
	if (info.op != PTRACE_SYSCALL_INFO_SECCOMP)
		return -EINVAL;
	/* The kernel fills both from the same registers (syscall_get_nr, _arch, _arguments). */
	d->nr = (int)info.seccomp.nr;
	d->arch = info.arch;
	d->instruction_pointer = info.instruction_pointer;
	for (int i = 0; i < 6; i++)
		d->args[i] = info.seccomp.args[i];
	return 0;
}
