/*
 * Turning an exec plan into the executor's batch: map each image as binfmt_elf
 * does (reserve the span, map segments over it, zero the partial bss page, map
 * the rest of bss anonymous, unmap the holes), then patch the auxv and tell the
 * kernel the new layout with PR_SET_MM_MAP, and finally unmap the executor.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/prctl.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#ifndef SYS_mseal
#define SYS_mseal 462
#endif

#include "loader.h"
#include "util.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

void batch_init(struct batch_builder *b, uint64_t region)
{
	memset(b->data, 0, sizeof(b->data));
	b->data_addr = region + PV_EXEC_DATA_OFFSET;
	b->batch = (struct pv_batch *)b->data;
	b->strings_end = sizeof(struct pv_batch) + PV_BATCH_MAX_OPS * sizeof(struct pv_op);
}

int batch_op(struct batch_builder *b, long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
	     uint64_t a5, int flags)
{
	struct pv_op *op;

	if (b->batch->count == PV_BATCH_MAX_OPS)
		die("internal error: load batch needs more than %d operations", PV_BATCH_MAX_OPS);
	op = &b->batch->op[b->batch->count];
	op->nr = nr;
	op->arg[0] = a0;
	op->arg[1] = a1;
	op->arg[2] = a2;
	op->arg[3] = a3;
	op->arg[4] = a4;
	op->arg[5] = a5;
	op->flags = (uint8_t)flags;
	return (int)b->batch->count++;
}

void batch_if_failed(struct batch_builder *b, int op, int cond)
{
	b->batch->op[op].flags |= PV_OPF_IF_FAILED;
	b->batch->op[op].cond = (uint8_t)cond;
}

void batch_rel(struct batch_builder *b, int op, int arg, int src)
{
	b->batch->op[op].rel |= (uint8_t)(1u << arg);
	b->batch->op[op].src[arg] = (uint8_t)src;
}

uint64_t batch_put(struct batch_builder *b, const void *p, size_t len)
{
	size_t off = (b->strings_end + 7) & ~7UL;

	if (off + len > sizeof(b->data))
		die("internal error: load batch data exceeds %zu bytes", sizeof(b->data));
	memcpy(b->data + off, p, len);
	b->strings_end = off + len;
	return b->data_addr + off;
}

size_t batch_size(const struct batch_builder *b)
{
	return b->strings_end;
}

/* An op whose argument arg is "image base + (vaddr - img->lo)". */
static int op_at(struct batch_builder *b, int base_op, long nr, uint64_t off, uint64_t a1, uint64_t a2, uint64_t a3,
		 uint64_t a4, uint64_t a5, int flags)
{
	int op = batch_op(b, nr, off, a1, a2, a3, a4, a5, flags);

	batch_rel(b, op, 0, base_op);
	return op;
}

/* Map one image from fd (a literal fd, or the result of op fd_op when fd_op >= 0); returns the base op. */
static int map_image(struct batch_builder *b, const struct elf_image *img, int fd, int fd_op, uint64_t hint)
{
	const int stop = PV_OPF_STOP_ON_ERROR;
	uint64_t span = img->hi - img->lo, covered = img->lo;
	int base;

	if (img->type == ET_EXEC)
		base = batch_op(b, SYS_mmap, img->lo, span, PROT_NONE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, (uint64_t)-1, 0, stop);
	else
		base = batch_op(b, SYS_mmap, hint, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
				(uint64_t)-1, 0, stop);
	for (int i = 0; i < img->nseg; i++) {
		const struct elf_segment *s = &img->seg[i];
		uint64_t start = page_down(s->vaddr), file_end = s->vaddr + s->filesz;
		uint64_t file_page_end = page_up(file_end), mem_end = page_up(s->vaddr + s->memsz);
		bool partial_bss = s->filesz && s->memsz > s->filesz && (file_end & (PV_PAGE_SIZE - 1));

		if (start > covered) /* a hole between segments: the kernel leaves it unmapped */
			op_at(b, base, SYS_munmap, covered - img->lo, start - covered, 0, 0, 0, 0, stop);
		if (s->filesz) {
			int prot = s->prot | (partial_bss ? PROT_WRITE : 0);
			int op = op_at(b, base, SYS_mmap, start - img->lo, file_page_end - start, (uint64_t)prot,
				       MAP_PRIVATE | MAP_FIXED, (uint64_t)fd, page_down(s->offset), stop);

			if (fd_op >= 0)
				batch_rel(b, op, 4, fd_op);
			if (partial_bss) {
				op_at(b, base, PV_OP_ZERO, file_end - img->lo, file_page_end - file_end, 0, 0, 0, 0, 0);
				if (!(s->prot & PROT_WRITE))
					op_at(b, base, SYS_mprotect, start - img->lo, file_page_end - start,
					      (uint64_t)s->prot, 0, 0, 0, stop);
			}
		} else {
			file_page_end = start;
		}
		if (mem_end > file_page_end)
			op_at(b, base, SYS_mmap, file_page_end - img->lo, mem_end - file_page_end, (uint64_t)s->prot,
			      MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, (uint64_t)-1, 0, stop);
		if (mem_end > covered)
			covered = mem_end;
	}
	return base;
}

