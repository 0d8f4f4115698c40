/*
 * PE32+ images (Windows x64 executables and DLLs) for the NT personality:
 * read and checked by hand, every field against the file and the image's
 * size, then laid out in memory as the Windows loader would (headers and
 * sections at their RVAs), relocated, and linked against the project's
 * ntdll.dll (docs/nt.md, "The loader").
 */
#ifndef PICOVISOR_PE_IMAGE_H
#define PICOVISOR_PE_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader.h"

#define PE_MAX_FILE_SIZE (256UL << 20)   /* what picovisor reads of an image */
#define PE_MAX_IMAGE_SIZE (1UL << 30)    /* SizeOfImage */
#define PE_MAX_SECTIONS 96               /* the COFF limit of the Windows loader */

enum pe_dir_index {
	PE_DIR_EXPORT = 0,
	PE_DIR_IMPORT = 1,
	PE_DIR_EXCEPTION = 3,
	PE_DIR_BASERELOC = 5,
	PE_DIR_TLS = 9,
	PE_DIR_IAT = 12,
	PE_DIR_COUNT = 16,
};

struct pe_section {
	char name[9];
	uint32_t rva, vsize;     /* where it is in the image and how much of it */
	uint32_t raw_off, raw_size;
	uint32_t characteristics;
	int prot;                /* PROT_* from the characteristics */
};

struct pe_dir {
	uint32_t rva, size;
};

struct pe_image {
	uint64_t image_base;     /* preferred */
	uint32_t size_of_image, size_of_headers, entry_rva;
	uint32_t section_alignment;
	uint16_t characteristics, dll_characteristics, subsystem;
	uint64_t stack_reserve, stack_commit;
	struct pe_dir dir[PE_DIR_COUNT];
	struct pe_section *sec;
	int nsec;
	bool relocatable;        /* may load elsewhere (not RELOCS_STRIPPED) */
	unsigned char *mem;      /* size_of_image bytes: the image as mapped, unrelocated */
};

/* Read the file at fd (at most PE_MAX_FILE_SIZE) and check it; what: "image", "ntdll.dll" for messages. */
int pe_image_read(int fd, struct pe_image *img, struct load_error *e);
/* The same from bytes in memory. 0, or -1 with *e filled (err ENOEXEC, why naming the field). */
int pe_image_parse(const unsigned char *file, size_t len, struct pe_image *img, struct load_error *e);
void pe_image_free(struct pe_image *img);

/* The RVA of the export called name, or 0 if there is none (forwarders count as none). */
uint32_t pe_export_rva(const struct pe_image *img, const char *name);

/* One imported function: the DLL, by name or ordinal, and the IAT slot to fill. */
struct pe_import {
	const char *dll;         /* points into img->mem */
	const char *name;        /* NULL when imported by ordinal */
	uint16_t ordinal;
	uint32_t iat_rva;
};
/* Call fn for each import (stops at fn's first nonzero result and returns it); -1 with *e if malformed. */
int pe_imports_each(const struct pe_image *img, int (*fn)(void *ctx, const struct pe_import *imp), void *ctx,
		    struct load_error *e);

/* Apply the base relocations for a load at base into mem (a copy of img->mem). 0 or -1 with *e. */
int pe_relocate(const struct pe_image *img, unsigned char *mem, uint64_t base, struct load_error *e);

/* The TLS directory, as RVAs into the image (0: none). */
struct pe_tls {
	uint32_t data_rva, data_size, zero_fill;
	uint32_t index_rva;      /* where the loader stores the module's TLS index */
	uint32_t callbacks_rva;  /* a NULL-terminated array of VAs (relocated), or 0 */
};
/* 0 (tls->data_rva == 0 and index_rva == 0 when the image has none) or -1 with *e. */
int pe_tls_read(const struct pe_image *img, struct pe_tls *tls, struct load_error *e);

/* What an exec of a PE image needs: the program, picovisor's ntdll.dll, and how they link. */
struct pe_plan {
	struct pe_image main, ntdll;
	struct pe_tls tls;
	uint32_t ntdll_process_start; /* RVAs of LdrInitializeThunk and RtlUserThreadStart in ntdll */
	uint32_t ntdll_thread_start;
	uint32_t ntdll_apc_dispatcher; /* KiUserApcDispatcher (0: none, APCs cannot be delivered) */
};

/*
 * Read the image at fd, check it is a program the NT personality can run (an
 * x86-64 executable importing only from ntdll.dll, every import one our
 * ntdll exports) and read our ntdll for the selected Windows build.
 * 0 and a malloc'd *plan, or -1 with *e filled.
 */
int pe_plan_build(int fd, struct pe_plan **plan, struct load_error *e);
void pe_plan_free(struct pe_plan *plan);

/* Is this the start of a PE file (MZ, and a PE signature where e_lfanew says)? */
bool pe_magic(const unsigned char *buf, size_t len);

#endif
