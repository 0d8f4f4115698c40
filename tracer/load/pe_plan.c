/*
 * Planning the exec of a PE32+ image (before the point of no return): the
 * program and picovisor's ntdll.dll are read and checked, and every ntdll
 * import is matched to an export, so that an image the NT personality cannot
 * run fails the exec with a message naming why (status 126 for the first
 * program). Other DLLs are found and linked by ntdll's loader in the process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "nt.h"
#include "pe_image.h"
#include "sandbox.h"
#include "util.h"

struct import_check {
	const struct pe_image *ntdll;
	struct load_error *e;
};

/*
 * The image's imports are linked in the process by ntdll's loader, which also loads the other DLLs
 * (translate/nt/dlls/ntdll/loader.c). What picovisor's own ntdll lacks is known here already: such an
 * image is refused before the point of no return, naming the function.
 */
static int check_import(void *ctx, const struct pe_import *imp)
{
	struct import_check *c = ctx;

	if (strcasecmp(imp->dll, "ntdll.dll") != 0)
		return 0;
	if (!imp->name)
		return load_fail(c->e, ENOEXEC, "the image imports ntdll.dll ordinal %u; picovisor's ntdll exports by name only",
				 imp->ordinal);
	if (!pe_export_rva(c->ntdll, imp->name))
		return load_fail(c->e, ENOEXEC,
				 "the image imports %s from ntdll.dll, which picovisor's ntdll does not provide "
				 "(see 'picovisor --help' for the NT services served)",
				 imp->name);
	return 0;
}

int pe_plan_build(int fd, struct pe_plan **out, struct load_error *e)
{
	struct pe_plan *p = xcalloc(1, sizeof(*p));
	struct import_check chk;
	const unsigned char *dll;
	size_t dll_len;

	*out = NULL;
	if (sandbox_get() && sandbox_get()->supervisor_paths && sandbox_get()->policy.on_violation != VIOLATION_LOG) {
		/* The threads of an NT process open and remove files themselves, through Linux calls the
		 * personality writes: the kernel's Landlock rules hold for those, the supervisor's checks do not. */
		load_fail(e, EACCES,
			  "the policy's path rules need the supervisor's checks here (Landlock cannot enforce them), "
			  "and those do not see an NT program's file access: it cannot run under this policy");
		goto fail;
	}
	if (pe_image_read(fd, &p->main, e))
		goto fail;
	if (p->main.characteristics & 0x2000) {
		load_fail(e, ENOEXEC, "the image is a DLL, not a program");
		goto fail;
	}
	if (!(p->main.characteristics & 0x2)) {
		load_fail(e, ENOEXEC, "the image is not marked executable (IMAGE_FILE_EXECUTABLE_IMAGE)");
		goto fail;
	}
	if (p->main.entry_rva == 0) {
		load_fail(e, ENOEXEC, "the image has no entry point");
		goto fail;
	}
	dll = nt_ntdll_image(nt_build_selected(), &dll_len);
	if (pe_image_parse(dll, dll_len, &p->ntdll, e)) {
		char why[sizeof(e->why)];
		snprintf(why, sizeof(why), "picovisor's own ntdll.dll: %.280s", e->why);
		memcpy(e->why, why, sizeof(why));
		goto fail;
	}
	p->ntdll_process_start = pe_export_rva(&p->ntdll, "LdrInitializeThunk");
	p->ntdll_thread_start = pe_export_rva(&p->ntdll, "RtlUserThreadStart");
	p->ntdll_apc_dispatcher = pe_export_rva(&p->ntdll, "KiUserApcDispatcher");
	if (!p->ntdll_process_start || !p->ntdll_thread_start) {
		load_fail(e, ENOEXEC, "picovisor's own ntdll.dll lacks LdrInitializeThunk or RtlUserThreadStart");
		goto fail;
	}
	chk.ntdll = &p->ntdll;
	chk.e = e;
	if (pe_imports_each(&p->main, check_import, &chk, e))
		goto fail;
	if (pe_tls_read(&p->main, &p->tls, e))
		goto fail;
	*out = p;
	return 0;
fail:
	pe_plan_free(p);
	return -1;
}

void pe_plan_free(struct pe_plan *p)
{
	if (!p)
		return;
	pe_image_free(&p->main);
	pe_image_free(&p->ntdll);
	free(p);
}
