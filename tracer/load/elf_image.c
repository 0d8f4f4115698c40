/* Reading an ELF image's headers with libelf, with every check the kernel makes and the errno it gives. */
#define _GNU_SOURCE
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader.h"
#include "util.h"

int load_fail(struct load_error *e, int err, const char *fmt, ...)
{
	va_list ap;

	e->err = err;
	va_start(ap, fmt);
	vsnprintf(e->why, sizeof(e->why), fmt, ap);
	va_end(ap);
	return -1;
}

const char *image_format_name(const unsigned char *b, size_t len)
{
	if (len >= 4 && memcmp(b, ELFMAG, SELFMAG) == 0) {
		if (len > EI_CLASS && b[EI_CLASS] == ELFCLASS32)
			return "a 32-bit ELF image (ELFCLASS32)";
		if (len > EI_DATA && b[EI_DATA] != ELFDATA2LSB)
			return "a big-endian ELF image";
		if (len >= sizeof(Elf64_Ehdr)) {
			const Elf64_Ehdr *eh = (const void *)b;
			if (eh->e_machine != ARCH_ELF_MACHINE)
				return "an ELF image for another machine";
		}
		return "an ELF image";
	}
	if (len >= 2 && b[0] == 'M' && b[1] == 'Z')
		return "a Windows PE image (MZ)";
	if (len >= 2 && b[0] == '#' && b[1] == '!')
		return "a #! script";
	return "not a recognised executable format (no ELF magic, no #!)";
}

static int prot_of(uint32_t pf)
{
	return ((pf & PF_R) ? PROT_READ : 0) | ((pf & PF_W) ? PROT_WRITE : 0) | ((pf & PF_X) ? PROT_EXEC : 0);
}

static int check_ident(const unsigned char *buf, size_t len, struct load_error *e)
{
	const Elf64_Ehdr *eh = (const void *)buf;

	if (len < SELFMAG || memcmp(buf, ELFMAG, SELFMAG) != 0)
		return load_fail(e, ENOEXEC, "%s", image_format_name(buf, len));
	if (buf[EI_CLASS] != ELFCLASS64 || buf[EI_DATA] != ELFDATA2LSB)
		return load_fail(e, ENOEXEC, "%s is not supported (only 64-bit little-endian " ARCH_ELF_MACHINE_NAME ")",
			    image_format_name(buf, len));
	if (len < sizeof(*eh))
		return load_fail(e, ENOEXEC, "truncated ELF header (%zu of %zu bytes)", len, sizeof(*eh));
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return load_fail(e, ENOEXEC, "ELF type %u is neither an executable nor a shared object", eh->e_type);
	if (eh->e_machine != ARCH_ELF_MACHINE)
		return load_fail(e, ENOEXEC, "ELF image for machine %u, not " ARCH_ELF_MACHINE_NAME, eh->e_machine);
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return load_fail(e, ENOEXEC, "program header entry size %u, expected %zu", eh->e_phentsize,
			    sizeof(Elf64_Phdr));
	if (eh->e_phnum == 0 || eh->e_phnum == PN_XNUM || (size_t)eh->e_phnum * sizeof(Elf64_Phdr) > 65536)
		return load_fail(e, ENOEXEC, "absurd program header count %u", eh->e_phnum);
	return 0;
}

static int read_interp(int fd, const GElf_Phdr *ph, uint64_t fsize, char **out, struct load_error *e)
{
	char *s;

	if (ph->p_filesz < 2 || ph->p_filesz > 4096)
		return load_fail(e, ENOEXEC, "PT_INTERP of %llu bytes", (unsigned long long)ph->p_filesz);
	if (ph->p_offset > fsize || ph->p_filesz > fsize - ph->p_offset)
		return load_fail(e, EIO, "PT_INTERP lies past the end of the file (truncated?)");
	s = xmalloc(ph->p_filesz);
	if (pread(fd, s, ph->p_filesz, (off_t)ph->p_offset) != (ssize_t)ph->p_filesz) {
		free(s);
		return load_fail(e, EIO, "cannot read PT_INTERP");
	}
	if (s[ph->p_filesz - 1] != '\0' || strlen(s) == 0) {
		free(s);
		return load_fail(e, ENOEXEC, "PT_INTERP is not a NUL-terminated path");
	}
	*out = s;
	return 0;
}

