/* The ELF reader on real images and on every kind of malformed one. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "loader.h"

static void setup(void)
{
	elf_version(EV_CURRENT);
}

TestSuite(elf_image, .init = setup);

/* A copy of a real image in a memfd, changed by edit() before reading. */
static int read_edited(const char *path, void (*edit)(unsigned char *buf, size_t *len), struct elf_image *img,
		       struct load_error *e)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 64 << 20, len;
	unsigned char *buf = malloc(cap);
	int fd, rc;

	cr_assert(f, "cannot open %s", path);
	len = fread(buf, 1, cap, f);
	fclose(f);
	if (edit)
		edit(buf, &len);
	fd = memfd_create("img", MFD_CLOEXEC);
	cr_assert(write(fd, buf, len) == (ssize_t)len);
	free(buf);
	rc = elf_image_read(fd, img, e);
	close(fd);
	return rc;
}

#define STATIC_IMAGE "build/progs/hello-static"
#define DYNAMIC_IMAGE "build/progs/hello"

Test(elf_image, reads_a_static_executable)
{
	struct elf_image img;
	struct load_error e;

	cr_assert_eq(read_edited(STATIC_IMAGE, NULL, &img, &e), 0, "%s", e.why);
	cr_expect_eq(img.type, ET_EXEC);
	cr_expect_null(img.interp);
	cr_expect_geq(img.nseg, 2);
	cr_expect_eq(img.lo, 0x400000);
	cr_expect(img.entry >= img.lo && img.entry < img.hi);
	cr_expect_neq(img.phdr_vaddr, 0);
	cr_expect_not(img.exec_stack);
	elf_image_free(&img);
}

Test(elf_image, reads_a_dynamic_pie_with_its_interpreter)
{
	struct elf_image img;
	struct load_error e;

	cr_assert_eq(read_edited(DYNAMIC_IMAGE, NULL, &img, &e), 0, "%s", e.why);
	cr_expect_eq(img.type, ET_DYN);
	cr_assert_not_null(img.interp);
	cr_expect_str_eq(img.interp, "/lib64/ld-linux-x86-64.so.2");
	cr_expect_eq(img.lo, 0);
	for (int i = 1; i < img.nseg; i++)
		cr_expect_gt(img.seg[i].vaddr, img.seg[i - 1].vaddr);
	elf_image_free(&img);
}

static Elf64_Ehdr *ehdr(unsigned char *b)
{
	return (Elf64_Ehdr *)b;
}

static Elf64_Phdr *phdr_of_type(unsigned char *b, uint32_t type, int nth)
{
	Elf64_Phdr *ph = (Elf64_Phdr *)(b + ehdr(b)->e_phoff);

	for (int i = 0; i < ehdr(b)->e_phnum; i++)
		if (ph[i].p_type == type && nth-- == 0)
			return &ph[i];
	cr_assert_fail("no program header of type %u", type);
	return NULL;
}

