/* Seccomp filters from the syscall table, with libseccomp. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "arch.h"
#include "filter.h"
#include "syscall_table.h"
#include "trace.h"
#include "util.h"

/* The first thing libseccomp refused since the last filter_error() (never a die(): the caller decides). */
static char build_error[256];

static void check(int rc, const char *what)
{
	if (rc < 0 && !build_error[0])
		snprintf(build_error, sizeof(build_error), "%s: %s", what, strerror(-rc));
}

const char *filter_error(void)
{
	static char taken[sizeof(build_error)];

	if (!build_error[0])
		return NULL;
	memcpy(taken, build_error, sizeof(taken));
	build_error[0] = '\0';
	return taken;
}

/* ctx, or NULL (and ctx released) if a step of building it failed. */
static scmp_filter_ctx built(scmp_filter_ctx ctx)
{
	if (!ctx || !build_error[0])
		return ctx;
	seccomp_release(ctx);
	return NULL;
}

void *filter_abi_context(enum abi abi, uint32_t default_action, uint32_t other_arches, bool nnp)
{
	scmp_filter_ctx ctx = seccomp_init(default_action);

	if (!ctx) {
		check(-ENOMEM, "seccomp_init");
		return NULL;
	}
	check(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, nnp ? 1 : 0), "no_new_privs attribute");
	check(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, other_arches), "the action for other architectures");
	/* A binary tree of the numbers: an untrapped call passes in a few comparisons, not a chain of them. */
	check(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2), "the filter's layout");
	if (abi != ABI_NATIVE) {
		check(seccomp_arch_add(ctx, arch_abi_info(abi)->scmp_arch), "adding an architecture");
		check(seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE), "removing the native architecture");
	}
	return built(ctx);
}

/* What the filter does with one call of an ABI. */
static uint32_t action_for(const struct syscall_entry *e, unsigned classes, enum abi abi,
			   const struct trace_selection *sel)
{
	const struct arch_abi *a = arch_abi_info(abi);

	if (e->flags & classes) {
		/* An ABI without a loader of ours (x32): its exec calls fail as on a kernel without it. */
		if (!a->loads)
			return (e->flags & (SC_EXEC | SC_SECCOMP)) ? SCMP_ACT_ERRNO(ENOSYS) : SCMP_ACT_ALLOW;
		return SCMP_ACT_TRACE(filter_trace_data(abi, true));
	}
	/* Calls of an ABI the decoders do not know (x32) are not traced. */
	if (sel && a->traced && trace_selection_has(sel, abi, e->nr))
		return SCMP_ACT_TRACE(filter_trace_data(abi, false) |
				      (syscall_decoded_at_entry(e) ? FILTER_DATA_DECODE_AT_ENTRY : 0));
	return SCMP_ACT_ALLOW;
}

/*
 * One context per ABI, since each ABI has its own numbers and its own trace
 * data. Numbers the table does not know are traced when everything is (strace
 * shows them too). other_arches: what the context does with calls of other
 * ABIs (when it is loaded alone rather than merged).
 */
