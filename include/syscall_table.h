/*
 * The syscall table: one entry per system call of each x86 ABI, with the class
 * flags that decide how picovisor treats it. The seccomp filters are generated
 * from these flags; no other list of syscalls exists in picovisor.
 */
#ifndef PICOVISOR_SYSCALL_TABLE_H
#define PICOVISOR_SYSCALL_TABLE_H

#include <stdbool.h>
#include <stdint.h>

enum abi {
	ABI_X86_64,
	ABI_I386, /* int 0x80 from 64-bit code */
	ABI_X32,  /* syscall with nr | 0x40000000 */
	ABI_LINUX_COUNT, /* the ABIs above are Linux's: seccomp filters are built for them */
	ABI_NT = ABI_LINUX_COUNT, /* Windows x64 services of an NT process (nt.h); numbers of the selected build */
	ABI_COUNT,
};

/* Class flags. SC_* decide how picovisor serves a call; CL_* are the trace classes of -e (strace's). */
enum {
	SC_EXEC = 1u << 0,     /* replaces the image: always served by the loader */
	SC_READLINK = 1u << 1, /* can read /proc/PID/exe: fixed up when the kernel cannot be told the exe */
	SC_REGS_REPLACED = 1u << 2, /* replaces the thread's registers (rt_sigreturn): traced from its entry */
	SC_AFFINITY = 1u << 3, /* reads or sets CPU affinity: kept true while picovisor co-schedules (cosched.h) */
	SC_NEVER = 1u << 4,    /* never allowed in the sandbox, whatever the policy (docs/policy.md) */
	SC_ALWAYS = 1u << 5,   /* never taken away by a policy: leaving, returning from a handler, restarting */
	SC_PATH_OUT = 1u << 6, /* returns a path without taking one (getcwd): path translation names it in the guest view */
	SC_DIRENTS = 1u << 7,  /* lists a directory (getdents): path translation adds the mappings' names */
	CL_FILE = 1u << 8,     /* %file: takes a path */
	CL_DESC = 1u << 9,     /* %desc: takes or makes a file descriptor (socket calls are %network only, as in strace) */
	CL_NETWORK = 1u << 10, /* %network */
	CL_PROCESS = 1u << 11, /* %process: creation, exec, exit, wait, kill */
	CL_SIGNAL = 1u << 12,  /* %signal */
	CL_IPC = 1u << 13,     /* %ipc: SysV IPC */
	CL_MEMORY = 1u << 14,  /* %memory: the address space */
	CL_CREDS = 1u << 15,   /* %creds: user, group and capability ids */
	CL_CLOCK = 1u << 16,   /* %clock: reads or sets clocks */
	/* Harmless whatever its arguments, but for a K_CLOCKID one (which must name CLOCK_REALTIME or
	 * CLOCK_MONOTONIC: a negative id reads another process's CPU time): the NT filter lets it through from
	 * the gate, and from the vDSO (filter_bpf_nt; docs/nt.md, "Served in the process"). */
	SC_NT_GATE = 1u << 17,
	/* Sets or reads the caller's seccomp mode (seccomp(2); prctl's PR_SET_SECCOMP and PR_GET_SECCOMP, by its
	 * K_PRCTL_OPTION argument): served by picovisor, which checks and copies the program's filters (seccomp_guard.h). */
	SC_SECCOMP = 1u << 21,
	/* What a thread in seccomp's strict mode may still call (read, write, _exit, sigreturn): filter_bpf_strict. */
	SC_STRICT_MODE = 1u << 22,
	SC_CREAT = 1u << 19,   /* opens its path as O_CREAT|O_WRONLY|O_TRUNC with no flags argument (creat) */
	/* Its socket address is the socket's own (local) name, which bind makes and getsockname reads; without
	 * the flag, an address is the peer's (connect, sendto, accept, getpeername, recvfrom). */
	SC_LOCAL_ADDR = 1u << 20,
	/* What a call does to the files its paths name is each path argument's role (enum path_role), but for: */
	FX_ATTR = 1u << 27,    /* changes a file's mode, owner, times or xattrs (its path or fd): no Landlock right covers it */
	SC_AFFINITY_SET = 1u << 28, /* with SC_AFFINITY: sets the affinity (sched_setaffinity); without it, reads it */
	SC_RANDOM_OUT = 1u << 29,   /* fills its output buffer with random bytes (getrandom): two runs' bytes differ */
	SC_DIRENTS64 = 1u << 30,    /* with SC_DIRENTS: lists struct linux_dirent64 records (getdents64), else linux_dirent */
	FX_CWD = 1u << 23,     /* makes its path or fd the caller's working directory (chdir, fchdir): diff resolves paths */
};

