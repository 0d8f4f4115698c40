/* Classic BPF as seccomp runs it (include/seccomp_bpf.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "seccomp_bpf.h"
#include "util.h"

/* BPF_LD|BPF_W|BPF_LEN in seccomp: the size of seccomp_data. */
#define DATA_LEN ((uint32_t)sizeof(struct seccomp_data))

static bool is_cond_jump(uint16_t code)
{
	switch (code) {
	case BPF_JMP | BPF_JEQ | BPF_K:
	case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K:
	case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K:
	case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K:
	case BPF_JMP | BPF_JSET | BPF_X:
		return true;
	default:
		return false;
	}
}

/* The instructions seccomp accepts (kernel/seccomp.c, seccomp_check_filter), with the classic checker's bounds. */
static const char *check_insn(const struct sock_filter *f, size_t pc, size_t len)
{
	switch (f->code) {
	case BPF_LD | BPF_W | BPF_ABS:
		if (f->k >= DATA_LEN || (f->k & 3))
			return "a load outside seccomp_data or not aligned";
		return NULL;
	case BPF_ALU | BPF_DIV | BPF_K:
		return f->k == 0 ? "a division by the constant 0" : NULL;
	case BPF_ALU | BPF_LSH | BPF_K:
	case BPF_ALU | BPF_RSH | BPF_K:
		return f->k >= 32 ? "a shift by 32 or more" : NULL;
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
		return f->k >= SECCOMP_BPF_MEMWORDS ? "a scratch word past the sixteenth" : NULL;
	case BPF_JMP | BPF_JA:
		return f->k >= len - pc - 1 ? "a jump past the end" : NULL;
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
	case BPF_ALU | BPF_ADD | BPF_K:
	case BPF_ALU | BPF_ADD | BPF_X:
	case BPF_ALU | BPF_SUB | BPF_K:
	case BPF_ALU | BPF_SUB | BPF_X:
	case BPF_ALU | BPF_MUL | BPF_K:
	case BPF_ALU | BPF_MUL | BPF_X:
	case BPF_ALU | BPF_DIV | BPF_X:
	case BPF_ALU | BPF_AND | BPF_K:
	case BPF_ALU | BPF_AND | BPF_X:
	case BPF_ALU | BPF_OR | BPF_K:
	case BPF_ALU | BPF_OR | BPF_X:
	case BPF_ALU | BPF_XOR | BPF_K:
	case BPF_ALU | BPF_XOR | BPF_X:
	case BPF_ALU | BPF_LSH | BPF_X:
	case BPF_ALU | BPF_RSH | BPF_X:
	case BPF_ALU | BPF_NEG:
	case BPF_LD | BPF_IMM:
	case BPF_LDX | BPF_IMM:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA:
		return NULL;
	default:
		if (is_cond_jump(f->code))
			return pc + f->jt + 1 >= len || pc + f->jf + 1 >= len ? "a jump past the end" : NULL;
		return "an instruction seccomp does not allow";
	}
}

/* Scratch words loaded before every path stored them (the kernel's check_load_and_stores). */
static const char *check_stores(const struct sock_filter *prog, size_t len)
{
	uint16_t *valid = xmalloc(len * sizeof(*valid));
	const char *why = NULL;

	for (size_t i = 0; i < len; i++)
		valid[i] = 0xffff; /* meet over predecessors: start from "all set", narrow down */
	valid[0] = 0;
	for (size_t pc = 0; pc < len && !why; pc++) {
		const struct sock_filter *f = &prog[pc];
		uint16_t v = valid[pc];

		switch (f->code) {
		case BPF_ST:
		case BPF_STX:
			v |= (uint16_t)(1u << f->k);
			break;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
			if (!(v & (1u << f->k)))
				why = "a scratch word loaded before it is stored";
			break;
		case BPF_JMP | BPF_JA:
			valid[pc + 1 + f->k] &= v;
			v = 0xffff;
			break;
		default:
			if (is_cond_jump(f->code)) {
				valid[pc + 1 + f->jt] &= v;
				valid[pc + 1 + f->jf] &= v;
				v = 0xffff;
			}
			break;
		}
		if (BPF_CLASS(f->code) == BPF_RET)
			v = 0xffff;
		if (pc + 1 < len)
			valid[pc + 1] &= v;
	}
	free(valid);
	return why;
}

