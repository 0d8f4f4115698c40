/*
 * What the instruction a thread faulted on did, from its bytes (the NT
 * personality's exceptions: translate/nt/nt_exception.c). Linux's siginfo has
 * no read/write bit for a page fault (its error code goes only into a signal
 * frame), so the access is read from the instruction: the common storing
 * forms are writes, anything else a read.
 */
#include <stdbool.h>
#include <stddef.h>

#include "arch.h"

/* The common storing forms: mov, the arithmetic forms with a memory destination, stos, movs, SSE stores, setcc... */
bool arch_insn_writes_memory(const unsigned char *p, size_t n)
{
	size_t i = 0;
	bool rep_f3 = false;
	unsigned char op, reg;

	while (i < n && (p[i] == 0x66 || p[i] == 0x67 || p[i] == 0xf0 || p[i] == 0xf2 || p[i] == 0xf3 || p[i] == 0x2e ||
			 p[i] == 0x36 || p[i] == 0x3e || p[i] == 0x26 || p[i] == 0x64 || p[i] == 0x65)) {
		rep_f3 |= p[i] == 0xf3;
		i++;
	}
	if (i < n && (p[i] & 0xf0) == 0x40)
		i++; /* REX */
	if (i >= n)
		return false;
	op = p[i++];
	reg = i < n ? (p[i] >> 3) & 7 : 0;
	if (op == 0x0f) {
		if (i >= n)
			return false;
		op = p[i++];
		reg = i < n ? (p[i] >> 3) & 7 : 0;
		switch (op) {
		case 0x11: case 0x13: case 0x17: case 0x29: case 0x2b: case 0x7f: case 0xd6: case 0xe7: case 0xc3:
		case 0xb0: case 0xb1: case 0xc0: case 0xc1: case 0xab: case 0xb3: case 0xbb: case 0xa4: case 0xa5:
		case 0xac: case 0xad:
			return true;
		case 0x7e:
			return !rep_f3; /* movd/movq r/m, xmm stores; F3 0F 7E loads */
		default:
			return op >= 0x90 && op <= 0x9f; /* setcc */
		}
	}
	if (op < 0x40 && (op & 7) <= 1 && (op >> 3) != 7)
		return true; /* add, or, adc, sbb, and, sub, xor r/m, reg (not cmp) */
	switch (op) {
	case 0x80: case 0x81: case 0x83:
		return reg != 7;
	case 0x86: case 0x87: case 0x88: case 0x89: case 0x8c: case 0x8f: case 0xc0: case 0xc1: case 0xc6: case 0xc7:
	case 0xd0: case 0xd1: case 0xd2: case 0xd3: case 0xa4: case 0xa5: case 0xaa: case 0xab:
		return true;
	case 0xf6: case 0xf7:
		return reg == 2 || reg == 3;
	case 0xfe: case 0xff:
		return reg <= 1;
	default:
		return false;
	}
}

bool arch_insn_privileged(const unsigned char *p, size_t n)
{
	size_t i = 0;

	/* hlt, cli, sti, in, out, ins, outs; clts, invd, wbinvd, wrmsr, rdmsr, mov to or from a control
	 * register, the system group (lgdt...) */
	while (i < n && (p[i] == 0x66 || p[i] == 0xf3 || p[i] == 0xf2 || (p[i] & 0xf0) == 0x40))
		i++;
	if (i >= n)
		return false;
	switch (p[i]) {
	case 0xf4: case 0xfa: case 0xfb: case 0xe4: case 0xe5: case 0xe6: case 0xe7: case 0xec: case 0xed: case 0xee:
	case 0xef: case 0x6c: case 0x6d: case 0x6e: case 0x6f:
		return true;
	case 0x0f:
		return i + 1 < n && (p[i + 1] == 0x06 || p[i + 1] == 0x08 || p[i + 1] == 0x09 || p[i + 1] == 0x30 ||
				     p[i + 1] == 0x32 || p[i + 1] == 0x20 || p[i + 1] == 0x22 || p[i + 1] == 0x01);
	default:
		return false;
	}
}

bool arch_insn_fast_fail(const unsigned char *p, size_t n)
{
	return n >= 2 && p[0] == 0xcd && p[1] == 0x29; /* int 0x29 */
}
