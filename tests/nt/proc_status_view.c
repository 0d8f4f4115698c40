/*
 * Prints the Cpus_allowed_list line of its own /proc/PID/status, read through
 * the Z: drive (the whole Linux tree) with NtCreateFile/NtReadFile: what an NT
 * program sees of its affinity. tests/e2e/cosched_tests.py compares it with
 * the mask the run was started with: picovisor pins an NT run to one CPU
 * while its start is all stops, and the program must not see that.
 */
#include "nt_test.h"

static char buf[16384];

void mainCRTStartup(void)
{
	static const char key[] = "Cpus_allowed_list:";
	UNICODE_STRING u;
	WCHAR name[260];
	OBJECT_ATTRIBUTES oa;
	IO_STATUS_BLOCK io;
	HANDLE h;
	SIZE_T len = 0, k = sizeof(key) - 1;

	char path[64] = "\\??\\Z:\\proc\\", *p = path + slen(path);
	unsigned long long pbi[6], pid;

	/* /proc/self is a symlink, which NT names do not follow: the process's own id names it. */
	if (NtQueryInformationProcess(NtCurrentProcess(), 0 /* ProcessBasicInformation */, pbi, sizeof(pbi), 0)) {
		out("no ProcessBasicInformation\n");
		NtTerminateProcess(NtCurrentProcess(), 2);
	}
	pid = pbi[4]; /* UniqueProcessId */
	{
		char d[21], *q = d + 20;

		*q = 0;
		do {
			*--q = (char)('0' + pid % 10);
			pid /= 10;
		} while (pid);
		while (*q)
			*p++ = *q++;
	}
	for (const char *s = "\\status"; *s;)
		*p++ = *s++;
	*p = 0;
	ustr(&u, name, path);
	init_oa(&oa, &u, 0, OBJ_CASE_INSENSITIVE);
	if (NtOpenFile(&h, 0x80100001 /* GENERIC_READ | SYNCHRONIZE | FILE_READ_DATA */, &oa, &io, 7,
		       0x20 /* FILE_SYNCHRONOUS_IO_NONALERT */)) {
		out("cannot open ");
		out(path);
		out("\n");
		NtTerminateProcess(NtCurrentProcess(), 2);
	}
	while (len < sizeof(buf) - 1 && NtReadFile(h, 0, 0, 0, &io, buf + len, (ULONG)(sizeof(buf) - 1 - len), 0, 0) == 0 &&
	       io.Information)
		len += io.Information;
	NtClose(h);
	for (SIZE_T i = 0; i + k <= len; i++) {
		SIZE_T j = 0, e = i;

		if (i && buf[i - 1] != '\n')
			continue;
		while (j < k && buf[i + j] == key[j])
			j++;
		if (j < k)
			continue;
		while (e < len && buf[e] != '\n')
			e++;
		buf[e] = '\0';
		out(buf + i);
		out("\n");
		NtTerminateProcess(NtCurrentProcess(), 0);
	}
	out("no Cpus_allowed_list line\n");
	NtTerminateProcess(NtCurrentProcess(), 3);
}