static void truncate_header(unsigned char *b, size_t *len)
{
	(void)b;
	*len = 40;
}
static void truncate_phdrs(unsigned char *b, size_t *len)
{
	*len = ehdr(b)->e_phoff + 20;
}
static void absurd_phnum(unsigned char *b, size_t *len)
{
	(void)len;
	ehdr(b)->e_phnum = 5000;
}
static void zero_phnum(unsigned char *b, size_t *len)
{
	(void)len;
	ehdr(b)->e_phnum = 0;
}
static void class32(unsigned char *b, size_t *len)
{
	(void)len;
	b[EI_CLASS] = ELFCLASS32;
}
static void big_endian(unsigned char *b, size_t *len)
{
	(void)len;
	b[EI_DATA] = ELFDATA2MSB;
}
static void arm64(unsigned char *b, size_t *len)
{
	(void)len;
	ehdr(b)->e_machine = EM_AARCH64;
}
static void relocatable(unsigned char *b, size_t *len)
{
	(void)len;
	ehdr(b)->e_type = ET_REL;
}
static void bad_phentsize(unsigned char *b, size_t *len)
{
	(void)len;
	ehdr(b)->e_phentsize = 32;
}
static void huge_segment(unsigned char *b, size_t *len)
{
	(void)len;
	phdr_of_type(b, PT_LOAD, 1)->p_memsz = 0x7fffffffffffULL;
}
static void overlapping_segments(unsigned char *b, size_t *len)
{
	Elf64_Phdr *a = phdr_of_type(b, PT_LOAD, 0), *c = phdr_of_type(b, PT_LOAD, 1);
	(void)len;
	c->p_vaddr = a->p_vaddr + (c->p_offset & 0xfff);
}
static void filesz_over_memsz(unsigned char *b, size_t *len)
{
	Elf64_Phdr *p = phdr_of_type(b, PT_LOAD, 1);
	(void)len;
	p->p_filesz = p->p_memsz + 1;
}
static void misaligned_offset(unsigned char *b, size_t *len)
{
	(void)len;
	phdr_of_type(b, PT_LOAD, 1)->p_offset += 8;
}
static void segment_past_eof(unsigned char *b, size_t *len)
{
	Elf64_Phdr *p = phdr_of_type(b, PT_LOAD, 1);
	(void)len;
	p->p_offset += 0x100000000ULL;
}
static void interp_unterminated(unsigned char *b, size_t *len)
{
	Elf64_Phdr *p = phdr_of_type(b, PT_INTERP, 0);
	(void)len;
	b[p->p_offset + p->p_filesz - 1] = 'x';
}
static void interp_too_long(unsigned char *b, size_t *len)
{
	(void)len;
	phdr_of_type(b, PT_INTERP, 0)->p_filesz = 5000;
}
static void interp_past_eof(unsigned char *b, size_t *len)
{
	(void)len;
	phdr_of_type(b, PT_INTERP, 0)->p_offset = 0x7fffffff;
}
static void no_magic(unsigned char *b, size_t *len)
{
	(void)len;
	b[1] = 'X';
}
static void fixed_at_zero(unsigned char *b, size_t *len)
{
	Elf64_Phdr *p = phdr_of_type(b, PT_LOAD, 0);
	(void)len;
	p->p_vaddr = p->p_offset & 0xfff;
}

struct bad_case {
	const char *name;
	const char *image;
	void (*edit)(unsigned char *, size_t *);
	int err;
	const char *why;
};

static const struct bad_case bad[] = {
	{ "truncated header", STATIC_IMAGE, truncate_header, ENOEXEC, "truncated ELF header" },
	{ "truncated program headers", STATIC_IMAGE, truncate_phdrs, EIO, "past the end of the file" },
	{ "absurd e_phnum", STATIC_IMAGE, absurd_phnum, ENOEXEC, "absurd program header count" },
	{ "no program headers", STATIC_IMAGE, zero_phnum, ENOEXEC, "absurd program header count 0" },
	{ "32-bit", STATIC_IMAGE, class32, ENOEXEC, "32-bit ELF" },
	{ "big-endian", STATIC_IMAGE, big_endian, ENOEXEC, "big-endian" },
	{ "other machine", STATIC_IMAGE, arm64, ENOEXEC, "not x86-64" },
	{ "relocatable object", STATIC_IMAGE, relocatable, ENOEXEC, "neither an executable" },
	{ "program header size", STATIC_IMAGE, bad_phentsize, ENOEXEC, "entry size 32" },
	{ "huge segment", STATIC_IMAGE, huge_segment, ENOMEM, "do not fit" },
	{ "overlapping segments", STATIC_IMAGE, overlapping_segments, EINVAL, "overlaps" },
	{ "file size over memory size", STATIC_IMAGE, filesz_over_memsz, EINVAL, "exceeds memory size" },
	{ "misaligned file offset", STATIC_IMAGE, misaligned_offset, EINVAL, "modulo the page size" },
	{ "segment past end of file", STATIC_IMAGE, segment_past_eof, ENOEXEC, "past the end of the file" },
	{ "segment at page zero", STATIC_IMAGE, fixed_at_zero, EPERM, "lowest mappable" },
	{ "PT_INTERP without NUL", DYNAMIC_IMAGE, interp_unterminated, ENOEXEC, "NUL-terminated" },
	{ "PT_INTERP too long", DYNAMIC_IMAGE, interp_too_long, ENOEXEC, "PT_INTERP of 5000 bytes" },
	{ "PT_INTERP past end of file", DYNAMIC_IMAGE, interp_past_eof, EIO, "PT_INTERP lies past" },
	{ "no ELF magic", STATIC_IMAGE, no_magic, ENOEXEC, "not a recognised executable format" },
};

