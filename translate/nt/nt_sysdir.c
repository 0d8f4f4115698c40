/*
 * picovisor's system directory, C:\Windows\System32 as an NT program sees it:
 * the DLLs built with picovisor (kernel32.dll, ...) are embedded in it, like
 * ntdll.dll, and an open of one of their names there is answered from that
 * copy, whatever the C: drive holds. The thread gets a memfd of its own,
 * filled from the sealed scratch slot and sealed against writes, so no host
 * file is opened with picovisor's rights and the program cannot change the
 * image another open of it gets. Any other name in that directory is looked
 * up on the drive as usual.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "nt_file.h"
#include "nt_internal.h"
#include "host.h"
#include "util.h"

#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_SEAL_SEAL 0x1
#define F_SEAL_SHRINK 0x2
#define F_SEAL_GROW 0x4
#define F_SEAL_WRITE 0x8
#endif

/* The embedded copies (translate/nt/dll_blobs.S), one per line of nt_sysdlls.def. */
#define SYSDLL(name, base) extern const unsigned char pv_##name##_dll[], pv_##name##_dll_end[];
#include "nt_sysdlls.def"
#undef SYSDLL

static const struct nt_sysdll sysdlls[] = {
#define SYSDLL(name, base) { #name ".dll", pv_##name##_dll, pv_##name##_dll_end },
#include "nt_sysdlls.def"
#undef SYSDLL
};

#define SYSDIR "\\??\\C:\\Windows\\System32\\"

static uint16_t fold(uint16_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint16_t)(c + 32) : c;
}

const struct nt_sysdll *nt_sysdll_find(const uint16_t *u, size_t n)
{
	size_t k = strlen(SYSDIR);

	if (n <= k)
		return NULL;
	/* "\??\" is case-sensitive in NT; the rest of the name is matched ignoring case, as the file system would */
	for (size_t i = 0; i < k; i++)
		if (i < 4 ? u[i] != (uint16_t)SYSDIR[i] : fold(u[i]) != fold((uint16_t)SYSDIR[i]))
			return NULL;
	for (size_t d = 0; d < ARRAY_SIZE(sysdlls); d++) {
		const char *name = sysdlls[d].name;
		size_t len = strlen(name), i;

		if (n - k != len)
			continue;
		for (i = 0; i < len && fold(u[k + i]) == (uint16_t)name[i]; i++)
			;
		if (i == len)
			return &sysdlls[d];
	}
	return NULL;
}

const struct nt_sysdll *nt_sysdll_lookup(struct tracee *t, uint64_t oa_addr)
{
	uint16_t *u;
	size_t n;
	const struct nt_sysdll *d;

	if (nt_oa_plain_name(t, oa_addr, &u, &n))
		return NULL;
	d = nt_sysdll_find(u, n);
	free(u);
	return d;
}

/*
 * A name directly in the system directory that is none of picovisor's DLLs,
 * where the drive has no such directory of its own (the lookup said
 * OBJECT_PATH_NOT_FOUND): the directory exists on every Windows, so the
 * answer is the one its file system gives: no such file, a name too long
 * for a component (more than 255 characters), or no right to make one
 * there. 0 when the name is elsewhere.
 */
ntstatus nt_sysdir_absent(struct tracee *t, uint64_t oa_addr, bool may_create)
{
	uint16_t *u;
	size_t n, k = strlen(SYSDIR), i;
	ntstatus st = 0;

	if (nt_oa_plain_name(t, oa_addr, &u, &n))
		return 0;
	for (i = 0; i < k && i < n; i++)
		if (i < 4 ? u[i] != (uint16_t)SYSDIR[i] : fold(u[i]) != fold((uint16_t)SYSDIR[i]))
			break;
	if (i == k && n > k) {
		for (i = k; i < n && u[i] != '\\'; i++)
			;
		if (i == n) /* one component below it */
			st = n - k > 255 ? STATUS_OBJECT_NAME_INVALID
			     : may_create ? STATUS_ACCESS_DENIED
					  : STATUS_OBJECT_NAME_NOT_FOUND;
	}
	free(u);
	return st;
}

