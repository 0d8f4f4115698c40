/* A program that faults and handles nothing: the run ends with 5 (STATUS_ACCESS_VIOLATION's low byte), the trace names it. */
#include "nt_test.h"

int mainCRTStartup(void)
{
	out("before the fault\n");
	*(volatile int *)0x10 = 1;
	out("after the fault\n");
	return 0;
}
