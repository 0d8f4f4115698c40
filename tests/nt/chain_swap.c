/*
 * Hostile: a service that needs two Linux calls (NtReadFile at a ByteOffset:
 * seek, then read) sends the thread back over its syscall instruction for the
 * second one. This program calls NtReadFile through a stub of its own in
 * writable code while a second thread keeps turning that syscall instruction
 * into a jump to a raw Linux write(1, "RAW-LINUX-WRITE\n"). Whatever arrives
 * in place of the call picovisor wrote must never run as Linux (the read is
 * abandoned: STATUS_INTERNAL_ERROR; taken at the first call, the jump is an
 * unknown NT service): the runner checks that the marker never reaches the
 * output. Exit 2: the race could not be set up.
 */
#include "nt_test.h"

#define MEM_COMMIT 0x1000
#define MEM_RESERVE 0x2000
#define PAGE_EXECUTE_READWRITE 0x40

typedef NTSTATUS(NTAPI *read_fn)(HANDLE, HANDLE, void *, void *, IO_STATUS_BLOCK *, void *, ULONG, LARGE_INTEGER *,
				 ULONG *);

static volatile int stop;
static volatile unsigned short *insn;

static NTSTATUS NTAPI flipper(void *arg)
{
	(void)arg;
	while (!stop) {
		*insn = 0x36eb; /* jmp +0x36: to the raw write */
		for (volatile int i = 0; i < 20; i++)
			;
		*insn = 0x050f; /* syscall */
		for (volatile int i = 0; i < 20; i++)
			;
	}
	return 0;
}

static void cannot_test(const char *why)
{
	out("# cannot test: ");
	out(why);
	out("\n");
	NtTerminateProcess(NtCurrentProcess(), 2);
}

int mainCRTStartup(void)
{
	static const unsigned char stub[] = {
		0x49, 0x89, 0xca,             /* mov r10, rcx */
		0xb8, 0x06, 0x00, 0x00, 0x00, /* mov eax, 6 (NtReadFile in both builds) */
		0x0f, 0x05,                   /* syscall, at an even offset: a 16-bit store swaps it whole */
		0xc3,                         /* ret */
	};
	static const unsigned char raw_write[] = {
		0x57, 0x56,                               /* push rdi; push rsi (the caller's: kept in the x64 ABI) */
		0xb8, 0x01, 0x00, 0x00, 0x00,             /* mov eax, 1 (Linux write) */
		0xbf, 0x01, 0x00, 0x00, 0x00,             /* mov edi, 1 */
		0x48, 0x8d, 0x35, 0xad, 0x00, 0x00, 0x00, /* lea rsi, [rip + 0xad]: the marker at 0x100 */
		0xba, 0x10, 0x00, 0x00, 0x00,             /* mov edx, 16 */
		0x0f, 0x05,                               /* syscall */
		0x5e, 0x5f,                               /* pop rsi; pop rdi */
		0xc3,                                     /* ret: to the stub's caller with what came back */
	};
	static const char marker[] = "RAW-LINUX-WRITE\n";
	unsigned char *code = 0, data[64], got[8];
	SIZE_T size = 4096;
	HANDLE h, th;
	IO_STATUS_BLOCK io;
	UNICODE_STRING u;
	WCHAR nb[64];
	OBJECT_ATTRIBUTES oa;
	LARGE_INTEGER off;
	NTSTATUS st;
	int served = 0, other = 0, abandoned = 0;

	if (NtAllocateVirtualMemory(NtCurrentProcess(), (void **)&code, 0, &size, MEM_COMMIT | MEM_RESERVE,
				    PAGE_EXECUTE_READWRITE))
		cannot_test("no writable code page");
	memcpy(code, stub, sizeof(stub));
	memcpy(code + 0x40, raw_write, sizeof(raw_write));
	memcpy(code + 0x100, marker, 16);
	insn = (volatile unsigned short *)(code + 8);

	ustr(&u, nb, "\\??\\C:\\chain.txt");
	init_oa(&oa, &u, 0, 0);
	for (int i = 0; i < 64; i++)
		data[i] = (unsigned char)i;
	if (NtCreateFile(&h, 0x80000000 | 0x40000000 | 0x100000, &oa, &io, 0, 0, 0, 5, 0x20 | 0x40, 0, 0) ||
	    NtWriteFile(h, 0, 0, 0, &io, data, sizeof(data), 0, 0))
		cannot_test("cannot make C:\\chain.txt");
	if (NtCreateThreadEx(&th, 0x1fffff, 0, NtCurrentProcess(), (void *)flipper, 0, 0, 0, 0, 0, 0))
		cannot_test("no second thread");
	/* Until the swap has met the second call a few times (each such meeting was a raw call before). */
	for (int i = 0; i < 200000 && (i < 3000 || abandoned < 5); i++) {
		off.QuadPart = i % 56;
		st = ((read_fn)(void *)code)(h, 0, 0, 0, &io, got, 8, &off, 0);
		if (st == 0 && got[0] == (unsigned char)(i % 56))
			served++;
		else if (st == (NTSTATUS)0xC00000E5)
			abandoned++; /* the read abandoned at its second call: INTERNAL_ERROR */
		else if (st != (NTSTATUS)0xC000001C)
			other++; /* not the jump taken at the first call either (an unknown NT service) */
	}
	out("# reads served ");
	out_dec((ULONG64)served);
	out(", abandoned at the second call ");
	out_dec((ULONG64)abandoned);
	out("\n");
	stop = 1;
	NtWaitForSingleObject(th, 0, 0);
	check(served > 0, "some reads went through as NT calls", (ULONG64)served);
	check(other == 0, "every other call: the jump's unknown service, or the read abandoned", (ULONG64)other);
	done();
	return 0;
}
