/*
 * The NT personality: every system call of an NT process is an NT service
 * (docs/nt.md, "Dispatch"). The number in eax selects it from the selected Windows
 * build's table; arguments 1-4 are in r10, rdx, r8, r9 and the rest on the
 * stack above the return address and shadow space. A service either answers
 * at once (the call is skipped and rax gets the NTSTATUS) or has the thread
 * run Linux calls in its place, one at a time, and answers after the last.
 * Nothing the program issues ever reaches Linux as a Linux call: the NT
 * filter stops every call, and only calls the personality wrote run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "arch.h"
#include "nt_internal.h"
#include "nt_memory.h"
#include "personality.h"
#include "util.h"

/* Linux returns these when a signal interrupted a call that is to be restarted. */
#define ERESTARTSYS 512
#define ERESTART_RESTARTBLOCK 516

static const nt_serve_fn handlers[NT_SERVICE_COUNT] = {
#define NT_SERVICE(name, n19045, n22631, classes, ...) [NT_ID_##name] = nt_serve_##name,
#include "nt_services.def"
#undef NT_SERVICE
};

struct nt_process *nt_process_of(struct tracee *t)
{
	return host_process_state(t);
}

struct nt_thread *nt_thread_of(struct tracee *t)
{
	if (!nt_thread_state(t))
		host_set_thread_state(t, xcalloc(1, sizeof(struct nt_thread)));
	return nt_thread_state(t);
}

struct nt_call *nt_call_of(struct tracee *t)
{
	return &nt_thread_of(t)->call;
}

int nt_get(struct tracee *t, uint64_t addr, void *buf, size_t len)
{
	if (len == 0)
		return 0;
	return tracee_read(host_tid(t), addr, buf, len) == (ssize_t)len ? 0 : -EFAULT;
}

/*
 * Out-parameters go where the program could write itself and nowhere else:
 * not into read-only memory (its code, .rdata, ntdll), and never into the
 * scratch area, whose bytes other threads' calls are built from. Windows
 * answers STATUS_ACCESS_VIOLATION for both.
 */
int nt_put(struct tracee *t, uint64_t addr, const void *buf, size_t len)
{
	if (len == 0)
		return 0;
	if (addr + len < addr || host_scratch_overlaps(t, addr, len))
		return -EFAULT;
	return tracee_write_as_program(host_tid(t), addr, buf, len) == (ssize_t)len ? 0 : -EFAULT;
}

/*
 * As NT's ProbeForWrite: each page of the range is read and written back,
 * so the range must be memory the program could write itself (nt_put's
 * rule). A write by another thread between the read and the write-back is
 * lost, as it is on NT.
 */
int nt_probe_write(struct tracee *t, uint64_t addr, size_t len)
{
	unsigned char byte;

	if (len == 0)
		return 0;
	if (addr + len < addr || addr + len > NT_USER_LIMIT)
		return -EFAULT;
	for (uint64_t at = addr; at < addr + len; at = (at | 4095) + 1)
		if (nt_get(t, at, &byte, 1) || nt_put(t, at, &byte, 1))
			return -EFAULT;
	return 0;
}

void nt_put_iosb(struct tracee *t, uint64_t iosb, ntstatus status, uint64_t information)
{
	unsigned char b[16] = { 0 };

	memcpy(b, &status, 4);
	memcpy(b + 8, &information, 8);
	nt_put(t, iosb, b, sizeof(b));
}

uint64_t nt_scratch_put(struct tracee *t, size_t off, const void *data, size_t len)
{
	int err = 0;
	uint64_t slot = host_scratch_slot(t, regs_sp(&nt_call_of(t)->regs), &err);

	if (!slot || off + len > SCRATCH_SLOT_SIZE || host_scratch_write(t, slot + off, data, len) < 0)
		return 0;
	return slot + off;
}

uint64_t nt_work(struct tracee *t)
{
	return nt_thread_of(t)->work;
}

/* What a call holds between its steps (its state, its name for the trace) is let go. */
static void call_release(struct nt_call *c)
{
	free(c->name);
	c->name = NULL;
	if (c->p_free)
		c->p_free(c->p);
	else
		free(c->p);
	c->p = NULL;
	c->p_free = NULL;
}

void nt_go_on(struct tracee *t, const tracee_regs *r, bool exit_stop)
{
	struct verdict v = { .kind = VERDICT_RESUME, .set_regs = true, .regs = *r, .want_exit = exit_stop };
	struct nt_thread *nt = nt_thread_of(t);

	if (nt_hold_if_suspended(t, &v)) { /* suspended: it stays stopped here (nt_suspend.c) */
		if (nt->verdict)
			*nt->verdict = (struct verdict){ .kind = VERDICT_HELD };
		return;
	}
	if (nt->verdict)
		*nt->verdict = v;
	else
		host_release(t, &v);
}

