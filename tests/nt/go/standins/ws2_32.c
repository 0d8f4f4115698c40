/*
 * TEST ONLY: a stand-in for ws2_32.dll while picovisor's own is another part of issue 17. Go's runtime
 * needs WSAGetOverlappedResult to exist and its internal/poll package calls WSAStartup and
 * WSAEnumProtocolsW at start; the test programs use no sockets. Every call fails except WSAStartup.
 * The e2e tests put this in the program's C:\Windows\System32; a DLL picovisor embeds there wins.
 */
typedef unsigned long ULONG;
#define WSAEOPNOTSUPP 10045

__declspec(dllexport) int __attribute__((ms_abi)) WSAStartup(unsigned short version, void *data)
{
	(void)version;
	(void)data;
	return 0;
}

__declspec(dllexport) int __attribute__((ms_abi)) WSAGetLastError(void)
{
	return WSAEOPNOTSUPP;
}

__declspec(dllexport) int __attribute__((ms_abi)) WSAGetOverlappedResult(void *s, void *o, ULONG *n, int wait, ULONG *flags)
{
	(void)s;
	(void)o;
	(void)n;
	(void)wait;
	(void)flags;
	return 0;
}

__declspec(dllexport) int __attribute__((ms_abi)) WSAEnumProtocolsW(int *protocols, void *buf, ULONG *len)
{
	(void)protocols;
	(void)buf;
	(void)len;
	return -1;
}

int __attribute__((ms_abi)) DllMainCRTStartup(void *h, ULONG reason, void *reserved)
{
	(void)h;
	(void)reason;
	(void)reserved;
	return 1;
}
