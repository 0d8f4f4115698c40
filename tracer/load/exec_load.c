/* Loading an image into the blank process the stub exec made: see tracer/load/exec_job.h. */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/personality.h>
#include <sys/random.h>
#include <unistd.h>

#include "../run/event_loop.h"
#include "arch.h"
#include "exec_job_internal.h"
#include "filter.h"
#include "guest_view.h"
#include "../run/options.h"
#include "../run/own_filters.h"
#include "sandbox.h"
#include "../run/scratch.h"
#include "../run/spawn.h"
#include "stub.h"
#include "trace.h"
#include "tracee.h"
#include "util.h"

/* Does this process want its layout randomised? ASLR on, and no ADDR_NO_RANDOMIZE (setarch -R). */
static bool wants_randomization(pid_t tid)
{
	char path[64];
	unsigned long persona = 0;
	FILE *f;

	if (!run_options()->randomize)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/personality", tid);
	f = fopen(path, "re");
	if (f) {
		if (fscanf(f, "%lx", &persona) != 1)
			persona = 0;
		fclose(f);
	}
	return !(persona & ADDR_NO_RANDOMIZE);
}

static uint64_t random_pages(bool randomize, uint64_t range_pages)
{
	uint64_t r = 0;

	if (!randomize || range_pages == 0)
		return 0;
	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
		return 0;
	return (r % range_pages) * PV_PAGE_SIZE;
}

/* The BPF of the filter that traps readlink, built once; NULL if libseccomp cannot make it. */
static const void *readlink_filter(size_t *len)
{
	static void *bytes;
	static size_t size;
	static bool tried;

	if (!tried) {
		tried = true;
		if (filter_bpf_for_classes(SC_READLINK, &bytes, &size) < 0)
			bytes = NULL;
	}
	*len = size;
	return bytes;
}

/* Read the stub's initial stack: from sp up to where its auxv ends. */
int exec_read_initial_stack(pid_t tid, uint64_t sp, struct initial_stack *st)
{
	size_t cap = 0, len = 0;
	unsigned char *buf = NULL;
	int rc = -EFAULT;

	while (len < (8u << 20)) {
		size_t chunk = PV_PAGE_SIZE - ((sp + len) & (PV_PAGE_SIZE - 1));
		ssize_t n;

		if (len + chunk > cap)
			buf = xrealloc(buf, cap = (cap + chunk) * 2);
		n = tracee_read(tid, sp + len, buf + len, chunk);
		if (n <= 0)
			break;
		len += (size_t)n;
		if (initial_stack_parse(buf, len, sp, st) == 0) {
			rc = 0;
			break;
		}
	}
	free(buf);
	return rc;
}

/*
 * While the executor runs its batch, the calls a trace selects would each stop
 * for nothing (they are picovisor's, never recorded): a tracer with
 * CAP_SYS_ADMIN may switch the thread's filter off meanwhile. The thread runs
 * only the executor then, with every signal blocked.
 */
void exec_load_suspend_filter(struct tracee *t, bool suspend)
{
	if (!trace_enabled() || !run_options()->may_skip_nnp)
		return;
	ptrace(PTRACE_SETOPTIONS, t->tid, 0, PV_PTRACE_OPTIONS | (suspend ? PTRACE_O_SUSPEND_SECCOMP : 0));
}

void exec_load_failed(struct tracee *t, const char *what)
{
	char *why = xasprintf("loading %s failed after the old image was gone (%s)", t->job->path, what);

	exec_load_suspend_filter(t, false);
	exec_job_free(t);
	tracee_kill_process(t, why);
	free(why);
}