int seccomp_bpf_check(const struct sock_filter *prog, size_t len, const char **why)
{
	const char *w = NULL;

	if (len == 0 || len > SECCOMP_BPF_MAX_INSNS)
		w = "no instructions, or more than the kernel takes (4096)";
	for (size_t pc = 0; !w && pc < len; pc++)
		w = check_insn(&prog[pc], pc, len);
	if (!w && BPF_CLASS(prog[len - 1].code) != BPF_RET)
		w = "the last instruction is not a return";
	if (!w)
		w = check_stores(prog, len);
	if (why)
		*why = w;
	return w ? -EINVAL : 0;
}

static uint32_t load_word(const struct seccomp_data *d, uint32_t k)
{
	uint32_t v;

	memcpy(&v, (const char *)d + k, sizeof(v));
	return v;
}

static bool jump_taken(uint16_t code, uint32_t a, uint32_t operand)
{
	switch (BPF_OP(code)) {
	case BPF_JEQ:
		return a == operand;
	case BPF_JGT:
		return a > operand;
	case BPF_JGE:
		return a >= operand;
	default: /* BPF_JSET */
		return (a & operand) != 0;
	}
}

/* One ALU operation, 32 bits as the kernel's conversion does it. *div_zero: a division by X = 0. */
static uint32_t alu(uint16_t code, uint32_t a, uint32_t operand, bool *div_zero)
{
	switch (BPF_OP(code)) {
	case BPF_ADD:
		return a + operand;
	case BPF_SUB:
		return a - operand;
	case BPF_MUL:
		return a * operand;
	case BPF_DIV:
		if (operand == 0) {
			*div_zero = true;
			return 0;
		}
		return a / operand;
	case BPF_AND:
		return a & operand;
	case BPF_OR:
		return a | operand;
	case BPF_XOR:
		return a ^ operand;
	case BPF_LSH:
		return a << (operand & 31);
	case BPF_RSH:
		return a >> (operand & 31);
	default: /* BPF_NEG */
		return -a;
	}
}

uint32_t seccomp_bpf_run(const struct sock_filter *prog, size_t len, const struct seccomp_data *d)
{
	uint32_t a = 0, x = 0, mem[SECCOMP_BPF_MEMWORDS] = { 0 };

	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &prog[pc];
		bool div_zero = false;

		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
			a = BPF_MODE(f->code) == BPF_ABS ? load_word(d, f->k)
			    : BPF_MODE(f->code) == BPF_LEN ? DATA_LEN
			    : BPF_MODE(f->code) == BPF_MEM ? mem[f->k]
							   : f->k;
			break;
		case BPF_LDX:
			x = BPF_MODE(f->code) == BPF_LEN ? DATA_LEN : BPF_MODE(f->code) == BPF_MEM ? mem[f->k] : f->k;
			break;
		case BPF_ST:
			mem[f->k] = a;
			break;
		case BPF_STX:
			mem[f->k] = x;
			break;
		case BPF_ALU:
			a = alu(f->code, a, BPF_SRC(f->code) == BPF_X ? x : f->k, &div_zero);
			if (div_zero)
				return 0; /* classic BPF's answer to a division by zero: the filter returns 0 */
			break;
		case BPF_JMP:
			if (BPF_OP(f->code) == BPF_JA)
				pc += f->k;
			else
				pc += jump_taken(f->code, a, BPF_SRC(f->code) == BPF_X ? x : f->k) ? f->jt : f->jf;
			break;
		case BPF_RET:
			return BPF_RVAL(f->code) == BPF_A ? a : f->k;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default:
			return 0;
		}
	}
	return 0; /* a checked program never gets here: it ends in a return */
}

uint32_t seccomp_bpf_verdict(const struct seccomp_prog *filters, size_t n, const struct seccomp_data *d)
{
	uint32_t ret = SECCOMP_RET_ALLOW;

	/* Newest first, as the kernel walks them; a later filter replaces only a strictly stronger action. */
	for (size_t i = n; i-- > 0;) {
		uint32_t cur = seccomp_bpf_run(filters[i].insns, filters[i].len, d);

		if (seccomp_action_rank(cur) < seccomp_action_rank(ret))
			ret = cur;
	}
	return ret;
}

