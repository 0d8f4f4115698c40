/*
 * The loader: decides, before the point of no return, whether an exec can
 * succeed and what must be mapped (ELF headers read with libelf, #! chains
 * followed as the kernel does), then turns that plan into a batch of system
 * calls the executor runs inside the blank tracee.
 */
#ifndef PICOVISOR_LOADER_H
#define PICOVISOR_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "arch.h" /* PV_PAGE_SIZE, PV_TASK_SIZE, PV_STUB_BASE */

#define PV_BINPRM_BUF_SIZE 256        /* how much of a file the kernel reads to pick a format */
#define PV_MAX_SCRIPT_DEPTH 5         /* exec_binprm allows depth 0..5: five #! levels, then the image */

struct elf_segment {
	uint64_t vaddr, memsz, filesz, offset;
	int prot; /* PROT_* */
};

struct elf_image {
	int type;            /* ET_EXEC or ET_DYN */
	uint64_t entry;
	uint64_t phdr_vaddr; /* where the program headers are once loaded (unbiased) */
	uint16_t phnum;
	struct elf_segment *seg;
	int nseg;
	uint64_t lo, hi;     /* page-aligned extent of the PT_LOAD segments */
	bool exec_stack;     /* PT_GNU_STACK with PF_X */
	char *interp;        /* PT_INTERP, or NULL */
};

/* Errors carry the errno the kernel would return and a sentence naming the fault. */
struct load_error {
	int err;             /* positive errno */
	char why[320];
};

/* Fill *e; returns -1 so that `return load_fail(e, ...)` ends a check. */
__attribute__((format(printf, 3, 4))) int load_fail(struct load_error *e, int err, const char *fmt, ...);

static inline uint64_t page_down(uint64_t v)
{
	return v & ~(PV_PAGE_SIZE - 1);
}

static inline uint64_t page_up(uint64_t v)
{
	return (v + PV_PAGE_SIZE - 1) & ~(PV_PAGE_SIZE - 1);
}

/* Name the format of a file from its first bytes ("32-bit ELF", "PE (MZ)", ...). */
const char *image_format_name(const unsigned char *buf, size_t len);

/* Read and check the ELF image open at fd. 0, or -1 with *e filled. */
int elf_image_read(int fd, struct elf_image *img, struct load_error *e);
void elf_image_free(struct elf_image *img);

/* How planning opens the files an exec names (an interpreter, a script's
 * interpreter) as the tracee would: relative to its cwd. Returns fd or -errno. */
typedef int (*open_as_tracee_fn)(void *ctx, const char *path);

struct pe_plan;

struct exec_plan {
	char *filename;        /* bprm->filename: AT_EXECFN and the script path in argv */
	char *comm;            /* the new task name */
	char **argv_prefix;    /* for #! chains: replaces argv[0] (NULL when not a script) */
	int nprefix;
	struct elf_image main, interp;
	bool has_interp;
	char *main_path;       /* NULL: map the file the tracee opened; else open this path */
	char *interp_path;
	/* The files planned from: the executor opens paths again, and must find these (dev, inode). */
	uint64_t main_dev, main_ino, interp_dev, interp_ino;
	char *exe_path;        /* what /proc/self/exe names */
	struct pe_plan *pe;    /* a PE32+ image for the NT personality (pe_image.h); main/interp unused */
};

/*
 * Plan the exec of the file open at fd (opened by the tracee, taken with
 * pidfd_getfd). filename is what the kernel would call it ("/dev/fd/N" for fexecve).
 * 0, or -1 with *e filled; *plan must be freed with exec_plan_free in both cases.
 */
int exec_plan_build(int fd, const char *filename, open_as_tracee_fn open_fn, void *ctx,
		    struct exec_plan *plan, struct load_error *e);
void exec_plan_free(struct exec_plan *plan);

/* The (dev, inode) of the file at fd (0, 0 if fstat fails). */
void file_ids(int fd, uint64_t *dev, uint64_t *ino);
/* Is the file at fd something exec may run (regular, executable, not on a noexec mount)? 0 or -errno. */
int file_check_executable(int fd);


/* ---- The initial stack the kernel built for the stub, and the one the program gets. */

struct initial_stack {
	uint64_t sp;             /* address of argc */
	uint64_t argc;
	uint64_t *argv;          /* tracee addresses of the argument strings */
	size_t envc;
	uint64_t *envp;
	size_t nauxv;
	uint64_t (*auxv)[2];     /* type, value; without the closing AT_NULL */
};

