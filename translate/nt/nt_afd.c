/*
 * Sockets of NT programs: \Device\Afd, served with picovisor's own control
 * codes (dlls/include/pv_afd.h; docs/nt.md, "Sockets"). A socket is a file
 * object whose fd is a Linux inet socket of the thread's. Every Linux call
 * on it (socket, bind, connect, listen, accept4, sendto, recvfrom, shutdown,
 * getsockname, getpeername, setsockopt, getsockopt, ioctl, poll) is made by
 * the thread itself, so seccomp, Landlock and the run's net rules meet it as
 * they meet a Linux program's; since the kernel lets a call the personality
 * wrote past the filters' stops, each is first vetted by the policy
 * (sandbox_vet_call) as the same call of a Linux program would be. What the
 * policy judges (addresses, option values) is copied into the thread's
 * scratch slot, which no thread of the program can change; the supervisor
 * acts on its copy of every other argument. Data buffers stay the program's:
 * send and receive move bytes between its memory and the socket, nothing
 * decides on them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "dlls/include/pv_afd.h"
#include "nt_afd.h"
#include "nt_file.h"
#include "nt_internal.h"
#include "nt_ksecdd.h"
#include "sandbox.h"
#include "util.h"

#define FILE_OPENED 1
/* Where a call's results go in the thread's work area: an address and its length, an option, poll's array. */
#define WORK_ADDR 0
#define WORK_ADDRLEN PV_AFD_ADDR_MAX
#define WORK_POLL 0x400

/* ---- Answers: the IO_STATUS_BLOCK is written; a failure carries the errno (pv_afd.h). */

/* st: 0 handle, 1 iosb, 2 output buffer, 3 output length, 4 event, 5 fd, 6 the op's own. */
static void afd_fail(struct tracee *t, int err)
{
	struct nt_call *c = nt_call_of(t);
	ntstatus st = nt_status_of_errno(-err);

	nt_put_iosb(t, c->st[1], st, (uint64_t)err);
	nt_done(t, st);
}

static void afd_ok(struct tracee *t, uint64_t information)
{
	struct nt_call *c = nt_call_of(t);
	uint64_t event = c->st[4];

	nt_put_iosb(t, c->st[1], STATUS_SUCCESS, information);
	nt_done(t, STATUS_SUCCESS);
	nt_event_signal(t, event); /* complete at once: its event, if it has one, is set */
}

static void afd_result(struct tracee *t, long ret)
{
	if (ret < 0)
		afd_fail(t, (int)-ret);
	else
		afd_ok(t, (uint64_t)ret);
}

/* The Linux call nr in the thread, once the policy lets it (a refusal goes to then as the errno). */
static void afd_linux(struct tracee *t, nt_then_fn then, long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		      uint64_t a4, uint64_t a5)
{
	const uint64_t a[6] = { a0, a1, a2, a3, a4, a5 };
	int rc = sandbox_vet_call(t, nr, a);

	if (rc < 0) {
		then(t, rc);
		return;
	}
	nt_linux(t, then, nr, a0, a1, a2, a3, a4, a5);
}

/* ---- NtCreateFile on \Device\Afd: a new socket. */

static bool is_afd_name(const uint16_t *u, size_t n)
{
	static const char dev[] = "\\device\\afd";
	size_t k = sizeof(dev) - 1;

	if (n < k || (n > k && u[k] != '\\'))
		return false;
	for (size_t i = 0; i < k; i++) {
		uint16_t ch = u[i] >= 'A' && u[i] <= 'Z' ? (uint16_t)(u[i] + 32) : u[i];
		if (ch != (uint16_t)dev[i])
			return false;
	}
	return true;
}

bool nt_afd_named(struct tracee *t, uint64_t oa_addr)
{
	uint16_t *u;
	size_t n;
	bool yes;

	if (nt_oa_plain_name(t, oa_addr, &u, &n))
		return false;
	yes = is_afd_name(u, n);
	free(u);
	return yes;
}