Test(elf_image, refuses_every_malformed_image_with_the_kernels_errno)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct elf_image img;
		struct load_error e = { 0, "" };
		int rc = read_edited(bad[i].image, bad[i].edit, &img, &e);

		cr_expect_eq(rc, -1, "%s: accepted", bad[i].name);
		cr_expect_eq(e.err, bad[i].err, "%s: errno %s, expected %s", bad[i].name, strerrorname_np(e.err),
			     strerrorname_np(bad[i].err));
		cr_expect(strstr(e.why, bad[i].why) != NULL, "%s: message '%s' lacks '%s'", bad[i].name, e.why,
			  bad[i].why);
	}
}

Test(elf_image, names_formats)
{
	cr_expect(strstr(image_format_name((const unsigned char *)"MZ\x90", 3), "PE") != NULL);
	cr_expect(strstr(image_format_name((const unsigned char *)"#!/bin/sh", 9), "script") != NULL);
	cr_expect(strstr(image_format_name((const unsigned char *)"\x7f" "ELF\x01", 5), "32-bit") != NULL);
	cr_expect(strstr(image_format_name((const unsigned char *)"hello", 5), "not a recognised") != NULL);
}

/* Random header corruption, many times over: the reader answers, it never crashes. */
static unsigned long long fuzz_state = 0x9e3779b97f4a7c15ULL;

static unsigned fuzz_next(void)
{
	fuzz_state ^= fuzz_state << 13;
	fuzz_state ^= fuzz_state >> 7;
	fuzz_state ^= fuzz_state << 17;
	return (unsigned)fuzz_state;
}

static void mutate(unsigned char *b, size_t *len)
{
	size_t span = 64 + 56 * 16;
	int n = 1 + (int)(fuzz_next() % 8);

	for (int i = 0; i < n; i++) {
		size_t pos = fuzz_next() % span;
		switch (fuzz_next() % 4) {
		case 0:
			b[pos] = (unsigned char)fuzz_next();
			break;
		case 1:
			b[pos] ^= (unsigned char)(1u << (fuzz_next() % 8));
			break;
		case 2:
			b[pos] = 0xff;
			break;
		default:
			b[pos] = 0;
			break;
		}
	}
	if (fuzz_next() % 8 == 0)
		*len = fuzz_next() % 4096;
}

Test(elf_image, survives_thousands_of_mutated_headers)
{
	int accepted = 0, refused = 0;

	for (int i = 0; i < 3000; i++) {
		struct elf_image img;
		struct load_error e = { 0, "" };

		if (read_edited(i % 2 ? STATIC_IMAGE : DYNAMIC_IMAGE, mutate, &img, &e) == 0) {
			accepted++;
			cr_assert_gt(img.nseg, 0);
			cr_assert(img.lo < img.hi);
			elf_image_free(&img);
		} else {
			refused++;
			cr_assert_gt(e.err, 0, "a refusal carries an errno");
			cr_assert_neq(e.why[0], '\0', "a refusal says why");
		}
	}
	cr_expect_gt(refused, 100);
	cr_expect_gt(accepted, 100, "mutations that keep the image valid still load");
}
