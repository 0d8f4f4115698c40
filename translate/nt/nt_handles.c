/*
 * The handle table of an NT process, kept in the supervisor: handle values
 * are multiples of 4 (index * 4; 0 is never a handle), each naming an object
 * and the access granted when it was opened. The pseudo-handles -1 (the
 * current process) and -2 (the current thread) are not in the table.
 */
#include <stdlib.h>
#include <string.h>

#include "nt_file.h"
#include "nt_internal.h"
#include "util.h"

#define NT_MAX_HANDLES (1 << 20)

static const char *const type_names[NT_TYPE_COUNT] = {
	[NT_TYPE_FILE] = "File",       [NT_TYPE_EVENT] = "Event",   [NT_TYPE_MUTANT] = "Mutant",
	[NT_TYPE_SEMAPHORE] = "Semaphore", [NT_TYPE_THREAD] = "Thread", [NT_TYPE_PROCESS] = "Process",
	[NT_TYPE_SECTION] = "Section", [NT_TYPE_TIMER] = "Timer", [NT_TYPE_IO_COMPLETION] = "IoCompletion",
};

const char *nt_type_name(enum nt_type type)
{
	return type < NT_TYPE_COUNT ? type_names[type] : "?";
}

struct nt_object *nt_object_new(enum nt_type type)
{
	struct nt_object *o = xcalloc(1, sizeof(*o));

	nt_kept_add(sizeof(*o));
	o->type = type;
	if (type == NT_TYPE_FILE)
		o->file.fd = -1;
	if (type == NT_TYPE_SECTION)
		o->section.fd = -1;
	return o;
}

uint32_t nt_handle_add(struct nt_process *p, struct nt_object *obj, uint32_t access)
{
	int i;

	/* The slot closed last, else the first never used: no search, whatever the table holds. */
	if (p->free_slot) {
		i = p->free_slot;
		p->free_slot = (int)p->handles[i].access;
	} else {
		i = p->used_slots ? p->used_slots : 1;
		if (i >= p->nhandles) {
			int n = p->nhandles ? p->nhandles * 2 : 64;

			if (n > NT_MAX_HANDLES)
				return 0;
			p->handles = xrealloc(p->handles, (size_t)n * sizeof(*p->handles));
			memset(p->handles + p->nhandles, 0, (size_t)(n - p->nhandles) * sizeof(*p->handles));
			p->nhandles = n;
		}
		p->used_slots = i + 1;
	}
	p->handles[i].obj = obj;
	p->handles[i].access = access;
	p->handles[i].flags = 0;
	obj->refs++;
	return (uint32_t)i * 4;
}

ntstatus nt_handle_give(struct tracee *t, struct nt_object *obj, uint32_t access, uint64_t out)
{
	uint64_t h = nt_handle_add(nt_process_of(t), obj, access);

	if (!h) {
		if (!obj->refs)
			nt_object_free(obj);
		return STATUS_TOO_MANY_OPENED_FILES; /* NT's "insufficient resources" for a full table */
	}
	nt_put(t, out, &h, 8);
	return STATUS_SUCCESS;
}

static struct nt_handle *slot_of(struct nt_process *p, uint64_t h)
{
	/* The low two bits are free for the program's use (tagging): NT ignores them. */
	uint64_t i = (h & 0xffffffffu) >> 2;

	if (h > 0xffffffffu || i == 0 || i >= (uint64_t)p->nhandles || !p->handles[i].obj)
		return NULL;
	return &p->handles[i];
}

ntstatus nt_handle_get(struct nt_process *p, uint64_t h, enum nt_type type, struct nt_object **obj, uint32_t *access)
{
	struct nt_handle *s = slot_of(p, h);

	if (!s)
		return STATUS_INVALID_HANDLE;
	if (type != NT_TYPE_COUNT && s->obj->type != type)
		return STATUS_OBJECT_TYPE_MISMATCH;
	*obj = s->obj;
	if (access)
		*access = s->access;
	return STATUS_SUCCESS;
}

/* The handle's flags (inherit, protect from close): 0 and *flags, or STATUS_INVALID_HANDLE. */
static ntstatus handle_flags(struct nt_process *p, uint64_t h, uint32_t **flags)
{
	struct nt_handle *s = slot_of(p, h);

	if (!s)
		return STATUS_INVALID_HANDLE;
	*flags = &s->flags;
	return STATUS_SUCCESS;
}

