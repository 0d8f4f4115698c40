/* Imports from pvtest.dll a function it does not export: STATUS_ENTRYPOINT_NOT_FOUND, naming both. */
#include "nt_test.h"

__declspec(dllimport) int pv_no_such_function(void);

int mainCRTStartup(void)
{
	out("the entry point ran\n");
	return pv_no_such_function();
}
