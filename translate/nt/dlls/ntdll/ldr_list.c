/*
 * PEB->Ldr: the loader's modules as the documented structures programs and
 * runtimes walk. PEB_LDR_DATA (x64: Length, Initialized, SsHandle, then the
 * list heads InLoadOrderModuleList at 0x10, InMemoryOrderModuleList at 0x20,
 * InInitializationOrderModuleList at 0x30) and one LDR_DATA_TABLE_ENTRY per
 * module (the three links at 0x00, 0x10, 0x20; DllBase 0x30, EntryPoint
 * 0x38, SizeOfImage 0x40, FullDllName 0x48, BaseDllName 0x58, Flags 0x68,
 * ObsoleteLoadCount 0x6c, TlsIndex 0x6e, TimeDateStamp 0x80). The loader
 * (loader.c) keeps its own list; it calls these under the loader lock as
 * modules come, get initialised and go, so the lists are always true.
 * PEB->LoaderLock (0x110) is that lock, for walkers that take it.
 */
#include "ntdll_internal.h"

#define LDR_ENTRY_SIZE 0x120
#define LDRP_IMAGE_DLL 0x4
#define LDRP_ENTRY_PROCESSED 0x4000
#define LDRP_PROCESS_ATTACH_CALLED 0x80000

struct list_entry {
	struct list_entry *next, *prev;
};

static struct {
	ULONG length;
	unsigned char initialized, pad[3];
	void *ss_handle;
	struct list_entry load_order, memory_order, init_order;
	void *entry_in_progress;
	unsigned char shutdown_in_progress, pad2[7];
	void *shutdown_thread_id;
} ldr_data;

static void list_init(struct list_entry *head)
{
	head->next = head->prev = head;
}

static void list_append(struct list_entry *head, struct list_entry *e)
{
	e->prev = head->prev;
	e->next = head;
	head->prev->next = e;
	head->prev = e;
}

static void list_unlink(struct list_entry *e)
{
	if (!e->next)
		return;
	e->prev->next = e->next;
	e->next->prev = e->prev;
	e->next = e->prev = NULL;
}

#define LINK(e, off) ((struct list_entry *)((unsigned char *)(e) + (off)))

void pv_ldr_setup(void *loader_lock)
{
	ldr_data.length = sizeof(ldr_data);
	ldr_data.initialized = 1;
	list_init(&ldr_data.load_order);
	list_init(&ldr_data.memory_order);
	list_init(&ldr_data.init_order);
	PEB_FIELD(void *, 0x18) = &ldr_data;
	PEB_FIELD(void *, 0x110) = loader_lock;
}

static void set_ustr(unsigned char *at, const WCHAR *s)
{
	size_t n = pv_wcslen(s);
	UNICODE_STRING *u = (UNICODE_STRING *)at;

	u->Length = (uint16_t)(n * 2);
	u->MaximumLength = (uint16_t)(n * 2 + 2);
	u->Buffer = (WCHAR *)s;
}

/* An entry for a module now in memory, last in load (and memory) order. The strings must outlive it. */
void *pv_ldr_add(void *base, uint32_t size, void *entry_point, const WCHAR *full, const WCHAR *name, int is_dll,
		 int static_load)
{
	unsigned char *e = RtlAllocateHeap(PROCESS_HEAP(), HEAP_ZERO_MEMORY, LDR_ENTRY_SIZE);
	const unsigned char *nt;

	if (!e)
		return NULL;
	*(void **)(e + 0x30) = base;
	*(void **)(e + 0x38) = entry_point;
	*(uint32_t *)(e + 0x40) = size;
	set_ustr(e + 0x48, full);
	set_ustr(e + 0x58, name);
	*(uint32_t *)(e + 0x68) = is_dll ? LDRP_IMAGE_DLL : 0;
	*(uint16_t *)(e + 0x6c) = static_load ? 0xffff : 1; /* linked-against modules are never unloaded */
	nt = (const unsigned char *)base + *(const uint32_t *)((const unsigned char *)base + 0x3c);
	*(uint32_t *)(e + 0x80) = *(const uint32_t *)(nt + 8); /* the file header's TimeDateStamp */
	*(void **)(e + 0xf8) = (void *)*(const uint64_t *)(nt + 0x18 + 0x18); /* OriginalBase: the preferred one */
	list_append(&ldr_data.load_order, LINK(e, 0));
	list_append(&ldr_data.memory_order, LINK(e, 0x10));
	return e;
}

/* The module's initialisation runs now: it joins the initialisation order. */
void pv_ldr_initialised(void *e)
{
	if (!e)
		return;
	*(uint32_t *)((unsigned char *)e + 0x68) |= LDRP_ENTRY_PROCESSED | LDRP_PROCESS_ATTACH_CALLED;
	list_append(&ldr_data.init_order, LINK(e, 0x20));
}

void pv_ldr_remove(void *e)
{
	if (!e)
		return;
	list_unlink(LINK(e, 0));
	list_unlink(LINK(e, 0x10));
	list_unlink(LINK(e, 0x20));
	RtlFreeHeap(PROCESS_HEAP(), 0, e);
}
