/* Registers of x86_64 tracees: the only file that knows the register layout (memory: tracer/run/tracee_memory.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/ptrace.h>

#include "tracee.h"

#if !defined(__x86_64__)
#error "picovisor: this is x86_64's register file; a port adds tracer/arch/<arch>/ (docs/architecture.md)"
#endif

int regs_get(pid_t tid, tracee_regs *r)
{
	return ptrace(PTRACE_GETREGS, tid, 0, r) < 0 ? -errno : 0;
}

int regs_set(pid_t tid, const tracee_regs *r)
{
	return ptrace(PTRACE_SETREGS, tid, 0, r) < 0 ? -errno : 0;
}

long regs_syscall_nr(const tracee_regs *r)
{
	return (long)r->orig_rax;
}

void regs_set_syscall_nr(tracee_regs *r, long nr)
{
	r->orig_rax = (unsigned long long)nr;
	r->rax = (unsigned long long)nr;
}

/* int 0x80 passes ebx ecx edx esi edi ebp; syscall passes rdi rsi rdx r10 r8 r9. */
static unsigned long long *arg_slot(tracee_regs *r, enum abi abi, int i)
{
	if (abi == ABI_I386) {
		unsigned long long *s[6] = { &r->rbx, &r->rcx, &r->rdx, &r->rsi, &r->rdi, &r->rbp };
		return s[i];
	}
	unsigned long long *s[6] = { &r->rdi, &r->rsi, &r->rdx, &r->r10, &r->r8, &r->r9 };
	return s[i];
}

uint64_t regs_arg(const tracee_regs *r, enum abi abi, int i)
{
	uint64_t v = *arg_slot((tracee_regs *)r, abi, i);

	return abi == ABI_I386 ? (uint32_t)v : v;
}

void regs_set_arg(tracee_regs *r, enum abi abi, int i, uint64_t v)
{
	*arg_slot(r, abi, i) = v;
}

long regs_retval(const tracee_regs *r)
{
	return (long)r->rax;
}

void regs_set_retval(tracee_regs *r, long v)
{
	r->rax = (unsigned long long)v;
}

uint64_t regs_ip(const tracee_regs *r)
{
	return r->rip;
}

void regs_set_ip(tracee_regs *r, uint64_t ip)
{
	r->rip = ip;
}

uint64_t regs_sp(const tracee_regs *r)
{
	return r->rsp;
}

void regs_set_sp(tracee_regs *r, uint64_t sp)
{
	r->rsp = sp;
}

void regs_set_process_start(tracee_regs *r, uint64_t ip, uint64_t sp)
{
	/* ELF_PLAT_INIT: general registers zero; rdx = 0 means "no rtld_fini". */
	r->rax = r->rbx = r->rcx = r->rdx = r->rsi = r->rdi = r->rbp = 0;
	r->r8 = r->r9 = r->r10 = r->r11 = r->r12 = r->r13 = r->r14 = r->r15 = 0;
	r->orig_rax = (unsigned long long)-1;
	r->eflags = 0x200;
	r->rip = ip;
	r->rsp = sp;
}

void regs_set_win64_arg(tracee_regs *r, int i, uint64_t v)
{
	switch (i) {
	case 0: r->rcx = v; break;
	case 1: r->rdx = v; break;
	case 2: r->r8 = v; break;
	case 3: r->r9 = v; break;
	default: break;
	}
}

void regs_set_gs_base(tracee_regs *r, uint64_t v)
{
	r->gs_base = v;
}

uint64_t regs_nt_arg(const tracee_regs *r, int i)
{
	switch (i) {
	case 0: return r->r10;
	case 1: return r->rdx;
	case 2: return r->r8;
	case 3: return r->r9;
	default: return 0;
	}
}
