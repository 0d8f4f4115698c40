/*
 * Loading a PE32+ image into the blank tracee (the NT personality's half of
 * exec_load.c). One executor batch reserves the image and picovisor's
 * ntdll.dll at their preferred bases (elsewhere if taken: both relocate),
 * maps each section with its protection, maps the environment area and the
 * stack, points GS at the TEB, maps the sealed scratch area and stacks the
 * NT filter (every later system call is an NT service). Then the supervisor
 * writes the relocated images and the environment through /proc/PID/mem and
 * starts the first thread in ntdll's LdrInitializeThunk, which links the
 * program's imports and loads the DLLs it needs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/prctl.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../run/event_loop.h"
#include "exec_job_internal.h"
#include "filter.h"
#include "nt.h"
#include "pe_image.h"
#include "../run/own_filters.h"
#include "../run/scratch.h"
#include "stub.h"
#include "trace.h"
#include "util.h"

#define DEFAULT_STACK_RESERVE (1UL << 20)
#define DEFAULT_STACK_COMMIT PV_PAGE_SIZE

/* What the batch leaves below the stub's stack for pe_load_done. */
struct pe_load_report {
	uint64_t main_base, ntdll_base, env, stack;
	uint64_t scratch_addr;
	int64_t seal_ret;
	int64_t filter_ret;
};

/* What pe_load_start learnt that pe_load_done needs: kept with the job. */
struct pe_load_state {
	struct nt_env_in env;
	size_t env_size;
	uint64_t stack_size;
	char cwd[PATH_MAX];
};

static struct pe_load_state *state_of(struct exec_job *j)
{
	return (struct pe_load_state *)j->pe_state;
}

/* Reserve an image at its preferred base (the kernel's choice if taken) and map its sections; the base op. */
static int map_pe(struct batch_builder *b, const struct pe_image *img, uint64_t report_field)
{
	const int stop = PV_OPF_STOP_ON_ERROR;
	int base, op;

	base = batch_op(b, SYS_mmap, img->image_base, img->size_of_image, PROT_NONE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, (uint64_t)-1, 0, stop);
	op = batch_op(b, SYS_mmap, 0, page_up(img->size_of_headers), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		      (uint64_t)-1, 0, stop);
	batch_rel(b, op, 0, base);
	for (int i = 0; i < img->nsec; i++) {
		const struct pe_section *s = &img->sec[i];

		if (!s->prot || !s->vsize)
			continue; /* stays reserved, inaccessible */
		op = batch_op(b, SYS_mmap, s->rva, page_up(s->vsize), (uint64_t)s->prot,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, (uint64_t)-1, 0, stop);
		batch_rel(b, op, 0, base);
	}
	op = batch_op(b, PV_OP_STORE, report_field, 0, 0, 0, 0, 0, 0);
	batch_rel(b, op, 1, base);
	return base;
}

static void read_strings(pid_t tid, const uint64_t *addrs, size_t n, char ***out)
{
	char **v = xcalloc(n + 1, sizeof(*v));

	for (size_t i = 0; i < n; i++) {
		char buf[PATH_MAX * 4];
		ssize_t len = tracee_read_string(tid, addrs[i], buf, sizeof(buf));

		v[i] = xstrdup(len >= 0 ? buf : "");
	}
	*out = v;
}

