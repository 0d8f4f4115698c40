/* Imports from KERNEL32.dll: the NT personality refuses to load it, naming the DLL (status 126). */
__attribute__((dllimport)) void __stdcall ExitProcess(unsigned int);

int mainCRTStartup(void)
{
	ExitProcess(3);
	return 0;
}
