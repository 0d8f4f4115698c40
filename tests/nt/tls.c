/*
 * Thread-local storage from the image's TLS directory (no CRT: the directory
 * is written here, as mingw's tlssup.c would): each thread gets its own copy
 * of the template through TEB ThreadLocalStoragePointer[index], and the TLS
 * callback runs with DLL_PROCESS_ATTACH before the entry point.
 */
#include "nt_test.h"

typedef struct {
	ULONG64 StartAddressOfRawData, EndAddressOfRawData, AddressOfIndex, AddressOfCallBacks;
	ULONG SizeOfZeroFill, Characteristics;
} TLS_DIRECTORY;

extern char ___tls_start__[], ___tls_end__[]; /* the linker's bounds of .tls */
__attribute__((section(".tls"), used)) int tls_value = 42;
ULONG tls_index = 0xdead;
static volatile int attached;

static void NTAPI on_tls(void *module, ULONG reason, void *reserved)
{
	(void)module;
	(void)reserved;
	if (reason == 1)
		attached++;
}

static void(NTAPI *const callbacks[])(void *, ULONG, void *) = { on_tls, 0 };
/* The loader finds the TLS directory through this symbol's name. */
const TLS_DIRECTORY _tls_used = { (ULONG64)___tls_start__, (ULONG64)___tls_end__, (ULONG64)&tls_index,
				  (ULONG64)callbacks, 0, 0 };

static int *my_copy(void)
{
	char **vector;
	__asm__ volatile("mov %%gs:0x58, %0" : "=r"(vector));
	return (int *)(vector[tls_index] + ((char *)&tls_value - ___tls_start__));
}

static volatile int seen_by_thread;

static NTSTATUS NTAPI thread(void *arg)
{
	(void)arg;
	seen_by_thread = *my_copy();
	*my_copy() = 99;
	return 0;
}

int mainCRTStartup(void)
{
	HANDLE th;
	int *mine = my_copy();

	check(attached == 1, "the TLS callback ran once with DLL_PROCESS_ATTACH before the entry", (ULONG64)attached);
	check(tls_index == 0, "the loader stored the module's TLS index", tls_index);
	check(mine != &tls_value && *mine == 42, "the thread's TLS block is a copy of the template", (ULONG64)*mine);
	*mine = 7;
	NtCreateThreadEx(&th, 0x1fffff, 0, NtCurrentProcess(), (void *)thread, 0, 0, 0, 0, 0, 0);
	NtWaitForSingleObject(th, 0, 0);
	check(seen_by_thread == 42, "a new thread starts from the template, not from our copy", (ULONG64)seen_by_thread);
	check(*my_copy() == 7, "and its writes stay in its own copy", (ULONG64)*my_copy());
	done();
	return 0;
}
