/*
 * PE32+ images: see tracer/load/pe_image.h. Every offset, size and RVA read from
 * the file is checked before it is used; a fault names the field.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pe_image.h"
#include "util.h"

static uint16_t rd16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static bool power_of_two(uint64_t v)
{
	return v && !(v & (v - 1));
}

static int bad(struct load_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(struct load_error *e, const char *fmt, ...)
{
	va_list ap;
	int n;

	e->err = ENOEXEC;
	n = snprintf(e->why, sizeof(e->why), "malformed PE image: ");
	va_start(ap, fmt);
	vsnprintf(e->why + n, sizeof(e->why) - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

bool pe_magic(const unsigned char *buf, size_t len)
{
	return len >= 2 && buf[0] == 'M' && buf[1] == 'Z';
}

/* len bytes of the laid-out image at rva, or NULL if they are not all inside it. */
static const unsigned char *at(const struct pe_image *img, uint32_t rva, size_t len)
{
	if ((uint64_t)rva + len > img->size_of_image)
		return NULL;
	return img->mem + rva;
}

/* A NUL-terminated string of at most max bytes inside the image, or NULL. */
static const char *str_at(const struct pe_image *img, uint32_t rva, size_t max)
{
	const unsigned char *p = at(img, rva, 1);
	size_t room;

	if (!p)
		return NULL;
	room = img->size_of_image - rva;
	if (room > max)
		room = max;
	return memchr(p, 0, room) ? (const char *)p : NULL;
}

static int section_prot(uint32_t ch)
{
	return (ch & 0x40000000u ? PROT_READ : 0) | (ch & 0x80000000u ? PROT_WRITE : 0) |
	       (ch & 0x20000000u ? PROT_EXEC : 0);
}

static int read_sections(const unsigned char *file, size_t len, size_t table, struct pe_image *img,
			 struct load_error *e)
{
	uint32_t end_prev = img->size_of_headers;

	img->sec = xcalloc((size_t)img->nsec, sizeof(*img->sec));
	for (int i = 0; i < img->nsec; i++) {
		const unsigned char *h = file + table + (size_t)i * 40;
		struct pe_section *s = &img->sec[i];
		uint64_t span;

		memcpy(s->name, h, 8);
		s->vsize = rd32(h + 8);
		s->rva = rd32(h + 12);
		s->raw_size = rd32(h + 16);
		s->raw_off = rd32(h + 20);
		s->characteristics = rd32(h + 36);
		s->prot = section_prot(s->characteristics);
		if (s->vsize == 0)
			s->vsize = s->raw_size;
		if (s->rva % img->section_alignment)
			return bad(e, "section %d (%.8s) at RVA %#x is not aligned to SectionAlignment %#x", i, s->name,
				   s->rva, img->section_alignment);
		if (s->rva < end_prev)
			return bad(e, "section %d (%.8s) at RVA %#x overlaps the headers or the section before it", i,
				   s->name, s->rva);
		span = (uint64_t)s->rva + s->vsize;
		if (span > img->size_of_image)
			return bad(e, "section %d (%.8s) ends at RVA %#llx, past SizeOfImage %#x", i, s->name,
				   (unsigned long long)span, img->size_of_image);
		if (s->raw_size && (uint64_t)s->raw_off + s->raw_size > len && (uint64_t)s->raw_off + s->vsize > len)
			return bad(e, "section %d (%.8s) has its data at file offset %#x + %#x, past the end of the file (%zu bytes)",
				   i, s->name, s->raw_off, s->raw_size, len);
		end_prev = (uint32_t)span;
	}
	return 0;
}

static void lay_out(const unsigned char *file, size_t len, struct pe_image *img)
{
	size_t hdr = img->size_of_headers < len ? img->size_of_headers : len;

	memcpy(img->mem, file, hdr);
	for (int i = 0; i < img->nsec; i++) {
		const struct pe_section *s = &img->sec[i];
		size_t n = s->raw_size < s->vsize ? s->raw_size : s->vsize;

		if (s->raw_off + n > len) /* raw_size rounded past the end: what the file has */
			n = len - s->raw_off;
		if (s->raw_size)
			memcpy(img->mem + s->rva, file + s->raw_off, n);
	}
}

