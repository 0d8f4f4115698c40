/* The malloc family on the process heap (HeapAlloc & co of KERNEL32). */
#include "crt.h"

HANDLE crt_heap;

void crt_init_heap(void)
{
	crt_heap = GetProcessHeap();
}

EXPORT void *malloc(size_t n)
{
	void *p = HeapAlloc(crt_heap, 0, n ? n : 1);

	if (!p)
		*_errno() = ENOMEM;
	return p;
}

EXPORT void *calloc(size_t count, size_t size)
{
	void *p;

	if (size && count > SIZE_MAX / size) {
		*_errno() = ENOMEM;
		return NULL;
	}
	p = HeapAlloc(crt_heap, HEAP_ZERO_MEMORY, count * size != 0 ? count * size : 1);
	if (!p)
		*_errno() = ENOMEM;
	return p;
}

EXPORT void free(void *p)
{
	if (p)
		HeapFree(crt_heap, 0, p);
}

EXPORT void *realloc(void *p, size_t n)
{
	void *q;

	if (!p)
		return malloc(n);
	if (!n) {
		free(p);
		return NULL;
	}
	q = HeapReAlloc(crt_heap, 0, p, n);
	if (!q)
		*_errno() = ENOMEM;
	return q;
}

EXPORT void *_recalloc(void *p, size_t count, size_t size)
{
	size_t old = p ? HeapSize(crt_heap, 0, p) : 0, n;
	char *q;

	if (size && count > SIZE_MAX / size) {
		*_errno() = ENOMEM;
		return NULL;
	}
	n = count * size;
	q = realloc(p, n);
	if (q && n > old)
		memset(q + old, 0, n - old);
	return q;
}

EXPORT size_t _msize(void *p)
{
	if (!p) {
		*_errno() = EINVAL;
		return (size_t)-1;
	}
	return HeapSize(crt_heap, 0, p);
}

/*
 * Aligned blocks: the block starts with room for the pointer malloc gave,
 * stored just below the aligned address.
 */
EXPORT void *_aligned_offset_malloc(size_t n, size_t align, size_t offset)
{
	uintptr_t raw, user;

	if (align & (align - 1) || (offset && offset >= n)) {
		*_errno() = EINVAL;
		return NULL;
	}
	if (align < sizeof(void *))
		align = sizeof(void *);
	if (n > SIZE_MAX - align - sizeof(void *)) {
		*_errno() = ENOMEM;
		return NULL;
	}
	raw = (uintptr_t)malloc(n + align + sizeof(void *));
	if (!raw)
		return NULL;
	user = ((raw + sizeof(void *) + offset + align - 1) & ~(uintptr_t)(align - 1)) - offset;
	((void **)(user & ~(uintptr_t)7))[-1] = (void *)raw;
	return (void *)user;
}

EXPORT void *_aligned_malloc(size_t n, size_t align)
{
	return _aligned_offset_malloc(n, align, 0);
}

EXPORT void _aligned_free(void *p)
{
	if (p)
		free(((void **)((uintptr_t)p & ~(uintptr_t)7))[-1]);
}

EXPORT void *_aligned_offset_realloc(void *p, size_t n, size_t align, size_t offset)
{
	void *q;
	void *raw;
	size_t old, room;

	if (!p)
		return _aligned_offset_malloc(n, align, offset);
	if (!n) {
		_aligned_free(p);
		return NULL;
	}
	q = _aligned_offset_malloc(n, align, offset);
	if (!q)
		return NULL;
	raw = ((void **)((uintptr_t)p & ~(uintptr_t)7))[-1];
	old = HeapSize(crt_heap, 0, raw);
	room = old - (size_t)((char *)p - (char *)raw);
	memcpy(q, p, room < n ? room : n);
	_aligned_free(p);
	return q;
}

EXPORT void *_aligned_realloc(void *p, size_t n, size_t align)
{
	return _aligned_offset_realloc(p, n, align, 0);
}