static int check_segment(const GElf_Phdr *ph, uint64_t fsize, int index, struct load_error *e)
{
	if (ph->p_filesz > ph->p_memsz)
		return load_fail(e, EINVAL, "PT_LOAD #%d: file size %#llx exceeds memory size %#llx", index,
			    (unsigned long long)ph->p_filesz, (unsigned long long)ph->p_memsz);
	if ((ph->p_vaddr - ph->p_offset) % PV_PAGE_SIZE)
		return load_fail(e, EINVAL, "PT_LOAD #%d: address and file offset differ modulo the page size", index);
	if (ph->p_memsz > PV_TASK_SIZE || ph->p_vaddr > PV_TASK_SIZE - ph->p_memsz)
		return load_fail(e, ENOMEM, "PT_LOAD #%d: %#llx bytes at %#llx do not fit in the address space", index,
			    (unsigned long long)ph->p_memsz, (unsigned long long)ph->p_vaddr);
	if (ph->p_offset > fsize || ph->p_filesz > fsize - ph->p_offset)
		return load_fail(e, ENOEXEC, "PT_LOAD #%d: file bytes lie past the end of the file (truncated?)", index);
	return 0;
}

static int read_headers(int fd, Elf *elf, uint64_t fsize, struct elf_image *img, struct load_error *e)
{
	GElf_Ehdr eh;
	size_t phnum;
	uint64_t prev_end = 0;

	if (!gelf_getehdr(elf, &eh))
		return load_fail(e, ENOEXEC, "unreadable ELF header: %s", elf_errmsg(-1));
	if (elf_getphdrnum(elf, &phnum) != 0)
		return load_fail(e, ENOEXEC, "unreadable program header count: %s", elf_errmsg(-1));
	/* libelf clamps the count to what the file holds; the header says what the image claims. */
	if (eh.e_phoff > fsize || (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > fsize - eh.e_phoff)
		return load_fail(e, EIO, "program headers lie past the end of the file (truncated?)");
	img->type = eh.e_type;
	img->entry = eh.e_entry;
	img->phnum = (uint16_t)phnum;
	img->seg = xcalloc(phnum, sizeof(*img->seg));
	img->lo = UINT64_MAX;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph))
			return load_fail(e, EIO, "unreadable program header #%zu: %s", i, elf_errmsg(-1));
		switch (ph.p_type) {
		case PT_LOAD: {
			struct elf_segment *s = &img->seg[img->nseg];

			if (ph.p_memsz == 0)
				break;
			if (check_segment(&ph, fsize, img->nseg, e))
				return -1;
			if (img->nseg && ph.p_vaddr < prev_end)
				return load_fail(e, EINVAL, "PT_LOAD #%d overlaps or precedes the one before it", img->nseg);
			prev_end = ph.p_vaddr + ph.p_memsz;
			s->vaddr = ph.p_vaddr;
			s->memsz = ph.p_memsz;
			s->filesz = ph.p_filesz;
			s->offset = ph.p_offset;
			s->prot = prot_of(ph.p_flags);
			if (page_down(ph.p_vaddr) < img->lo)
				img->lo = page_down(ph.p_vaddr);
			if (page_up(prev_end) > img->hi)
				img->hi = page_up(prev_end);
			if (eh.e_phoff >= ph.p_offset && eh.e_phoff - ph.p_offset < ph.p_filesz)
				img->phdr_vaddr = eh.e_phoff - ph.p_offset + ph.p_vaddr;
			img->nseg++;
			break;
		}
		case PT_INTERP:
			if (!img->interp && read_interp(fd, &ph, fsize, &img->interp, e))
				return -1;
			break;
		case PT_GNU_STACK:
			img->exec_stack = (ph.p_flags & PF_X) != 0;
			break;
		case PT_PHDR:
			img->phdr_vaddr = ph.p_vaddr;
			break;
		default:
			break;
		}
	}
	if (img->nseg == 0)
		return load_fail(e, ENOEXEC, "no loadable segment");
	if (img->type == ET_EXEC && img->lo < 0x10000)
		return load_fail(e, EPERM, "fixed segment at %#llx below the lowest mappable address",
			    (unsigned long long)img->lo);
	if (img->hi - img->lo > PV_TASK_SIZE)
		return load_fail(e, ENOMEM, "segments span more than the address space");
	return 0;
}

int elf_image_read(int fd, struct elf_image *img, struct load_error *e)
{
	unsigned char buf[PV_BINPRM_BUF_SIZE];
	struct stat st;
	ssize_t n;
	Elf *elf;
	int rc;

	memset(img, 0, sizeof(*img));
	if (fstat(fd, &st) < 0)
		return load_fail(e, errno, "cannot stat the image: %s", strerror(errno));
	n = pread(fd, buf, sizeof(buf), 0);
	if (n < 0)
		return load_fail(e, errno, "cannot read the image: %s", strerror(errno));
	if (check_ident(buf, (size_t)n, e))
		return -1;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		rc = load_fail(e, ENOEXEC, "libelf cannot read the image: %s", elf_errmsg(-1));
		goto out;
	}
	rc = read_headers(fd, elf, (uint64_t)st.st_size, img, e);
out:
	elf_end(elf);
	if (rc)
		elf_image_free(img);
	return rc;
}

void elf_image_free(struct elf_image *img)
{
	free(img->seg);
	free(img->interp);
	memset(img, 0, sizeof(*img));
}