/* The socket's triple from the EA list (FILE_FULL_EA_INFORMATION entries): 0, or the status to fail with. */
static ntstatus read_open_ea(struct tracee *t, uint64_t ea, uint32_t ea_len, struct pv_afd_open *out)
{
	unsigned char b[512];
	size_t at = 0, len = ea_len < sizeof(b) ? ea_len : sizeof(b);

	if (!ea || !ea_len)
		return STATUS_INVALID_PARAMETER;
	if (nt_get(t, ea, b, len))
		return STATUS_ACCESS_VIOLATION;
	for (;;) {
		uint32_t next;
		uint8_t name_len;
		uint16_t value_len;

		if (at + 8 > len)
			return STATUS_INVALID_PARAMETER;
		memcpy(&next, b + at, 4);
		name_len = b[at + 5];
		memcpy(&value_len, b + at + 6, 2);
		if (at + 8 + name_len + 1 + value_len > len)
			return STATUS_INVALID_PARAMETER;
		if (name_len == sizeof(PV_AFD_EA_NAME) - 1 && !memcmp(b + at + 8, PV_AFD_EA_NAME, name_len) &&
		    value_len == sizeof(*out)) {
			memcpy(out, b + at + 8 + name_len + 1, sizeof(*out));
			return STATUS_SUCCESS;
		}
		if (!next)
			return STATUS_INVALID_PARAMETER;
		at += next;
	}
}

/* A socket object for a Linux socket fd of the thread's, given to the program at out: 0 or the status. */
static ntstatus give_socket(struct tracee *t, int fd, uint32_t access, uint64_t out)
{
	struct nt_object *o = nt_object_new(NT_TYPE_FILE);
	uint64_t h;

	o->file.fd = fd;
	o->file.is_socket = true;
	o->file.nt_name = xstrdup("\\Device\\Afd");
	o->file.share = 7;
	h = nt_handle_add(nt_process_of(t), o, access);
	if (!h) {
		o->file.fd = -1;
		nt_object_free(o);
		return STATUS_TOO_MANY_OPENED_FILES;
	}
	if (out)
		nt_put(t, out, &h, 8);
	nt_call_of(t)->st[6] = h;
	return STATUS_SUCCESS;
}

/* st[6]: the errno the call fails with once the fd it could not give out is closed. */
static void closed_after_failure(struct tracee *t, long ret)
{
	(void)ret;
	afd_fail(t, (int)nt_call_of(t)->st[6]);
}

/* st here: 1 iosb, 2 handle out, 3 access. */
static void socket_made(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);

	if (ret < 0) {
		afd_fail(t, (int)-ret);
		return;
	}
	if (give_socket(t, (int)ret, (uint32_t)c->st[3], c->st[2])) {
		c->st[6] = EMFILE;
		nt_linux(t, closed_after_failure, SYS_close, (uint64_t)ret, 0, 0, 0, 0, 0);
		return;
	}
	nt_put_iosb(t, c->st[1], STATUS_SUCCESS, FILE_OPENED);
	nt_done(t, STATUS_SUCCESS);
}

void nt_afd_create(struct tracee *t, uint64_t handle_out, uint32_t access, uint64_t iosb, uint64_t ea, uint32_t ea_len)
{
	struct nt_call *c = nt_call_of(t);
	struct pv_afd_open o;
	ntstatus st = read_open_ea(t, ea, ea_len, &o);

	c->st[1] = iosb;
	c->st[2] = handle_out;
	c->st[3] = nt_file_access_map(access);
	c->st[4] = 0;
	c->name = xstrdup("\\Device\\Afd");
	if (st) {
		nt_done(t, st);
		return;
	}
	/* inet sockets only: unix sockets would need the sandbox's path checks, made for Linux programs' calls */
	if (o.family != AF_INET && o.family != AF_INET6) {
		afd_fail(t, EAFNOSUPPORT);
		return;
	}
	if (o.type != SOCK_STREAM && o.type != SOCK_DGRAM) {
		afd_fail(t, ESOCKTNOSUPPORT);
		return;
	}
	afd_linux(t, socket_made, SYS_socket, (uint64_t)o.family, (uint64_t)(o.type | SOCK_CLOEXEC), (uint64_t)o.protocol,
		  0, 0, 0);
}

/* ---- The control codes. */