static scmp_filter_ctx abi_filter(unsigned classes, enum abi abi, const struct trace_selection *sel, bool nnp,
				  uint32_t other_arches)
{
	uint32_t default_action = sel && sel->unknown && arch_abi_info(abi)->traced ? SCMP_ACT_TRACE(filter_trace_data(abi, false))
									  : SCMP_ACT_ALLOW;
	scmp_filter_ctx ctx = filter_abi_context(abi, default_action, other_arches, nnp);
	const struct syscall_entry *t;
	int count;

	if (!ctx)
		return NULL;
	t = syscall_table(abi, &count);
	for (int i = 0; i < count; i++) {
		uint32_t action = action_for(&t[i], classes, abi, sel);
		int nr, opt = -1;

		if (action == default_action)
			continue;
		/* libseccomp takes native (or pseudo) numbers and renumbers them per architecture. */
		nr = abi == ABI_NATIVE ? t[i].nr : seccomp_syscall_resolve_name(t[i].name);
		if (nr == __NR_SCMP_ERROR)
			continue; /* newer than this libseccomp knows for that ABI: the default applies */
		if ((t[i].flags & classes & SC_SECCOMP) && (opt = syscall_arg_index(abi, &t[i], K_PRCTL_OPTION)) >= 0 &&
		    action_for(&t[i], classes & ~SC_SECCOMP, abi, sel) == default_action) {
			/* prctl: only its seccomp options (an int: compared on 32 bits, as the kernel reads it). */
			static const uint64_t options[] = { PR_GET_SECCOMP, PR_SET_SECCOMP };

			for (size_t k = 0; k < ARRAY_SIZE(options); k++)
				check(seccomp_rule_add(ctx, action, nr, 1,
						       SCMP_CMP((unsigned)opt, SCMP_CMP_MASKED_EQ, 0xffffffffu, options[k])),
				      t[i].name);
			continue;
		}
		check(seccomp_rule_add(ctx, action, nr, 0), t[i].name);
	}
	return built(ctx);
}

/* Every ABI in one filter: possible when the contexts agree on their default (libseccomp's rule). */
static scmp_filter_ctx build_merged(const unsigned classes[ABI_LINUX_COUNT], const struct trace_selection *sel, bool nnp)
{
	scmp_filter_ctx ctx = abi_filter(classes[ABI_NATIVE], ABI_NATIVE, sel, nnp, SCMP_ACT_KILL_PROCESS);
	int n;
	const struct arch_abi *abis = arch_abis(&n);

	for (int i = 0; ctx && i < n; i++) {
		scmp_filter_ctx other;

		if (abis[i].abi == ABI_NATIVE)
			continue;
		other = abi_filter(classes[abis[i].abi], abis[i].abi, sel, nnp, SCMP_ACT_KILL_PROCESS);
		if (!other)
			break;
		check(seccomp_merge(ctx, other), "merging architectures"); /* takes other, merged or not */
	}
	return built(ctx);
}

/* The filters of a run, loaded in order. */
struct run_filter {
	scmp_filter_ctx ctx[ABI_LINUX_COUNT + 1];
	int n;
};

static void *run_filter_done(struct run_filter *f)
{
	if (!build_error[0])
		return f;
	for (int i = 0; i < f->n; i++)
		if (f->ctx[i])
			seccomp_release(f->ctx[i]);
	free(f);
	return NULL;
}

void *filter_build(const unsigned classes[ABI_LINUX_COUNT], const struct trace_selection *sel, bool set_no_new_privs)
{
	struct run_filter *f = xcalloc(1, sizeof(*f));
	scmp_filter_ctx gate;
	int n;
	const struct arch_abi *abis = arch_abis(&n);

	if (!sel || !sel->unknown) {
		f->ctx[f->n++] = build_merged(classes, sel, set_no_new_privs);
		return run_filter_done(f);
	}
	/*
	 * Tracing (nearly) everything: each ABI's default is its own trace
	 * action, which libseccomp cannot merge. Merging by listing hundreds of
	 * rules instead takes libseccomp some 13 ms to compile at every start, so
	 * each ABI gets a filter of its own that passes other ABIs' calls on, and
	 * a gate in front kills calls of any architecture none of them knows.
	 */
	gate = seccomp_init(SCMP_ACT_ALLOW);
	if (!gate) {
		check(-ENOMEM, "seccomp_init");
		return run_filter_done(f);
	}
	check(seccomp_attr_set(gate, SCMP_FLTATR_CTL_NNP, set_no_new_privs ? 1 : 0), "no_new_privs attribute");
	check(seccomp_attr_set(gate, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS), "the action for other architectures");
	for (int i = 0; i < n; i++)
		if (abis[i].abi != ABI_NATIVE)
			check(seccomp_arch_add(gate, abis[i].scmp_arch), "adding an architecture");
	f->ctx[f->n++] = gate;
	/* The native ABI's last: once it is in, the loading calls themselves would stop (the next call is the exec). */
	for (int i = n; i-- > 0;)
		f->ctx[f->n++] = abi_filter(classes[abis[i].abi], abis[i].abi, sel, set_no_new_privs, SCMP_ACT_ALLOW);
	return run_filter_done(f);
}