/* The stub is in place: map the plan with one run of the executor. */
void exec_load_start(struct tracee *t)
{
	struct exec_job *j = t->job;
	const struct elf_image *m = &j->plan.main;
	uint64_t region = PV_STUB_BASE + PV_PAGE_SIZE, orig_execfn = 0;
	struct initial_stack st;
	struct stack_image img;
	struct load_params p;
	struct batch_builder *b;
	struct load_report report;
	bool randomize;
	tracee_regs r;

	regs_get(t->tid, &r);
	/* A filter of the program's could answer the batch's calls: what it reports is checked at the end. */
	j->filters_before = t->foreign_filters ? load_check_filter_count(t->tid) : -1;
	if (j->plan.pe) {
		pe_load_start(t);
		return;
	}
	if (exec_read_initial_stack(t->tid, regs_sp(&r), &st)) {
		exec_load_failed(t, "cannot read the initial stack");
		return;
	}
	for (size_t i = 0; i < st.nauxv; i++)
		if (st.auxv[i][0] == AT_EXECFN)
			orig_execfn = st.auxv[i][1];
	initial_stack_set_aux(&st, AT_PHENT, sizeof(Elf64_Phdr));
	initial_stack_set_aux(&st, AT_PHNUM, m->phnum);
	initial_stack_set_aux(&st, AT_PHDR, 0);
	initial_stack_set_aux(&st, AT_ENTRY, 0);
	initial_stack_set_aux(&st, AT_BASE, 0);
	initial_stack_set_aux(&st, AT_SECURE, 0);
	initial_stack_set_aux(&st, AT_FLAGS, 0);
	stack_image_build(&st, j->plan.filename, &img);
	j->start_sp = img.sp;
	j->report_addr = (img.sp - 2 * sizeof(struct load_report)) & ~15UL; /* just below the program's stack */

	memset(&p, 0, sizeof(p));
	p.plan = &j->plan;
	p.main_fd = j->plan.main_path ? -1 : j->main_fd;
	p.region = region;
	p.stub_text = PV_STUB_BASE;
	p.stub_text_len = PV_PAGE_SIZE;
	p.stack_page = regs_sp(&r) & ~(PV_PAGE_SIZE - 1);
	p.stack = &img;
	p.st = &st;
	p.orig_execfn = orig_execfn;
	p.report_addr = j->report_addr;
	randomize = wants_randomization(t->tid);
	/* Where binfmt_elf puts a PIE with an interpreter (ELF_ET_DYN_BASE), and its brk offset range. */
	p.pie_hint = ARCH_PIE_BASE + random_pages(randomize, ARCH_PIE_RANDOM_PAGES);
	p.brk_offset = random_pages(randomize, ARCH_BRK_RANDOM_PAGES);
	p.set_exe_file = run_options()->may_set_exe;
	/* Every sandboxed image: checked copies (paths, seccomp filters) go there (scratch.h). */
	p.scratch_size = guest_view() || sandbox_get() ? SCRATCH_SIZE : 0;
	if (p.set_exe_file && !t->proc->readlink_trapped)
		p.readlink_filter = readlink_filter(&p.readlink_filter_len);
	b = xmalloc(sizeof(*b));
	load_batch_build(b, &p, &j->layout);

	memset(&report, 0, sizeof(report));
	struct tracee_chunk chunks[] = {
		{ img.sp, img.bytes, img.len },
		{ j->report_addr, &report, sizeof(report) },
		{ region, pv_executor_code, (size_t)(pv_executor_code_end - pv_executor_code) },
		{ b->data_addr, b->data, batch_size(b) },
	};
	if (tracee_write_many(t->tid, chunks, (int)ARRAY_SIZE(chunks)) < 0) {
		free(b);
		free(img.bytes);
		initial_stack_free(&st);
		exec_load_failed(t, "cannot write into the blank process");
		return;
	}
	exec_load_run_executor(t, &r, region, b->data_addr);
	free(b);
	free(img.bytes);
	initial_stack_free(&st);
}

void exec_load_run_executor(struct tracee *t, tracee_regs *r, uint64_t region, uint64_t batch)
{
	/* Call the executor as a function of its batch, with its stack at the top of its region. */
	regs_set_ip(r, region);
	regs_set_sp(r, region + PV_EXEC_REGION_SIZE - 8);
	regs_set_arg(r, ABI_NATIVE, 0, batch);
	regs_set(t->tid, r);
	t->job->stage = STAGE_BATCH;
	t->resume = RESUME_CONT;
	exec_load_suspend_filter(t, true);
	tracee_resume(t, 0);
}