bool nt_handle_protected(struct nt_process *p, uint64_t h)
{
	struct nt_handle *s = slot_of(p, h);

	return s && (s->flags & NT_HANDLE_PROTECT_FROM_CLOSE);
}

struct nt_object *nt_handle_remove(struct nt_process *p, uint64_t h)
{
	struct nt_handle *s = slot_of(p, h);
	struct nt_object *o;

	if (!s)
		return NULL;
	o = s->obj;
	s->obj = NULL;
	s->flags = 0;
	s->access = (uint32_t)p->free_slot; /* a free slot's access links to the next free one */
	p->free_slot = (int)(s - p->handles);
	return o;
}

bool nt_object_release(struct nt_object *obj)
{
	return --obj->refs == 0;
}

void nt_object_free(struct nt_object *obj)
{
	if (obj->type == NT_TYPE_FILE)
		nt_file_forget(obj);
	if (obj->type == NT_TYPE_TIMER)
		nt_timer_forget(obj);
	if (obj->type == NT_TYPE_IO_COMPLETION)
		nt_iocp_free(obj);
	if (obj->completion_port && nt_object_release(obj->completion_port))
		nt_object_free(obj->completion_port);
	if (obj->named)
		nt_named_forget(obj);
	nt_kept_sub(sizeof(*obj));
	free(obj);
}

/* ---- NtDuplicateObject, NtQueryObject */

#define DUPLICATE_CLOSE_SOURCE 1
#define DUPLICATE_SAME_ACCESS 2

bool nt_is_current_process(struct tracee *t, uint64_t h)
{
	struct nt_object *o;

	return h == (uint64_t)-1 || nt_handle_get(nt_process_of(t), h, NT_TYPE_PROCESS, &o, NULL) == STATUS_SUCCESS;
}

void nt_serve_NtDuplicateObject(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_process *p = nt_process_of(t);
	uint64_t src = c->a[1], out = c->a[3], h = 0;
	uint32_t access = (uint32_t)c->a[4], options = (uint32_t)c->a[6], src_access = 0;
	struct nt_object *o;
	ntstatus st;

	if (!nt_is_current_process(t, c->a[0]) || (c->a[2] && !nt_is_current_process(t, c->a[2]))) {
		nt_done(t, STATUS_INVALID_HANDLE);
		return;
	}
	if (src == (uint64_t)-1 || src == (uint64_t)-2) {
		/* a real handle to the current process or thread */
		o = nt_object_new(src == (uint64_t)-1 ? NT_TYPE_PROCESS : NT_TYPE_THREAD);
		o->thread.tid = host_tid(t);
		o->thread.teb = nt_thread_state(t) ? nt_thread_state(t)->teb : 0;
		src_access = 0x1fffff;
	} else {
		st = nt_handle_get(p, src, NT_TYPE_COUNT, &o, &src_access);
		if (st) {
			nt_done(t, st);
			return;
		}
	}
	if (out) {
		uint64_t probe;
		if (nt_get(t, out, &probe, 8)) {
			if (!o->refs)
				nt_object_free(o);
			nt_done(t, STATUS_ACCESS_VIOLATION);
			return;
		}
		if (o->type == NT_TYPE_FILE && !(options & DUPLICATE_SAME_ACCESS))
			access = nt_file_access_map(access);
		h = nt_handle_add(p, o, options & DUPLICATE_SAME_ACCESS ? src_access : access);
		if (!h) {
			nt_done(t, STATUS_TOO_MANY_OPENED_FILES);
			return;
		}
		nt_put(t, out, &h, 8);
	} else if (!o->refs) {
		nt_object_free(o);
	}
	if ((options & DUPLICATE_CLOSE_SOURCE) && src != (uint64_t)-1 && src != (uint64_t)-2) {
		struct nt_object *gone = nt_handle_remove(p, src);

		if (gone && nt_object_release(gone)) {
			if (gone->type == NT_TYPE_FILE) {
				nt_file_closed(t, gone); /* it answers the call when the fd is closed */
				return;
			}
			nt_object_free(gone);
		}
	}
	nt_done(t, STATUS_SUCCESS);
}