/* The call answers status and the thread goes on with registers r, rax = rax. At a seccomp stop the call is skipped. */
static void answer(struct tracee *t, ntstatus status, const tracee_regs *regs, uint64_t rax)
{
	struct nt_call *c = nt_call_of(t);
	tracee_regs r = *regs;
	bool at_exit = c->at_exit;

	if (nt_thread_state(t) && nt_thread_state(t)->terminating) { /* another thread ended it meanwhile: it does not return */
		nt_thread_end(t, nt_thread_state(t)->terminate_status);
		return;
	}

	c->status = status;
	if (host_tracing())
		nt_trace_call(t, true);
	if (nt_thread_state(t)->ctx_override) { /* NtSetContextThread while it was in this service */
		tracee_regs given = nt_thread_state(t)->ctx_regs;

		nt_thread_state(t)->ctx_override = false;
		regs_set_syscall_nr(&given, regs_syscall_nr(&r));
		r = given;
	}
	if (!at_exit)
		regs_set_syscall_nr(&r, -1); /* skipped (this sets rax too: the status goes in after) */
	regs_set_retval(&r, (long)rax);
	c->active = false;
	c->at_exit = false;
	call_release(c);
	nt_go_on(t, &r, false);
}

/* Give the program its registers back, rax = status. */
void nt_done(struct tracee *t, ntstatus status)
{
	struct nt_call *c = nt_call_of(t);

	answer(t, status, &c->regs, (uint64_t)status);
}

void nt_done_with_regs(struct tracee *t, ntstatus status, const tracee_regs *r)
{
	answer(t, status, r, (uint64_t)regs_retval(r));
}

/*
 * A service's second and later Linux calls cannot be written at a seccomp
 * stop: the thread is at the exit of the one before. It is sent back over
 * the program's syscall instruction instead, and those bytes belong to the
 * program: another thread may have made them anything. So the call is
 * accepted at its seccomp stop only if it arrives exactly as written (its
 * number, all six arguments, entered from that instruction); anything else
 * is skipped and ends the service (nt_syscall_enter).
 */
static void chain_expect(struct nt_call *c, const tracee_regs *r)
{
	c->chain = *r;
	regs_set_ip(&c->chain, regs_ip(&c->regs)); /* where a seccomp stop of that instruction reports */
	c->chained = true;
}

static bool chain_arrived(const struct nt_call *c, const tracee_regs *r)
{
	if (regs_syscall_nr(r) != regs_syscall_nr(&c->chain) || regs_ip(r) != regs_ip(&c->chain))
		return false;
	for (int i = 0; i < 6; i++)
		if (regs_arg(r, ABI_NATIVE, i) != regs_arg(&c->chain, ABI_NATIVE, i))
			return false;
	return true;
}

void nt_restart(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	tracee_regs r = c->regs;

	regs_set_syscall_nr(&r, -1); /* skipped here; rax and ip as before the syscall instruction ran */
	regs_set_retval(&r, regs_syscall_nr(&c->regs));
	regs_set_ip(&r, regs_ip(&c->regs) - SYSCALL_INSN_LEN);
	c->active = false;
	c->at_exit = false;
	call_release(c);
	nt_go_on(t, &r, false);
}

void nt_linux(struct tracee *t, nt_then_fn then, long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
	      uint64_t a4, uint64_t a5)
{
	struct nt_call *c = nt_call_of(t);
	const uint64_t a[6] = { a0, a1, a2, a3, a4, a5 };
	tracee_regs r = c->regs;

	regs_set_syscall_nr(&r, nr);
	for (int i = 0; i < 6; i++)
		regs_set_arg(&r, ABI_NATIVE, i, a[i]);
	c->st[7] = (uint64_t)nr; /* kept to restart it after a signal */
	if (c->at_exit || c->from_signal) {
		/* Back over the syscall instruction: it runs again as this call and stops at its seccomp stop. */
		regs_set_ip(&r, regs_ip(&c->regs) - SYSCALL_INSN_LEN);
		regs_set_retval(&r, nr);
		chain_expect(c, &r);
	}
	c->then = then;
	if (c->chained) {
		/* Not PTRACE_SYSCALL from here: its entry stop would come before the seccomp stop. After a SIGILL
		 * (nt_signal), which is not delivered, the thread is released from here. */
		c->from_signal = false;
		nt_go_on(t, &r, false);
		return;
	}
	nt_go_on(t, &r, true);
}

