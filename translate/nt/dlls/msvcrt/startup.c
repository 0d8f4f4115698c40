/*
 * The DLL's entry point and what mingw-w64's startup code (crtexe.c) calls
 * before and after main: __getmainargs/__wgetmainargs, _initterm,
 * __set_app_type, __setusermatherr, _amsg_exit, the exit sequence
 * (exit/_exit/_cexit/_c_exit, atexit/_onexit) and the _lock table.
 */
#include "crt.h"

static CRITICAL_SECTION crt_locks[CRT_LOCKS];
static DWORD tls_slot = TLS_OUT_OF_INDEXES;
static struct crt_thread first_thread; /* used if the TLS slot or the heap fail */

EXPORT int __app_type;
EXPORT void *__setusermatherr_fn;

typedef void (*crt_fn)(void);
typedef int (*crt_onexit_fn)(void);

static crt_onexit_fn *onexit_table;
static size_t onexit_count, onexit_cap;
static int exiting;

void crt_init_locks(void)
{
	for (int i = 0; i < CRT_LOCKS; i++)
		InitializeCriticalSection(&crt_locks[i]);
}

EXPORT void _lock(int n)
{
	if (n >= CRT_STREAM_LOCKS && n < CRT_STREAM_LOCKS + CRT_STREAM_LOCK_COUNT)
		_lock_file(&_iob[n - CRT_STREAM_LOCKS]);
	else if (n >= 0 && n < CRT_LOCKS)
		EnterCriticalSection(&crt_locks[n]);
}

EXPORT void _unlock(int n)
{
	if (n >= CRT_STREAM_LOCKS && n < CRT_STREAM_LOCKS + CRT_STREAM_LOCK_COUNT)
		_unlock_file(&_iob[n - CRT_STREAM_LOCKS]);
	else if (n >= 0 && n < CRT_LOCKS)
		LeaveCriticalSection(&crt_locks[n]);
}

long clock(void);

struct crt_thread *crt_self(void)
{
	struct crt_thread *t;
	DWORD saved;

	if (tls_slot == TLS_OUT_OF_INDEXES)
		return &first_thread;
	saved = GetLastError(); /* errno lookups must not disturb GetLastError */
	t = TlsGetValue(tls_slot);
	if (!t) {
		t = HeapAlloc(crt_heap, HEAP_ZERO_MEMORY, sizeof(*t));
		if (!t)
			t = &first_thread;
		t->rand_next = 1;
		TlsSetValue(tls_slot, t);
	}
	SetLastError(saved);
	return t;
}

void crt_thread_detach(void)
{
	struct crt_thread *t;

	if (tls_slot == TLS_OUT_OF_INDEXES)
		return;
	t = TlsGetValue(tls_slot);
	if (t && t != &first_thread)
		HeapFree(crt_heap, 0, t);
	TlsSetValue(tls_slot, NULL);
}

/* Called by the loader: process attach initialises everything the exports rely on. */
BOOL WINAPI DllMain(HANDLE module, DWORD reason, void *reserved)
{
	(void)module;
	(void)reserved;
	switch (reason) {
	case 1: /* DLL_PROCESS_ATTACH */
		first_thread.rand_next = 1;
		crt_init_heap();
		crt_init_ctype();
		crt_init_locks();
		tls_slot = TlsAlloc();
		crt_init_fds();
		crt_init_stdio();
		crt_init_args();
		crt_init_env();
		clock();
		break;
	case 3: /* DLL_THREAD_DETACH */
		crt_thread_detach();
		break;
	case 0: /* DLL_PROCESS_DETACH: streams are written out, after _exit and abort too (as Wine's msvcrt does) */
		crt_flush_all_streams();
		break;
	default:
		break;
	}
	return 1;
}

EXPORT void __set_app_type(int type)
{
	__app_type = type;
}

EXPORT void __setusermatherr(void *fn)
{
	__setusermatherr_fn = fn;
}

EXPORT void _initterm(crt_fn *begin, crt_fn *end)
{
	for (; begin < end; begin++)
		if (*begin)
			(*begin)();
}

/* _initterm_e: like _initterm, but the functions return an error code; the first nonzero one stops. */
EXPORT int _initterm_e(int (**begin)(void), int (**end)(void))
{
	for (; begin < end; begin++)
		if (*begin) {
			int r = (*begin)();
			if (r)
				return r;
		}
	return 0;
}

EXPORT crt_onexit_fn _onexit(crt_onexit_fn fn)
{
	crt_onexit_fn ret = NULL;

	if (!fn)
		return NULL;
	_lock(CRT_LOCK_EXIT);
	if (onexit_count == onexit_cap) {
		size_t cap = onexit_cap ? onexit_cap * 2 : 32;
		crt_onexit_fn *t = realloc(onexit_table, cap * sizeof(*t));
		if (!t)
			goto out;
		onexit_table = t;
		onexit_cap = cap;
	}
	onexit_table[onexit_count++] = fn;
	ret = fn;
out:
	_unlock(CRT_LOCK_EXIT);
	return ret;
}

EXPORT int atexit(void (*fn)(void))
{
	return _onexit((crt_onexit_fn)fn) ? 0 : -1;
}

/* Runs the registered functions, last registered first; one registered meanwhile runs too. */
static void run_onexit(void)
{
	_lock(CRT_LOCK_EXIT);
	if (exiting) {
		_unlock(CRT_LOCK_EXIT);
		return;
	}
	exiting = 1;
	while (onexit_count > 0) {
		crt_onexit_fn fn = onexit_table[--onexit_count];
		_unlock(CRT_LOCK_EXIT);
		fn();
		_lock(CRT_LOCK_EXIT);
	}
	_unlock(CRT_LOCK_EXIT);
}

EXPORT void _cexit(void)
{
	run_onexit();
	crt_flush_all_streams();
}

EXPORT void _c_exit(void)
{
	crt_flush_all_streams();
}

EXPORT void exit(int status)
{
	_cexit();
	ExitProcess((unsigned)status);
	__builtin_unreachable();
}

EXPORT void _exit(int status)
{
	ExitProcess((unsigned)status);
	__builtin_unreachable();
}

EXPORT void _amsg_exit(int rterr)
{
	char msg[64] = "\r\nruntime error R60";
	size_t n = strlen(msg);

	msg[n++] = (char)('0' + (rterr / 10) % 10);
	msg[n++] = (char)('0' + rterr % 10);
	msg[n++] = '\r';
	msg[n++] = '\n';
	_write(2, msg, (unsigned)n);
	_exit(255);
}

EXPORT int *__p___app_type(void)
{
	return &__app_type;
}
