/* The load batch: what ops a plan becomes, and the executor running a batch for real. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <elf.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "loader.h"
#include "../../tracer/load/stub.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static struct elf_segment segs[2] = {
	{ .vaddr = 0x400000, .memsz = 0x1800, .filesz = 0x1800, .offset = 0, .prot = PROT_READ | PROT_EXEC },
	{ .vaddr = 0x403e10, .memsz = 0x3000, .filesz = 0x200, .offset = 0x2e10, .prot = PROT_READ | PROT_WRITE },
};

static void static_plan(struct exec_plan *p)
{
	memset(p, 0, sizeof(*p));
	p->main.type = ET_EXEC;
	p->main.entry = 0x401000;
	p->main.phdr_vaddr = 0x400040;
	p->main.phnum = 4;
	p->main.seg = segs;
	p->main.nseg = 2;
	p->main.lo = 0x400000;
	p->main.hi = 0x407000;
	p->comm = "prog";
	p->filename = "/prog";
}

Test(load_batch, static_image_becomes_the_kernels_mappings)
{
	static struct batch_builder b;
	struct exec_plan plan;
	struct initial_stack st = { 0 };
	struct stack_image img = { .sp = 0x7ff000000, .auxv_addr = 0x7ff000040, .auxv_len = 32 };
	struct load_params p = { 0 };
	struct load_layout out;
	struct pv_op *op;

	static_plan(&plan);
	p.plan = &plan;
	p.main_fd = 5;
	p.region = 0x2f0000001000;
	p.stub_text = 0x2f0000000000;
	p.stub_text_len = 4096;
	p.stack = &img;
	p.st = &st;
	p.report_addr = 0x7fefffe00;
	load_batch_build(&b, &p, &out);
	op = b.batch->op;
	cr_expect_eq(op[0].nr, SYS_munmap, "the stub's text goes first");
	cr_expect_eq(op[0].arg[0], 0x2f0000000000);
	cr_expect_eq(op[1].nr, SYS_mmap);
	cr_expect_eq(op[1].arg[0], 0x400000);
	cr_expect_eq(op[1].arg[1], 0x7000);
	cr_expect(op[1].arg[3] & MAP_FIXED_NOREPLACE, "ET_EXEC must not replace a mapping");
	cr_expect_eq(out.main_base_op, 1);
	/* Text: file-backed over the reservation. */
	cr_expect_eq(op[2].nr, SYS_mmap);
	cr_expect_eq(op[2].arg[0], 0, "relative to the reservation");
	cr_expect_eq(op[2].rel & 1, 1);
	cr_expect_eq(op[2].arg[1], 0x2000);
	cr_expect_eq(op[2].arg[4], 5);
	/* The hole between the segments is unmapped, as the kernel leaves it. */
	cr_expect_eq(op[3].nr, SYS_munmap);
	cr_expect_eq(op[3].arg[0], 0x2000);
	cr_expect_eq(op[3].arg[1], 0x1000);
	/* Data with a partial bss page: mapped, then the tail of its last file page zeroed. */
	cr_expect_eq(op[4].nr, SYS_mmap);
	cr_expect_eq(op[4].arg[0], 0x3000);
	cr_expect_eq(op[4].arg[5], 0x2000);
	cr_expect_eq(op[5].nr, PV_OP_ZERO);
	cr_expect_eq(op[5].arg[0], 0x4010);
	cr_expect_eq(op[5].arg[1], 0xff0);
	/* The rest of bss is anonymous. */
	cr_expect_eq(op[6].nr, SYS_mmap);
	cr_expect_eq(op[6].arg[0], 0x5000);
	cr_expect_eq(op[6].arg[1], 0x2000);
	cr_expect(op[6].arg[3] & MAP_ANONYMOUS);
	cr_expect_eq(b.batch->op[out.final_op].nr, SYS_munmap);
	cr_expect_eq(b.batch->op[out.final_op].arg[0], 0x2f0000001000, "the executor unmaps itself last");
	cr_expect_eq(b.batch->op[out.final_op].flags, 0, "no condition: it must run");
	/* Before it, the entry point is stored below the program's stack, relative to the image. */
	cr_expect_eq(b.batch->op[out.final_op - 1].nr, PV_OP_STORE);
	cr_expect_eq(b.batch->op[out.final_op - 1].arg[0], p.report_addr + offsetof(struct load_report, entry));
	cr_expect_eq(b.batch->op[out.final_op - 1].arg[1], 0x1000, "entry 0x401000 less the image's 0x400000");
	cr_expect_eq(out.final_op, (int)b.batch->count - 1);
}