int pe_image_parse(const unsigned char *file, size_t len, struct pe_image *img, struct load_error *e)
{
	uint32_t lfanew, nrva;
	size_t opt, table;
	uint16_t machine, opt_size, magic;
	const unsigned char *o;

	memset(img, 0, sizeof(*img));
	if (len < 0x40 || !pe_magic(file, len))
		return bad(e, "the file is %zu bytes, too short for a DOS header", len);
	lfanew = rd32(file + 0x3c);
	if ((uint64_t)lfanew + 24 > len)
		return bad(e, "e_lfanew (%#x) points past the end of the file (%zu bytes)", lfanew, len);
	if (memcmp(file + lfanew, "PE\0\0", 4) != 0)
		return bad(e, "no PE signature at e_lfanew (%#x): an MS-DOS or other MZ program", lfanew);
	machine = rd16(file + lfanew + 4);
	if (machine != 0x8664)
		return bad(e, "Machine is %#x, not AMD64 (0x8664): the NT personality runs x86-64 images only", machine);
	img->nsec = rd16(file + lfanew + 6);
	opt_size = rd16(file + lfanew + 20);
	img->characteristics = rd16(file + lfanew + 22);
	if (img->nsec == 0 || img->nsec > PE_MAX_SECTIONS)
		return bad(e, "NumberOfSections is %d (1 to %d allowed)", img->nsec, PE_MAX_SECTIONS);
	opt = lfanew + 24;
	if (opt_size < 0x70 || opt + opt_size > len)
		return bad(e, "SizeOfOptionalHeader %#x is too small for PE32+ or runs past the end of the file", opt_size);
	o = file + opt;
	magic = rd16(o);
	if (magic != 0x20b)
		return bad(e, "optional header magic is %#x, not PE32+ (0x20b)%s", magic,
			   magic == 0x10b ? ": a 32-bit PE32 image" : "");
	img->entry_rva = rd32(o + 0x10);
	img->image_base = rd64(o + 0x18);
	img->section_alignment = rd32(o + 0x20);
	img->size_of_image = rd32(o + 0x38);
	img->size_of_headers = rd32(o + 0x3c);
	img->subsystem = rd16(o + 0x44);
	img->dll_characteristics = rd16(o + 0x46);
	img->stack_reserve = rd64(o + 0x48);
	img->stack_commit = rd64(o + 0x50);
	nrva = rd32(o + 0x6c);
	if (!power_of_two(img->section_alignment) || img->section_alignment < PV_PAGE_SIZE)
		return bad(e, "SectionAlignment %#x is not a power of two of at least the page size (%#lx)",
			   img->section_alignment, PV_PAGE_SIZE);
	if (!power_of_two(rd32(o + 0x24)))
		return bad(e, "FileAlignment %#x is not a power of two", rd32(o + 0x24));
	if (img->size_of_image == 0 || img->size_of_image > PE_MAX_IMAGE_SIZE)
		return bad(e, "SizeOfImage %#x is zero or above %#lx", img->size_of_image, PE_MAX_IMAGE_SIZE);
	img->size_of_image = (uint32_t)page_up(img->size_of_image);
	if (img->size_of_headers == 0 || img->size_of_headers > img->size_of_image)
		return bad(e, "SizeOfHeaders %#x is zero or larger than SizeOfImage %#x", img->size_of_headers,
			   img->size_of_image);
	if (img->image_base == 0 || img->image_base % 0x10000 || img->image_base >= PV_TASK_SIZE ||
	    img->image_base + img->size_of_image > PV_TASK_SIZE)
		return bad(e, "ImageBase %#llx is not a 64 KiB-aligned user address with room for the image",
			   (unsigned long long)img->image_base);
	if (nrva > PE_DIR_COUNT || 0x70 + (size_t)nrva * 8 > opt_size)
		return bad(e, "NumberOfRvaAndSizes %u does not fit the optional header", nrva);
	if (img->stack_reserve > (1UL << 30) || img->stack_commit > img->stack_reserve)
		return bad(e, "SizeOfStackReserve %#llx / SizeOfStackCommit %#llx are out of range (reserve up to 1 GiB, commit up to reserve)",
			   (unsigned long long)img->stack_reserve, (unsigned long long)img->stack_commit);
	for (uint32_t i = 0; i < nrva; i++) {
		img->dir[i].rva = rd32(o + 0x70 + i * 8);
		img->dir[i].size = rd32(o + 0x74 + i * 8);
		if (img->dir[i].size && (uint64_t)img->dir[i].rva + img->dir[i].size > img->size_of_image)
			return bad(e, "data directory %u (RVA %#x, size %#x) lies outside the image", i, img->dir[i].rva,
				   img->dir[i].size);
	}
	table = opt + opt_size;
	if (table + (size_t)img->nsec * 40 > len)
		return bad(e, "the section table (%d entries at %#zx) runs past the end of the file", img->nsec, table);
	if (read_sections(file, len, table, img, e))
		goto fail;
	if (img->entry_rva >= img->size_of_image) {
		bad(e, "AddressOfEntryPoint %#x lies outside the image", img->entry_rva);
		goto fail;
	}
	/* Without RELOCS_STRIPPED an image may move; an empty table just means nothing to fix up. */
	img->relocatable = !(img->characteristics & 0x1);
	img->mem = xcalloc(1, img->size_of_image);
	lay_out(file, len, img);
	return 0;
fail:
	pe_image_free(img);
	return -1;
}