int filter_ctx_bpf(void *ctx, void **bytes, size_t *len)
{
	struct stat st;
	int fd, rc = 0;

	fd = memfd_create("picovisor-filter", MFD_CLOEXEC);
	if (fd < 0 || seccomp_export_bpf(ctx, fd) < 0 || fstat(fd, &st) < 0 || st.st_size <= 0) {
		rc = -EIO;
		goto out;
	}
	*len = (size_t)st.st_size;
	*bytes = xmalloc(*len);
	if (pread(fd, *bytes, *len, 0) != (ssize_t)*len) {
		free(*bytes);
		rc = -EIO;
	}
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

int filter_bpf_for_classes(unsigned classes, void **bytes, size_t *len)
{
	unsigned per_abi[ABI_LINUX_COUNT];
	scmp_filter_ctx ctx;
	int rc;

	for (enum abi abi = 0; abi < ABI_LINUX_COUNT; abi++)
		per_abi[abi] = arch_abi_info(abi) ? classes : 0;
	ctx = build_merged(per_abi, NULL, true);
	if (!ctx) {
		filter_error(); /* told as the errno: the caller's call or load fails */
		return -ENOMEM;
	}
	rc = filter_ctx_bpf(ctx, bytes, len);
	seccomp_release(ctx);
	return rc;
}

/*
 * An NT process's own filter, stacked by its loader on the run's: every
 * system call it makes is an NT service (the numbers mean nothing to Linux),
 * so every one stops for the personality. The Linux calls the personality
 * writes in their place pass when the kernel re-runs the filters after the
 * stop (a TRACE result on that re-check allows). Other ABIs are killed.
 *
 * Except the calls the syscall table marks SC_NT_GATE (the time, a yield, a
 * sleep), made from the gate's syscall instruction (gate_ip: the address past
 * it) or from the process's vDSO ([vdso_lo, vdso_hi), when it has one), with a
 * K_CLOCKID argument naming CLOCK_REALTIME or CLOCK_MONOTONIC: those are
 * allowed here, so ntdll serves those services without a stop. The run's
 * filters below still decide them. Nothing else is decided by the address: a
 * program that jumps to the gate with its own registers can make those calls
 * and nothing more, which it gains nothing by, and an NT service made from
 * there with a number that is one of theirs is the program's own confusion.
 */
struct bpf_asm {
	struct sock_filter insn[256]; /* eight gate calls of at most 20 instructions, and the dispatch */
	int target[256][2]; /* label of jt, jf (-1: the next instruction) */
	int label_at[8];
	int n;
	bool broken; /* it did not fit, or a jump went back or too far: the caller is told, no filter is made */
};

enum { L_ALLOW, L_TRACE, L_VDSO, L_ARGS, L_LABELS };

static void emit(struct bpf_asm *a, struct sock_filter f, int jt, int jf)
{
	if (a->n >= (int)ARRAY_SIZE(a->insn)) {
		a->broken = true;
		return;
	}
	a->target[a->n][0] = jt;
	a->target[a->n][1] = jf;
	a->insn[a->n++] = f;
}

static void label(struct bpf_asm *a, int l)
{
	a->label_at[l] = a->n;
}

/* The labels to offsets; every jump is forward (labels are placed after their uses). */
static void resolve(struct bpf_asm *a, int from, int to)
{
	for (int i = from; i < to; i++)
		for (int k = 0; k < 2; k++) {
			int l = a->target[i][k], off = l < 0 ? 0 : a->label_at[l] - i - 1;

			if (off < 0 || off > 255) {
				a->broken = true;
				continue;
			}
			if (k == 0)
				a->insn[i].jt = (uint8_t)off;
			else
				a->insn[i].jf = (uint8_t)off;
		}
}

#define IP_LO offsetof(struct seccomp_data, instruction_pointer)
#define IP_HI (offsetof(struct seccomp_data, instruction_pointer) + 4)
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (size_t)(i))
#define ARG_HI(i) (ARG_LO(i) + 4)
#define LD(off) (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (uint32_t)(off))
#define JEQ(k) (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(k), 0, 0)
#define JGE(k) (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (uint32_t)(k), 0, 0)
#define RET(k) (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, (uint32_t)(k))

