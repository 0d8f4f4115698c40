/* Registers and memory of x86_64 tracees: the only file that knows the register layout. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <unistd.h>

#include "tracee.h"
#include "util.h"

#if !defined(__x86_64__)
#error "picovisor: only x86_64 hosts are supported; add a tracee_<arch>.c for this one"
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

/* /proc/PID/mem reaches pages process_vm_* refuse (read-only text), as ptrace may. */
static ssize_t proc_mem_io(pid_t tid, uint64_t addr, void *buf, size_t len, int write)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", tid);
	fd = open(path, (write ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write ? pwrite(fd, buf, len, (off_t)addr) : pread(fd, buf, len, (off_t)addr);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n == -EIO)
		n = -EFAULT;
	return n;
}

ssize_t tracee_read(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len }, remote = { (void *)addr, len };
	ssize_t n;

	if (len == 0)
		return 0;
	n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return n;
	if (n < 0 && errno != EFAULT && errno != ENOSYS && errno != EPERM)
		return -errno;
	n = proc_mem_io(tid, addr, buf, len, 0);
	if (n >= 0 && (size_t)n < len)
		return -EFAULT;
	return n;
}

ssize_t tracee_write(pid_t tid, uint64_t addr, const void *buf, size_t len)
{
	struct iovec local = { (void *)buf, len }, remote = { (void *)addr, len };
	ssize_t n;

	if (len == 0)
		return 0;
	n = process_vm_writev(tid, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return n;
	n = proc_mem_io(tid, addr, (void *)buf, len, 1);
	if (n >= 0 && (size_t)n < len)
		return -EFAULT;
	return n;
}

/* Is [addr, addr+len) covered by writable mappings of the thread's process (/proc/TID/maps)? */
static bool range_writable(pid_t tid, uint64_t addr, size_t len)
{
	char path[64], line[512];
	uint64_t at = addr, end = addr + len;
	FILE *f;

	if (end < addr)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/maps", tid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (at < end && fgets(line, sizeof(line), f)) {
		unsigned long long lo, hi;
		char perms[8];

		if (sscanf(line, "%llx-%llx %7s", &lo, &hi, perms) != 3 || hi <= at)
			continue;
		if (lo > at || perms[1] != 'w')
			break;
		at = hi;
	}
	fclose(f);
	return at >= end;
}

ssize_t tracee_write_as_program(pid_t tid, uint64_t addr, const void *buf, size_t len)
{
	struct iovec local = { (void *)buf, len }, remote = { (void *)addr, len };
	ssize_t n;

	if (len == 0)
		return 0;
	n = process_vm_writev(tid, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return n;
	if (n >= 0 || (errno != ENOSYS && errno != EPERM))
		return -EFAULT;
	/* No cross-memory attach here: /proc/PID/mem, which ignores protection, only where the maps allow writing. */
	if (!range_writable(tid, addr, len))
		return -EFAULT;
	n = proc_mem_io(tid, addr, (void *)buf, len, 1);
	return n >= 0 && (size_t)n < len ? -EFAULT : n;
}

int tracee_write_many(pid_t tid, const struct tracee_chunk *chunks, int n)
{
	struct iovec local[8] = { { 0 } }, remote[8] = { { 0 } };
	size_t total = 0;

	/* One system call for all (the common case), else each on its own with its fallbacks. */
	if (n <= 8) {
		for (int i = 0; i < n; i++) {
			local[i] = (struct iovec){ (void *)chunks[i].buf, chunks[i].len };
			remote[i] = (struct iovec){ (void *)chunks[i].addr, chunks[i].len };
			total += chunks[i].len;
		}
		if (process_vm_writev(tid, local, (unsigned long)n, remote, (unsigned long)n, 0) == (ssize_t)total)
			return 0;
	}
	for (int i = 0; i < n; i++) {
		ssize_t w = tracee_write(tid, chunks[i].addr, chunks[i].buf, chunks[i].len);

		if (w < 0)
			return (int)w;
	}
	return 0;
}

ssize_t tracee_read_string(pid_t tid, uint64_t addr, char *buf, size_t max)
{
	size_t got = 0;

	/* Read up to page boundaries so a string ending just before an unmapped page reads fine. */
	while (got < max) {
		size_t chunk = 4096 - ((addr + got) & 4095);
		ssize_t n;
		char *nul;

		if (chunk > max - got)
			chunk = max - got;
		n = tracee_read(tid, addr + got, buf + got, chunk);
		if (n < 0)
			return n;
		nul = memchr(buf + got, '\0', (size_t)n);
		if (nul)
			return nul - buf;
		got += (size_t)n;
	}
	buf[max - 1] = '\0';
	return -ENAMETOOLONG;
}

ssize_t tracee_read_ptr_array(pid_t tid, uint64_t addr, int ptr_size, uint64_t **out, size_t max)
{
	size_t n = 0, cap = 64;
	uint64_t *v = xmalloc(cap * sizeof(*v));

	*out = NULL;
	if (addr == 0) { /* the kernel treats a NULL argv/envp as empty */
		*out = v;
		return 0;
	}
	for (;;) {
		unsigned char chunk[512];
		size_t per = (size_t)ptr_size, want = sizeof(chunk);
		ssize_t got = tracee_read(tid, addr + n * per, chunk, want);

		if (got < 0) { /* retry a pointer at a time near the end of a mapping */
			got = tracee_read(tid, addr + n * per, chunk, per);
			if (got < 0) {
				free(v);
				return got;
			}
		}
		for (size_t off = 0; off + per <= (size_t)got; off += per) {
			uint64_t p = 0;

			memcpy(&p, chunk + off, per);
			if (p == 0) {
				*out = v;
				return (ssize_t)n;
			}
			if (n + 1 >= max) {
				free(v);
				return -E2BIG;
			}
			if (n == cap)
				v = xrealloc(v, (cap *= 2) * sizeof(*v));
			v[n++] = p;
		}
	}
}
