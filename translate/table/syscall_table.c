/* Lookup over the per-ABI tables in syscalls_*.def. */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "nt.h"
#include "../nt/nt_services.h"
#include "syscall_table.h"
#include "util.h"

static const struct syscall_entry table_x86_64[] = {
#define ARG(kind, name) { K_##kind, #name }
#define SYSCALL(nr, name, flags, ret, ...) { nr, #name, flags, R_##ret, { __VA_ARGS__ } },
#include "syscalls_x86_64.def"
#undef SYSCALL
#undef ARG
};

/* The i386 table has names only: its calls are traced with raw arguments (see syscall_classes). */
static const struct syscall_entry table_i386[] = {
#define SYSCALL(nr, name, flags) { nr, #name, flags, R_INT, { { 0, NULL } } },
#include "syscalls_i386.def"
#undef SYSCALL
};

/*
 * The NT services as table entries, numbered for the Windows build selected
 * when first asked (the command line selects it before anything looks), so
 * that -e, summary and the filters' users see one kind of table.
 */
static int compare_nrs(const void *a, const void *b)
{
	return ((const struct syscall_entry *)a)->nr - ((const struct syscall_entry *)b)->nr;
}

static const struct syscall_entry *nt_table(int *count)
{
	static struct syscall_entry t[NT_SERVICE_COUNT];
	static bool built;

	if (!built) {
		for (int i = 0; i < NT_SERVICE_COUNT; i++) {
			const struct nt_service *s = &nt_services[i];

			t[i].nr = s->nr[nt_build_selected()];
			t[i].name = s->name;
			t[i].flags = s->classes;
			t[i].ret = R_INT;
			for (int a = 0; a < 6 && a < nt_service_nargs(s); a++)
				t[i].args[a] = (struct syscall_arg){ K_HEX, s->args[a].name };
		}
		qsort(t, NT_SERVICE_COUNT, sizeof(t[0]), compare_nrs);
		built = true;
	}
	*count = NT_SERVICE_COUNT;
	return t;
}

const struct syscall_entry *syscall_table(enum abi abi, int *count)
{
	switch (abi) {
	case ABI_X86_64:
	case ABI_X32: /* x32 numbers are x86_64's with bit 30 set; the table is shared */
		*count = (int)ARRAY_SIZE(table_x86_64);
		return table_x86_64;
	case ABI_I386:
		*count = (int)ARRAY_SIZE(table_i386);
		return table_i386;
	case ABI_NT:
		return nt_table(count);
	case ABI_COUNT:
		break;
	}
	*count = 0;
	return NULL;
}

const struct syscall_entry *syscall_lookup(enum abi abi, int nr)
{
	int count, lo = 0, hi;
	const struct syscall_entry *t = syscall_table(abi, &count);

	hi = count - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (t[mid].nr == nr)
			return &t[mid];
		if (t[mid].nr < nr)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

/* Entries sorted by name, built on first use, so that name lookups on hot paths are a bsearch. */
static const struct syscall_entry **by_name[ABI_COUNT];

static int compare_names(const void *a, const void *b)
{
	return strcmp((*(const struct syscall_entry *const *)a)->name, (*(const struct syscall_entry *const *)b)->name);
}

int syscall_number(enum abi abi, const char *name)
{
	struct syscall_entry key = { .name = name };
	const struct syscall_entry *keyp = &key, **found;
	int count;
	const struct syscall_entry *t = syscall_table(abi, &count);

	if (!t)
		return -1;
	if (!by_name[abi]) {
		const struct syscall_entry **index = xcalloc((size_t)count, sizeof(*index));

		for (int i = 0; i < count; i++)
			index[i] = &t[i];
		qsort(index, (size_t)count, sizeof(*index), compare_names);
		by_name[abi] = index;
	}
	found = bsearch(&keyp, by_name[abi], (size_t)count, sizeof(*by_name[abi]), compare_names);
	return found ? (*found)->nr : -1;
}

const char *abi_name(enum abi abi)
{
	switch (abi) {
	case ABI_X86_64:
		return "x86_64";
	case ABI_I386:
		return "i386 (int 0x80)";
	case ABI_X32:
		return "x32";
	case ABI_NT:
		return "nt";
	case ABI_COUNT:
		break;
	}
	return "unknown";
}

uint32_t syscall_classes(enum abi abi, const struct syscall_entry *e)
{
	const uint32_t trace_classes = CL_FILE | CL_DESC | CL_NETWORK | CL_PROCESS | CL_SIGNAL | CL_IPC | CL_MEMORY | CL_CREDS |
				      CL_CLOCK;
	int nr;

	if (abi != ABI_I386)
		return e->flags & trace_classes;
	nr = syscall_number(ABI_X86_64, e->name);
	return nr < 0 ? 0 : syscall_lookup(ABI_X86_64, nr)->flags & trace_classes;
}

int syscall_arg_index(enum abi abi, const struct syscall_entry *e, enum arg_kind kind)
{
	if (abi == ABI_I386) { /* names only: the x86_64 call of the same name has the arguments' kinds */
		int nr = syscall_number(ABI_X86_64, e->name);

		e = nr >= 0 ? syscall_lookup(ABI_X86_64, nr) : NULL;
		if (!e)
			return -1;
	}
	for (int i = 0; i < syscall_nargs(e); i++)
		if (e->args[i].kind == kind)
			return i;
	return -1;
}
