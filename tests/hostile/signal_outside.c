/* Signal a process outside the run (argv[2]: its pid), by kill and by tgkill (SIGCONT: harmless when it works). */
#include "hostile.h"
#include <signal.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
	pid_t pid;

	if (argc < 3)
		cannot("usage");
	pid = atoi(argv[2]);
	if (kill(pid, SIGCONT) == 0)
		escaped("kill reached a process outside");
	if (syscall(SYS_tgkill, pid, pid, SIGCONT) == 0)
		escaped("tgkill reached a process outside");
	verdict(kill(-1, 0), "kill(-1) reached every process of the user");
}