/* Parse the block at sp from its raw bytes (as read from the tracee). 0 or -EFAULT if it does not end. */
int initial_stack_parse(const unsigned char *bytes, size_t len, uint64_t sp, struct initial_stack *st);
void initial_stack_free(struct initial_stack *st);
/* Set an auxv entry, adding it if the kernel did not provide one. */
void initial_stack_set_aux(struct initial_stack *st, uint64_t type, uint64_t value);

struct stack_image {
	unsigned char *bytes;    /* to be written at sp */
	size_t len;
	uint64_t sp;             /* the program's rsp: argc, 16-byte aligned */
	uint64_t auxv_addr;      /* for PR_SET_MM_MAP */
	size_t auxv_len;
};

/* Lay out argc/argv/envp/auxv below st->sp with the string execfn above them; AT_EXECFN points at it. */
void stack_image_build(struct initial_stack *st, const char *execfn, struct stack_image *out);
/* Tracee address of the value of auxv entry type in the built image, or 0. */
uint64_t stack_image_aux_addr(const struct stack_image *img, const struct initial_stack *st, uint64_t type);

/* ---- The batch of system calls that maps a plan into the blank tracee. */

#include "executor_abi.h"

#define PV_BATCH_MAX_OPS 160

struct batch_builder {
	uint64_t data_addr;      /* tracee address of the data area */
	unsigned char data[PV_EXEC_DATA_SIZE];
	size_t strings_end;      /* strings grow after the op array */
	struct pv_batch *batch;
};

void batch_init(struct batch_builder *b, uint64_t region);
int batch_op(struct batch_builder *b, long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
	     uint64_t a5, int flags);
/* Run op only if op cond failed. */
void batch_if_failed(struct batch_builder *b, int op, int cond);
/* Make argument arg of op relative to the result of op src. */
void batch_rel(struct batch_builder *b, int op, int arg, int src);
/* Copy bytes into the data area; their tracee address. */
uint64_t batch_put(struct batch_builder *b, const void *p, size_t len);
/* Map the sealed read-only scratch area (scratch.h); its address and mseal's result are stored at the two addresses. */
int batch_map_scratch(struct batch_builder *b, uint64_t size, uint64_t addr_out, uint64_t seal_out);
/* Bytes to write at data_addr. */
size_t batch_size(const struct batch_builder *b);

struct load_layout {
	int scratch_op;          /* the scratch area's mmap, -1 if none */
	int main_base_op, interp_base_op; /* ops whose result is the image's lowest page */
	int final_op;                     /* the last op: the executor unmaps itself */
	int exe_op;                       /* PR_SET_MM_MAP with exe_fd, or -1 */
	int readlink_filter_op;           /* installs the readlink filter if exe_op failed, or -1 */
};

/* What the supervisor needs after the executor is gone, stored by the batch below the program's stack. */
struct load_report {
	uint64_t entry;      /* where the program starts (the interpreter's entry if it has one) */
	int64_t exe_ret;     /* PR_SET_MM_MAP with exe_fd: 0, or why the kernel refused it */
	int64_t filter_ret;  /* installing the readlink filter after such a refusal */
	uint64_t scratch_addr; /* the scratch area (scratch.h), if one was asked for */
	int64_t seal_ret;    /* mseal of it: 0, or why not (-ENOSYS before Linux 6.10) */
	struct stat main_st, interp_st; /* fstat of what the executor opened by path (plan's main_path, interp_path) */
};

struct load_params {
	const struct exec_plan *plan;
	int main_fd;             /* tracee fd of the file it opened, -1 if none */
	uint64_t region;         /* executor region */
	uint64_t stub_text, stub_text_len;
	uint64_t stack_page;     /* a page of the stack, for PT_GNU_STACK */
	const struct stack_image *stack;
	uint64_t report_addr;    /* where the batch leaves its struct load_report */
	const struct initial_stack *st;
	uint64_t orig_execfn;     /* where the kernel put the stub's exec name: the end of the environment strings */
	uint64_t pie_hint;       /* preferred load address for ET_DYN programs with an interpreter */
	uint64_t brk_offset;     /* randomisation of the brk start, page aligned */
	bool set_exe_file;       /* try PR_SET_MM_MAP with exe_fd (needs CAP_CHECKPOINT_RESTORE) */
	const void *readlink_filter; /* BPF that traps readlink, added if exe_fd fails; NULL: none */
	size_t readlink_filter_len;
	uint64_t scratch_size;   /* map and seal a read-only scratch area of this size (0: none) */
};

void load_batch_build(struct batch_builder *b, const struct load_params *p, struct load_layout *out);

#endif
