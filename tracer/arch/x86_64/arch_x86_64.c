/* x86_64's Linux ABIs: the native one, i386 through int 0x80, and x32 (native numbers with bit 30 set). */
#include <seccomp.h>

#include "arch.h"
#include "util.h"

static const struct arch_abi abis[] = {
	{ ABI_X86_64, "x86_64", AUDIT_ARCH_X86_64, SCMP_ARCH_X86_64, 0, true, true },
	/* int 0x80 from 64-bit code: loaded (execve's strings below 4 GiB) and recorded with raw registers. */
	{ ABI_I386, "i386", AUDIT_ARCH_I386, SCMP_ARCH_X86, 0, true, true },
	/* x32 has no loader of ours and the decoders know the x86_64 layouts only. */
	{ ABI_X32, "x32", AUDIT_ARCH_X86_64, SCMP_ARCH_X32, 0x40000000UL, false, false },
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