/*
 * Which attribute an FX_ATTR call changes, and how its arguments say it (the
 * sandbox performs such a call itself, on the object it checked): ATTR(OP)
 * in the table's flags, attr_op_of() to read it.
 */
enum attr_op {
	ATTR_NONE,
	ATTR_MODE,        /* a K_MODE argument */
	ATTR_OWNER,       /* user and group: the two arguments after the file's */
	ATTR_UTIMBUF,     /* struct utimbuf * (utime) */
	ATTR_TIMEVAL,     /* struct timeval[2] (utimes, futimesat) */
	ATTR_TIMESPEC,    /* struct timespec[2] (utimensat) */
	ATTR_SETXATTR,    /* name, value, size, flags */
	ATTR_REMOVEXATTR, /* name */
	ATTR_XATTR_ARGS,  /* setxattrat: name, then struct xattr_args and its size */
};
/* Above the 32 bits of class and effect flags. */
#define ATTR_SHIFT 32
#define ATTR(op) ((uint64_t)ATTR_##op << ATTR_SHIFT)
static inline enum attr_op attr_op_of(uint64_t flags)
{
	return (enum attr_op)((flags >> ATTR_SHIFT) & 15);
}

/*
 * Which name a call with a PATH_CREATED or PATH_REMOVED path makes or takes away (the sandbox
 * performs such a call itself in the directory it checked, when the
 * supervisor checks paths): NAME(OP) in the table's flags.
 */
enum name_op {
	NAME_NONE,
	NAME_UNLINK,      /* path */
	NAME_RMDIR,       /* path */
	NAME_UNLINKAT,    /* dirfd, path, flags */
	NAME_MKDIR,       /* path (after a dirfd), mode */
	NAME_MKNOD,       /* path (after a dirfd), mode, dev */
	NAME_RENAME,      /* two paths (after dirfds), renameat2's flags */
	NAME_LINK,        /* two paths (after dirfds), linkat's flags */
	NAME_SYMLINK,     /* the link's text (K_STR), then the path */
	NAME_TRUNCATE,    /* not a name: the file itself (K_PATH), its new length (K_LONG) */
};
#define NAME_SHIFT 36
#define NAME(op) ((uint64_t)NAME_##op << NAME_SHIFT)
static inline enum name_op name_op_of(uint64_t flags)
{
	return (enum name_op)((flags >> NAME_SHIFT) & 15);
}

/*
 * The promises a call belongs to (promises.h: pledge's direction, call ->
 * promises): PROMISE_BIT(NAME) in the table's flags, one bit per promise
 * above the NAME() bits, in the promise table's order, so that bit i of
 * syscall_promises() is promise i as in a policy's promise set. A policy
 * grants a call when it holds one of the call's promises.
 */
#define PROMISE_SHIFT 40
#define PROMISE_BIT(name) ((uint64_t)1 << (PROMISE_SHIFT + PROMISE_##name))

/*
 * How an argument is shown. *_IN kinds point to what the caller passes in and
 * are read at entry; *_OUT kinds point to what the kernel fills in and are
 * read at exit (only when the call succeeded). A length that goes with a
 * buffer is the next argument (or, for *_OUT buffers, the return value).
 */
