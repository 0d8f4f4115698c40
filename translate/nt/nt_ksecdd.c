/*
 * \Device\KsecDD: where NT programs get random bytes. Windows' RtlGenRandom
 * (advapi32's SystemFunction036) opens this device and asks it with
 * NtDeviceIoControlFile(IOCTL_KSEC_RNG), output buffer only; picovisor's
 * advapi32, bcrypt and bcryptprimitives do the same. The bytes come from
 * the Linux kernel: the thread itself runs getrandom(2) into the program's
 * buffer (so a read-only buffer is STATUS_ACCESS_VIOLATION), in as many calls
 * as the kernel needs, after the policy has vetted the call like a Linux
 * program's. No file is opened: the handle is a file object of its own
 * with no fd, answering only that control code.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "nt_file.h"
#include "nt_internal.h"
#include "nt_ksecdd.h"
#include "sandbox.h"
#include "util.h"

#define IOCTL_KSEC_RNG 0x390004 /* CTL_CODE(FILE_DEVICE_KSEC, 1, METHOD_BUFFERED, FILE_ANY_ACCESS) */
#define DEVICE_NAME "\\Device\\KsecDD"

bool nt_ksecdd_named(struct tracee *t, uint64_t oa_addr)
{
	uint16_t *u;
	size_t n;
	bool yes;

	if (nt_oa_plain_name(t, oa_addr, &u, &n))
		return false;
	yes = nt_name_is(u, n, DEVICE_NAME);
	free(u);
	return yes;
}

void nt_ksecdd_open(struct tracee *t, uint64_t handle_out, uint32_t access, uint64_t iosb)
{
	struct nt_object *o;
	uint64_t h;

	nt_call_of(t)->name = xstrdup(DEVICE_NAME);
	o = nt_object_new(NT_TYPE_FILE);
	o->file.fd = -1;
	o->file.is_random = true;
	o->file.nt_name = xstrdup(DEVICE_NAME);
	o->file.share = 7;
	h = nt_handle_add(nt_process_of(t), o, access);
	if (!h) {
		nt_object_free(o);
		nt_done(t, STATUS_TOO_MANY_OPENED_FILES);
		return;
	}
	nt_put(t, handle_out, &h, 8);
	nt_put_iosb(t, iosb, STATUS_SUCCESS, 1 /* FILE_OPENED */);
	nt_done(t, STATUS_SUCCESS);
}

/* st: 0 iosb, 1 the buffer, 2 its length, 3 bytes written so far, 4 the event. */
static void random_step(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);
	uint64_t a[6] = { 0 };
	int rc;

	if (ret == -EINTR)
		ret = 0; /* a signal before any byte: ask again */
	if (ret < 0) {
		ntstatus st = ret == -EFAULT ? STATUS_ACCESS_VIOLATION : nt_status_of_errno((int)ret);

		nt_put_iosb(t, c->st[0], st, 0);
		nt_done(t, st);
		return;
	}
	c->st[3] += (uint64_t)ret;
	if (c->st[3] >= c->st[2]) {
		nt_put_iosb(t, c->st[0], STATUS_SUCCESS, c->st[2]);
		nt_done(t, STATUS_SUCCESS);
		nt_event_signal(t, c->st[4]);
		return;
	}
	a[0] = c->st[1] + c->st[3];
	a[1] = c->st[2] - c->st[3];
	rc = sandbox_vet_call(t, SYS_getrandom, a);
	if (rc < 0) {
		random_step(t, rc);
		return;
	}
	nt_linux(t, random_step, SYS_getrandom, a[0], a[1], 0, 0, 0, 0);
}

void nt_ksecdd_control(struct tracee *t, struct nt_object *o)
{
	struct nt_call *c = nt_call_of(t);
	uint32_t code = (uint32_t)c->a[5];

	(void)o;
	if (code != IOCTL_KSEC_RNG) {
		nt_done(t, STATUS_INVALID_DEVICE_REQUEST);
		return;
	}
	c->st[0] = c->a[4];
	c->st[1] = c->a[8];
	c->st[2] = (uint32_t)c->a[9];
	c->st[3] = 0;
	c->st[4] = c->a[1];
	c->name = xstrdup(DEVICE_NAME);
	if (!c->st[1] && c->st[2]) {
		nt_done(t, STATUS_INVALID_PARAMETER);
		return;
	}
	random_step(t, 0);
}