/*
 * A 32-bit argument (ULONG, BOOLEAN, an access mask...) leaves the upper half
 * of its register or stack slot undefined in the x64 convention: keep only
 * what the callee may read, so that services and the trace see the value.
 */
static void normalise_args(struct nt_call *c)
{
	static const uint8_t bytes[] = {
		[NK_BOOL] = 1,	       [NK_ULONG] = 4,	     [NK_LONG] = 4,	     [NK_ACCESS] = 4,
		[NK_SHARE] = 4,	       [NK_DISPOSITION] = 4, [NK_CREATE_OPTIONS] = 4, [NK_FILE_INFO_CLASS] = 4,
		[NK_MEM_TYPE] = 4,     [NK_PROTECT] = 4,     [NK_NTSTATUS] = 4,
	};

	for (int i = 0; i < nt_service_nargs(c->svc); i++) {
		uint8_t k = c->svc->args[i].kind, n = k < sizeof(bytes) ? bytes[k] : 0;

		if (n == 1)
			c->a[i] = (uint8_t)c->a[i];
		else if (n == 4)
			c->a[i] = (uint32_t)c->a[i];
	}
}

/*
 * NT's system services probe the out-parameters every call of theirs writes
 * before they act (ProbeForWriteIoStatus, ProbeForWriteHandle): an
 * IO_STATUS_BLOCK, or the handle a call returns, that the program could not
 * write itself is STATUS_ACCESS_VIOLATION with nothing done, not a file read,
 * written or made whose result then has nowhere to go. The arguments' kinds
 * in nt_services.def say which these are. (A NULL handle out-parameter is
 * left to the service: NtDuplicateObject's is optional.)
 */
static bool out_params_writable(struct tracee *t, const struct nt_call *c)
{
	for (int i = 0; i < nt_service_nargs(c->svc); i++) {
		uint8_t k = c->svc->args[i].kind;

		if (k == NK_IOSB && nt_probe_write(t, c->a[i], 16))
			return false;
		if (k == NK_HANDLE_OUT && c->a[i] && nt_probe_write(t, c->a[i], 8))
			return false;
	}
	return true;
}

