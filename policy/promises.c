/*
 * The promise table (include/promises.h): OpenBSD's pledge groups, mapped onto
 * Linux system calls. A call may appear in several promises; a policy allows
 * the union of its promises, each use of a call within the constraints of the
 * promise that allows it.
 */
#include <stdlib.h>
#include <string.h>

#include "promises.h"
#include "util.h"

#define CALLS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const struct promise table[] = {
	{ "chown", "change the owner and group of files (within wpath/cpath paths)",
	  CALLS("chown", "fchown", "lchown", "fchownat"), 0 },
	{ "cpath", "create and remove files and directories (path rules with c)",
	  CALLS("open", "openat", "openat2", "creat", "mkdir", "mkdirat", "rmdir", "unlink", "unlinkat", "rename",
		"renameat", "renameat2", "link", "linkat", "symlink", "symlinkat"),
	  PC_OPEN_CREATE },
	{ "dns", "resolve names: UDP and TCP sockets to the endpoints the net rules allow",
	  CALLS("socket", "connect", "sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "bind",
		"getsockname", "getpeername", "setsockopt", "getsockopt", "shutdown"),
	  PC_SOCKET_INET },
	{ "dpath", "create special files: FIFOs (mknod of devices is never allowed)",
	  CALLS("mknod", "mknodat"), 0 },
	{ "exec", "execute programs (each image is checked against the path rules with x)",
	  CALLS("execve", "execveat"), 0 },
	{ "fattr", "change file attributes: modes, times, extended attributes, the owner to the run's own ids",
	  CALLS("chmod", "fchmod", "fchmodat", "fchmodat2", "utime", "utimes", "futimesat", "utimensat", "setxattr",
		"lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr", "setxattrat",
		"removexattrat"),
	  0 },
	{ "flock", "file locks", CALLS("flock", "fcntl"), PC_FCNTL_LOCK },
	{ "id", "change supplementary groups and capabilities (within what the run already has)",
	  CALLS("setgroups", "capset"), 0 },
	{ "inet", "IPv4 and IPv6 sockets, to the endpoints the net rules allow",
	  CALLS("socket", "connect", "bind", "listen", "accept", "accept4", "sendto", "recvfrom", "sendmsg", "recvmsg",
		"sendmmsg", "recvmmsg", "getsockname", "getpeername", "setsockopt", "getsockopt", "shutdown"),
	  PC_SOCKET_INET },
	{ "proc", "create processes, wait for them, signal and group the run's own processes",
	  CALLS("fork", "vfork", "clone", "clone3", "wait4", "waitid", "kill", "tkill", "tgkill", "rt_sigqueueinfo",
		"rt_tgsigqueueinfo", "pidfd_open", "pidfd_send_signal", "setpgid", "setsid", "getpgid", "getsid",
		"getpgrp", "setpriority", "getpriority", "sched_setaffinity", "sched_setscheduler", "sched_setparam",
		"prlimit64", "setrlimit"),
	  PC_CLONE_PROCESS | PC_RLIMIT_SET },
	{ "prot_exec", "map memory executable (JITs, dlopen): mmap and mprotect with PROT_EXEC",
	  CALLS("mmap", "mprotect", "pkey_mprotect"), PC_PROT_EXEC },
	{ "ps", "look at other processes of the run through /proc", CALLS("getpgid", "getsid", "getpriority"), 0 },
	{ "recvfd", "receive file descriptors over unix sockets", CALLS("recvmsg", "recvmmsg"), PC_FD_PASSING },
	{ "rpath", "read files and directories (path rules with r)",
	  CALLS("open", "openat", "openat2", "stat", "lstat", "newfstatat", "statx", "access", "faccessat",
		"faccessat2", "readlink", "readlinkat", "getcwd", "chdir", "fchdir", "getdents", "getdents64",
		"statfs", "fstatfs", "getxattr", "lgetxattr", "fgetxattr", "listxattr", "llistxattr", "flistxattr",
		"getxattrat", "listxattrat", "inotify_init", "inotify_init1", "inotify_add_watch", "inotify_rm_watch"),
	  PC_OPEN_READ },
	{ "sendfd", "send file descriptors over unix sockets", CALLS("sendmsg", "sendmmsg"), PC_FD_PASSING },
	{ "settime", "set the system clock (never granted to a program without the privilege)",
	  CALLS("settimeofday", "clock_settime", "adjtimex", "clock_adjtime"), 0 },
	{ "stdio", "what every program needs: its open files, memory, time, signals to itself, threads' waits",
	  CALLS("read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev", "preadv2", "pwritev2",
		"close", "close_range", "dup", "dup2", "dup3", "fcntl", "fstat", "lseek", "ftruncate", "fsync",
		"fdatasync", "sync_file_range", "fadvise64", "fallocate", "sendfile", "splice", "tee", "copy_file_range",
		"brk", "mmap", "munmap", "mremap", "mprotect", "madvise", "msync", "mincore", "mlock", "munlock",
		"membarrier", "exit", "exit_group", "getpid", "gettid", "getppid", "getuid", "geteuid", "getgid",
		"getegid", "getresuid", "getresgid", "getgroups",
		/* Without capabilities (the sandbox keeps none) these only move among the real, effective and
		   saved ids a process already has: make and others drop and restore their effective id. */
		"setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid", "setfsuid", "setfsgid", "getrlimit", "prlimit64", "getrusage", "times", "clock_gettime",
		"clock_getres", "clock_nanosleep", "gettimeofday", "time", "nanosleep", "sched_yield",
		"sched_getaffinity", "sched_getparam", "sched_getscheduler", "getcpu", "getrandom", "rt_sigaction",
		"rt_sigprocmask", "rt_sigreturn", "rt_sigpending", "rt_sigtimedwait", "rt_sigsuspend", "sigaltstack",
		"pause", "alarm", "getitimer", "setitimer", "timer_create", "timer_settime", "timer_gettime",
		"timer_getoverrun", "timer_delete", "timerfd_create", "timerfd_settime", "timerfd_gettime", "pipe",
		"pipe2", "poll", "ppoll", "select", "pselect6", "epoll_create", "epoll_create1", "epoll_ctl",
		"epoll_wait", "epoll_pwait", "epoll_pwait2", "eventfd", "eventfd2", "signalfd", "signalfd4", "futex",
		"futex_waitv", "futex_wake", "futex_wait", "futex_requeue", "set_robust_list", "get_robust_list",
		"set_tid_address", "rseq", "arch_prctl", "prctl", "seccomp", "uname", "umask", "ioctl", "socketpair", "sendto",
		"recvfrom", "sendmsg", "recvmsg", "shutdown", "getsockname", "getpeername", "getsockopt", "memfd_create",
		"restart_syscall"),
	  PC_IOCTL_STDIO | PC_PRCTL_SELF | PC_FCNTL_STDIO | PC_SOCKET_UNIX },
	{ "thread", "create threads", CALLS("clone", "clone3"), PC_CLONE_THREAD },
	{ "tty", "work the terminal: modes, window size, foreground process group (never TIOCSTI)",
	  CALLS("ioctl"), PC_IOCTL_TTY },
	{ "unix", "unix sockets, to the paths the path rules allow",
	  CALLS("socket", "socketpair", "connect", "bind", "listen", "accept", "accept4", "sendto", "recvfrom",
		"sendmsg", "recvmsg", "getsockname", "getpeername", "setsockopt", "getsockopt", "shutdown"),
	  PC_SOCKET_UNIX },
	{ "vminfo", "read what the system has: memory, load, CPUs", CALLS("sysinfo"), 0 },
	{ "wpath", "write existing files (path rules with w)",
	  CALLS("open", "openat", "openat2", "truncate", "ftruncate"), PC_OPEN_WRITE },
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
