/*
 * The NT services picovisor serves: one table, built from nt_services.def
 * (docs/architecture.md, "The NT personality"): the dispatch table, ABI_NT's
 * rows of the syscall table, the trace decoders and the ntdll stubs.
 */
#ifndef PICOVISOR_NT_SERVICES_H
#define PICOVISOR_NT_SERVICES_H

#include <stdint.h>

#include "nt.h"

enum nt_arg_kind {
	NK_NONE,
	NK_HANDLE,
	NK_HANDLE_OUT,     /* PHANDLE filled in on success */
	NK_HANDLE_CLOSED,  /* the handle the call closes: described at entry */
	NK_BOOL,
	NK_TIMEOUT,        /* PLARGE_INTEGER: NULL infinite, negative relative, positive absolute */
	NK_PTR,
	NK_IOSB,           /* PIO_STATUS_BLOCK filled in */
	NK_BUF_IN,         /* bytes passed in; length in the next argument */
	NK_BUF_OUT,        /* bytes returned; the count in the IO_STATUS_BLOCK */
	NK_ULONG,
	NK_LONG,
	NK_HEX,
	NK_SIZE,
	NK_LARGE_IN,       /* PLARGE_INTEGER read */
	NK_LARGE_OUT,      /* PLARGE_INTEGER filled in */
	NK_ULONG_OUT,      /* PULONG filled in */
	NK_SIZE_OUT,       /* PSIZE_T filled in */
	NK_PTR_INOUT,      /* PVOID * read and written */
	NK_SIZE_INOUT,     /* PSIZE_T read and written */
	NK_MEM_TYPE,       /* MEM_* */
	NK_PROTECT,        /* PAGE_* */
	NK_NTSTATUS,
	NK_ACCESS,         /* ACCESS_MASK */
	NK_OBJECT_ATTRIBUTES, /* shown as its name */
	NK_SHARE,          /* FILE_SHARE_* */
	NK_CREATE_OPTIONS, /* FILE_* create options */
	NK_DISPOSITION,    /* FILE_SUPERSEDE ... */
	NK_FILE_INFO_CLASS,
	NK_USTR,           /* PUNICODE_STRING */
};

#define NT_MAX_ARGS 14

struct nt_service {
	const char *name;
	uint16_t nr[NT_BUILD_COUNT];
	uint32_t classes; /* CL_* of include/syscall_table.h */
	struct {
		uint8_t kind; /* enum nt_arg_kind */
		const char *name;
	} args[NT_MAX_ARGS];
};

enum nt_service_id {
#define NT_SERVICE(name, n19045, n22631, classes, ...) NT_ID_##name,
#include "nt_services.def"
#undef NT_SERVICE
	NT_SERVICE_COUNT,
};

extern const struct nt_service nt_services[NT_SERVICE_COUNT];
/* The service a number selects in the selected build, or NULL. */
const struct nt_service *nt_service_of(uint32_t nr);
/* The id of a service by name, or -1. */
int nt_service_by_name(const char *name);
int nt_service_nargs(const struct nt_service *s);

#endif