void pe_load_start(struct tracee *t)
{
	struct exec_job *j = t->job;
	const struct pe_plan *pe = j->plan.pe;
	uint64_t region = PV_STUB_BASE + PV_PAGE_SIZE;
	struct pe_load_state *ls;
	struct pe_load_report report;
	struct initial_stack st;
	struct batch_builder *b;
	struct sock_fprog prog;
	void *filter;
	size_t filter_len;
	uint64_t at;
	char link[64];
	ssize_t n;
	tracee_regs r;
	int env_op, stack_op, op;

	regs_get(t->tid, &r);
	if (exec_read_initial_stack(t->tid, regs_sp(&r), &st)) {
		exec_load_failed(t, "cannot read the initial stack");
		return;
	}
	ls = xcalloc(1, sizeof(*ls));
	j->pe_state = ls;
	ls->env.argc = (int)st.argc;
	ls->env.envc = (int)st.envc;
	read_strings(t->tid, st.argv, st.argc, &ls->env.argv);
	read_strings(t->tid, st.envp, st.envc, &ls->env.envp);
	initial_stack_free(&st);
	snprintf(link, sizeof(link), "/proc/%d/cwd", t->tid);
	n = readlink(link, ls->cwd, sizeof(ls->cwd) - 1);
	ls->cwd[n > 0 ? n : 0] = '\0';
	ls->env.cwd_host = ls->cwd;
	ls->env.image_host = j->plan.exe_path ? j->plan.exe_path : j->plan.filename;
	ls->env.tls_template_size = pe->tls.data_size;
	ls->env.tls_zero_fill = pe->tls.zero_fill;
	ls->env_size = nt_env_size(&ls->env);
	ls->stack_size = page_up(pe->main.stack_reserve ? pe->main.stack_reserve : DEFAULT_STACK_RESERVE);
	j->report_addr = (regs_sp(&r) - 2 * sizeof(report) - 4096) & ~15UL;

	b = xmalloc(sizeof(*b));
	batch_init(b, region);
	batch_op(b, SYS_munmap, PV_STUB_BASE, PV_PAGE_SIZE, 0, 0, 0, 0, PV_OPF_STOP_ON_ERROR);
	map_pe(b, &pe->main, j->report_addr + offsetof(struct pe_load_report, main_base));
	map_pe(b, &pe->ntdll, j->report_addr + offsetof(struct pe_load_report, ntdll_base));
	env_op = batch_op(b, SYS_mmap, 0, ls->env_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, (uint64_t)-1, 0,
			  PV_OPF_STOP_ON_ERROR);
	op = batch_op(b, PV_OP_STORE, j->report_addr + offsetof(struct pe_load_report, env), 0, 0, 0, 0, 0, 0);
	batch_rel(b, op, 1, env_op);
	/* KUSER_SHARED_DATA: read-only for the program; the supervisor writes it (translate/nt/nt_kuser.c) */
	batch_op(b, SYS_mmap, NT_KUSER_ADDR, NT_KUSER_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		 (uint64_t)-1, 0, PV_OPF_STOP_ON_ERROR);
	stack_op = batch_op(b, SYS_mmap, 0, ls->stack_size, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, (uint64_t)-1, 0, PV_OPF_STOP_ON_ERROR);
	op = batch_op(b, PV_OP_STORE, j->report_addr + offsetof(struct pe_load_report, stack), 0, 0, 0, 0, 0, 0);
	batch_rel(b, op, 1, stack_op);
	/* NtCurrentTeb() reads the thread register the machine gives it: that points at the first thread's TEB. */
	op = batch_op(b, ARCH_NT_SET_TEB_NR, ARCH_NT_SET_TEB_ARG0, 0x1000, 0, 0, 0, 0, PV_OPF_STOP_ON_ERROR);
	batch_rel(b, op, 1, env_op);
	at = batch_put(b, j->plan.comm, strlen(j->plan.comm) + 1);
	batch_op(b, SYS_prctl, PR_SET_NAME, at, 0, 0, 0, 0, 0);
	if (!j->plan.main_path)
		batch_op(b, SYS_close, (uint64_t)j->main_fd, 0, 0, 0, 0, 0, 0);
	batch_map_scratch(b, SCRATCH_SIZE, j->report_addr + offsetof(struct pe_load_report, scratch_addr),
			  j->report_addr + offsetof(struct pe_load_report, seal_ret));
	/* Last: from here on every system call of the process stops as an NT service. */
	filter_bpf_nt(&filter, &filter_len);
	prog.len = (unsigned short)(filter_len / sizeof(struct sock_filter));
	prog.filter = (struct sock_filter *)(uintptr_t)batch_put(b, filter, filter_len);
	free(filter);
	at = batch_put(b, &prog, sizeof(prog));
	batch_op(b, SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0, PV_OPF_STOP_ON_ERROR);
	batch_op(b, SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, at, 0, 0, 0, PV_OPF_STOP_ON_ERROR);
	j->layout.final_op = batch_op(b, SYS_munmap, region, PV_EXEC_REGION_SIZE, 0, 0, 0, 0, 0);

	memset(&report, 0, sizeof(report));
	{
		struct tracee_chunk chunks[] = {
			{ j->report_addr, &report, sizeof(report) },
			{ region, pv_executor_code, (size_t)(pv_executor_code_end - pv_executor_code) },
			{ b->data_addr, b->data, batch_size(b) },
		};
		if (tracee_write_many(t->tid, chunks, (int)ARRAY_SIZE(chunks)) < 0) {
			free(b);
			exec_load_failed(t, "cannot write into the blank process");
			return;
		}
	}
	exec_load_run_executor(t, &r, region, b->data_addr);
	free(b);
}

