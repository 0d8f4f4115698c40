/*
 * TEST ONLY: a stand-in for advapi32.dll while picovisor's own is another part of issue 17. Go's runtime
 * loads advapi32.dll at start for SystemFunction036 (RtlGenRandom, its random seed). The e2e tests put
 * this in the program's C:\Windows\System32; a DLL picovisor embeds there is served instead of it.
 */
typedef unsigned long ULONG;
typedef long long LONGLONG;

__declspec(dllimport) long __attribute__((ms_abi)) NtQueryPerformanceCounter(LONGLONG *, LONGLONG *);

__declspec(dllexport) unsigned char __attribute__((ms_abi)) SystemFunction036(void *buf, ULONG len)
{
	unsigned char *b = buf;
	LONGLONG c = 0;
	unsigned long long x;

	NtQueryPerformanceCounter(&c, 0);
	x = (unsigned long long)c * 0x9E3779B97F4A7C15ULL + (unsigned long long)buf;
	for (ULONG i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		b[i] = (unsigned char)(x >> 24);
	}
	return 1;
}

int __attribute__((ms_abi)) DllMainCRTStartup(void *h, ULONG reason, void *reserved)
{
	(void)h;
	(void)reason;
	(void)reserved;
	return 1;
}