/* An address of the program's (len bytes at p), copied into the scratch slot: its address there, or 0 with *err. */
static uint64_t scratch_addr(struct tracee *t, uint64_t p, uint32_t len, int *err)
{
	unsigned char a[PV_AFD_ADDR_MAX];
	uint16_t family;
	uint64_t at;

	if (len < sizeof(family) || len > sizeof(a)) {
		*err = EINVAL;
		return 0;
	}
	if (nt_get(t, p, a, len)) {
		*err = EFAULT;
		return 0;
	}
	memcpy(&family, a, 2);
	if (family != AF_INET && family != AF_INET6) {
		*err = EAFNOSUPPORT;
		return 0;
	}
	at = nt_scratch_put(t, 0, a, len);
	if (!at)
		*err = ENOMEM;
	return at;
}

/* An address the call left in the work area, written out as struct pv_afd_addr at out (if any). */
static int put_work_addr(struct tracee *t, uint64_t out, uint32_t out_len, uint64_t dst)
{
	struct pv_afd_addr a = { 0 };
	uint32_t len;

	if (!out)
		return 0;
	if (out_len < sizeof(a))
		return -EINVAL;
	if (nt_get(t, nt_work(t) + WORK_ADDRLEN, &len, 4))
		return -EFAULT;
	a.len = len;
	if (len > sizeof(a.addr))
		len = sizeof(a.addr);
	if (nt_get(t, nt_work(t) + WORK_ADDR, a.addr, len) || nt_put(t, dst, &a, sizeof(a)))
		return -EFAULT;
	return 0;
}

static void addr_result(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);
	int rc;

	if (ret < 0) {
		afd_fail(t, (int)-ret);
		return;
	}
	rc = put_work_addr(t, c->st[2], (uint32_t)c->st[3], c->st[2]);
	if (rc < 0)
		afd_fail(t, -rc);
	else
		afd_ok(t, (uint64_t)ret);
}

static void accepted(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);
	int rc;

	if (ret < 0) {
		afd_fail(t, (int)-ret);
		return;
	}
	if (give_socket(t, (int)ret, FILE_ALL_ACCESS, 0)) {
		c->st[6] = EMFILE;
		nt_linux(t, closed_after_failure, SYS_close, (uint64_t)ret, 0, 0, 0, 0, 0);
		return;
	}
	rc = put_work_addr(t, c->st[2], (uint32_t)(c->st[3] - offsetof(struct pv_afd_accepted, peer)),
			   c->st[2] + offsetof(struct pv_afd_accepted, peer));
	if (rc == 0 && nt_put(t, c->st[2], &c->st[6], 8))
		rc = -EFAULT;
	if (rc < 0) { /* the program lost its new handle's number: the socket goes */
		struct nt_object *o = nt_handle_remove(nt_process_of(t), c->st[6]);

		if (o && nt_object_release(o)) {
			o->file.fd = -1;
			nt_object_free(o);
		}
		c->st[6] = (uint64_t)-rc;
		nt_linux(t, closed_after_failure, SYS_close, (uint64_t)ret, 0, 0, 0, 0, 0);
		return;
	}
	afd_ok(t, 0);
}

/* ws2_32's select and WSAPoll: the handles' fds polled by the thread. */
struct poll_req {
	uint32_t count;
	struct pv_afd_poll_entry *entries;
};

static void poll_req_free(void *p)
{
	struct poll_req *r = p;

	if (r)
		free(r->entries);
	free(r);
}

static void polled(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);
	struct poll_req *r = c->p;
	struct pollfd *fds;
	uint64_t ready = 0;

	if (ret < 0) {
		afd_fail(t, (int)-ret);
		return;
	}
	fds = xcalloc(r->count, sizeof(*fds));
	if (nt_get(t, nt_work(t) + WORK_POLL, fds, r->count * sizeof(*fds))) {
		free(fds);
		afd_fail(t, EFAULT);
		return;
	}
	for (uint32_t i = 0; i < r->count; i++) {
		if (r->entries[i].revents != POLLNVAL)
			r->entries[i].revents = fds[i].revents;
		if (r->entries[i].revents)
			ready++;
	}
	free(fds);
	if (nt_put(t, c->st[2], r->entries, r->count * sizeof(*r->entries)))
		afd_fail(t, EFAULT);
	else
		afd_ok(t, ready);
}

