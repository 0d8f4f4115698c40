/* TIOCSTI: typing into a terminal the run was given (the shell reading it would execute the text). argv[2]: its fd. */
#include "hostile.h"
#include <sys/ioctl.h>

int main(int argc, char **argv)
{
	char c = 'x';

	if (argc < 3)
		cannot("usage: tiocsti OUTSIDE FD");
	verdict(ioctl(atoi(argv[2]), TIOCSTI, &c), "TIOCSTI");
}
