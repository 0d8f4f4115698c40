/* x86_64's Linux ABIs: the native one, i386 through int 0x80, and x32 (native numbers with bit 30 set). */
#include <seccomp.h>

#include "arch.h"
#include "util.h"

static const struct arch_abi abis[] = {
	{ .abi = ABI_X86_64, .name = "x86_64", .audit_arch = AUDIT_ARCH_X86_64, .scmp_arch = SCMP_ARCH_X86_64,
	  .loads = true, .traced = true },
	/* int 0x80 from 64-bit code: loaded (execve's strings below 4 GiB) and recorded with raw registers. */
	{ .abi = ABI_I386, .name = "i386", .audit_arch = AUDIT_ARCH_I386, .scmp_arch = SCMP_ARCH_X86,
	  .loads = true, .traced = true, .ptr32 = true },
	/* x32: no loader of ours, and the decoders know the x86_64 layouts only. */
	{ .abi = ABI_X32, .name = "x32", .audit_arch = AUDIT_ARCH_X86_64, .scmp_arch = SCMP_ARCH_X32,
	  .nr_bit = 0x40000000UL, .ptr32 = true },
};

const struct arch_abi *arch_abis(int *n)
{
	*n = (int)ARRAY_SIZE(abis);
	return abis;
}

const struct arch_abi *arch_abi_info(enum abi abi)
{
	for (size_t i = 0; i < ARRAY_SIZE(abis); i++)
		if (abis[i].abi == abi)
			return &abis[i];
	return NULL;
}

enum abi arch_abi_of_call(uint32_t audit_arch, long *nr)
{
	enum abi found = ABI_COUNT;

	/* An ABI that a number bit selects wins over the plain ABI of the same arch. */
	for (size_t i = 0; i < ARRAY_SIZE(abis); i++) {
		if (abis[i].audit_arch != audit_arch)
			continue;
		if (abis[i].nr_bit && (*nr & (long)abis[i].nr_bit)) {
			*nr &= ~(long)abis[i].nr_bit;
			return abis[i].abi;
		}
		if (!abis[i].nr_bit && found == ABI_COUNT)
			found = abis[i].abi;
	}
	return found;
}