/* One gate call's checks, from its number's match: where it was made, then its clock. */
static void gate_call_block(struct bpf_asm *a, const struct syscall_entry *e, uint64_t gate_ip, uint64_t vdso_lo,
			    uint64_t vdso_hi)
{
	int clock = syscall_kind_arg(e, K_CLOCKID), first = a->n;
	bool vdso = vdso_hi > vdso_lo && vdso_lo >> 32 == (vdso_hi - 1) >> 32 && (uint32_t)vdso_hi != 0;

	emit(a, LD(IP_HI), -1, -1);
	emit(a, JEQ(gate_ip >> 32), -1, L_VDSO);
	emit(a, LD(IP_LO), -1, -1);
	emit(a, JEQ((uint32_t)gate_ip), L_ARGS, L_VDSO);
	label(a, L_VDSO);
	if (vdso) {
		emit(a, LD(IP_HI), -1, -1);
		emit(a, JEQ(vdso_lo >> 32), -1, L_TRACE);
		emit(a, LD(IP_LO), -1, -1);
		emit(a, JGE((uint32_t)vdso_lo), -1, L_TRACE);
		emit(a, JGE((uint32_t)vdso_hi), L_TRACE, L_ARGS);
	} else {
		emit(a, RET(SECCOMP_RET_TRACE | filter_trace_data(ABI_NT, true)), -1, -1);
	}
	label(a, L_ARGS);
	if (clock >= 0) {
		emit(a, LD(ARG_HI(clock)), -1, -1);
		emit(a, JEQ(0), -1, L_TRACE);
		emit(a, LD(ARG_LO(clock)), -1, -1);
		emit(a, JEQ(CLOCK_REALTIME), L_ALLOW, -1);
		emit(a, JEQ(CLOCK_MONOTONIC), L_ALLOW, L_TRACE);
	}
	label(a, L_ALLOW);
	emit(a, RET(SECCOMP_RET_ALLOW), -1, -1);
	label(a, L_TRACE);
	emit(a, RET(SECCOMP_RET_TRACE | filter_trace_data(ABI_NT, true)), -1, -1);
	resolve(a, first, a->n);
}

int filter_bpf_nt(void **bytes, size_t *len, uint64_t gate_ip, uint64_t vdso_lo, uint64_t vdso_hi)
{
	struct bpf_asm a = { .n = 0 };
	const struct syscall_entry *gate[8];
	int total, ngate = 0, dispatch;
	const struct syscall_entry *t = syscall_table(ABI_NATIVE, &total);

	for (int k = 0; k < total; k++)
		if ((t[k].flags & SC_NT_GATE) && ngate < (int)ARRAY_SIZE(gate))
			gate[ngate++] = &t[k];
	emit(&a, LD(offsetof(struct seccomp_data, arch)), -1, -1);
	emit(&a, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH_AUDIT_NATIVE, 1, 0), -1, -1);
	emit(&a, RET(SECCOMP_RET_KILL_PROCESS), -1, -1);
	emit(&a, LD(offsetof(struct seccomp_data, nr)), -1, -1);
	/* One comparison per gate call, each jumping to its block; anything else is a service. */
	dispatch = a.n;
	for (int k = 0; k < ngate; k++)
		emit(&a, JEQ(gate[k]->nr), -1, -1);
	emit(&a, RET(SECCOMP_RET_TRACE | filter_trace_data(ABI_NT, true)), -1, -1);
	for (int k = 0; k < ngate; k++) {
		int off = a.n - (dispatch + k) - 1;

		if (off > 255)
			a.broken = true;
		a.insn[dispatch + k].jt = (uint8_t)off;
		gate_call_block(&a, gate[k], gate_ip, vdso_lo, vdso_hi);
	}
	if (a.broken) { /* more gate calls in the table than this filter's size was made for */
		*bytes = NULL;
		*len = 0;
		return -1;
	}
	*len = (size_t)a.n * sizeof(struct sock_filter);
	*bytes = xmalloc(*len);
	memcpy(*bytes, a.insn, *len);
	return 0;
}