static void serve_poll(struct tracee *t, uint64_t in, uint32_t in_len)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_process *p = nt_process_of(t);
	struct pv_afd_poll hdr;
	struct poll_req *r;
	struct pollfd *fds;
	int rc;

	if (in_len < sizeof(hdr) || nt_get(t, in, &hdr, sizeof(hdr))) {
		afd_fail(t, in_len < sizeof(hdr) ? EINVAL : EFAULT);
		return;
	}
	if (hdr.count == 0 || hdr.count > PV_AFD_POLL_MAX || in_len < sizeof(hdr) + hdr.count * sizeof(*r->entries) ||
	    c->st[3] < hdr.count * sizeof(*r->entries)) {
		afd_fail(t, EINVAL);
		return;
	}
	r = xcalloc(1, sizeof(*r));
	c->p = r;
	c->p_free = poll_req_free;
	r->count = hdr.count;
	r->entries = xcalloc(hdr.count, sizeof(*r->entries));
	if (nt_get(t, in + sizeof(hdr), r->entries, hdr.count * sizeof(*r->entries))) {
		afd_fail(t, EFAULT);
		return;
	}
	fds = xcalloc(hdr.count, sizeof(*fds));
	for (uint32_t i = 0; i < hdr.count; i++) {
		struct nt_object *o;

		r->entries[i].revents = 0;
		fds[i].fd = -1; /* poll skips it */
		if (nt_handle_get(p, r->entries[i].handle, NT_TYPE_FILE, &o, NULL) || !o->file.is_socket)
			r->entries[i].revents = POLLNVAL;
		else {
			fds[i].fd = o->file.fd;
			fds[i].events = r->entries[i].events;
		}
	}
	/* The work area is the program's memory: poll reads the fds from it, the kernel's answer comes back there. */
	rc = nt_put(t, nt_work(t) + WORK_POLL, fds, hdr.count * sizeof(*fds));
	free(fds);
	if (rc) {
		afd_fail(t, EFAULT);
		return;
	}
	afd_linux(t, polled, SYS_poll, nt_work(t) + WORK_POLL, hdr.count,
		  (uint64_t)(int64_t)(hdr.timeout_ms < 0 ? -1 : hdr.timeout_ms), 0, 0, 0);
}

static void ioctl_count(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);
	int32_t n;

	if (ret < 0) {
		afd_fail(t, (int)-ret);
		return;
	}
	if (nt_get(t, nt_work(t) + WORK_ADDRLEN, &n, 4) || nt_put(t, c->st[2], &n, 4))
		afd_fail(t, EFAULT);
	else
		afd_ok(t, 0);
}

static void serve_ioctl(struct tracee *t, int fd, uint64_t in, uint32_t in_len)
{
	struct nt_call *c = nt_call_of(t);
	struct pv_afd_ioctl io;
	uint64_t at;

	if (in_len < sizeof(io) || nt_get(t, in, &io, sizeof(io))) {
		afd_fail(t, in_len < sizeof(io) ? EINVAL : EFAULT);
		return;
	}
	if (io.cmd == FIONBIO) {
		int on = io.arg != 0;

		at = nt_scratch_put(t, 0, &on, sizeof(on));
		if (!at)
			afd_fail(t, ENOMEM);
		else
			afd_linux(t, afd_result, SYS_ioctl, (uint64_t)fd, FIONBIO, at, 0, 0, 0);
		return;
	}
	if (io.cmd == FIONREAD && c->st[2] && c->st[3] >= 4) {
		afd_linux(t, ioctl_count, SYS_ioctl, (uint64_t)fd, FIONREAD, nt_work(t) + WORK_ADDRLEN, 0, 0, 0);
		return;
	}
	afd_fail(t, EINVAL);
}

static void opt_got(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);
	struct pv_afd_opt o = { 0 };
	uint32_t len;

	if (ret < 0) {
		afd_fail(t, (int)-ret);
		return;
	}
	if (nt_get(t, nt_work(t) + WORK_ADDRLEN, &len, 4)) {
		afd_fail(t, EFAULT);
		return;
	}
	o.level = (int32_t)(c->st[6] >> 32);
	o.name = (int32_t)c->st[6];
	o.len = len < PV_AFD_OPT_MAX ? len : PV_AFD_OPT_MAX;
	if (nt_get(t, nt_work(t) + WORK_ADDR, o.val, o.len) || nt_put(t, c->st[2], &o, sizeof(o)))
		afd_fail(t, EFAULT);
	else
		afd_ok(t, 0);
}