static void serve(struct tracee *t, const struct syscall_stop *s, bool from_signal)
{
	struct nt_call *c = nt_call_of(t);
	int nargs;

	call_release(c);
	memset(c, 0, sizeof(*c));
	c->active = true;
	c->from_signal = from_signal;
	c->regs = s->regs;
	c->nr = (uint32_t)regs_syscall_nr(&s->regs);
	c->t0 = host_tracing() ? monotonic_ns() : 0;
	/* Bits 12-13 choose the table: only the nt table (0) is served, not win32k's. */
	c->svc = c->nr < 0x1000 ? nt_service_of(c->nr) : NULL;
	if (!c->svc) {
		nt_done(t, STATUS_INVALID_SYSTEM_SERVICE);
		return;
	}
	nargs = nt_service_nargs(c->svc);
	for (int i = 0; i < nargs && i < 4; i++)
		c->a[i] = regs_nt_arg(&s->regs, i);
	if (nargs > 4 && nt_get(t, regs_sp(&s->regs) + 0x28, &c->a[4], (size_t)(nargs - 4) * 8) < 0) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	normalise_args(c);
	if (!out_params_writable(t, c)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	nt_kuser_touch(nt_process_of(t));
	if (nt_thread_state(t)->terminating) { /* another thread ended it: its next call is its end */
		nt_thread_end(t, nt_thread_state(t)->terminate_status);
		return;
	}
	handlers[c->svc - nt_services](t);
}

static void enter(struct tracee *t, const struct syscall_stop *s);

static void nt_syscall_enter(struct tracee *t, const struct syscall_stop *s)
{

	/* Held unless a service lets it go on (nt_go_on): a wait parks it. */
	s->verdict->kind = VERDICT_HELD;
	nt_thread_of(t)->verdict = s->verdict;
	enter(t, s);
	if (nt_thread_state(t))
		nt_thread_state(t)->verdict = NULL;
}

static void enter(struct tracee *t, const struct syscall_stop *s)
{
	struct nt_call *c = nt_call_of(t);

	/*
	 * Every call of an NT process stops here through its own filter (the
	 * newest, whose word wins), whatever filter of the run stopped it too: no
	 * stop lets a call through but the one written below. (The gate's calls,
	 * which the NT filter allows, stop only for a filter of the run.)
	 */
	if (c->active && c->chained) {
		c->chained = false;
		if (chain_arrived(c, &s->regs)) {
			/* The next Linux call of a service, back at its seccomp stop as written: it runs now. */
			*s->verdict = (struct verdict){ .kind = VERDICT_RESUME, .want_exit = true };
			return;
		}
		/*
		 * Not what was written (the instruction was changed under it): the
		 * service is abandoned, what arrived is skipped, and the program's
		 * call returns STATUS_INTERNAL_ERROR with its own registers.
		 */
		c->then = NULL;
		c->at_exit = false;
		nt_done(t, STATUS_INTERNAL_ERROR);
		return;
	}
	if (s->abi != ABI_NT) {
		/*
		 * A Linux call the NT filter let through (one of the gate's: policy/filter.c, filter_bpf_nt) that
		 * a filter of the run asked to see for its own decision. That decision is not taken here: the
		 * call is refused (ENOSYS), and ntdll asks for the service instead (translate/nt/dlls/ntdll/gate.c).
		 */
		tracee_regs r = s->regs;

		regs_set_syscall_nr(&r, -1);
		regs_set_retval(&r, -ENOSYS);
		*s->verdict = (struct verdict){ .kind = VERDICT_RESUME, .set_regs = true, .regs = r };
		return;
	}
	serve(t, &(struct syscall_stop){ .abi = ABI_NT, .nr = s->nr, .regs = s->regs }, false);
}

static void syscall_exit(struct tracee *t);

static void nt_syscall_exit(struct tracee *t, struct verdict *v)
{
	nt_thread_of(t)->verdict = v;
	syscall_exit(t);
	if (nt_thread_state(t))
		nt_thread_state(t)->verdict = NULL;
}

static void syscall_exit(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	tracee_regs r;
	nt_then_fn then = c->then;
	long ret;

	if (!c->active || !then || regs_get(host_tid(t), &r) < 0)
		return;
	c->at_exit = true;
	ret = regs_retval(&r);
	if (ret <= -ERESTARTSYS && ret >= -ERESTART_RESTARTBLOCK) {
		/* A signal (a stop, say) interrupted it: run it again, as the kernel would have. */
		tracee_regs again = r;
		regs_set_ip(&again, regs_ip(&c->regs) - SYSCALL_INSN_LEN);
		regs_set_retval(&again, (long)c->st[7]);
		chain_expect(c, &again);
		nt_go_on(t, &again, false); /* as in nt_linux: to its seccomp stop */
		return;
	}
	c->then = NULL;
	then(t, ret);
}

/*
 * Linux lets two numbers past every seccomp filter (uretprobe 335 and uprobe
 * 336, since 6.11/6.16) and answers them, from anywhere but its trampolines,
 * with SIGILL. For an NT process those are services like any other (Windows
 * 11 23H2's NtQueryFullAttributesFile is 0x14F): the SIGILL right after such
 * a syscall instruction is served as the call, and never delivered.
 */
static bool passed_by_seccomp(struct tracee *t, tracee_regs *r)
{
	unsigned char insn[SYSCALL_INSN_LEN];
	long nr;

	if (regs_get(host_tid(t), r) < 0)
		return false;
	nr = regs_syscall_nr(r);
	return (nr == 335 || nr == 336) && tracee_read(host_tid(t), regs_ip(r) - SYSCALL_INSN_LEN, insn, sizeof(insn)) == 2 &&
	       insn[0] == 0x0f && insn[1] == 0x05;
}

static int nt_signal(struct tracee *t, int sig)
{
	uint32_t st = nt_exception_status_of_signal(sig);
	struct syscall_stop s;

	sig = nt_thread_stop_signal(t, sig); /* another thread's NtTerminateThread */
	if (sig <= 0)
		return sig;

	if (sig == SIGILL && !nt_call_of(t)->active && passed_by_seccomp(t, &s.regs)) {
		s.abi = ABI_NT;
		s.nr = regs_syscall_nr(&s.regs);
		s.entry = NULL;
		s.data = 0;
		serve(t, &s, true);
		return -1;
	}

	/* A fault of the program's own code: an NT exception, dispatched in the thread (nt_exception.c). */
	if (!nt_call_of(t)->active && nt_exception_from_signal(t, sig))
		return -1;
	if (st)
		host_set_process_status(t, st, true);
	return sig;
}

static void nt_exit_thread(struct tracee *t)
{
	nt_suspend_thread_gone(t);
	if (nt_thread_state(t) && nt_thread_state(t)->waiting)
		nt_wait_cancel(t);
	if (nt_process_of(t)) {
		uint32_t st;

		nt_mutants_abandon(nt_process_of(t), host_tid(t));
		nt_thread_exited(t, host_process_status(t, &st) ? st : STATUS_SUCCESS);
	}
	if (nt_thread_state(t)) {
		nt_apcs_free(t);
		call_release(&nt_thread_state(t)->call);
		free(nt_thread_state(t));
		host_set_thread_state(t, NULL);
	}
}

static void process_free(struct nt_process *np)
{
	if (!np)
		return;
	nt_kuser_detach(np);
	for (int i = 0; i < np->nhandles; i++)
		if (np->handles[i].obj && nt_object_release(np->handles[i].obj))
			nt_object_free(np->handles[i].obj);
	free(np->handles);
	nt_allocs_free(np);
	free(np);
}

static void nt_exit_process(struct pico_process *p, int wait_status)
{
	(void)wait_status;
	nt_pipes_forget(host_process_tgid(p));
	process_free(nt_process_state_of(p));
	host_set_process_state_of(p, NULL);
}

static unsigned nt_trapped_classes(enum abi abi)
{
	(void)abi;
	return ~0u; /* the NT filter stops everything */
}

const struct personality personality_nt = {
	.name = "nt",
	.sees_every_call = true, /* the gate's in-process calls open nothing (ntdll/gate.c) */
	.syscall_enter = nt_syscall_enter,
	.signal = nt_signal,
	.exit_thread = nt_exit_thread,
	.exit_process = nt_exit_process,
	.trapped_classes = nt_trapped_classes,
	.syscall_exit = nt_syscall_exit,
	.task_created = nt_task_created,
	.task_start = nt_task_start,
	.interrupted = nt_interrupted,
	.tick = nt_waits_tick,
};

/* The standard streams: file objects on the tracee's fds 0, 1 and 2. Did it get the handle it must have? */
static bool add_std_handle(struct nt_process *np, int fd, uint32_t access, uint32_t want)
{
	struct nt_object *o = nt_object_new(NT_TYPE_FILE);

	o->file.fd = fd;
	o->file.sync_io = true;
	o->file.share = 7;
	return nt_handle_add(np, o, access | 0x100000 /* SYNCHRONIZE */ | 0x80 /* READ_ATTRIBUTES */) == want;
}

static uint32_t page_protect_of(int prot)
{
	static const uint32_t map[8] = {
		[0] = 0x01, [PROT_READ] = 0x02, [PROT_READ | PROT_WRITE] = 0x04, [PROT_WRITE] = 0x04,
		[PROT_EXEC] = 0x10, [PROT_READ | PROT_EXEC] = 0x20, [PROT_READ | PROT_WRITE | PROT_EXEC] = 0x40,
		[PROT_WRITE | PROT_EXEC] = 0x40,
	};
	return map[prot & 7];
}

void nt_process_add_region(struct tracee *t, uint64_t alloc_base, uint64_t alloc_size, uint64_t base, uint64_t size,
			   int prot, bool image)
{
	struct nt_process *np = nt_process_of(t);
	struct nt_alloc *a = nt_alloc_find(np, alloc_base);

	if (!a)
		a = nt_alloc_add(np, alloc_base, alloc_size, image ? 0x80 /* EXECUTE_WRITECOPY */ : 0x04,
				 image ? 0x1000000 /* MEM_IMAGE */ : 0x20000 /* MEM_PRIVATE */);
	if (prot)
		nt_alloc_set(a, base, base + ((size + 4095) & ~4095ULL), page_protect_of(prot));
}

const char *nt_process_start(struct tracee *t, const struct nt_start *s)
{
	struct nt_process *np = xcalloc(1, sizeof(*np));

	np->kuser_mem_fd = -1;
	if (!add_std_handle(np, 0, 0x1 | 0x20000, NT_HANDLE_STDIN) ||      /* FILE_READ_DATA | READ_CONTROL */
	    !add_std_handle(np, 1, 0x2 | 0x4 | 0x20000, NT_HANDLE_STDOUT) || /* WRITE_DATA | APPEND_DATA */
	    !add_std_handle(np, 2, 0x2 | 0x4 | 0x20000, NT_HANDLE_STDERR)) {
		process_free(np);
		return "internal error: the standard handles are not the first of the handle table";
	}
	process_free(nt_process_of(t));
	np->start = *s;
	host_set_process_state(t, np);
	host_set_personality(t, &personality_nt);
	nt_exit_thread(t);
	nt_thread_of(t)->teb = s->teb;
	nt_thread_state(t)->work = s->work;
	nt_kuser_attach(t);
	nt_gate_attach(t);
	return NULL;
}