/*
 * What a thread's strict mode allows (kernel/seccomp.c, mode1_syscalls): read,
 * write, _exit and sigreturn, in the numbers of the ABI the call came in by.
 * Everything else, x32 numbers too, stops with FILTER_DATA_STRICT: the
 * supervisor ends the thread as strict mode does (SIGKILL), which no filter
 * action can.
 */
int filter_bpf_strict(void **bytes, size_t *len)
{
	struct {
		enum abi abi;
		uint32_t arch;
	} abis[4];
	const uint32_t violation = SECCOMP_RET_TRACE | FILTER_DATA_STRICT;
	struct sock_filter prog[64];
	size_t n = 0, nabis = 0, block[ARRAY_SIZE(abis)], allow;
	int nr[ARRAY_SIZE(abis)][8], count[ARRAY_SIZE(abis)] = { 0 }, narch;
	const struct arch_abi *arch = arch_abis(&narch);

	/* The machine's ABIs with an arch of their own (an ABI a number bit selects falls to the violation). */
	for (int i = 0; i < narch && nabis < ARRAY_SIZE(abis); i++)
		if (!arch[i].nr_bit) {
			abis[nabis].abi = arch[i].abi;
			abis[nabis++].arch = arch[i].audit_arch;
		}
	/* The numbers each ABI's table marks SC_STRICT_MODE. */
	for (size_t a = 0; a < nabis; a++) {
		int total;
		const struct syscall_entry *t = syscall_table(abis[a].abi, &total);

		for (int k = 0; k < total; k++)
			if ((t[k].flags & SC_STRICT_MODE) && count[a] < 8)
				nr[a][count[a]++] = t[k].nr;
	}
	/* Layout: the arch dispatch, then per ABI a load of nr, its comparisons and a violation, then ALLOW. */
	block[0] = 2 + nabis;
	for (size_t a = 1; a < nabis; a++)
		block[a] = block[a - 1] + 2 + (size_t)count[a - 1];
	allow = block[nabis - 1] + 2 + (size_t)count[nabis - 1];
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	for (size_t a = 0; a < nabis; a++, n++)
		prog[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, abis[a].arch, (uint8_t)(block[a] - n - 1), 0);
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, violation);
	for (size_t a = 0; a < nabis; a++) {
		prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
		for (int k = 0; k < count[a]; k++, n++)
			prog[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr[a][k],
							       (uint8_t)(allow - n - 1), 0);
		prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, violation);
	}
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	*len = n * sizeof(prog[0]);
	*bytes = xmalloc(*len);
	memcpy(*bytes, prog, *len);
	return 0;
}

int filter_export(void *filter, void ***bytes, size_t **lens)
{
	struct run_filter *f = filter;

	*bytes = xcalloc((size_t)f->n, sizeof(**bytes));
	*lens = xcalloc((size_t)f->n, sizeof(**lens));
	for (int i = 0; i < f->n; i++)
		if (filter_ctx_bpf(f->ctx[i], &(*bytes)[i], &(*lens)[i]) < 0) {
			for (int k = 0; k < i; k++)
				free((*bytes)[k]);
			free(*bytes);
			free(*lens);
			return -EIO;
		}
	return f->n;
}