int pe_image_read(int fd, struct pe_image *img, struct load_error *e)
{
	size_t cap = 1 << 16, len = 0;
	unsigned char *buf = xmalloc(cap);
	int rc;

	for (;;) {
		ssize_t n;

		if (len == cap) {
			if (cap >= PE_MAX_FILE_SIZE) {
				free(buf);
				return bad(e, "the file is larger than %lu MiB", PE_MAX_FILE_SIZE >> 20);
			}
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		n = pread(fd, buf + len, cap - len, (off_t)len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return load_fail(e, errno, "cannot read the image: %s", strerror(errno));
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	rc = pe_image_parse(buf, len, img, e);
	free(buf);
	return rc;
}

void pe_image_free(struct pe_image *img)
{
	free(img->sec);
	free(img->mem);
	memset(img, 0, sizeof(*img));
}

uint32_t pe_export_rva(const struct pe_image *img, const char *name)
{
	const struct pe_dir *d = &img->dir[PE_DIR_EXPORT];
	const unsigned char *ed = d->size >= 40 ? at(img, d->rva, 40) : NULL;
	uint32_t nfuncs, nnames, funcs, names, ords;

	if (!ed)
		return 0;
	nfuncs = rd32(ed + 0x14);
	nnames = rd32(ed + 0x18);
	funcs = rd32(ed + 0x1c);
	names = rd32(ed + 0x20);
	ords = rd32(ed + 0x24);
	if (!at(img, funcs, (size_t)nfuncs * 4) || !at(img, names, (size_t)nnames * 4) || !at(img, ords, (size_t)nnames * 2))
		return 0;
	for (uint32_t i = 0; i < nnames; i++) {
		const char *n = str_at(img, rd32(img->mem + names + i * 4), 512);
		uint16_t ord;
		uint32_t rva;

		if (!n || strcmp(n, name) != 0)
			continue;
		ord = rd16(img->mem + ords + i * 2);
		if (ord >= nfuncs)
			return 0;
		rva = rd32(img->mem + funcs + ord * 4);
		if (rva >= d->rva && rva < d->rva + d->size) /* a forwarder string, not code */
			return 0;
		return rva < img->size_of_image ? rva : 0;
	}
	return 0;
}

#define PE_MAX_IMPORTS 65536

int pe_imports_each(const struct pe_image *img, int (*fn)(void *ctx, const struct pe_import *imp), void *ctx,
		    struct load_error *e)
{
	const struct pe_dir *d = &img->dir[PE_DIR_IMPORT];
	int seen = 0;

	if (!d->size)
		return 0;
	for (uint32_t off = d->rva;; off += 20) {
		const unsigned char *desc = at(img, off, 20);
		uint32_t lookup, iat;
		struct pe_import imp;

		if (!desc)
			return bad(e, "the import directory at RVA %#x runs past the end of the image", d->rva);
		if (rd32(desc + 0xc) == 0 && rd32(desc + 0x10) == 0)
			return 0;
		imp.dll = str_at(img, rd32(desc + 0xc), 256);
		if (!imp.dll)
			return bad(e, "an import descriptor's DLL name (RVA %#x) is not a string inside the image",
				   rd32(desc + 0xc));
		iat = rd32(desc + 0x10);
		lookup = rd32(desc) ? rd32(desc) : iat;
		for (uint32_t i = 0;; i++) {
			const unsigned char *th = at(img, lookup + i * 8, 8), *slot = at(img, iat + i * 8, 8);
			uint64_t v;
			int rc;

			if (!th || !slot)
				return bad(e, "the import table of %s runs past the end of the image", imp.dll);
			v = rd64(th);
			if (v == 0)
				break;
			if (++seen > PE_MAX_IMPORTS)
				return bad(e, "more than %d imports", PE_MAX_IMPORTS);
			imp.iat_rva = iat + i * 8;
			if (v >> 63) {
				imp.name = NULL;
				imp.ordinal = (uint16_t)v;
			} else {
				imp.ordinal = 0;
				imp.name = v >> 31 ? NULL : str_at(img, (uint32_t)v + 2, 512);
				if (!imp.name)
					return bad(e, "an import from %s names its function at RVA %#llx, outside the image",
						   imp.dll, (unsigned long long)v);
			}
			rc = fn(ctx, &imp);
			if (rc)
				return rc;
		}
	}
}

int pe_relocate(const struct pe_image *img, unsigned char *mem, uint64_t base, struct load_error *e)
{
	const struct pe_dir *d = &img->dir[PE_DIR_BASERELOC];
	uint64_t delta = base - img->image_base;
	uint32_t off = 0;

	if (delta == 0 || !d->size)
		return 0;
	while (off + 8 <= d->size) {
		const unsigned char *blk = img->mem + d->rva + off;
		uint32_t page = rd32(blk), size = rd32(blk + 4);

		if (size < 8 || size % 2 || size > d->size - off)
			return bad(e, "a base relocation block at RVA %#x has SizeOfBlock %#x", d->rva + off, size);
		for (uint32_t i = 8; i + 2 <= size; i += 2) {
			uint16_t ent = rd16(blk + i);
			uint64_t rva = (uint64_t)page + (ent & 0xfff);

			switch (ent >> 12) {
			case 0: /* ABSOLUTE: padding */
				break;
			case 10: { /* DIR64 */
				uint64_t v;

				if (rva + 8 > img->size_of_image)
					return bad(e, "a DIR64 relocation at RVA %#llx lies outside the image",
						   (unsigned long long)rva);
				memcpy(&v, mem + rva, 8);
				v += delta;
				memcpy(mem + rva, &v, 8);
				break;
			}
			default:
				return bad(e, "base relocation type %d at RVA %#llx is not one a PE32+ image uses (DIR64)",
					   ent >> 12, (unsigned long long)rva);
			}
		}
		off += size;
	}
	return 0;
}

int pe_tls_read(const struct pe_image *img, struct pe_tls *tls, struct load_error *e)
{
	const struct pe_dir *d = &img->dir[PE_DIR_TLS];
	const unsigned char *td;
	uint64_t start, end, index, callbacks, lo = img->image_base, hi = img->image_base + img->size_of_image;

	memset(tls, 0, sizeof(*tls));
	if (!d->size)
		return 0;
	td = at(img, d->rva, 0x28);
	if (!td)
		return bad(e, "the TLS directory at RVA %#x is cut short", d->rva);
	start = rd64(td);
	end = rd64(td + 8);
	index = rd64(td + 0x10);
	callbacks = rd64(td + 0x18);
	tls->zero_fill = rd32(td + 0x20);
	if (start || end) {
		if (start < lo || end > hi || end < start)
			return bad(e, "the TLS template %#llx-%#llx lies outside the image",
				   (unsigned long long)start, (unsigned long long)end);
		tls->data_rva = (uint32_t)(start - lo);
		tls->data_size = (uint32_t)(end - start);
	}
	if (tls->zero_fill > (64u << 20))
		return bad(e, "the TLS zero fill (%#x bytes) is absurd", tls->zero_fill);
	if (index) {
		if (index < lo || index + 4 > hi)
			return bad(e, "the TLS index address %#llx lies outside the image", (unsigned long long)index);
		tls->index_rva = (uint32_t)(index - lo);
	}
	if (callbacks) {
		if (callbacks < lo || callbacks + 8 > hi)
			return bad(e, "the TLS callback array %#llx lies outside the image", (unsigned long long)callbacks);
		tls->callbacks_rva = (uint32_t)(callbacks - lo);
	}
	return 0;
}
