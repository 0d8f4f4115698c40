/* A program that faults: the run ends with 139 (SIGSEGV), the trace names STATUS_ACCESS_VIOLATION. */
#include "nt_test.h"

int mainCRTStartup(void)
{
	out("before the fault\n");
	*(volatile int *)0x10 = 1;
	out("after the fault\n");
	return 0;
}