enum arg_kind {
	K_NONE,            /* no such argument */
	K_INT,             /* a C int, signed decimal */
	K_LONG,            /* a long or offset, signed decimal */
	K_UINT,            /* unsigned decimal */
	K_SIZE,            /* a byte count */
	K_HEX,             /* flags or a value best read in hex */
	K_PTR,             /* an address, not followed */
	K_PID,             /* a process or thread id (differs between runs) */
	K_PGID,            /* a process group to join (setpgid): the group must be the run's */
	K_FD,              /* a file descriptor, shown with what it refers to */
	K_DIRFD,           /* a directory fd or AT_FDCWD */
	K_FD_CLOSED,       /* an fd the call closes: described at entry */
	K_PIDFD,           /* an fd naming a process (a pidfd, or a /proc/PID directory): checked like a pid */
	K_PATH,            /* a path string */
	K_STR,             /* another string */
	K_ARGV,            /* a NULL-terminated array of strings */
	K_ENVP,            /* the same, shown as its length */
	K_BUF_IN,          /* bytes passed in; length in the next argument */
	K_BUF_OUT,         /* bytes returned; length is the return value */
	K_IOV_IN,          /* struct iovec[next argument], contents passed in */
	K_IOV_OUT,         /* struct iovec[next argument], return value bytes filled in */
	K_MSGHDR_IN,
	K_MSGHDR_OUT,
	K_SOCKADDR_IN,     /* length in the next argument */
	K_SOCKADDR_OUT,    /* length through the pointer in the next argument */
	K_INT_PTR,         /* an int read and written through a pointer (socklen) */
	K_STAT_OUT,
	K_STATX_OUT,
	K_TIMESPEC_IN,
	K_TIMESPEC_OUT,
	K_TIMESPEC_LEFT,
	K_TIMEVAL_LEFT,    /* select's timeout, overwritten with the time left: the call is decoded at entry */
	K_FDSET,           /* an fd_set of the first argument's size, overwritten with the ready fds: decoded at entry */   /* a timeout the kernel overwrites with the time left (ppoll, pselect6): the call is decoded at entry */
	K_RLIMIT_IN,
	K_RLIMIT_OUT,
	K_RLIMIT_RESOURCE,
	K_SIGACTION_IN,
	K_SIGACTION_OUT,
	K_SIGSET_IN,
	K_SIGSET_OUT,
	K_SIGMASK_HOW,
	K_PIPEFDS,         /* int[2] filled in */
	K_WSTATUS_OUT,     /* int wait status filled in */
	K_CLONE_ARGS,      /* clone3's struct clone_args; its size in the next argument */
	K_OPEN_HOW,        /* openat2's struct open_how; its size in the next argument */
	K_OPEN_FLAGS,
	K_FD_FLAGS,        /* O_CLOEXEC and O_NONBLOCK of a new fd (pipe2, dup3) */
	K_SOCK_FLAGS,      /* accept4's SOCK_CLOEXEC and SOCK_NONBLOCK */
	K_MODE,
	K_AT_FLAGS,
	K_INOTIFY_MASK,    /* inotify_add_watch's mask: IN_DONT_FOLLOW says how its path is taken */
	K_FANOTIFY_FLAGS,  /* fanotify_mark's flags: FAN_MARK_DONT_FOLLOW; its path may be NULL for the dirfd */
	K_ACCESS_MODE,
	K_PROT,
	K_MMAP_FLAGS,
	K_CLONE_FLAGS,
	K_SIGNUM,
	K_SOCK_DOMAIN,
	K_SOCK_TYPE,
	K_MSG_FLAGS,
	K_IOCTL_CMD,
	K_FCNTL_CMD,
	K_PRCTL_OPTION,
	K_WHENCE,
	K_WAIT_OPTIONS,
	K_PRIO_WHICH,      /* getpriority/setpriority's which: PRIO_PROCESS, PRIO_PGRP, PRIO_USER */
	K_IOPRIO_WHICH,    /* ioprio_get/ioprio_set's which: IOPRIO_WHO_PROCESS (1), _PGRP (2), _USER (3) */
	K_SOCK_PROTO,      /* socket's protocol, named by the domain two arguments before */
	K_CLOCKID,         /* CLOCK_REALTIME, CLOCK_MONOTONIC, ... */
	K_TIMER_FLAGS,     /* clock_nanosleep's TIMER_ABSTIME */
	K_EPOLL_FLAGS,     /* epoll_create1's EPOLL_CLOEXEC */
	K_EPOLL_OP,        /* EPOLL_CTL_ADD, _DEL, _MOD */
	K_EPOLL_EVENT,     /* epoll_ctl's struct epoll_event passed in */
	K_EPOLL_EVENTS_OUT,/* struct epoll_event[return value] filled in */
	K_POLLFDS,         /* struct pollfd[next argument]: events passed in, revents filled in */
	K_SOCKOPT_LEVEL,   /* setsockopt/getsockopt's level: SOL_SOCKET, IPPROTO_TCP, ... */
	K_SOCKOPT_NAME,    /* their optname, named by the level before it */
	K_SOCKOPT_IN,      /* setsockopt's optval: an int as [N] when optlen (next) is an int's */
	K_SOCKOPT_OUT,     /* getsockopt's optval, filled in: the same */
	K_TFD_FLAGS,       /* timerfd_create's TFD_CLOEXEC, TFD_NONBLOCK */
	K_TFD_SETTIME_FLAGS, /* timerfd_settime's TFD_TIMER_ABSTIME, TFD_TIMER_CANCEL_ON_SET */
	K_ITIMERSPEC_IN,
	K_ITIMERSPEC_OUT,
	K_ARCH_PRCTL_CODE, /* ARCH_SET_FS, ... */
	K_GETRANDOM_FLAGS,
	K_MREMAP_FLAGS,
	K_MREMAP_ADDR,     /* mremap's new address: shown only with MREMAP_MAYMOVE|MREMAP_FIXED (as strace) */
	K_FUTEX_OP,        /* futex's operation: FUTEX_WAKE_PRIVATE, ... */
	K_FUTEX_ARG,       /* futex's val..val3: shown, and how, by the operation (the argument before the first) */
	K_FADVISE_ADVICE,  /* POSIX_FADV_NORMAL, ... */
	K_STATX_MASK,      /* statx's STATX_* mask (the AT_ flags before it then name their sync type, as strace) */
	K_IO_URING_PARAMS, /* io_uring_setup's struct io_uring_params, filled in */
	K_FCNTL_ARG,       /* fcntl's third argument: its meaning (or absence) depends on the command before it */
	K_IOCTL_ARG,       /* ioctl's third argument, by the request before it */
	K_PRCTL_ARG,       /* prctl's arg2..arg5, by the option (the first argument) */
	K_KIND_COUNT,
};