/* st: 0 the memfd, 1 bytes written so far, 2 access, 3 handle out, 4 iosb, 5 status; p: the DLL (static). */
static void keep(void *p)
{
	(void)p;
}

static void closed_after_failure(struct tracee *t, long ret)
{
	(void)ret;
	nt_done(t, (ntstatus)nt_call_of(t)->st[5]);
}

static void sealed(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);
	const struct nt_sysdll *d = c->p;
	struct nt_object *o;
	uint64_t h;
	char nt_name[64];

	if (ret < 0) {
		nt_done(t, nt_status_of_errno((int)ret));
		return;
	}
	o = nt_object_new(NT_TYPE_FILE);
	o->file.fd = (int)c->st[0];
	snprintf(nt_name, sizeof(nt_name), "\\Windows\\System32\\%s", d->name);
	o->file.nt_name = xstrdup(nt_name);
	o->file.seekable = true;
	o->file.sync_io = true;
	o->file.share = 7;
	h = nt_handle_add(nt_process_of(t), o, (uint32_t)c->st[2]);
	if (!h) {
		nt_object_free(o);
		nt_done(t, STATUS_TOO_MANY_OPENED_FILES);
		return;
	}
	nt_put(t, c->st[3], &h, 8);
	nt_put_iosb(t, c->st[4], STATUS_SUCCESS, 1 /* FILE_OPENED */);
	nt_done(t, STATUS_SUCCESS);
}

static void fill_step(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);
	const struct nt_sysdll *d = c->p;
	size_t size = (size_t)(d->end - d->data), left, chunk;
	uint64_t at;

	if (ret < 0)
		goto fail;
	if (c->st[1] != (uint64_t)-1)
		c->st[1] += (uint64_t)ret;
	else
		c->st[1] = 0; /* the memfd_create's return */
	left = size - c->st[1];
	if (!left) {
		nt_linux(t, sealed, SYS_fcntl, c->st[0], F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL,
			 0, 0, 0);
		return;
	}
	chunk = left < SCRATCH_SLOT_SIZE ? left : SCRATCH_SLOT_SIZE;
	at = nt_scratch_put(t, 0, d->data + c->st[1], chunk);
	if (!at) {
		ret = -ENOMEM;
		goto fail;
	}
	nt_linux(t, fill_step, SYS_write, c->st[0], at, chunk, 0, 0, 0);
	return;
fail:
	c->st[5] = (uint64_t)nt_status_of_errno((int)ret);
	nt_linux(t, closed_after_failure, SYS_close, c->st[0], 0, 0, 0, 0, 0);
}

static void after_memfd(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);

	if (ret < 0) {
			nt_done(t, nt_status_of_errno((int)ret));
		return;
	}
	c->st[0] = (uint64_t)ret;
	c->st[1] = (uint64_t)-1;
	fill_step(t, 0);
}

void nt_sysdll_open(struct tracee *t, const struct nt_sysdll *d, uint64_t handle_out, uint32_t access, uint64_t iosb)
{
	struct nt_call *c = nt_call_of(t);
	uint64_t at;

	c->p = (void *)d;

	c->p_free = keep; /* a static entry: nothing to free */
	c->st[2] = access;
	c->st[3] = handle_out;
	c->st[4] = iosb;
	c->name = xstrdup(d->name);
	at = nt_scratch_put(t, 0, "pv-system-dll", sizeof("pv-system-dll"));
	if (!at) {
			nt_done(t, STATUS_NO_MEMORY);
		return;
	}
	nt_linux(t, after_memfd, SYS_memfd_create, at, MFD_CLOEXEC | MFD_ALLOW_SEALING, 0, 0, 0, 0);
}
