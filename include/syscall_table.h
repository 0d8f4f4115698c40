/*
 * The syscall table: one entry per system call of each x86 ABI, with the class
 * flags that decide how picovisor treats it. The seccomp filters are generated
 * from these flags; no other list of syscalls exists in picovisor.
 */
#ifndef PICOVISOR_SYSCALL_TABLE_H
#define PICOVISOR_SYSCALL_TABLE_H

#include <stdint.h>

enum abi {
	ABI_X86_64,
	ABI_I386, /* int 0x80 from 64-bit code */
	ABI_X32,  /* syscall with nr | 0x40000000 */
	ABI_COUNT,
};

/* Class flags. */
enum {
	SC_EXEC = 1u << 0,     /* replaces the image: always served by the loader */
	SC_READLINK = 1u << 1, /* can read /proc/PID/exe: fixed up when the kernel cannot be told the exe */
};

struct syscall_entry {
	int nr;
	const char *name;
	uint32_t flags;
};

/* Entries of an ABI's table, sorted by number; *count receives their number. */
const struct syscall_entry *syscall_table(enum abi abi, int *count);
/* The entry for nr, or NULL if the ABI has no such call. */
const struct syscall_entry *syscall_lookup(enum abi abi, int nr);
/* The number of a call by name in an ABI, or -1. */
int syscall_number(enum abi abi, const char *name);
const char *abi_name(enum abi abi);

#endif
