/* Imports a DLL that is nowhere: ntdll's loader ends the program with STATUS_DLL_NOT_FOUND, naming it. */
#include "nt_test.h"

__declspec(dllimport) int pv_missing_function(void);

int mainCRTStartup(void)
{
	out("the entry point ran\n");
	return pv_missing_function();
}
