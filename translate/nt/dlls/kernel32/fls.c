/*
 * Fiber-local storage (without fibers: one per thread): 128 slots, each with
 * the callback that gets a thread's value when the thread ends (kernel32's
 * DLL_THREAD_DETACH) or the slot is freed. A thread's values are in an array
 * its TEB's FlsData (0x17c8) points at, made when it first sets one.
 */
#include "k32.h"

#define FLS_SLOTS 128
#define FLS_OUT_OF_INDEXES 0xffffffffu
#define TEB_FLS_DATA 0x17c8
#define ERROR_INVALID_PARAMETER 87
#define ERROR_NO_MORE_ITEMS 259

typedef void(WINAPI *fls_callback)(void *);

static RTL_CRITICAL_SECTION_K fls_lock = { NULL, -1, 0, NULL, NULL, 0 };
static unsigned char used[FLS_SLOTS];
static fls_callback callbacks[FLS_SLOTS];

EXPORT DWORD WINAPI FlsAlloc(fls_callback cb)
{
	DWORD i;

	RtlEnterCriticalSection(&fls_lock);
	for (i = 0; i < FLS_SLOTS && used[i]; i++)
		;
	if (i < FLS_SLOTS) {
		used[i] = 1;
		callbacks[i] = cb;
	}
	RtlLeaveCriticalSection(&fls_lock);
	if (i == FLS_SLOTS) {
		k32_fail(ERROR_NO_MORE_ITEMS);
		return FLS_OUT_OF_INDEXES;
	}
	if (TEB_FIELD(void **, TEB_FLS_DATA))
		TEB_FIELD(void **, TEB_FLS_DATA)[i] = NULL;
	return i;
}

EXPORT void *WINAPI FlsGetValue(DWORD i)
{
	void **data = TEB_FIELD(void **, TEB_FLS_DATA);

	if (i >= FLS_SLOTS || !used[i]) {
		k32_fail(ERROR_INVALID_PARAMETER);
		return NULL;
	}
	LAST_ERROR() = 0;
	return data ? data[i] : NULL;
}

EXPORT BOOL WINAPI FlsSetValue(DWORD i, void *v)
{
	void **data = TEB_FIELD(void **, TEB_FLS_DATA);

	if (i >= FLS_SLOTS || !used[i])
		return k32_fail(ERROR_INVALID_PARAMETER);
	if (!data) {
		data = RtlAllocateHeap(PROCESS_HEAP_K(), 8 /* HEAP_ZERO_MEMORY */, FLS_SLOTS * sizeof(void *));
		if (!data)
			return k32_fail(8);
		TEB_FIELD(void **, TEB_FLS_DATA) = data;
	}
	data[i] = v;
	return 1;
}

/* The slot's callback gets the calling thread's value (other threads' values are dropped unseen). */
EXPORT BOOL WINAPI FlsFree(DWORD i)
{
	void **data = TEB_FIELD(void **, TEB_FLS_DATA);
	fls_callback cb;

	RtlEnterCriticalSection(&fls_lock);
	if (i >= FLS_SLOTS || !used[i]) {
		RtlLeaveCriticalSection(&fls_lock);
		return k32_fail(ERROR_INVALID_PARAMETER);
	}
	cb = callbacks[i];
	used[i] = 0;
	callbacks[i] = NULL;
	RtlLeaveCriticalSection(&fls_lock);
	if (data && data[i]) {
		void *v = data[i];

		data[i] = NULL;
		if (cb)
			cb(v);
	}
	return 1;
}

/* The thread ends (or the process): each slot's callback gets its value, then the array goes. */
void k32_fls_thread_end(void)
{
	void **data = TEB_FIELD(void **, TEB_FLS_DATA);

	if (!data)
		return;
	for (int i = 0; i < FLS_SLOTS; i++) {
		void *v = data[i];

		if (v && used[i] && callbacks[i]) {
			data[i] = NULL;
			callbacks[i](v);
		}
	}
	TEB_FIELD(void **, TEB_FLS_DATA) = NULL;
	RtlFreeHeap(PROCESS_HEAP_K(), 0, data);
}