/* What the return value is. */
enum ret_kind {
	R_INT,  /* a count or status; negative is -errno */
	R_FD,   /* a new file descriptor */
	R_PTR,  /* an address (mmap, brk) */
	R_PID,  /* a process or thread id */
	R_NONE, /* never returns (exit, exit_group) */
};

/*
 * What a call does with one path argument (K_PATH), in its row as
 * PATH(name, ROLE); a plain ARG(PATH, name) follows a final symlink unless the
 * call's flags say otherwise (AT_SYMLINK_NOFOLLOW, IN_DONT_FOLLOW,
 * FAN_MARK_DONT_FOLLOW) and only reads or reaches the file. The directory a
 * path is relative to is the K_DIRFD argument before it, if any. path_args.h
 * turns these into what one call does with each path.
 */
enum path_role {
	PATH_FOLLOWS = 0,
	PATH_LINK_ITSELF = 1u << 0,  /* acts on a final symlink itself, never follows it (lstat, lchown, link's old name) */
	PATH_FOLLOW_ASKED = 1u << 1, /* follows only with AT_SYMLINK_FOLLOW (linkat's old name, name_to_handle_at) */
	PATH_CREATED = 1u << 2,      /* the call makes this name (mkdir, link's new name, rename's target): never followed */
	PATH_REMOVED = 1u << 3,      /* the call takes this name away (unlink, rmdir, rename's source): never followed */
	PATH_WRITTEN = 1u << 4,      /* the call writes the file without opening it (truncate) */
};

struct syscall_arg {
	uint8_t kind; /* enum arg_kind */
	const char *name;
	uint8_t role; /* enum path_role, for a K_PATH argument */
};