/* The executor stopped on its int3: an op it needed failed. Say which, and why. */
void exec_load_trapped(struct tracee *t)
{
	uint64_t at = PV_STUB_BASE + PV_PAGE_SIZE + PV_EXEC_DATA_OFFSET;
	struct pv_batch hdr;
	struct pv_op op;
	char what[160];

	if (tracee_read(t->tid, at, &hdr, sizeof(hdr)) < 0 || hdr.failed_at == 0 ||
	    tracee_read(t->tid, at + sizeof(hdr) + (hdr.failed_at - 1) * sizeof(op), &op, sizeof(op)) < 0) {
		exec_load_failed(t, "the executor stopped for no reason it recorded");
		return;
	}
	snprintf(what, sizeof(what), "system call %lld (op %u) failed: %s", (long long)op.nr, hdr.failed_at - 1,
		 strerror((int)-op.ret));
	exec_load_failed(t, what);
}

/*
 * The executor unmapped itself and faulted on its next instruction: the load is
 * complete. Start the program with the registers the kernel gives a new image.
 */
void exec_load_done(struct tracee *t)
{
	struct exec_job *j = t->job;
	struct load_report rep;
	unsigned char probe;
	tracee_regs r;

	if (j->plan.pe) {
		pe_load_done(t);
		return;
	}
	exec_load_suspend_filter(t, false);
	if (regs_get(t->tid, &r) < 0 || regs_retval(&r) != 0 ||
	    tracee_read(t->tid, PV_STUB_BASE + PV_PAGE_SIZE, &probe, 1) != -EFAULT ||
	    tracee_read(t->tid, j->report_addr, &rep, sizeof(rep)) < 0) {
		exec_load_failed(t, "the executor crashed");
		return;
	}
	/*
	 * Files the executor opened by path must be the ones planned from: a rename
	 * meanwhile would map another file. No instruction of the image has run yet.
	 */
	if ((j->plan.main_path && ((uint64_t)rep.main_st.st_dev != j->plan.main_dev ||
				   (uint64_t)rep.main_st.st_ino != j->plan.main_ino)) ||
	    (j->plan.has_interp && ((uint64_t)rep.interp_st.st_dev != j->plan.interp_dev ||
				    (uint64_t)rep.interp_st.st_ino != j->plan.interp_ino))) {
		exec_load_failed(t, "a file the executor opened by path is not the one checked and planned (it was replaced)");
		return;
	}
	/* The kernel refused the exe (privileges dropped): did the readlink filter go in instead? */
	if (j->layout.readlink_filter_op >= 0 && rep.exe_ret < 0 && rep.filter_ret == 0) {
		size_t len;
		const void *bytes = readlink_filter(&len);

		t->proc->readlink_trapped = true;
		t->filters = filter_chain_push(t->filters, bytes, len); /* a filter of picovisor's from now on */
	}
	regs_set_process_start(&r, rep.entry, j->start_sp);
	regs_set(t->tid, &r);
	exec_load_finish(t, j->layout.scratch_op >= 0, rep.scratch_addr, rep.seal_ret,
			 j->layout.readlink_filter_op >= 0 && rep.exe_ret < 0 && rep.filter_ret == 0);
}

void exec_load_finish(struct tracee *t, bool has_scratch, uint64_t scratch_addr, int64_t seal_ret, int stacked)
{
	struct exec_job *j = t->job;
	const struct exec_plan *pl = &j->plan;
	const char *wrong;

	if (j->filters_before >= 0 &&
	    (wrong = load_check(t, has_scratch, scratch_addr, j->filters_before + stacked))) {
		exec_load_failed(t, wrong);
		return;
	}

	exec_job_set_mask(t->tid, j->saved_mask);
	free(t->proc->exe_path);
	t->proc->exe_path = pl->exe_path ? xstrdup(pl->exe_path) : NULL;
	t->proc->loaded = true;
	scratch_release(t);
	scratch_unref(t->proc->scratch);
	t->proc->scratch = has_scratch ? scratch_new(scratch_addr, seal_ret == 0) : NULL;
	if (t->proc->scratch && !t->proc->scratch->sealed) {
		static bool said;
		if (!said && !run_options()->quiet)
			warn("note: this kernel cannot seal memory (mseal: %s; Linux 6.10): the area that holds translated "
			     "paths is read-only but a thread could mprotect it", strerror((int)-seal_ret));
		said = true;
	}
	exec_job_free(t);
	trace_call_done(t, 0);
	trace_exec(t);
	trace_call_free(t); /* its argv copy */
	tracee_resume(t, 0); /* the SIGSEGV was ours: never delivered */
}
