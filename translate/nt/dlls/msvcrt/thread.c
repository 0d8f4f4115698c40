/*
 * Threads of the C runtime: _beginthreadex/_endthreadex (the caller owns the
 * handle) and _beginthread/_endthread (the thread closes its own handle when
 * it ends, as msvcrt documents). The per-thread state (errno...) is freed when
 * the thread ends.
 */
#include "crt.h"

IMPORT BOOL WINAPI ResumeThread(HANDLE);

struct start {
	unsigned(WINAPI *fn_ex)(void *);
	void(__cdecl *fn)(void *);
	void *arg;
	HANDLE self; /* _beginthread: set by the creator once CreateThread returned */
};

static void end_thread(unsigned code, HANDLE close_me)
{
	crt_thread_detach();
	if (close_me)
		CloseHandle(close_me);
	ExitThread(code);
}

EXPORT void _endthreadex(unsigned code)
{
	end_thread(code, NULL);
}

static DWORD WINAPI start_ex(void *p)
{
	struct start s = *(struct start *)p;
	unsigned code;

	free(p);
	code = s.fn_ex(s.arg);
	end_thread(code, NULL);
	return code;
}

EXPORT uintptr_t _beginthreadex(void *security, unsigned stack, unsigned(WINAPI *fn)(void *), void *arg, unsigned flags,
				unsigned *tid)
{
	struct start *s;
	HANDLE h;
	DWORD id = 0;

	if (!fn) {
		*_errno() = EINVAL;
		return 0;
	}
	s = malloc(sizeof(*s));
	if (!s)
		return 0;
	s->fn_ex = fn;
	s->fn = NULL;
	s->arg = arg;
	s->self = NULL;
	h = CreateThread(security, stack, start_ex, s, flags, &id);
	if (!h) {
		crt_set_errno_from_win32(GetLastError());
		free(s);
		return 0;
	}
	if (tid)
		*tid = id;
	return (uintptr_t)h;
}

static HANDLE wait_for_self(struct start *s)
{
	HANDLE h;

	while (!(h = __atomic_load_n(&s->self, __ATOMIC_ACQUIRE)))
		Sleep(0);
	return h;
}

static DWORD WINAPI start_plain(void *p)
{
	struct start *s = p;
	void (*fn)(void *) = s->fn;
	void *arg = s->arg;
	HANDLE self;

	fn(arg);
	self = wait_for_self(s);
	free(s);
	end_thread(0, self);
	return 0;
}

/* The handle a thread started by _beginthread closes at its end: _endthread needs it from the thread's own record. */
static DWORD plain_slot = TLS_OUT_OF_INDEXES;

EXPORT void _endthread(void)
{
	struct start *s = plain_slot == TLS_OUT_OF_INDEXES ? NULL : TlsGetValue(plain_slot);
	HANDLE self = NULL;

	if (s) {
		self = wait_for_self(s);
		free(s);
	}
	end_thread(0, self);
}

static DWORD WINAPI start_plain_tracked(void *p)
{
	if (plain_slot != TLS_OUT_OF_INDEXES)
		TlsSetValue(plain_slot, p);
	return start_plain(p);
}

EXPORT uintptr_t _beginthread(void(__cdecl *fn)(void *), unsigned stack, void *arg)
{
	struct start *s;
	HANDLE h;

	if (!fn) {
		*_errno() = EINVAL;
		return (uintptr_t)-1;
	}
	if (plain_slot == TLS_OUT_OF_INDEXES) {
		DWORD slot = TlsAlloc();
		if (slot != TLS_OUT_OF_INDEXES && !__sync_bool_compare_and_swap(&plain_slot, TLS_OUT_OF_INDEXES, slot))
			TlsFree(slot);
	}
	s = malloc(sizeof(*s));
	if (!s)
		return (uintptr_t)-1;
	s->fn = fn;
	s->fn_ex = NULL;
	s->arg = arg;
	s->self = NULL;
	h = CreateThread(NULL, stack, start_plain_tracked, s, 0, NULL);
	if (!h) {
		crt_set_errno_from_win32(GetLastError());
		free(s);
		return (uintptr_t)-1;
	}
	__atomic_store_n(&s->self, h, __ATOMIC_RELEASE);
	return (uintptr_t)h;
}
