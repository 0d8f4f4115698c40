/*
 * NtTerminateThread of another thread that is running the program's own
 * code (a computing loop that makes no service call): the supervisor sends
 * it SIGURG, and at that signal's stop (never delivered) sends the thread
 * to a syscall instruction of ntdll's code with a number no service has.
 * That call stops at its seccomp stop like any, where the thread, marked as
 * ending, ends (nt_personality.c). A thread parked in a wait, or inside a
 * Linux call a service runs for it, ends where it is (nt_system.c), and is
 * never sent the signal.
 *
 * Where the instruction is comes from the process's memory, which the
 * program controls: if it has changed ntdll's code, the thread runs what is
 * there instead, which is its own code under its own filter, as any of its
 * instructions is (every system call of an NT process stops).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "nt_internal.h"

#define THREAD_STOP_SIGNAL SIGURG /* ignored by default: one sent to a thread that ended already does nothing */
#define NO_SERVICE 0xFFFF         /* in no build's table: the call's end is STATUS_INVALID_SYSTEM_SERVICE */
#define SCAN_MAX ((size_t)4 << 20) /* bytes read in all, whatever sections the (program's) headers claim */

void nt_thread_interrupt(struct tracee *target)
{
	host_signal_thread(target, THREAD_STOP_SIGNAL);
}

static uint32_t le32(const unsigned char *b)
{
	uint32_t v;

	memcpy(&v, b, 4);
	return v;
}

/* A syscall instruction in an executable section of the process's ntdll, or 0. */
static uint64_t ntdll_syscall_insn(struct tracee *t)
{
	const struct nt_process *np = nt_process_of(t);
	uint64_t base = np->start.ntdll_base, found = 0;
	unsigned char hdr[4096], sec[40];
	pid_t tid = host_tid(t);
	uint32_t pe, nsec, opt;
	size_t budget = SCAN_MAX;

	if (!base || tracee_read(tid, base, hdr, sizeof(hdr)) != (ssize_t)sizeof(hdr))
		return 0;
	pe = le32(hdr + 0x3c);
	if (pe > sizeof(hdr) - 0x18 || memcmp(hdr + pe, "PE\0\0", 4) != 0)
		return 0;
	nsec = (uint32_t)(hdr[pe + 6] | hdr[pe + 7] << 8);
	opt = (uint32_t)(hdr[pe + 0x14] | hdr[pe + 0x15] << 8);
	for (uint32_t i = 0; i < nsec && i < 96 && !found; i++) {
		size_t at = pe + 0x18 + opt + (size_t)i * 40, size;
		uint32_t rva;
		unsigned char *text;

		if (at + 40 > sizeof(hdr))
			break;
		memcpy(sec, hdr + at, 40);
		if (!(le32(sec + 36) & 0x20000000)) /* IMAGE_SCN_MEM_EXECUTE */
			continue;
		rva = le32(sec + 12);
		size = le32(sec + 8) < budget ? le32(sec + 8) : budget;
		budget -= size;
		text = malloc(size);
		if (text && size >= SYSCALL_INSN_LEN && tracee_read(tid, base + rva, text, size) == (ssize_t)size)
			for (size_t k = 0; k + 1 < size; k++)
				if (text[k] == 0x0f && text[k + 1] == 0x05) {
					found = base + rva + k;
					break;
				}
		free(text);
	}
	return found;
}

int nt_thread_stop_signal(struct tracee *t, int sig)
{
	struct nt_thread *th = nt_thread_state(t);
	tracee_regs r;
	uint64_t insn;

	if (sig != THREAD_STOP_SIGNAL || !th || !th->terminating)
		return sig;
	if (th->call.active)
		return 0; /* in a service: it ends when its Linux call returns */
	insn = ntdll_syscall_insn(t);
	if (!insn || regs_get(host_tid(t), &r) < 0)
		return 0; /* nowhere to send it: it runs on until its next service call */
	regs_set_ip(&r, insn);
	regs_set_retval(&r, NO_SERVICE); /* rax: the number the instruction makes (the number it was stopped in stays) */
	nt_go_on(t, &r, false);
	return -1;
}