/* Write the headers and each section of a laid-out image (not the inaccessible gaps). */
static int write_image(pid_t tid, const struct pe_image *img, const unsigned char *mem, uint64_t base)
{
	if (tracee_write(tid, base, mem, page_up(img->size_of_headers)) < 0)
		return -1;
	for (int i = 0; i < img->nsec; i++) {
		const struct pe_section *s = &img->sec[i];

		if (s->prot && s->vsize && tracee_write(tid, base + s->rva, mem + s->rva, s->vsize) < 0)
			return -1;
	}
	return 0;
}

/* The NT personality's memory map learns the image's sections and their protections. */
static void record_image(struct tracee *t, const struct pe_image *img, uint64_t base)
{
	nt_process_add_region(t, base, img->size_of_image, base, img->size_of_headers, PROT_READ, true);
	for (int i = 0; i < img->nsec; i++)
		nt_process_add_region(t, base, img->size_of_image, base + img->sec[i].rva, img->sec[i].vsize,
				      img->sec[i].prot, true);
}

static void free_state(struct exec_job *j)
{
	struct pe_load_state *ls = state_of(j);

	if (!ls)
		return;
	for (int i = 0; i < ls->env.argc; i++)
		free(ls->env.argv[i]);
	for (int i = 0; i < ls->env.envc; i++)
		free(ls->env.envp[i]);
	free(ls->env.argv);
	free(ls->env.envp);
	free(ls);
	j->pe_state = NULL;
}

