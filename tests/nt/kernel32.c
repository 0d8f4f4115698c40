/* Imports from KERNEL32.dll: ntdll's loader loads picovisor's own from C:\Windows\System32. */
__attribute__((dllimport)) void __stdcall ExitProcess(unsigned int);

int mainCRTStartup(void)
{
	ExitProcess(3);
	return 0;
}
