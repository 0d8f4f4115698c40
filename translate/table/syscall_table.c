/* Lookup over the per-ABI tables in syscalls_*.def. */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "nt.h"
#include "../nt/nt_services.h"
#include "promises.h"
#include "syscall_table.h"
#include "util.h"

static const struct syscall_entry table_x86_64[] = {
#define ARG(kind, name) { K_##kind, #name, 0 }
#define PATH(name, role) { K_PATH, #name, PATH_##role }
#define P(promise) PROMISE_BIT(promise)
#define SYSCALL(nr, name, flags, ret, ...) { nr, #name, flags, R_##ret, { __VA_ARGS__ } },
#include "syscalls_x86_64.def"
#undef SYSCALL
#undef P
#undef PATH
#undef ARG
};

/* Each x86_64 call's index in table_x86_64, by name: an i386 row names its x86_64 namesake, checked by the compiler. */
enum x86_64_row {
#define SYSCALL(nr, name, ...) X86_64_ROW_##name,
#include "syscalls_x86_64.def"
#undef SYSCALL
};

/*
 * The flags an i386 row takes from its x86_64 namesake: those that say how
 * the supervisor serves a call in either ABI. The rest stay x86_64's: trace
 * classes and argument kinds are looked up through the namesake
 * (syscall_classes, syscall_arg_index), and path roles and effects only
 * matter to path translation and the sandbox, which take no i386 calls.
 */
#define I386_FROM_X86_64 (SC_EXEC | SC_READLINK | SC_AFFINITY | SC_AFFINITY_SET | SC_SECCOMP | SC_STRICT_MODE)

static const struct i386_row {
	int nr;
	const char *name;
	int namesake;    /* enum x86_64_row, or -1 */
	uint64_t flags;  /* its own (I386_ONLY) */
	uint64_t without; /* namesake's flags it lacks (SYSCALL_WITHOUT) */
} i386_rows[] = {
#define SYSCALL(nr, name) { nr, #name, X86_64_ROW_##name, 0, 0 },
#define SYSCALL_WITHOUT(nr, name, flags) { nr, #name, X86_64_ROW_##name, 0, flags },
#define I386_ONLY(nr, name, flags) { nr, #name, -1, flags, 0 },
#include "syscalls_i386.def"
#undef I386_ONLY
#undef SYSCALL_WITHOUT
#undef SYSCALL
};

/* The i386 table has names and flags only: its calls are traced with raw arguments (see syscall_classes). */
static struct syscall_entry table_i386[ARRAY_SIZE(i386_rows)];

__attribute__((constructor)) static void derive_i386(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(i386_rows); i++) {
		const struct i386_row *r = &i386_rows[i];
		uint64_t flags = r->flags;

		if (r->namesake >= 0)
			flags = table_x86_64[r->namesake].flags & I386_FROM_X86_64 & ~r->without;
		table_i386[i] = (struct syscall_entry){ .nr = r->nr, .name = r->name, .flags = flags, .ret = R_INT };
	}
}

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