/* A value "image base + (vaddr - lo)" stored at a tracee address. */
static void store_rel(struct batch_builder *b, uint64_t addr, int base_op, const struct elf_image *img, uint64_t vaddr)
{
	int op = batch_op(b, PV_OP_STORE, addr, vaddr - img->lo, 0, 0, 0, 0, 0);

	batch_rel(b, op, 1, base_op);
}

static void store_aux(struct batch_builder *b, const struct load_params *p, uint64_t type, int base_op,
		      const struct elf_image *img, uint64_t vaddr)
{
	uint64_t addr = stack_image_aux_addr(p->stack, p->st, type);

	if (addr)
		store_rel(b, addr, base_op, img, vaddr);
}

/*
 * PR_SET_MM_MAP: the kernel's idea of code, data, brk, args and auxv; exe_fd
 * names /proc/self/exe. Returns the op that tried exe_fd (its failure means
 * /proc/PID/exe still names the stub), or -1 if none did.
 */
static int set_mm_map(struct batch_builder *b, const struct load_params *p, int base, int fd, int fd_op)
{
	const struct elf_image *m = &p->plan->main;
	const struct initial_stack *st = p->st;
	uint64_t start_code = UINT64_MAX, end_code = 0, start_data = 0, end_data = 0, end = 0;
	struct prctl_mm_map map;
	uint64_t at;
	int exe_op = -1;

	/* Fields as binfmt_elf computes them, relative to the image's lowest page. */
	for (int i = 0; i < m->nseg; i++) {
		const struct elf_segment *s = &m->seg[i];
		if (s->vaddr < start_code)
			start_code = s->vaddr;
		if (s->vaddr > start_data)
			start_data = s->vaddr;
		if ((s->prot & PROT_EXEC) && s->vaddr + s->filesz > end_code)
			end_code = s->vaddr + s->filesz;
		if (s->vaddr + s->filesz > end_data)
			end_data = s->vaddr + s->filesz;
		if (s->vaddr + s->memsz > end)
			end = s->vaddr + s->memsz;
	}
	if (end_code <= start_code)
		end_code = start_code + 1;
	memset(&map, 0, sizeof(map));
	map.start_stack = p->stack->sp;
	/* The strings the kernel copied: argv's, then envp's, then the stub's exec name. */
	map.env_end = p->orig_execfn;
	map.env_start = st->envc ? st->envp[0] : map.env_end;
	map.arg_start = st->argc ? st->argv[0] : map.env_start;
	map.arg_end = map.env_start;
	map.auxv = (__u64 *)(uintptr_t)p->stack->auxv_addr;
	map.auxv_size = (uint32_t)p->stack->auxv_len;
	for (int attempt = 0; attempt < 2; attempt++) {
		bool with_exe = attempt == 0;
		int op;

		if (with_exe && !p->set_exe_file)
			continue;
		map.exe_fd = with_exe ? (uint32_t)fd : (uint32_t)-1;
		at = batch_put(b, &map, sizeof(map));
		store_rel(b, at + offsetof(struct prctl_mm_map, start_code), base, m, start_code);
		store_rel(b, at + offsetof(struct prctl_mm_map, end_code), base, m, end_code);
		store_rel(b, at + offsetof(struct prctl_mm_map, start_data), base, m, start_data);
		store_rel(b, at + offsetof(struct prctl_mm_map, end_data), base, m, end_data);
		store_rel(b, at + offsetof(struct prctl_mm_map, start_brk), base, m, page_up(end) + p->brk_offset);
		store_rel(b, at + offsetof(struct prctl_mm_map, brk), base, m, page_up(end) + p->brk_offset);
		if (with_exe && fd_op >= 0) {
			op = batch_op(b, PV_OP_STORE, at + offsetof(struct prctl_mm_map, exe_fd), 0, 0, 0, 0, 0, 0);
			batch_rel(b, op, 1, fd_op);
		}
		op = batch_op(b, SYS_prctl, PR_SET_MM, PR_SET_MM_MAP, at, sizeof(map), 0, 0, 0);
		if (with_exe)
			exe_op = op;
		else if (exe_op >= 0)
			batch_if_failed(b, op, exe_op);
	}
	return exe_op;
}