static void serve_opt(struct tracee *t, int fd, bool set, uint64_t in, uint32_t in_len)
{
	struct nt_call *c = nt_call_of(t);
	struct pv_afd_opt o;
	uint32_t len;
	uint64_t at;

	if (in_len < sizeof(o) || nt_get(t, in, &o, sizeof(o))) {
		afd_fail(t, in_len < sizeof(o) ? EINVAL : EFAULT);
		return;
	}
	if (o.len > PV_AFD_OPT_MAX) {
		afd_fail(t, EINVAL);
		return;
	}
	if (set) {
		at = nt_scratch_put(t, 0, o.val, o.len ? o.len : 1);
		if (!at)
			afd_fail(t, ENOMEM);
		else
			afd_linux(t, afd_result, SYS_setsockopt, (uint64_t)fd, (uint64_t)o.level, (uint64_t)o.name, at, o.len, 0);
		return;
	}
	if (!c->st[2] || c->st[3] < sizeof(o)) {
		afd_fail(t, EINVAL);
		return;
	}
	len = o.len;
	if (nt_put(t, nt_work(t) + WORK_ADDRLEN, &len, 4)) {
		afd_fail(t, EFAULT);
		return;
	}
	c->st[6] = (uint64_t)(uint32_t)o.level << 32 | (uint32_t)o.name;
	afd_linux(t, opt_got, SYS_getsockopt, (uint64_t)fd, (uint64_t)o.level, (uint64_t)o.name, nt_work(t) + WORK_ADDR,
		  nt_work(t) + WORK_ADDRLEN, 0);
}

static void serve_io(struct tracee *t, int fd, bool sending, uint64_t in, uint32_t in_len)
{
	struct nt_call *c = nt_call_of(t);
	struct pv_afd_io io;
	uint64_t at = 0;
	int err = 0;

	if (in_len < sizeof(io) || nt_get(t, in, &io, sizeof(io))) {
		afd_fail(t, in_len < sizeof(io) ? EINVAL : EFAULT);
		return;
	}
	if (sending) {
		if (io.addrlen) {
			if (in_len < sizeof(io) + io.addrlen) {
				afd_fail(t, EINVAL);
				return;
			}
			at = scratch_addr(t, in + sizeof(io), io.addrlen, &err);
			if (!at) {
				afd_fail(t, err);
				return;
			}
		}
		/* Windows has no SIGPIPE: a send on a closed connection fails (WSAECONNRESET, WSAESHUTDOWN) */
		afd_linux(t, afd_result, SYS_sendto, (uint64_t)fd, io.buf, io.len, (uint64_t)(uint32_t)(io.flags | MSG_NOSIGNAL),
			  at, at ? io.addrlen : 0);
		return;
	}
	if (io.addrlen) {
		uint32_t len = PV_AFD_ADDR_MAX;

		if (!c->st[2] || c->st[3] < sizeof(struct pv_afd_addr) || nt_put(t, nt_work(t) + WORK_ADDRLEN, &len, 4)) {
			afd_fail(t, !c->st[2] || c->st[3] < sizeof(struct pv_afd_addr) ? EINVAL : EFAULT);
			return;
		}
		afd_linux(t, addr_result, SYS_recvfrom, (uint64_t)fd, io.buf, io.len, (uint64_t)(uint32_t)io.flags,
			  nt_work(t) + WORK_ADDR, nt_work(t) + WORK_ADDRLEN);
		return;
	}
	c->st[2] = 0; /* no address wanted */
	afd_linux(t, afd_result, SYS_recvfrom, (uint64_t)fd, io.buf, io.len, (uint64_t)(uint32_t)io.flags, 0, 0);
}

