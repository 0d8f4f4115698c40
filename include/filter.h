/*
 * The seccomp filter of a run, generated from the syscall table's class flags
 * and the personality's choice of classes to trap. Trapped calls stop with
 * SECCOMP_RET_TRACE; the data word says which ABI the call came through.
 */
#ifndef PICOVISOR_FILTER_H
#define PICOVISOR_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "syscall_table.h"

struct personality;

/* SECCOMP_RET_DATA of a trapped call. */
static inline uint32_t filter_trace_data(enum abi abi)
{
	return (uint32_t)abi;
}

static inline enum abi filter_trace_abi(unsigned long data)
{
	return data < ABI_COUNT ? (enum abi)data : ABI_X86_64;
}

/* Build the filter (libseccomp context); dies with a message on failure. */
void *filter_build(const struct personality *pers, bool set_no_new_privs);
/* The raw BPF of a filter that traps the given classes in every ABI and allows the rest
 * (to be stacked on a process's filter). 0 and a malloc'd *bytes, or -errno. */
int filter_bpf_for_classes(unsigned classes, void **bytes, size_t *len);
/* Load it in the calling (child) process: 0 or -errno. */
int filter_load(void *filter);

#endif
