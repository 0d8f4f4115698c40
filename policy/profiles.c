/*
 * The built-in profiles, written in the policy language itself so that
 * docs/policy.md can show them as they are and they parse like any file.
 */
#include <string.h>

#include "policy.h"

static const struct {
	const char *name;
	const char *text;
} profiles[] = {
	{ "ci",
	  "# ci: an untrusted program in a CI job. It reads and runs the system, writes only\n"
	  "# its working directory and a private tmpdir, reaches no network, and is stopped\n"
	  "# at the limits. The working directory is executable too: a build runs what it\n"
	  "# has just built (make check), under the same sandbox. The CI system's and cloud\n"
	  "# SDKs' secrets in the environment are not handed to it (keep-env NAME keeps one).\n"
	  "# POSIX shared memory and semaphores get a private 64 MiB /dev/shm of the run's\n"
	  "# own (a tmpfs in a mount namespace; shm none: no /dev/shm at all).\n"
	  "promise stdio rpath wpath cpath dpath fattr flock unix proc exec thread prot_exec tty vminfo\n"
	  "path rx /usr /lib /lib64 /bin /sbin\n"
	  "path r /etc\n"
	  "path rwxc .\n"
	  "path rw /dev/null /dev/zero /dev/tty\n"
	  "path r /dev/urandom /proc/self\n"
	  "path r /proc/filesystems /proc/meminfo /proc/cpuinfo /proc/stat /proc/loadavg /proc/version\n"
	  "path r /proc/sys/kernel/osrelease /proc/sys/kernel/random /proc/sys/kernel/ngroups_max\n"
	  "path r /proc/sys/kernel/pid_max /proc/sys/vm/overcommit_memory /proc/sys/fs/pipe-max-size\n"
	  "tmpdir\n"
	  "shm 64M\n"
	  "net none\n"
	  "limit wall 10m\n"
	  "limit procs 256\n"
	  "limit files 8192\n"
	  "limit tmpfs 256M\n"
	  "on-violation deny\n"
	  "unsetenv @credentials\n" },
	{ "none",
	  "# none: no restriction, for tracing what a program does.\n"
	  "promise all\n"
	  "path rwxc /\n"
	  "net any\n"
	  "on-violation log\n" },
	{ "strict",
	  "# strict: standard I/O and reading the launch directory; it runs no other\n"
	  "# program and reaches no network. The shared libraries a dynamically linked\n"
	  "# program loads are readable, or it could not start.\n"
	  "promise stdio rpath\n"
	  "path r .\n"
	  "path r /lib /lib64 /usr/lib /etc/ld.so.cache\n"
	  "net none\n"
	  "on-violation deny\n" },
};

const char *const policy_profile_names[] = { "ci", "none", "strict", NULL };

const char *policy_profile_text(const char *name)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (strcmp(profiles[i].name, name) == 0)
			return profiles[i].text;
	return NULL;
}