/* The real executor, copied into shared memory so the test can read what it did. */
static unsigned char *executor_region(struct pv_batch **batch)
{
	unsigned char *region = mmap(NULL, PV_EXEC_REGION_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	cr_assert_neq(region, MAP_FAILED);
	memcpy(region, pv_executor_code, (size_t)(pv_executor_code_end - pv_executor_code));
	*batch = (struct pv_batch *)(region + PV_EXEC_DATA_OFFSET);
	return region;
}

/* Run it in a child; the child's pid, and its wait status in *status. */
static pid_t run_executor(unsigned char *region, struct pv_batch *b, int *status)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };
		setrlimit(RLIMIT_CORE, &no_core);
		signal(SIGTRAP, SIG_DFL);
		((void (*)(struct pv_batch *))region)(b);
		_exit(1);
	}
	waitpid(pid, status, 0);
	return pid;
}

Test(executor, runs_a_batch_with_relative_arguments_and_stops_on_error)
{
	struct pv_batch *b;
	unsigned char *region = executor_region(&b);
	uint64_t *cell = (uint64_t *)(region + PV_EXEC_REGION_SIZE - PV_EXEC_STACK_SIZE - 64);
	int status;
	pid_t pid;

	b->count = 5;
	b->op[0] = (struct pv_op){ .nr = SYS_getpid };
	b->op[1] = (struct pv_op){ .nr = PV_OP_STORE, .arg = { (uint64_t)cell, 100 }, .rel = 2, .src = { 0, 0 } };
	cell[1] = 0xffff;
	b->op[2] = (struct pv_op){ .nr = PV_OP_ZERO, .arg = { (uint64_t)&cell[1], 8 } };
	b->op[3] = (struct pv_op){ .nr = SYS_close, .arg = { 9999 }, .flags = PV_OPF_STOP_ON_ERROR };
	b->op[4] = (struct pv_op){ .nr = SYS_getppid };
	pid = run_executor(region, b, &status);
	cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGTRAP, "a failed op ends the executor with int3");
	cr_expect_eq(b->op[0].ret, pid);
	cr_expect_eq(cell[0], 100 + (uint64_t)pid, "STORE adds op 0's result");
	cr_expect_eq(cell[1], 0, "ZERO cleared the cell");
	cr_expect_eq(b->op[3].ret, -9, "close(9999) is EBADF");
	cr_expect_eq(b->failed_at, 4, "the failing op ended the batch");
	cr_expect_eq(b->op[4].ret, 0, "nothing ran after it");
	munmap(region, PV_EXEC_REGION_SIZE);
}

Test(executor, runs_conditional_ops_only_after_a_failure)
{
	struct pv_batch *b;
	unsigned char *region = executor_region(&b);
	int status;
	pid_t pid;

	b->count = 4;
	b->op[0] = (struct pv_op){ .nr = SYS_close, .arg = { 9999 } };
	b->op[1] = (struct pv_op){ .nr = SYS_getppid };
	b->op[2] = (struct pv_op){ .nr = SYS_getpid, .flags = PV_OPF_IF_FAILED, .cond = 0 };
	b->op[3] = (struct pv_op){ .nr = SYS_getpid, .flags = PV_OPF_IF_FAILED, .cond = 1, .ret = 77 };
	pid = run_executor(region, b, &status);
	cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGTRAP);
	cr_expect_eq(b->op[2].ret, pid, "op 0 failed, so op 2 ran");
	cr_expect_eq(b->op[3].ret, 0, "op 1 succeeded, so op 3 was skipped");
	cr_expect_eq(b->failed_at, 0);
	munmap(region, PV_EXEC_REGION_SIZE);
}

/* A batch whose last op unmaps the executor ends in SIGSEGV: how the supervisor knows it is done. */
Test(executor, unmapping_itself_ends_in_a_fault)
{
	struct pv_batch *b;
	unsigned char *region = executor_region(&b);
	int status;

	b->count = 1;
	b->op[0] = (struct pv_op){ .nr = SYS_munmap, .arg = { (uint64_t)region, PV_EXEC_REGION_SIZE } };
	run_executor(region, b, &status);
	cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "status %#x", status);
	munmap(region, PV_EXEC_REGION_SIZE);
}

Test(executor, fits_its_slot)
{
	cr_expect_leq((size_t)(pv_executor_code_end - pv_executor_code), PV_EXEC_CODE_MAX);
	cr_expect_eq(memcmp(pv_stub_image, ELFMAG, SELFMAG), 0);
}