/*
 * A process that may not be told its exe (it dropped privileges) gets a filter
 * of its own that traps readlink, so /proc/PID/exe can be answered for it.
 * Installing a filter without CAP_SYS_ADMIN needs no_new_privs.
 */
static int add_readlink_filter(struct batch_builder *b, const struct load_params *p, int exe_op)
{
	struct sock_fprog prog;
	uint64_t at;
	int op;

	prog.len = (unsigned short)(p->readlink_filter_len / sizeof(struct sock_filter));
	prog.filter = (struct sock_filter *)(uintptr_t)batch_put(b, p->readlink_filter, p->readlink_filter_len);
	at = batch_put(b, &prog, sizeof(prog));
	op = batch_op(b, SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0, 0);
	batch_if_failed(b, op, exe_op);
	op = batch_op(b, SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, at, 0, 0, 0, 0);
	batch_if_failed(b, op, exe_op);
	return op;
}

int batch_map_scratch(struct batch_builder *b, uint64_t size, uint64_t addr_out, uint64_t seal_out)
{
	int map, op;

	map = batch_op(b, SYS_mmap, 0, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, (uint64_t)-1, 0,
		       PV_OPF_STOP_ON_ERROR);
	op = batch_op(b, PV_OP_STORE, addr_out, 0, 0, 0, 0, 0, 0);
	batch_rel(b, op, 1, map);
	op = batch_op(b, SYS_mseal, 0, size, 0, 0, 0, 0, 0);
	batch_rel(b, op, 0, map);
	op = batch_op(b, PV_OP_STORE, seal_out, 0, 0, 0, 0, 0, 0);
	batch_rel(b, op, 1, op - 1);
	return map;
}

/* Path translation's scratch area (scratch.h): read-only for the program, sealed where the kernel can. */
static void map_scratch(struct batch_builder *b, const struct load_params *p, struct load_layout *out)
{
	out->scratch_op = -1;
	if (!p->scratch_size)
		return;
	out->scratch_op = batch_map_scratch(b, p->scratch_size, p->report_addr + offsetof(struct load_report, scratch_addr),
					    p->report_addr + offsetof(struct load_report, seal_ret));
}

/* Copy what the supervisor needs out of the region before it goes: see struct load_report. */
static void report(struct batch_builder *b, const struct load_params *p, const struct load_layout *out)
{
	const struct exec_plan *plan = p->plan;
	const struct elf_image *start = plan->has_interp ? &plan->interp : &plan->main;
	int op;

	store_rel(b, p->report_addr + offsetof(struct load_report, entry),
		  plan->has_interp ? out->interp_base_op : out->main_base_op, start, start->entry);
	if (out->exe_op >= 0) {
		op = batch_op(b, PV_OP_STORE, p->report_addr + offsetof(struct load_report, exe_ret), 0, 0, 0, 0, 0, 0);
		batch_rel(b, op, 1, out->exe_op);
	}
	if (out->readlink_filter_op >= 0) {
		op = batch_op(b, PV_OP_STORE, p->report_addr + offsetof(struct load_report, filter_ret), 0, 0, 0, 0, 0,
			      0);
		batch_rel(b, op, 1, out->readlink_filter_op);
	}
}

