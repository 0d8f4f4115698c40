/*
 * The PE32+ reader (tracer/load/pe_image.h) on picovisor's own ntdll.dll, on
 * images it must refuse with a message naming the field, and on thousands
 * of randomly damaged copies: every one is either read or refused, never a
 * crash (Criterion runs each test in its own process, so a crash fails it).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "nt.h"
#include "../../translate/nt/nt_services.h"
#include "../../tracer/load/pe_image.h"

static unsigned char *copy_ntdll(size_t *len)
{
	const unsigned char *dll = nt_ntdll_image(NT_BUILD_19045, len);
	unsigned char *b = malloc(*len);

	memcpy(b, dll, *len);
	return b;
}

static uint32_t lfanew(const unsigned char *b)
{
	uint32_t v;
	memcpy(&v, b + 0x3c, 4);
	return v;
}

Test(pe_image, reads_ntdll_and_finds_its_exports)
{
	struct pe_image img;
	struct load_error e;
	size_t len;
	unsigned char *b = copy_ntdll(&len);

	cr_assert_eq(pe_image_parse(b, len, &img, &e), 0, "%s", e.why);
	cr_expect(img.characteristics & 0x2000, "ntdll is a DLL");
	cr_expect_neq(pe_export_rva(&img, "NtCreateFile"), 0);
	cr_expect_neq(pe_export_rva(&img, "LdrInitializeThunk"), 0);
	cr_expect_eq(pe_export_rva(&img, "NtNoSuchService"), 0);
	/* the stub of NtClose in the laid-out image: mov r10,rcx; mov eax,0xF; syscall; ret */
	{
		const unsigned char *s = img.mem + pe_export_rva(&img, "NtClose");
		const unsigned char want[] = { 0x49, 0x89, 0xca, 0xb8, 0x0f, 0, 0, 0, 0x0f, 0x05, 0xc3 };
		cr_expect_eq(memcmp(s, want, sizeof(want)), 0, "NtClose is the standard stub with number 0xF");
	}
	pe_image_free(&img);
	free(b);
}

Test(pe_image, each_build_has_its_numbers)
{
	struct pe_image img;
	struct load_error e;
	size_t len;
	const unsigned char *dll = nt_ntdll_image(NT_BUILD_22631, &len);
	const unsigned char *s;

	cr_assert_eq(pe_image_parse(dll, len, &img, &e), 0, "%s", e.why);
	s = img.mem + pe_export_rva(&img, "NtCreateMutant");
	cr_expect_eq(s[4], nt_services[NT_ID_NtCreateMutant].nr[NT_BUILD_22631], "mov eax,0xB8 in the 22631 stub");
	cr_expect_eq(s[4], 0xB8);
	pe_image_free(&img);
}

static void expect_refused(unsigned char *b, size_t len, const char *say)
{
	struct pe_image img;
	struct load_error e;

	cr_expect_eq(pe_image_parse(b, len, &img, &e), -1, "refused (%s)", say);
	cr_expect(strstr(e.why, say) != NULL, "'%s' in '%s'", say, e.why);
	cr_expect(strstr(e.why, "malformed PE image") != NULL, "%s", e.why);
}

Test(pe_image, refuses_each_fault_by_name)
{
	size_t len;
	unsigned char *b = copy_ntdll(&len), *c = malloc(len);
	uint32_t lf = lfanew(b), opt = lf + 0x18;

#define MUTATE(stmt, say)                   \
	do {                                \
		memcpy(c, b, len);          \
		stmt;                       \
		expect_refused(c, len, say);    \
	} while (0)
	MUTATE(memcpy(c + lf, "PX\0\0", 4), "no PE signature");
	MUTATE(c[lf + 4] = 0x4c, "not AMD64");
	MUTATE(memset(c + 0x3c, 0xff, 4), "e_lfanew");
	MUTATE(c[opt + 1] = 0x01, "PE32+");
	MUTATE(memset(c + lf + 6, 0, 2), "NumberOfSections");
	MUTATE(memset(c + opt + 0x38, 0, 4), "SizeOfImage");
	MUTATE(memset(c + opt + 0x20, 0, 4), "SectionAlignment");
	MUTATE(memset(c + opt + 0x24, 3, 1), "FileAlignment");
	MUTATE(memset(c + opt + 0x18, 0x11, 2), "ImageBase");
	MUTATE(memset(c + opt + 0x10, 0xff, 4), "AddressOfEntryPoint");
	MUTATE(memset(c + opt + 0x6c, 0x40, 1), "NumberOfRvaAndSizes");
	MUTATE(memset(c + opt + 0x48, 0xff, 8), "SizeOfStackReserve");
	MUTATE(memset(c + opt + 0x70 + 4, 0x7f, 4), "data directory");
	expect_refused(b, 0x30, "too short");
	expect_refused(b, lf + 20, "e_lfanew");
	free(b);
	free(c);
}

