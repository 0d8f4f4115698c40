/* PTRACE_GET_SYSCALL_INFO, kept apart: <linux/ptrace.h> has its struct but clashes with <sys/ptrace.h>. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tracee.h"

int tracee_syscall_info(pid_t tid, enum syscall_stop_kind *kind, enum abi *abi)
{
	struct ptrace_syscall_info info;

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
	*abi = info.arch == AUDIT_ARCH_I386 ? ABI_I386 : ABI_X86_64;
	return 0;
}
