/* Compute forever: the cpu limit (or the wall limit) must end it. */
#include "hostile.h"

int main(void)
{
	volatile unsigned long x = 0;

	for (;;)
		x++;
}