Test(pe_image, random_damage_is_read_or_refused)
{
	size_t len;
	unsigned char *b = copy_ntdll(&len), *c = malloc(len);
	unsigned seed = 12345;
	int refused = 0;

	for (int round = 0; round < 5000; round++) {
		struct pe_image img;
		struct load_error e;
		size_t n = len;

		memcpy(c, b, len);
		for (int k = 1 + (int)(rand_r(&seed) % 8); k > 0; k--) {
			/* mostly the headers, sometimes anywhere */
			size_t at = rand_r(&seed) % 4 ? (size_t)(rand_r(&seed) % 0x400) : rand_r(&seed) % len;
			c[at] = (unsigned char)rand_r(&seed);
		}
		if (rand_r(&seed) % 10 == 0)
			n = rand_r(&seed) % len;
		if (pe_image_parse(c, n, &img, &e) == 0) {
			struct pe_tls tls;
			/* what the loader asks of an image it read must not fault either */
			pe_export_rva(&img, "NtClose");
			pe_tls_read(&img, &tls, &e);
			pe_relocate(&img, img.mem, img.image_base + 0x10000, &e);
			pe_image_free(&img);
		} else {
			cr_expect(e.why[0] != '\0', "a refusal says why");
			refused++;
		}
	}
	cr_expect(refused > 100, "damage was seen (%d refused)", refused);
	free(b);
	free(c);
}

Test(nt_names, wildcards_as_ntfs_matches_them)
{
	cr_expect(nt_wildcard_match("*.txt", "A.TXT"));
	cr_expect(!nt_wildcard_match("*.txt", "a.txt.bak"));
	cr_expect(nt_wildcard_match("?.dat", "c.dat"));
	cr_expect(!nt_wildcard_match("?.dat", "cc.dat"));
	cr_expect(nt_wildcard_match("*", "anything"));
	cr_expect(nt_wildcard_match("a*b*c", "aXXbYYc"));
	cr_expect(nt_wildcard_match("<.txt", "name.txt"), "DOS_STAR before the last dot");
	cr_expect(nt_wildcard_match("file\"", "file"), "DOS_DOT matches the end");
	cr_expect(nt_wildcard_match("ab>", "ab"), "DOS_QM matches nothing at the end");
	cr_expect_eq(nt_name_casecmp("ÀBC", "àbc"), 0, "Latin-1 letters fold");
	cr_expect_neq(nt_name_casecmp("abc", "abd"), 0);
}

Test(nt_names, utf16_round_trip_keeps_bytes_that_are_not_utf8)
{
	const char in[] = "caf\xc3\xa9-\xff\xfe-\xf0\x9f\x98\x80";
	uint16_t u[64];
	char out[64];
	size_t n = nt_utf8_to_utf16(in, sizeof(in) - 1, u, 64), m;

	cr_expect_eq(u[3], 0xe9);
	cr_expect_eq(u[5], 0xdcff, "a stray byte travels as a lone surrogate");
	m = nt_utf16_to_utf8(u, n, out, sizeof(out));
	cr_assert_eq(m, sizeof(in) - 1);
	cr_expect_eq(memcmp(out, in, m), 0);
}

Test(nt_status, errno_table_and_names)
{
	cr_expect_eq(nt_status_of_errno(-2), STATUS_OBJECT_NAME_NOT_FOUND);
	cr_expect_eq(nt_status_of_errno(-13), STATUS_ACCESS_DENIED);
	cr_expect_eq(nt_status_of_errno(-17), STATUS_OBJECT_NAME_COLLISION);
	cr_expect_eq(nt_status_of_errno(-39), STATUS_DIRECTORY_NOT_EMPTY);
	cr_expect_eq(nt_status_of_errno(-9999), STATUS_UNSUCCESSFUL);
	cr_expect_str_eq(nt_status_name(0xC0000034), "STATUS_OBJECT_NAME_NOT_FOUND");
	cr_expect_null(nt_status_name(0xC0DE0000));
}

Test(nt_services, table_per_build)
{
	nt_build_select(NT_BUILD_19045);
	cr_expect_str_eq(nt_service_of(0x55)->name, "NtCreateFile");
	cr_expect_str_eq(nt_service_of(0xB4)->name, "NtCreateMutant");
	nt_build_select(NT_BUILD_22631);
	cr_expect_str_eq(nt_service_of(0xB8)->name, "NtCreateMutant");
	cr_expect_str_eq(nt_service_of(0x14F)->name, "NtQueryFullAttributesFile");
	cr_expect_null(nt_service_of(0x1ff));
	nt_build_select(NT_BUILD_19045);
	for (int i = 0; i < NT_SERVICE_COUNT; i++)
		cr_expect_leq(nt_service_nargs(&nt_services[i]), NT_MAX_ARGS);
}