void pe_load_done(struct tracee *t)
{
	struct exec_job *j = t->job;
	const struct pe_plan *pe = j->plan.pe;
	struct pe_load_state *ls = state_of(j);
	struct pe_load_report rep;
	struct load_error err;
	struct nt_start start;
	unsigned char *main_mem = NULL, *dll_mem = NULL, *env = NULL, probe, kuser[NT_KUSER_SIZE];
	const char *fail = NULL;
	tracee_regs r;
	uint64_t sp;

	exec_load_suspend_filter(t, false);
	if (regs_get(t->tid, &r) < 0 || regs_retval(&r) != 0 ||
	    tracee_read(t->tid, PV_STUB_BASE + PV_PAGE_SIZE, &probe, 1) != -EFAULT ||
	    tracee_read(t->tid, j->report_addr, &rep, sizeof(rep)) < 0) {
		fail = "the executor crashed";
		goto out;
	}
	if ((rep.main_base != pe->main.image_base && !pe->main.relocatable) ||
	    (rep.ntdll_base != pe->ntdll.image_base && !pe->ntdll.relocatable)) {
		fail = "the image's preferred base address is taken and it has no relocations";
		goto out;
	}
	main_mem = xmalloc(pe->main.size_of_image);
	memcpy(main_mem, pe->main.mem, pe->main.size_of_image);
	dll_mem = xmalloc(pe->ntdll.size_of_image);
	memcpy(dll_mem, pe->ntdll.mem, pe->ntdll.size_of_image);
	/* the imports are linked by ntdll's loader in the process (LdrInitializeThunk) */
	if (pe_relocate(&pe->main, main_mem, rep.main_base, &err) || pe_relocate(&pe->ntdll, dll_mem, rep.ntdll_base, &err)) {
		fail = err.why;
		goto out;
	}
	if (pe->tls.index_rva)
		memset(main_mem + pe->tls.index_rva, 0, 4); /* the module's TLS index: the first slot */
	ls->env.image_base = rep.main_base;
	ls->env.entry = rep.main_base + pe->main.entry_rva;
	ls->env.tls_template = pe->tls.data_size ? main_mem + pe->tls.data_rva : NULL;
	if (pe->tls.callbacks_rva) {
		uint64_t first;
		memcpy(&first, main_mem + pe->tls.callbacks_rva, 8);
		ls->env.tls_callbacks = first ? rep.main_base + pe->tls.callbacks_rva : 0;
	}
	ls->env.stack_base = rep.stack + ls->stack_size;
	ls->env.stack_limit = ls->env.stack_base -
			      page_up(pe->main.stack_commit ? pe->main.stack_commit : DEFAULT_STACK_COMMIT);
	ls->env.pid = (uint32_t)t->proc->tgid;
	ls->env.tid = (uint32_t)t->tid;
	env = xcalloc(1, ls->env_size);
	nt_env_build(&ls->env, rep.env, env, &start);
	nt_kuser_build(kuser);
	if (write_image(t->tid, &pe->main, main_mem, rep.main_base) < 0 ||
	    write_image(t->tid, &pe->ntdll, dll_mem, rep.ntdll_base) < 0 ||
	    tracee_write(t->tid, rep.env, env, ls->env_size) < 0 || tracee_write(t->tid, NT_KUSER_ADDR, kuser, NT_KUSER_SIZE) < 0) {
		fail = "cannot write the image into the process";
		goto out;
	}
	start.image_base = rep.main_base;
	start.ntdll_base = rep.ntdll_base;
	start.image_size = pe->main.size_of_image;
	start.ntdll_size = pe->ntdll.size_of_image;
	start.stack_reserve_lo = rep.stack;
	start.tls_size = pe->tls.data_size + pe->tls.zero_fill;
	start.tls_template = pe->tls.data_size ? rep.main_base + pe->tls.data_rva : 0;
	start.tls_template_size = pe->tls.data_size;
	start.ntdll_thread_start = rep.ntdll_base + pe->ntdll_thread_start;
	start.ntdll_apc_dispatcher = pe->ntdll_apc_dispatcher ? rep.ntdll_base + pe->ntdll_apc_dispatcher : 0;
	start.handle_stdin = NT_HANDLE_STDIN;
	start.handle_stdout = NT_HANDLE_STDOUT;
	start.handle_stderr = NT_HANDLE_STDERR;
	/* As if LdrInitializeThunk had been called: a return address (none) and its shadow space above. */
	sp = ls->env.stack_base - 0x28;
	regs_set_process_start(&r, rep.ntdll_base + pe->ntdll_process_start, sp);
	regs_set_win64_arg(&r, 0, start.start_block);
	regs_set(t->tid, &r);
	fail = nt_process_start(t, &start);
	if (fail)
		goto out;
	record_image(t, &pe->main, rep.main_base);
	record_image(t, &pe->ntdll, rep.ntdll_base);
	nt_process_add_region(t, rep.env, ls->env_size, rep.env, ls->env_size, PROT_READ | PROT_WRITE, false);
	nt_process_add_region(t, rep.stack, ls->stack_size, rep.stack, ls->stack_size, PROT_READ | PROT_WRITE, false);
out:
	free(main_mem);
	free(dll_mem);
	free(env);
	if (fail) {
		exec_load_failed(t, fail);
		return;
	}
	free_state(j);
	{
		void *filter;
		size_t filter_len;

		filter_bpf_nt(&filter, &filter_len); /* the batch stacked it (or failed the load) */
		t->filters = filter_chain_push(t->filters, filter, filter_len);
		free(filter);
	}
	exec_load_finish(t, true, rep.scratch_addr, rep.seal_ret, 1);
}

void pe_load_state_free(struct exec_job *j)
{
	free_state(j);
}