/* An op whose results are an address in the work area: its length is set first. */
static void serve_name(struct tracee *t, int fd, long nr)
{
	struct nt_call *c = nt_call_of(t);
	uint32_t len = PV_AFD_ADDR_MAX;

	if (!c->st[2] || c->st[3] < sizeof(struct pv_afd_addr)) {
		afd_fail(t, EINVAL);
		return;
	}
	if (nt_put(t, nt_work(t) + WORK_ADDRLEN, &len, 4)) {
		afd_fail(t, EFAULT);
		return;
	}
	if (nr == SYS_accept4) {
		afd_linux(t, accepted, SYS_accept4, (uint64_t)fd, nt_work(t) + WORK_ADDR, nt_work(t) + WORK_ADDRLEN, SOCK_CLOEXEC,
			  0, 0);
		return;
	}
	afd_linux(t, addr_result, nr, (uint64_t)fd, nt_work(t) + WORK_ADDR, nt_work(t) + WORK_ADDRLEN, 0, 0, 0);
}

void nt_serve_NtDeviceIoControlFile(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	uint64_t h = c->a[0], iosb = c->a[4], in = c->a[6], out = c->a[8];
	uint32_t code = (uint32_t)c->a[5], in_len = (uint32_t)c->a[7], out_len = (uint32_t)c->a[9];
	unsigned char probe[16];
	struct nt_object *o;
	ntstatus st;
	int32_t v;
	int fd, err = 0;
	uint64_t at;

	st = nt_handle_get(nt_process_of(t), h, NT_TYPE_FILE, &o, NULL);
	if (st) {
		nt_done(t, st);
		return;
	}
	if (nt_get(t, iosb, probe, sizeof(probe))) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	if (o->file.is_random) { /* \Device\KsecDD's control code (nt_ksecdd.c) */
		nt_ksecdd_control(t, o);
		return;
	}
	if (!o->file.is_socket) {
		nt_done(t, STATUS_INVALID_DEVICE_REQUEST); /* no device of ours answers control codes on files */
		return;
	}
	fd = o->file.fd;
	c->st[0] = h;
	c->st[1] = iosb;
	c->st[2] = out;
	c->st[3] = out_len;
	c->st[4] = c->a[1];
	c->st[5] = (uint64_t)fd;
	switch (code) {
	case PV_AFD_CODE(PV_AFD_BIND):
	case PV_AFD_CODE(PV_AFD_CONNECT):
		at = scratch_addr(t, in, in_len, &err);
		if (!at)
			afd_fail(t, err);
		else
			afd_linux(t, afd_result, code == PV_AFD_CODE(PV_AFD_BIND) ? SYS_bind : SYS_connect, (uint64_t)fd, at,
				  in_len, 0, 0, 0);
		return;
	case PV_AFD_CODE(PV_AFD_LISTEN):
	case PV_AFD_CODE(PV_AFD_SHUTDOWN):
		if (in_len < 4 || nt_get(t, in, &v, 4)) {
			afd_fail(t, in_len < 4 ? EINVAL : EFAULT);
			return;
		}
		afd_linux(t, afd_result, code == PV_AFD_CODE(PV_AFD_LISTEN) ? SYS_listen : SYS_shutdown, (uint64_t)fd,
			  (uint64_t)(int64_t)v, 0, 0, 0, 0);
		return;
	case PV_AFD_CODE(PV_AFD_ACCEPT):
		if (out_len < sizeof(struct pv_afd_accepted)) {
			afd_fail(t, EINVAL);
			return;
		}
		serve_name(t, fd, SYS_accept4); /* accepted() writes the handle, then the peer's address */
		return;
	case PV_AFD_CODE(PV_AFD_SEND):
	case PV_AFD_CODE(PV_AFD_RECV):
		serve_io(t, fd, code == PV_AFD_CODE(PV_AFD_SEND), in, in_len);
		return;
	case PV_AFD_CODE(PV_AFD_SOCKNAME):
		serve_name(t, fd, SYS_getsockname);
		return;
	case PV_AFD_CODE(PV_AFD_PEERNAME):
		serve_name(t, fd, SYS_getpeername);
		return;
	case PV_AFD_CODE(PV_AFD_SETOPT):
	case PV_AFD_CODE(PV_AFD_GETOPT):
		serve_opt(t, fd, code == PV_AFD_CODE(PV_AFD_SETOPT), in, in_len);
		return;
	case PV_AFD_CODE(PV_AFD_IOCTL):
		serve_ioctl(t, fd, in, in_len);
		return;
	case PV_AFD_CODE(PV_AFD_POLL):
		serve_poll(t, in, in_len);
		return;
	default:
		nt_done(t, STATUS_INVALID_DEVICE_REQUEST);
		return;
	}
}
