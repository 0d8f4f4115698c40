/*
 * The gate: the page at NT_GATE_ADDR that lets ntdll serve a few services in
 * the process, without a ptrace stop (include/nt.h; docs/nt.md, "Served in
 * the process"). It holds `syscall; ret`, from which the NT filter lets the
 * SC_NT_GATE calls through (policy/filter.c, filter_bpf_nt), and the address
 * of the vDSO's clock_gettime in the process, which reads the clocks without
 * entering the kernel. The page is mapped read-only and executable by the
 * load batch and written by the supervisor; NT's memory map shows it as a
 * mapped page whose protection cannot be changed (like KUSER_SHARED_DATA).
 *
 * Nothing here is a security boundary: what the filter lets through from the
 * gate is harmless whatever the registers, so a program that jumps there, or
 * replaces the vDSO's code, gains nothing it could not do through a service.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

#include "nt.h"
#include "nt_internal.h"
#include "nt_memory.h"

/* Where the vDSO's image ends and a symbol lies, as offsets from its start: from the supervisor's own copy. */
struct vdso_layout {
	uint64_t size, clock_gettime;
	bool known;
};

static bool within(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

/* The size of the supervisor's own [vdso] mapping (the image's file, whole), or 0. */
static uint64_t own_vdso_size(uint64_t base)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512];
	uint64_t size = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (strstr(line, "[vdso]") && sscanf(line, "%lx-%lx", &lo, &hi) == 2 && lo == base && hi > lo)
			size = hi - lo;
	}
	fclose(f);
	return size;
}

static void own_vdso_layout(struct vdso_layout *l)
{
	const unsigned char *base = (const unsigned char *)getauxval(AT_SYSINFO_EHDR);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)base;
	uint64_t first = UINT64_MAX;

	memset(l, 0, sizeof(*l));
	if (!base || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_shentsize != sizeof(Elf64_Shdr))
		return;
	l->size = own_vdso_size((uint64_t)(uintptr_t)base);
	if (!within(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), l->size))
		return;
	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(base + eh->e_phoff) + i;

		if (ph->p_type == PT_LOAD && ph->p_vaddr < first)
			first = ph->p_vaddr;
	}
	if (first == UINT64_MAX)
		return;
	/* The image is mapped whole (it is the vDSO's file): its section headers name the dynamic symbols. */
	if (!within(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr), l->size))
		return;
	for (int i = 0; i < eh->e_shnum; i++) {
		const Elf64_Shdr *sh = (const Elf64_Shdr *)(base + eh->e_shoff) + i, *str;

		if (sh->sh_type != SHT_DYNSYM || sh->sh_link >= eh->e_shnum || sh->sh_entsize != sizeof(Elf64_Sym) ||
		    !within(sh->sh_offset, sh->sh_size, l->size))
			continue;
		str = (const Elf64_Shdr *)(base + eh->e_shoff) + sh->sh_link;
		if (!within(str->sh_offset, str->sh_size, l->size))
			continue;
		for (uint64_t k = 0; k < sh->sh_size / sizeof(Elf64_Sym); k++) {
			const Elf64_Sym *s = (const Elf64_Sym *)(base + sh->sh_offset) + k;
			static const char want[] = "__vdso_clock_gettime";

			if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF ||
			    s->st_name + sizeof(want) > str->sh_size ||
			    memcmp(base + str->sh_offset + s->st_name, want, sizeof(want)) != 0)
				continue;
			if (s->st_value >= first && s->st_value - first < l->size) {
				l->clock_gettime = s->st_value - first;
				l->known = true;
			}
		}
	}
}

void nt_gate_vdso_find(const uint64_t (*auxv)[2], size_t nauxv, struct nt_gate_vdso *v)
{
	static struct vdso_layout own;
	static bool looked;
	uint64_t base = 0;

	memset(v, 0, sizeof(*v));
	if (!looked) {
		own_vdso_layout(&own);
		looked = true;
	}
	for (size_t i = 0; i < nauxv; i++)
		if (auxv[i][0] == AT_SYSINFO_EHDR)
			base = auxv[i][1];
	if (!base || !own.known || base + own.size < base)
		return; /* no vDSO (vdso=0), or one we cannot read: ntdll uses the gate's clock_gettime */
	v->lo = base;
	v->hi = base + own.size;
	v->clock_gettime = base + own.clock_gettime;
}

void nt_gate_build(unsigned char *page, const struct nt_gate_vdso *v)
{
	static const unsigned char code[] = { 0x0f, 0x05, 0xc3 }; /* syscall; ret */
	uint64_t version = NT_GATE_VERSION;

	memset(page, 0xcc, NT_GATE_SIZE); /* int3 anywhere else */
	memcpy(page, code, sizeof(code));
	memcpy(page + NT_GATE_VDSO_CLOCK, &v->clock_gettime, 8);
	memcpy(page + NT_GATE_VDSO_CLOCK + 8, &version, 8);
}

void nt_gate_attach(struct tracee *t)
{
	/* Mapped, execute-read, a protection no service changes (no section to widen it to): MEM_MAPPED */
	struct nt_alloc *a = nt_alloc_add(nt_process_of(t), NT_GATE_ADDR, NT_GATE_SIZE, 0x20 /* PAGE_EXECUTE_READ */,
					  0x40000 /* MEM_MAPPED */);

	nt_alloc_set(a, NT_GATE_ADDR, NT_GATE_ADDR + NT_GATE_SIZE, 0x20);
}
