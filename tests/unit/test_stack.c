/* Reading the kernel's initial stack and building the program's. */
#include <criterion/criterion.h>
#include <elf.h>
#include <errno.h>
#include <string.h>

#include "loader.h"

static size_t build_raw(uint64_t *w)
{
	size_t n = 0;

	w[n++] = 2;           /* argc */
	w[n++] = 0x7ff000100; /* argv */
	w[n++] = 0x7ff000200;
	w[n++] = 0;
	w[n++] = 0x7ff000300; /* envp */
	w[n++] = 0;
	w[n++] = AT_PAGESZ;
	w[n++] = 4096;
	w[n++] = AT_EXECFN;
	w[n++] = 0x7ff000f00;
	w[n++] = AT_NULL;
	w[n++] = 0;
	return n * 8;
}

Test(initial_stack, parses_argv_envp_auxv)
{
	uint64_t raw[32];
	size_t len = build_raw(raw);
	struct initial_stack st;

	cr_assert_eq(initial_stack_parse((unsigned char *)raw, len, 0x7ff000000, &st), 0);
	cr_expect_eq(st.argc, 2);
	cr_expect_eq(st.argv[1], 0x7ff000200);
	cr_expect_eq(st.envc, 1);
	cr_expect_eq(st.nauxv, 2);
	cr_expect_eq(st.auxv[1][0], AT_EXECFN);
	initial_stack_free(&st);
}

Test(initial_stack, truncated_block_is_EFAULT)
{
	uint64_t raw[32];
	size_t len = build_raw(raw);
	struct initial_stack st;

	cr_expect_eq(initial_stack_parse((unsigned char *)raw, len - 16, 0x7ff000000, &st), -EFAULT);
	cr_expect_eq(initial_stack_parse((unsigned char *)raw, 4, 0x7ff000000, &st), -EFAULT);
}

Test(initial_stack, builds_an_aligned_block_with_execfn_above_it)
{
	uint64_t raw[32], sp = 0x7ff000000;
	size_t len = build_raw(raw);
	struct initial_stack st;
	struct stack_image img;
	const char *fn = "/usr/bin/program";
	uint64_t *w;

	cr_assert_eq(initial_stack_parse((unsigned char *)raw, len, sp, &st), 0);
	initial_stack_set_aux(&st, AT_ENTRY, 0x1234);
	stack_image_build(&st, fn, &img);
	cr_expect_eq(img.sp % 16, 0, "rsp must be 16-byte aligned at entry");
	cr_expect_lt(img.sp + img.len, sp, "nothing above the old stack pointer is overwritten");
	w = (uint64_t *)img.bytes;
	cr_expect_eq(w[0], 2);
	cr_expect_eq(w[1], 0x7ff000100);
	cr_expect_eq(w[3], 0);
	cr_expect_eq(w[4], 0x7ff000300);
	cr_expect_eq(w[5], 0);
	cr_expect_eq(img.auxv_addr, img.sp + 6 * 8);
	cr_expect_eq(img.auxv_len, 4 * 16, "PAGESZ, EXECFN, ENTRY and AT_NULL");
	cr_expect_eq(w[6 + 2], AT_EXECFN);
	{
		uint64_t at = w[6 + 3];
		cr_assert(at >= img.sp && at < img.sp + img.len);
		cr_expect_str_eq((char *)img.bytes + (at - img.sp), fn);
	}
	cr_expect_eq(w[6 + 4], AT_ENTRY);
	cr_expect_eq(w[6 + 5], 0x1234);
	cr_expect_eq(stack_image_aux_addr(&img, &st, AT_ENTRY), img.auxv_addr + 2 * 16 + 8);
	cr_expect_eq(stack_image_aux_addr(&img, &st, AT_BASE), 0);
	free(img.bytes);
	initial_stack_free(&st);
}
