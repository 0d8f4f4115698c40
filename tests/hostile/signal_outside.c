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
	attempt(kill(pid, SIGCONT), "kill reached a process outside");
	attempt(syscall(SYS_tgkill, pid, pid, SIGCONT), "tgkill reached a process outside");
	attempt(kill(-1, 0), "kill(-1) reached every process of the user");
	refused_all("kill, tgkill and kill(-1) of processes outside");
}
