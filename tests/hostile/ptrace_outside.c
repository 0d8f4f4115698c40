/* Attach to a process outside the run with ptrace (argv[2]: its pid). */
#include "hostile.h"
#include <sys/ptrace.h>

int main(int argc, char **argv)
{
	if (argc < 3)
		cannot("usage");
	verdict(ptrace(PTRACE_SEIZE, atoi(argv[2]), 0, 0), "ptrace a process outside");
}
