/*
 * The NT heap API over a small segregated-fit allocator: blocks up to 1 KiB
 * in 16-byte classes, larger ones in power-of-two classes up to 512 KiB, each
 * class a free list; memory comes from 1 MiB arenas committed with
 * NtAllocateVirtualMemory, and bigger blocks are allocations of their own.
 * Every block has a 16-byte header before it (the size asked for, its class
 * and a tag that tells a block of this heap from a stray pointer). A heap
 * has one lock: a spin on an interlocked word that yields while it is taken.
 */
#include "ntdll_internal.h"

#define SMALL_STEP 16
#define SMALL_CLASSES 64        /* 16 .. 1024 */
#define BIG_SHIFT_MIN 11         /* 2 KiB */
#define BIG_SHIFT_MAX 19         /* 512 KiB */
#define CLASSES (SMALL_CLASSES + BIG_SHIFT_MAX - BIG_SHIFT_MIN + 1)
#define HUGE_CLASS 0xffff
#define ARENA_SIZE (1UL << 20)
#define TAG 0x50764870u /* "pHvP" */
#define HEAP_MAGIC 0x70616568u

struct block {
	uint64_t size;           /* what the caller asked for */
	uint16_t cls;
	uint16_t unused;
	uint32_t tag;
};

struct free_block {
	struct free_block *next;
};

struct huge {                  /* before the header of a block with its own allocation */
	struct huge *next, *prev;
	uint64_t total;
	uint64_t pad;
};

struct arena {
	struct arena *next;
	uint64_t pad;
};

struct heap {
	uint32_t magic;
	ULONG flags;
	volatile long lock;
	struct free_block *free[CLASSES];
	unsigned char *bump, *bump_end;
	struct arena *arenas;
	struct huge huge;        /* list head */
};

static size_t class_size(unsigned c)
{
	return c < SMALL_CLASSES ? (size_t)(c + 1) * SMALL_STEP : (size_t)1 << (c - SMALL_CLASSES + BIG_SHIFT_MIN);
}

static unsigned class_of(size_t n)
{
	unsigned s = BIG_SHIFT_MIN;

	if (n <= SMALL_CLASSES * SMALL_STEP)
		return n ? (unsigned)((n - 1) / SMALL_STEP) : 0;
	while (((size_t)1 << s) < n)
		s++;
	return s > BIG_SHIFT_MAX ? HUGE_CLASS : SMALL_CLASSES + s - BIG_SHIFT_MIN;
}

static void lock(struct heap *h)
{
	for (int spins = 0; __atomic_exchange_n(&h->lock, 1, __ATOMIC_ACQUIRE); spins++) {
		if (spins < 100)
			__builtin_ia32_pause();
		else
			NtYieldExecution();
	}
}

static void unlock(struct heap *h)
{
	__atomic_store_n(&h->lock, 0, __ATOMIC_RELEASE);
}

static void *vm_alloc(size_t size)
{
	void *base = NULL;

	if (NtAllocateVirtualMemory(CURRENT_PROCESS, &base, 0, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE))
		return NULL;
	return base;
}

static void vm_free(void *base)
{
	size_t size = 0;

	NtFreeVirtualMemory(CURRENT_PROCESS, &base, &size, MEM_RELEASE);
}

/* A block of class c from the arena's unused end (a new arena when it is spent); the lock is held. */
static struct block *carve(struct heap *h, unsigned c)
{
	size_t need = sizeof(struct block) + class_size(c);

	if (h->bump_end - h->bump < (ptrdiff_t)need) {
		struct arena *a = vm_alloc(ARENA_SIZE);

		if (!a)
			return NULL;
		a->next = h->arenas;
		h->arenas = a;
		h->bump = (unsigned char *)(a + 1);
		h->bump_end = (unsigned char *)a + ARENA_SIZE;
	}
	h->bump += need;
	return (struct block *)(h->bump - need);
}

static struct heap *heap_of(void *handle)
{
	struct heap *h = handle;

	return h && h->magic == HEAP_MAGIC ? h : NULL;
}

EXPORT void *RtlCreateHeap(ULONG flags, void *base, size_t reserve, size_t commit, void *lock_, void *params)
{
	struct heap *h;

	(void)base;
	(void)reserve;
	(void)commit;
	(void)lock_;
	(void)params;
	h = vm_alloc(sizeof(*h));
	if (!h)
		return NULL;
	h->magic = HEAP_MAGIC;
	h->flags = flags;
	h->huge.next = h->huge.prev = &h->huge;
	return h;
}

