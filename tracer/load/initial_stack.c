/* The process's first stack: read the one the kernel built for the stub, build the program's. */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "util.h"

static int take(const unsigned char *bytes, size_t len, size_t *off, uint64_t *v)
{
	if (*off + 8 > len)
		return -EFAULT;
	memcpy(v, bytes + *off, 8);
	*off += 8;
	return 0;
}

static int take_array(const unsigned char *bytes, size_t len, size_t *off, uint64_t **out, size_t *n)
{
	size_t cap = 16;
	uint64_t v;

	*out = xmalloc(cap * sizeof(uint64_t));
	*n = 0;
	for (;;) {
		if (take(bytes, len, off, &v))
			return -EFAULT;
		if (v == 0)
			return 0;
		if (*n == cap)
			*out = xrealloc(*out, (cap *= 2) * sizeof(uint64_t));
		(*out)[(*n)++] = v;
	}
}

int initial_stack_parse(const unsigned char *bytes, size_t len, uint64_t sp, struct initial_stack *st)
{
	size_t off = 0, argc, cap = 32;

	memset(st, 0, sizeof(*st));
	st->sp = sp;
	if (take(bytes, len, &off, &st->argc))
		return -EFAULT;
	if (take_array(bytes, len, &off, &st->argv, &argc) || argc != st->argc)
		goto bad;
	if (take_array(bytes, len, &off, &st->envp, &st->envc))
		goto bad;
	st->auxv = xmalloc(cap * sizeof(*st->auxv));
	for (;;) {
		uint64_t type, val;

		if (take(bytes, len, &off, &type) || take(bytes, len, &off, &val))
			goto bad;
		if (type == AT_NULL)
			return 0;
		if (st->nauxv == cap)
			st->auxv = xrealloc(st->auxv, (cap *= 2) * sizeof(*st->auxv));
		st->auxv[st->nauxv][0] = type;
		st->auxv[st->nauxv][1] = val;
		st->nauxv++;
	}
bad:
	initial_stack_free(st);
	return -EFAULT;
}

void initial_stack_free(struct initial_stack *st)
{
	free(st->argv);
	free(st->envp);
	free(st->auxv);
	memset(st, 0, sizeof(*st));
}

void initial_stack_set_aux(struct initial_stack *st, uint64_t type, uint64_t value)
{
	for (size_t i = 0; i < st->nauxv; i++)
		if (st->auxv[i][0] == type) {
			st->auxv[i][1] = value;
			return;
		}
	st->auxv = xrealloc(st->auxv, (st->nauxv + 1) * sizeof(*st->auxv));
	st->auxv[st->nauxv][0] = type;
	st->auxv[st->nauxv][1] = value;
	st->nauxv++;
}

static void put(unsigned char *buf, size_t *off, uint64_t v)
{
	memcpy(buf + *off, &v, 8);
	*off += 8;
}

void stack_image_build(struct initial_stack *st, const char *execfn, struct stack_image *out)
{
	size_t slen = strlen(execfn) + 1;
	uint64_t str_addr = (st->sp - 16 - slen) & ~15UL;
	size_t words = 1 + st->argc + 1 + st->envc + 1 + 2 * (st->nauxv + 1);
	uint64_t sp = (str_addr - words * 8) & ~15UL;
	size_t off = 0;

	initial_stack_set_aux(st, AT_EXECFN, str_addr);
	words = 1 + st->argc + 1 + st->envc + 1 + 2 * (st->nauxv + 1); /* set_aux may have added one */
	sp = (str_addr - words * 8) & ~15UL;
	out->sp = sp;
	out->len = (size_t)(str_addr + slen - sp);
	out->bytes = xcalloc(1, out->len);
	put(out->bytes, &off, st->argc);
	for (size_t i = 0; i < st->argc; i++)
		put(out->bytes, &off, st->argv[i]);
	put(out->bytes, &off, 0);
	for (size_t i = 0; i < st->envc; i++)
		put(out->bytes, &off, st->envp[i]);
	put(out->bytes, &off, 0);
	out->auxv_addr = sp + off;
	for (size_t i = 0; i < st->nauxv; i++) {
		put(out->bytes, &off, st->auxv[i][0]);
		put(out->bytes, &off, st->auxv[i][1]);
	}
	put(out->bytes, &off, AT_NULL);
	put(out->bytes, &off, 0);
	out->auxv_len = (st->nauxv + 1) * 16;
	memcpy(out->bytes + (str_addr - sp), execfn, slen);
}

uint64_t stack_image_aux_addr(const struct stack_image *img, const struct initial_stack *st, uint64_t type)
{
	for (size_t i = 0; i < st->nauxv; i++)
		if (st->auxv[i][0] == type)
			return img->auxv_addr + i * 16 + 8;
	return 0;
}
