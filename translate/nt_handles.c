/*
 * The handle table of an NT process, kept in the supervisor: handle values
 * are multiples of 4 (index * 4; 0 is never a handle), each naming an object
 * and the access granted when it was opened. The pseudo-handles -1 (the
 * current process) and -2 (the current thread) are not in the table.
 */
#include <stdlib.h>
#include <string.h>

#include "event_loop.h"
#include "nt_internal.h"
#include "util.h"

#define NT_MAX_HANDLES (1 << 20)

static const char *const type_names[NT_TYPE_COUNT] = {
	[NT_TYPE_FILE] = "File",       [NT_TYPE_EVENT] = "Event",   [NT_TYPE_MUTANT] = "Mutant",
	[NT_TYPE_SEMAPHORE] = "Semaphore", [NT_TYPE_THREAD] = "Thread", [NT_TYPE_PROCESS] = "Process",
	[NT_TYPE_SECTION] = "Section",
};

const char *nt_type_name(enum nt_type type)
{
	return type < NT_TYPE_COUNT ? type_names[type] : "?";
}

struct nt_object *nt_object_new(enum nt_type type)
{
	struct nt_object *o = xcalloc(1, sizeof(*o));

	o->type = type;
	if (type == NT_TYPE_FILE)
		o->file.fd = -1;
	return o;
}

uint32_t nt_handle_add(struct nt_process *p, struct nt_object *obj, uint32_t access)
{
	int i;

	for (i = 1; i < p->nhandles; i++)
		if (!p->handles[i].obj)
			break;
	if (i >= p->nhandles) {
		int n = p->nhandles ? p->nhandles * 2 : 64;

		if (n > NT_MAX_HANDLES)
			return 0;
		p->handles = xrealloc(p->handles, (size_t)n * sizeof(*p->handles));
		memset(p->handles + p->nhandles, 0, (size_t)(n - p->nhandles) * sizeof(*p->handles));
		p->nhandles = n;
	}
	p->handles[i].obj = obj;
	p->handles[i].access = access;
	obj->refs++;
	return (uint32_t)i * 4;
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

struct nt_object *nt_handle_remove(struct nt_process *p, uint64_t h)
{
	struct nt_handle *s = slot_of(p, h);
	struct nt_object *o;

	if (!s)
		return NULL;
	o = s->obj;
	s->obj = NULL;
	s->access = 0;
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
	free(obj);
}
