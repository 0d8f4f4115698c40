/*
 * A stopped tracee thread seen from the supervisor: its registers (through the
 * one per-arch file) and its memory. Every accessor reports a bad tracee
 * address as -EFAULT and never faults in the supervisor.
 */
#ifndef PICOVISOR_TRACEE_H
#define PICOVISOR_TRACEE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "arch.h"
#include "syscall_table.h"

int regs_get(pid_t tid, tracee_regs *r);
int regs_set(pid_t tid, const tracee_regs *r);

/* The system call a thread is stopped in, as the ABI it entered with sees it. */
long regs_syscall_nr(const tracee_regs *r);
void regs_set_syscall_nr(tracee_regs *r, long nr);
uint64_t regs_arg(const tracee_regs *r, enum abi abi, int i);
void regs_set_arg(tracee_regs *r, enum abi abi, int i, uint64_t v);
long regs_retval(const tracee_regs *r);
void regs_set_retval(tracee_regs *r, long v);
uint64_t regs_ip(const tracee_regs *r);
void regs_set_ip(tracee_regs *r, uint64_t ip);
uint64_t regs_sp(const tracee_regs *r);
void regs_set_sp(tracee_regs *r, uint64_t sp);
/* Argument i (0-3: rcx, rdx, r8, r9) of a Windows x64 function the thread is about to enter. */
void regs_set_win64_arg(tracee_regs *r, int i, uint64_t v);
uint64_t regs_win64_arg(const tracee_regs *r, int i);
/* NT system-call arguments 1-4 at the syscall instruction (r10, rdx, r8, r9; docs/nt.md, "Dispatch"). */
uint64_t regs_nt_arg(const tracee_regs *r, int i);
/* Clear the flags a handler must not start with (trap, direction), as a kernel enters a signal or exception handler. */
void regs_clear_handler_flags(tracee_regs *r);
/* The GS base (the TEB of an NT thread). */
void regs_set_gs_base(tracee_regs *r, uint64_t v);
/* The x87/SSE state (the 512-byte FXSAVE image) of a stopped thread. 0 or -errno. */
int regs_get_fp(pid_t tid, void *fxsave);
int regs_set_fp(pid_t tid, const void *fxsave);
#if ARCH_HAS_NT
/* The registers as a Windows x64 CONTEXT (NT_CONTEXT_SIZE bytes; CONTEXT_FULL, segments, FltSave from fxsave
 * if not NULL), and back as its ContextFlags say: true if fxsave (the state as read) got FltSave. */
#define NT_CONTEXT_SIZE 0x4d0
void regs_to_nt_context(const tracee_regs *r, const void *fxsave, unsigned char *ctx);
bool regs_from_nt_context(tracee_regs *r, void *fxsave, const unsigned char *ctx);
#endif
/* Registers as the kernel leaves them when it starts a new image. */
void regs_set_process_start(tracee_regs *r, uint64_t ip, uint64_t sp);

/* What kind of stop a thread is in, from PTRACE_GET_SYSCALL_INFO, and through which ABI it entered. */
enum syscall_stop_kind {
	STOP_NOT_SYSCALL,
	STOP_SYSCALL_ENTRY,
	STOP_SYSCALL_EXIT,
	STOP_SYSCALL_SECCOMP,
};
int tracee_syscall_info(pid_t tid, enum syscall_stop_kind *kind, enum abi *abi);
struct seccomp_data;
/* At a seccomp stop: the call as the thread's filters saw it (number, arch, ip, arguments). 0 or -errno. */
int tracee_seccomp_data(pid_t tid, struct seccomp_data *d);
/* At a signal-delivery stop: what the kernel says of the signal (si_code, si_addr). 0 or -errno. */
int tracee_siginfo(pid_t tid, siginfo_t *si);

/* Memory. Return bytes moved or -errno (-EFAULT for a bad address). */
ssize_t tracee_read(pid_t tid, uint64_t addr, void *buf, size_t len);
ssize_t tracee_write(pid_t tid, uint64_t addr, const void *buf, size_t len);
/* A write the thread itself could make: never into memory its protection keeps it from writing (-EFAULT). */
ssize_t tracee_write_as_program(pid_t tid, uint64_t addr, const void *buf, size_t len);
/* Several writes at once: 0 or -errno. */
struct tracee_chunk {
	uint64_t addr;
	const void *buf;
	size_t len;
};
int tracee_write_many(pid_t tid, const struct tracee_chunk *chunks, int n);
/* Read a NUL-terminated string of at most max-1 bytes: its length, -EFAULT, or -ENAMETOOLONG. */
ssize_t tracee_read_string(pid_t tid, uint64_t addr, char *buf, size_t max);
/* Read a NULL-terminated pointer array (argv/envp). *out is malloc'd; returns count or -errno. */
ssize_t tracee_read_ptr_array(pid_t tid, uint64_t addr, int ptr_size, uint64_t **out, size_t max);

/*
 * The open file behind thread tid's descriptor fd (tgid: its process), as a
 * descriptor of picovisor's own (pidfd_getfd: the same open file, whatever the
 * program does with fd afterwards; close-on-exec). Never reopened by a name.
 * The descriptor, or -errno (-EBADF: no such descriptor).
 */
int tracee_take_fd(pid_t tid, pid_t tgid, int fd);
/* Does thread tid's descriptor fd name the file (dev, ino)? Takes a copy for a moment only. */
bool tracee_fd_names_file(pid_t tid, pid_t tgid, int fd, uint64_t dev, uint64_t ino);

#endif
