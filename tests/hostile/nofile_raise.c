/*
 * Raise the hard limit of open files past what the run was given, by
 * setrlimit and by prlimit on itself. Only CAP_SYS_RESOURCE may: root has it
 * natively, the sandbox keeps no capability. Refused with EPERM is contained.
 */
#include "hostile.h"
#include <sys/resource.h>

int main(int argc, char **argv)
{
	struct rlimit r, want;
	long nr_open = 1048576;
	FILE *f = fopen("/proc/sys/fs/nr_open", "re");

	(void)outside(argc, argv, "");
	if (f) {
		if (fscanf(f, "%ld", &nr_open) != 1)
			nr_open = 1048576;
		fclose(f);
	}
	if (getrlimit(RLIMIT_NOFILE, &r) < 0)
		cannot("getrlimit");
	if (r.rlim_max >= (rlim_t)nr_open) { /* nothing above it to reach: come down first (anyone may) */
		r.rlim_max = r.rlim_cur = (rlim_t)nr_open / 2;
		if (setrlimit(RLIMIT_NOFILE, &r) < 0)
			cannot("lowering the hard limit");
	}
	printf("hard limit %llu\n", (unsigned long long)r.rlim_max);
	want.rlim_cur = want.rlim_max = r.rlim_max + 1024;
	attempt(setrlimit(RLIMIT_NOFILE, &want), "setrlimit raised the hard limit of open files");
	attempt(prlimit(0, RLIMIT_NOFILE, &want, NULL), "prlimit raised the hard limit of open files");
	refused_all("raising the hard limit of open files");
}