static const char *const type_names_utf8[NT_TYPE_COUNT] = {
	[NT_TYPE_FILE] = "File",       [NT_TYPE_EVENT] = "Event",   [NT_TYPE_MUTANT] = "Mutant",
	[NT_TYPE_SEMAPHORE] = "Semaphore", [NT_TYPE_THREAD] = "Thread", [NT_TYPE_PROCESS] = "Process",
	[NT_TYPE_SECTION] = "Section", [NT_TYPE_TIMER] = "Timer", [NT_TYPE_IO_COMPLETION] = "IoCompletion",
};

void nt_serve_NtQueryObject(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_process *p = nt_process_of(t);
	uint32_t cls = (uint32_t)c->a[1], len = (uint32_t)c->a[3], access = 0x1fffff, size, u;
	unsigned char b[0x68 + 64] = { 0 };
	struct nt_object *o = NULL;
	enum nt_type type;
	uint32_t *flags = NULL, none = 0;
	ntstatus st;

	if (c->a[0] == (uint64_t)-1 || c->a[0] == (uint64_t)-2) {
		type = c->a[0] == (uint64_t)-1 ? NT_TYPE_PROCESS : NT_TYPE_THREAD;
	} else {
		st = nt_handle_get(p, c->a[0], NT_TYPE_COUNT, &o, &access);
		if (st) {
			nt_done(t, st);
			return;
		}
		type = o->type;
		handle_flags(p, c->a[0], &flags);
	}
	if (!flags)
		flags = &none;
	switch (cls) {
	case 0: /* ObjectBasicInformation: Attributes are OBJ_PROTECT_CLOSE (1) and OBJ_INHERIT (2) */
		size = 0x38;
		u = (*flags & NT_HANDLE_PROTECT_FROM_CLOSE ? 1u : 0) | (*flags & NT_HANDLE_INHERIT ? 2u : 0);
		memcpy(b, &u, 4);
		memcpy(b + 4, &access, 4);
		u = o ? (uint32_t)o->refs : 1;
		memcpy(b + 8, &u, 4);
		memcpy(b + 0xc, &u, 4);
		break;
	case 2: { /* ObjectTypeInformation: UNICODE_STRING TypeName, counts, then the name's characters */
		const char *name = type_names_utf8[type];
		size_t n = strlen(name);
		uint16_t l = (uint16_t)(n * 2), m = (uint16_t)(n * 2 + 2);
		uint64_t at = c->a[2] + 0x68;

		size = 0x68 + m;
		memcpy(b, &l, 2);
		memcpy(b + 2, &m, 2);
		memcpy(b + 8, &at, 8);
		for (size_t i = 0; i < n; i++)
			b[0x68 + 2 * i] = (unsigned char)name[i];
		break;
	}
	case 4: /* ObjectHandleFlagInformation: BOOLEAN Inherit, BOOLEAN ProtectFromClose */
		size = 2;
		b[0] = (*flags & NT_HANDLE_INHERIT) != 0;
		b[1] = (*flags & NT_HANDLE_PROTECT_FROM_CLOSE) != 0;
		break;
	default:
		nt_done(t, STATUS_INVALID_INFO_CLASS);
		return;
	}
	if (c->a[4] && nt_put(t, c->a[4], &size, 4)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	if (len < size) {
		nt_done(t, STATUS_INFO_LENGTH_MISMATCH);
		return;
	}
	nt_done(t, nt_put(t, c->a[2], b, size) ? STATUS_ACCESS_VIOLATION : STATUS_SUCCESS);
}

/* NtSetInformationObject: ObjectHandleFlagInformation only, the flags of a handle of the table. */
void nt_serve_NtSetInformationObject(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	unsigned char b[2];
	uint32_t *flags;
	ntstatus st;

	if ((uint32_t)c->a[1] != 4) {
		nt_done(t, STATUS_INVALID_INFO_CLASS);
		return;
	}
	if ((uint32_t)c->a[3] != 2) {
		nt_done(t, STATUS_INFO_LENGTH_MISMATCH);
		return;
	}
	if (nt_get(t, c->a[2], b, 2)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	if (c->a[0] == (uint64_t)-1 || c->a[0] == (uint64_t)-2) { /* pseudo-handles have no entry to mark */
		nt_done(t, STATUS_SUCCESS);
		return;
	}
	st = handle_flags(nt_process_of(t), c->a[0], &flags);
	if (!st)
		*flags = (b[0] ? NT_HANDLE_INHERIT : 0) | (b[1] ? NT_HANDLE_PROTECT_FROM_CLOSE : 0);
	nt_done(t, st);
}