void load_batch_build(struct batch_builder *b, const struct load_params *p, struct load_layout *out)
{
	const struct exec_plan *plan = p->plan;
	int main_fd_op = -1, interp_fd_op = -1;
	uint64_t main_fd = (uint64_t)p->main_fd;

	batch_init(b, p->region);
	memset(out, 0, sizeof(*out));
	out->interp_base_op = -1;
	batch_op(b, SYS_munmap, p->stub_text, p->stub_text_len, 0, 0, 0, 0, PV_OPF_STOP_ON_ERROR);
	if (plan->main_path) {
		uint64_t path = batch_put(b, plan->main_path, strlen(plan->main_path) + 1);
		int st_op;

		main_fd_op = batch_op(b, SYS_openat, (uint64_t)AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0, 0, 0,
				      PV_OPF_STOP_ON_ERROR);
		main_fd = 0;
		/* What the path names now: the supervisor compares it with what it planned from. */
		st_op = batch_op(b, SYS_fstat, 0, p->report_addr + offsetof(struct load_report, main_st), 0, 0, 0, 0, 0);
		batch_rel(b, st_op, 0, main_fd_op);
	}
	out->main_base_op = map_image(b, &plan->main, (int)main_fd, main_fd_op,
				      plan->has_interp && plan->main.type == ET_DYN ? p->pie_hint : 0);
	if (plan->has_interp) {
		uint64_t path = batch_put(b, plan->interp_path, strlen(plan->interp_path) + 1);
		int close_op;

		int st_op;

		interp_fd_op = batch_op(b, SYS_openat, (uint64_t)AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0, 0, 0,
					PV_OPF_STOP_ON_ERROR);
		st_op = batch_op(b, SYS_fstat, 0, p->report_addr + offsetof(struct load_report, interp_st), 0, 0, 0, 0, 0);
		batch_rel(b, st_op, 0, interp_fd_op);
		out->interp_base_op = map_image(b, &plan->interp, 0, interp_fd_op, 0);
		close_op = batch_op(b, SYS_close, 0, 0, 0, 0, 0, 0, 0);
		batch_rel(b, close_op, 0, interp_fd_op);
	}
	if (plan->main.exec_stack)
		batch_op(b, SYS_mprotect, p->stack_page, PV_PAGE_SIZE,
			 PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN, 0, 0, 0, 0);
	store_aux(b, p, AT_PHDR, out->main_base_op, &plan->main, plan->main.phdr_vaddr);
	store_aux(b, p, AT_ENTRY, out->main_base_op, &plan->main, plan->main.entry);
	if (plan->has_interp)
		store_aux(b, p, AT_BASE, out->interp_base_op, &plan->interp, 0);
	out->exe_op = set_mm_map(b, p, out->main_base_op, (int)main_fd, main_fd_op);
	out->readlink_filter_op = -1;
	if (out->exe_op >= 0 && p->readlink_filter)
		out->readlink_filter_op = add_readlink_filter(b, p, out->exe_op);
	{
		uint64_t comm = batch_put(b, plan->comm, strlen(plan->comm) + 1);
		batch_op(b, SYS_prctl, PR_SET_NAME, comm, 0, 0, 0, 0, 0);
	}
	{
		int op = batch_op(b, SYS_close, main_fd, 0, 0, 0, 0, 0, 0);
		if (main_fd_op >= 0)
			batch_rel(b, op, 0, main_fd_op);
	}
	map_scratch(b, p, out);
	report(b, p, out);
	out->final_op = batch_op(b, SYS_munmap, p->region, PV_EXEC_REGION_SIZE, 0, 0, 0, 0, 0);
}
