/*
 * The promise table (include/promises.h): OpenBSD's pledge groups. Which calls
 * a promise allows is said by the calls themselves, in the syscall table's
 * rows (PROMISE_BIT); a call may belong to several promises, and a policy
 * allows the union of its promises, each use of a call within the
 * constraints of the promise that allows it.
 */
#include <stdlib.h>
#include <string.h>

#include "promises.h"
#include "util.h"

static const struct promise table[PROMISE_COUNT] = {
	[PROMISE_CHOWN] = { "chown", "change the owner and group of files (within wpath/cpath paths)", 0 },
	[PROMISE_CPATH] = { "cpath", "create and remove files and directories (path rules with c)", PC_OPEN_CREATE },
	[PROMISE_DNS] = { "dns", "resolve names: UDP and TCP sockets to the endpoints the net rules allow",
		PC_SOCKET_INET },
	[PROMISE_DPATH] = { "dpath", "create special files: FIFOs (mknod of devices is never allowed)", 0 },
	[PROMISE_EXEC] = { "exec", "execute programs (each image is checked against the path rules with x)", 0 },
	[PROMISE_FATTR] = { "fattr", "change file attributes: modes, times, extended attributes, the owner to the run's own ids", 0 },
	[PROMISE_FLOCK] = { "flock", "file locks", PC_FCNTL_LOCK },
	[PROMISE_ID] = { "id", "change supplementary groups and capabilities (within what the run already has)", 0 },
	[PROMISE_INET] = { "inet", "IPv4 and IPv6 sockets, to the endpoints the net rules allow", PC_SOCKET_INET },
	[PROMISE_PROC] = { "proc", "create processes, wait for them, signal and group the run's own processes",
		PC_CLONE_PROCESS | PC_RLIMIT_SET },
	[PROMISE_PROT_EXEC] = { "prot_exec", "map memory executable (JITs, dlopen): mmap and mprotect with PROT_EXEC",
		PC_PROT_EXEC },
	[PROMISE_PS] = { "ps", "look at other processes of the run through /proc", 0 },
	[PROMISE_RECVFD] = { "recvfd", "receive file descriptors over unix sockets", PC_FD_PASSING },
	[PROMISE_RPATH] = { "rpath", "read files and directories (path rules with r)", PC_OPEN_READ },
	[PROMISE_SENDFD] = { "sendfd", "send file descriptors over unix sockets", PC_FD_PASSING },
	[PROMISE_SETTIME] = { "settime", "set the system clock (never granted to a program without the privilege)", 0 },
	[PROMISE_STDIO] = { "stdio", "what every program needs: its open files, memory, time, signals to itself, threads' waits",
		PC_IOCTL_STDIO | PC_PRCTL_SELF | PC_FCNTL_STDIO | PC_SOCKET_UNIX },
	[PROMISE_THREAD] = { "thread", "create threads", PC_CLONE_THREAD },
	[PROMISE_TTY] = { "tty", "work the terminal: modes, window size, foreground process group (never TIOCSTI)",
		PC_IOCTL_TTY },
	[PROMISE_UNIX] = { "unix", "unix sockets, to the paths the path rules allow", PC_SOCKET_UNIX },
	[PROMISE_VMINFO] = { "vminfo", "read what the system has: memory, load, CPUs", 0 },
	[PROMISE_WPATH] = { "wpath", "write existing files (path rules with w)", PC_OPEN_WRITE },
};

const struct promise *promise_table(int *count)
{
	*count = (int)ARRAY_SIZE(table);
	return table;
}

static int compare(const void *key, const void *elem)
{
	return strcmp(key, ((const struct promise *)elem)->name);
}

int promise_index(const char *name)
{
	const struct promise *p = bsearch(name, table, ARRAY_SIZE(table), sizeof(table[0]), compare);

	return p ? (int)(p - table) : -1;
}