EXPORT void *RtlDestroyHeap(void *handle)
{
	struct heap *h = heap_of(handle);

	if (!h || h == PROCESS_HEAP())
		return handle; /* the process heap is never destroyed: the handle back says it was not */
	while (h->huge.next != &h->huge) {
		struct huge *g = h->huge.next;

		h->huge.next = g->next;
		vm_free(g);
	}
	while (h->arenas) {
		struct arena *a = h->arenas;

		h->arenas = a->next;
		vm_free(a);
	}
	h->magic = 0;
	vm_free(h);
	return NULL;
}

EXPORT void *RtlAllocateHeap(void *handle, ULONG flags, size_t size)
{
	struct heap *h = heap_of(handle);
	struct block *b;
	unsigned c;

	if (!h || size > ((size_t)1 << 46))
		return NULL;
	c = class_of(size);
	if (c == HUGE_CLASS) {
		struct huge *g = vm_alloc(sizeof(struct huge) + sizeof(struct block) + size);

		if (!g)
			return NULL;
		g->total = sizeof(struct huge) + sizeof(struct block) + size;
		b = (struct block *)(g + 1);
		lock(h);
		g->next = h->huge.next;
		g->prev = &h->huge;
		h->huge.next->prev = g;
		h->huge.next = g;
		unlock(h);
	} else {
		lock(h);
		if (h->free[c]) {
			b = (struct block *)h->free[c] - 1;
			h->free[c] = h->free[c]->next;
		} else {
			b = carve(h, c);
		}
		unlock(h);
		if (!b)
			return NULL;
		if ((flags | h->flags) & HEAP_ZERO_MEMORY)
			memset(b + 1, 0, size);
	}
	b->size = size;
	b->cls = (uint16_t)c;
	b->tag = TAG;
	return b + 1;
}

static struct block *block_of(void *p)
{
	struct block *b = (struct block *)p - 1;

	if (!p || ((uintptr_t)p & 15) || b->tag != TAG)
		return NULL;
	return b;
}

EXPORT BOOL RtlFreeHeap(void *handle, ULONG flags, void *p)
{
	struct heap *h = heap_of(handle);
	struct block *b;

	(void)flags;
	if (!p)
		return 1;
	b = block_of(p);
	if (!h || !b)
		return 0;
	b->tag = 0;
	if (b->cls == HUGE_CLASS) {
		struct huge *g = (struct huge *)b - 1;

		lock(h);
		g->prev->next = g->next;
		g->next->prev = g->prev;
		unlock(h);
		vm_free(g);
		return 1;
	}
	lock(h);
	((struct free_block *)p)->next = h->free[b->cls];
	h->free[b->cls] = p;
	unlock(h);
	return 1;
}

EXPORT size_t RtlSizeHeap(void *handle, ULONG flags, const void *p)
{
	struct block *b = block_of((void *)p);

	(void)flags;
	if (!heap_of(handle) || !b)
		return (size_t)-1;
	return b->size;
}

EXPORT void *RtlReAllocateHeap(void *handle, ULONG flags, void *p, size_t size)
{
	struct heap *h = heap_of(handle);
	struct block *b = block_of(p);
	void *n;

	if (!h || !b)
		return NULL;
	if (b->cls != HUGE_CLASS && size <= class_size(b->cls)) {
		if (size > b->size && ((flags | h->flags) & HEAP_ZERO_MEMORY))
			memset((unsigned char *)p + b->size, 0, size - b->size);
		b->size = size;
		return p;
	}
	if (b->cls == HUGE_CLASS && size <= b->size) {
		b->size = size;
		return p;
	}
	if (flags & HEAP_REALLOC_IN_PLACE_ONLY)
		return NULL;
	n = RtlAllocateHeap(handle, flags & ~HEAP_ZERO_MEMORY, size);
	if (!n)
		return NULL;
	memcpy(n, p, b->size);
	if (((flags | h->flags) & HEAP_ZERO_MEMORY) && size > b->size)
		memset((unsigned char *)n + b->size, 0, size - b->size);
	RtlFreeHeap(handle, 0, p);
	return n;
}

EXPORT BOOL RtlValidateHeap(void *handle, ULONG flags, const void *p)
{
	(void)flags;
	return heap_of(handle) && (!p || block_of((void *)p));
}

EXPORT BOOL RtlLockHeap(void *handle)
{
	struct heap *h = heap_of(handle);

	if (h)
		lock(h);
	return h != NULL;
}

EXPORT BOOL RtlUnlockHeap(void *handle)
{
	struct heap *h = heap_of(handle);

	if (h)
		unlock(h);
	return h != NULL;
}

EXPORT void *RtlGetProcessHeap(void)
{
	return PROCESS_HEAP();
}

void *pv_heap_create_process_heap(void)
{
	void *h = RtlCreateHeap(0x2 /* HEAP_GROWABLE */, NULL, 0, 0, NULL, NULL);

	PEB_FIELD(void *, 0x30) = h;
	return h;
}
