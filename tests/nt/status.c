/* Ends with NtTerminateProcess(STATUS_DLL_NOT_FOUND): exit status 0x35, the whole NTSTATUS in the trace and report. */
#include "nt_test.h"

int mainCRTStartup(void)
{
	out("ending\n");
	NtTerminateProcess(NtCurrentProcess(), (NTSTATUS)0xC0000135);
	return 0;
}