static unsigned action_bit(uint32_t ret)
{
	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_TRAP:
		return SECCOMP_CAN_TRAP;
	case SECCOMP_RET_ERRNO:
		return SECCOMP_CAN_ERRNO;
	case SECCOMP_RET_USER_NOTIF:
		return SECCOMP_CAN_USER_NOTIF;
	case SECCOMP_RET_TRACE:
		return SECCOMP_CAN_TRACE;
	case SECCOMP_RET_LOG:
		return SECCOMP_CAN_LOG;
	case SECCOMP_RET_ALLOW:
		return SECCOMP_CAN_ALLOW;
	default:
		return SECCOMP_CAN_KILL; /* KILL_PROCESS, KILL_THREAD, and what the kernel treats as them */
	}
}

/* A value known to be one constant, or anything. */
struct absval {
	bool known;
	uint32_t v;
};

struct absstate {
	bool reached;
	struct absval a, x, mem[SECCOMP_BPF_MEMWORDS];
};

static struct absval join_val(struct absval p, struct absval q)
{
	if (p.known && q.known && p.v == q.v)
		return p;
	return (struct absval){ false, 0 };
}

static void flow_into(struct absstate *to, const struct absstate *from)
{
	if (!to->reached) {
		*to = *from;
		return;
	}
	to->a = join_val(to->a, from->a);
	to->x = join_val(to->x, from->x);
	for (int i = 0; i < SECCOMP_BPF_MEMWORDS; i++)
		to->mem[i] = join_val(to->mem[i], from->mem[i]);
}

static struct absval known(uint32_t v)
{
	return (struct absval){ true, v };
}

unsigned seccomp_bpf_actions(const struct sock_filter *prog, size_t len)
{
	struct absstate *st = xcalloc(len, sizeof(*st));
	unsigned can = 0;

	st[0].reached = true;
	st[0].a = st[0].x = known(0);
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &prog[pc];
		struct absstate s = st[pc];
		struct absval operand;

		if (!s.reached)
			continue;
		operand = BPF_SRC(f->code) == BPF_X ? s.x : known(f->k);
		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
			s.a = BPF_MODE(f->code) == BPF_ABS ? (struct absval){ false, 0 }
			      : BPF_MODE(f->code) == BPF_LEN ? known(DATA_LEN)
			      : BPF_MODE(f->code) == BPF_MEM ? s.mem[f->k]
							     : known(f->k);
			break;
		case BPF_LDX:
			s.x = BPF_MODE(f->code) == BPF_LEN ? known(DATA_LEN) : BPF_MODE(f->code) == BPF_MEM ? s.mem[f->k]
													       : known(f->k);
			break;
		case BPF_ST:
			s.mem[f->k] = s.a;
			break;
		case BPF_STX:
			s.mem[f->k] = s.x;
			break;
		case BPF_ALU:
			if (BPF_OP(f->code) == BPF_DIV && (!operand.known || operand.v == 0))
				can |= action_bit(0); /* a division by X = 0 returns 0: kill */
			if (s.a.known && (operand.known || BPF_OP(f->code) == BPF_NEG)) {
				bool div_zero = false;
				s.a = known(alu(f->code, s.a.v, operand.v, &div_zero));
			} else {
				s.a = (struct absval){ false, 0 };
			}
			break;
		case BPF_JMP:
			if (BPF_OP(f->code) == BPF_JA) {
				flow_into(&st[pc + 1 + f->k], &s);
			} else if (s.a.known && operand.known) {
				bool taken = jump_taken(f->code, s.a.v, operand.v);
				flow_into(&st[pc + 1 + (taken ? f->jt : f->jf)], &s);
			} else {
				flow_into(&st[pc + 1 + f->jt], &s);
				flow_into(&st[pc + 1 + f->jf], &s);
			}
			continue;
		case BPF_RET:
			if (BPF_RVAL(f->code) == BPF_A)
				can |= s.a.known ? action_bit(s.a.v) : SECCOMP_CAN_ANYTHING;
			else
				can |= action_bit(f->k);
			continue;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				s.x = s.a;
			else
				s.a = s.x;
			break;
		default:
			break;
		}
		if (pc + 1 < len)
			flow_into(&st[pc + 1], &s);
	}
	free(st);
	if (can & SECCOMP_CAN_ANYTHING)
		can |= SECCOMP_CAN_KILL | SECCOMP_CAN_TRAP | SECCOMP_CAN_ERRNO | SECCOMP_CAN_USER_NOTIF |
		       SECCOMP_CAN_TRACE | SECCOMP_CAN_LOG | SECCOMP_CAN_ALLOW;
	return can;
}