struct syscall_entry {
	int nr;
	const char *name;
	uint64_t flags; /* SC_, CL_ and FX_ bits in the low 32; ATTR(), NAME() and PROMISE_BIT() above */
	uint8_t ret;   /* enum ret_kind */
	struct syscall_arg args[6]; /* the first K_NONE ends the list */
};

/* Some arguments are gone by the exit (an exec's argv, a closed fd): decode such a call at entry. */
static inline bool syscall_decoded_at_entry(const struct syscall_entry *e)
{
	if (e->flags & SC_REGS_REPLACED)
		return true;
	for (int i = 0; i < 6 && e->args[i].kind != K_NONE; i++)
		if (e->args[i].kind == K_ARGV || e->args[i].kind == K_ENVP || e->args[i].kind == K_FD_CLOSED ||
		    e->args[i].kind == K_TIMESPEC_LEFT || e->args[i].kind == K_TIMEVAL_LEFT || e->args[i].kind == K_FDSET)
			return true;
	return false;
}

/* The role of the call's argument i (enum path_role); the roles of all its paths together. */
static inline unsigned syscall_path_role(const struct syscall_entry *e, int i)
{
	return e->args[i].kind == K_PATH ? e->args[i].role : 0;
}

static inline unsigned syscall_path_roles(const struct syscall_entry *e)
{
	unsigned roles = 0;

	for (int i = 0; i < 6 && e->args[i].kind != K_NONE; i++)
		roles |= syscall_path_role(e, i);
	return roles;
}

/* The call's promises: bit i is promise i of the promise table (promises.h). */
static inline uint32_t syscall_promises(const struct syscall_entry *e)
{
	return (uint32_t)(e->flags >> PROMISE_SHIFT);
}

static inline int syscall_nargs(const struct syscall_entry *e)
{
	int n = 0;

	while (n < 6 && e->args[n].kind != K_NONE)
		n++;
	return n;
}

/* fork, vfork, clone, clone3: the calls that make a new task. */
static inline bool syscall_creates_task(const struct syscall_entry *e)
{
	return (e->flags & CL_PROCESS) && e->ret == R_PID &&
	       (e->args[0].kind == K_NONE || e->args[0].kind == K_CLONE_FLAGS || e->args[0].kind == K_CLONE_ARGS);
}

/* The index of the call's first argument of this kind, or -1. */
static inline int syscall_kind_arg(const struct syscall_entry *e, enum arg_kind kind)
{
	for (int i = 0; i < syscall_nargs(e); i++)
		if (e->args[i].kind == kind)
			return i;
	return -1;
}

/* wait4 and its kin: the pid argument picks among the caller's own children, it names no other process. */
static inline bool syscall_waits_for_children(const struct syscall_entry *e)
{
	for (int i = 0; i < syscall_nargs(e); i++)
		if (e->args[i].kind == K_WSTATUS_OUT)
			return true;
	return false;
}

/* Does the call take or return a path (a path argument, a socket address, a cwd, a link, a listing)? */
static inline bool syscall_carries_paths(const struct syscall_entry *e)
{
	if (e->flags & (SC_PATH_OUT | SC_DIRENTS | SC_READLINK))
		return true;
	for (int i = 0; i < syscall_nargs(e); i++)
		if (e->args[i].kind == K_PATH || e->args[i].kind == K_SOCKADDR_IN || e->args[i].kind == K_SOCKADDR_OUT)
			return true;
	return false;
}

/* The index of e's first argument of this kind, or -1. An i386 entry has the arguments of its x86_64 namesake. */
int syscall_arg_index(enum abi abi, const struct syscall_entry *e, enum arg_kind kind);

/* Entries of an ABI's table, sorted by number; *count receives their number. */
const struct syscall_entry *syscall_table(enum abi abi, int *count);
/* The entry for nr, or NULL if the ABI has no such call. */
const struct syscall_entry *syscall_lookup(enum abi abi, int nr);
/* The number of a call by name in an ABI, or -1. */
int syscall_number(enum abi abi, const char *name);
const char *abi_name(enum abi abi);
/* The trace classes (CL_*) of a call: an i386 call has those of the x86_64 call of its name. */
uint32_t syscall_classes(enum abi abi, const struct syscall_entry *e);

#endif
