/*
 * Inside the NT personality: the state of an NT process (its handle table)
 * and thread (the service call in flight), and the few primitives every
 * service is written with:
 *   nt_done(t, status)       the call returns status to the program;
 *   nt_linux(t, then, nr...) the thread runs Linux call nr in place of the NT
 *                            one; then(t, ret) continues at its exit stop
 *                            (and may call nt_linux again, or nt_done).
 * Services read and write the program's memory through nt_get/nt_put, which
 * turn a bad pointer into STATUS_ACCESS_VIOLATION.
 */
#ifndef PICOVISOR_NT_INTERNAL_H
#define PICOVISOR_NT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "host.h"
#include "nt.h"
#include "nt_services.h"
#include "personality.h"
#include "tracee.h"

enum nt_type {
	NT_TYPE_FILE,
	NT_TYPE_EVENT,
	NT_TYPE_MUTANT,
	NT_TYPE_SEMAPHORE,
	NT_TYPE_THREAD,
	NT_TYPE_PROCESS,
	NT_TYPE_SECTION,
	NT_TYPE_TIMER,
	NT_TYPE_IO_COMPLETION,
	NT_TYPE_COUNT,
};

/* What the files of the run share, per host inode: opens for share modes, a pending delete. */
struct nt_fcb {
	dev_t dev;
	ino_t ino;
	int opens;
	int readers, writers, deleters;            /* opens holding that access (share modes) */
	int deny_read, deny_write, deny_delete;    /* opens that do not share it */
	bool delete_pending;
	char *host;            /* the path to remove when the last handle goes */
	bool is_dir;
	struct nt_fcb *next;
};

struct nt_file {
	int fd;                /* in the tracee; -1 for a console stream given by picovisor */
	char *host;            /* host path, NULL for the standard streams */
	char *nt_name;         /* the name as NtQueryInformationFile(FileNameInformation) gives it (UTF-8, \dir\file) */
	bool is_dir;
	bool is_socket;        /* a socket of \Device\Afd (nt_afd.c): fd is a Linux inet socket */
	bool is_random;        /* \Device\KsecDD (nt_ksecdd.c): no fd; random bytes by NtDeviceIoControlFile */
	bool seekable;          /* a regular file or block device: ByteOffset means something */
	bool append_only;      /* FILE_APPEND_DATA without FILE_WRITE_DATA */
	bool sync_io;          /* FILE_SYNCHRONOUS_IO_*: the file position is kept */
	bool pipe_end;         /* an end of a pipe (nt_pipe.c): its other end gone is PIPE_BROKEN */
	uint32_t share;
	uint32_t share_access;  /* which of read/write/delete (1/2/4) this open counts in its fcb */
	struct nt_fcb *fcb;
	bool delete_on_close;
	/* directory listing state (NtQueryDirectoryFile) */
	char **names;
	int nnames, next_name;
	bool listed;
	bool scan_returned;    /* this scan returned an entry: at its end, NO_MORE_FILES rather than NO_SUCH_FILE */
	char *mask;            /* the first call's FileName, UTF-8; NULL: all */
};

struct nt_object {
	enum nt_type type;
	int refs;              /* handles (and parked waits) that point here */
	struct nt_named *named; /* its entry in the run's table of named objects (nt_names.c), or NULL */
	union {
		struct nt_file file;
		struct {
			bool manual_reset, signaled;
		} event;
		struct {
			pid_t owner;       /* 0: free */
			uint32_t count;
			bool abandoned;
		} mutant;
		struct {
			int32_t count, max;
		} sem;
		struct {
			pid_t tid;
			bool done;
			ntstatus exit_status;
			uint64_t teb;
			uint64_t exit_time; /* NT time it ended (ThreadTimes) */
		} thread;
		struct {
			uint64_t size;
			uint32_t protect;
			int fd;            /* in the tracee: the file or a memfd */
			bool image;
		} section;
		struct {
			bool manual_reset, signaled;
			uint64_t due;      /* monotonic ns; 0: not set (nt_timer.c) */
			uint64_t period;   /* ns between expiries after the first; 0: once */
		} timer;
		struct nt_io_completion *port; /* its queue of packets (nt_iocp.c) */
	};
	/* a file's I/O completion port and key (FileCompletionInformation, nt_iocp.c) */
	struct nt_object *completion_port;
	uint64_t completion_key;
	uint32_t completion_modes;  /* FileIoCompletionNotificationInformation: FILE_SKIP_* */
};

struct nt_handle {
	struct nt_object *obj;
	uint32_t access;
	uint32_t flags; /* NT_HANDLE_INHERIT, NT_HANDLE_PROTECT_FROM_CLOSE (ObjectHandleFlagInformation) */
};

enum { NT_HANDLE_INHERIT = 1, NT_HANDLE_PROTECT_FROM_CLOSE = 2 };

struct nt_alloc;

struct nt_process {
	struct nt_handle *handles;  /* index = handle / 4 */
	struct nt_alloc *allocs;    /* memory as NT handed it out, by address (nt_memory.h) */
	int nhandles;
	int used_slots;             /* slots below this were given out at some time (0: none yet) */
	int free_slot;              /* the last closed slot (0: none), its access the next (nt_handles.c) */
	struct nt_start start;
	uint64_t next_thread_block; /* where the next TEB/work block goes (0: needs one) */
	bool exit_status_set;
	ntstatus exit_status;
	int kuser_mem_fd;           /* /proc/PID/mem to update its KUSER_SHARED_DATA (nt_kuser.c), or -1 */
	uint64_t kuser_at;          /* when it was last updated (monotonic ns) */
};

typedef void (*nt_then_fn)(struct tracee *t, long ret);

/* A Linux call acting on names relative to their parent directories, opened without following symlinks (nt_beneath.c). */
typedef void (*nt_at_fn)(struct tracee *t, uint64_t dir_a, uint64_t leaf_a, uint64_t dir_b, uint64_t leaf_b);
struct nt_at {
	nt_at_fn op;
	void (*finished)(struct tracee *t, long ret);
	uint64_t parent[2], leaf[2], how, arg;
	long fd[2], ret;
	int n, opened;
};

/* The service call a thread is in. */
struct nt_call {
	struct nt_at at;           /* a call's names opened beneath their drive (nt_beneath.c) */
	const struct nt_service *svc;  /* NULL: a number no service has */
	uint32_t nr;
	uint64_t a[NT_MAX_ARGS];
	tracee_regs regs;          /* the program's at entry; given back with rax = status */
	bool active;
	bool at_exit;              /* stopped at the exit of a Linux call the personality wrote */
	bool chained;              /* a further Linux call is on its way to its seccomp stop */
	tracee_regs chain;         /* exactly what that call must arrive with (nt_personality.c) */
	bool from_signal;          /* it arrived as a SIGILL (a number seccomp lets pass, nt_personality.c) */
	nt_then_fn then;
	uint64_t t0;
	uint64_t st[8];            /* the service's own state between steps */
	void *p;
	void (*p_free)(void *p);   /* how to free p (NULL: free) */
	char *name;                /* what the service resolved (a path), for the trace */
	ntstatus status;
};

struct nt_wait;

struct nt_thread_start {
	uint64_t routine, arg, teb, stack_top, work;
	bool suspended;            /* THREAD_CREATE_FLAGS_CREATE_SUSPENDED: held at its first stop */
	struct nt_object *obj;     /* the new thread's object, made before the thread can run (one reference) */
};

struct nt_thread {
	struct nt_call call;
	uint64_t teb, work;        /* its TEB and the work area after it */
	struct nt_wait *waiting;   /* parked in a wait (nt_sync.c), or NULL */
	struct nt_thread_start start; /* a new thread's start, applied at its first stop (nt_thread.c) */
	struct nt_object *self;    /* its thread object (one reference), signalled when it ends; NULL for the first */
	bool start_pending;
	bool terminating;          /* NtTerminateThread by another thread: it ends at its next stop in a service */
	ntstatus terminate_status;
	struct verdict *verdict;   /* while the event loop is in a hook of this thread's: where its decision goes */
	/* Suspension (nt_suspend.c): a suspended thread is held at its next stop, with how it would go on. */
	uint32_t suspend_count;
	bool held;
	struct verdict held_verdict;
	struct nt_apc *apcs;       /* user APCs queued (nt_apc.c) */
	int32_t base_priority;     /* NtSetInformationThread(ThreadBasePriority): the increment, -15..15 */
	bool ctx_override;         /* NtSetContextThread while it was held inside a service: its answer goes here */
	tracee_regs ctx_regs;
};

/* ---- The call primitives (nt_personality.c). */
/*
 * The thread ends now with status, from a stop in one of its services (a seccomp stop, or the exit of a
 * Linux call the personality wrote): its object signalled, then the Linux exit (nt_system.c).
 */
void nt_thread_end(struct tracee *t, ntstatus status);
void nt_done(struct tracee *t, ntstatus status);
/* The same, the thread going on with registers r (NtContinue), rax as r has it. */
void nt_done_with_regs(struct tracee *t, ntstatus status, const tracee_regs *r);
/* The thread goes on with registers r (stopped at the exit of the call they make when exit_stop): the
 * verdict of the hook the loop is in for it, or, for a thread held (a wait), released now. */
void nt_go_on(struct tracee *t, const tracee_regs *r, bool exit_stop);
/* The call is taken back, at its seccomp stop: the thread runs on from before its syscall instruction,
 * as Linux restarts a call a signal interrupted (a pending signal is delivered first). */
void nt_restart(struct tracee *t);
void nt_linux(struct tracee *t, nt_then_fn then, long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
	      uint64_t a4, uint64_t a5);
struct nt_call *nt_call_of(struct tracee *t);
/* The NT state of a thread (host_thread_state), NULL until nt_thread_of makes it; of a process that ends. */
static inline struct nt_thread *nt_thread_state(const struct tracee *t)
{
	return host_thread_state(t);
}

static inline struct nt_process *nt_process_state_of(const struct pico_process *p)
{
	return host_process_state_of(p);
}
struct nt_process *nt_process_of(struct tracee *t);

/* ---- Exceptions (nt_exception.c). */
/* A signal t stopped with, if the kernel raised it for a fault of the program's code (SIGSEGV, SIGBUS, SIGILL,
 * SIGFPE, SIGTRAP), delivered as an NT exception: true if the thread was taken (it is released, at
 * KiUserExceptionDispatcher or ending), false to deliver the signal as before. */
bool nt_exception_from_signal(struct tracee *t, int sig);
/* The NTSTATUS a signal that ends the process stands for in its report (0: none). */
uint32_t nt_exception_status_of_signal(int sig);
/* The process ends with status (its low byte the exit code), from a stop in one of t's services (nt_system.c). */
void nt_process_exit(struct tracee *t, ntstatus status);
struct nt_thread *nt_thread_of(struct tracee *t);
/* The program's memory: 0, or -EFAULT. */
int nt_get(struct tracee *t, uint64_t addr, void *buf, size_t len);
int nt_put(struct tracee *t, uint64_t addr, const void *buf, size_t len);
/* The highest user address + 1 (MmUserProbeAddress): a buffer reaching past it is STATUS_ACCESS_VIOLATION. */
#define NT_USER_LIMIT 0x7FFFFFFF0000ULL
/* May the program's out-parameter at addr be written (NT's ProbeForWrite, every page)? 0, or -EFAULT. */
int nt_probe_write(struct tracee *t, uint64_t addr, size_t len);
/* An IO_STATUS_BLOCK written as NT does (a bad pointer is the program's problem: ignored). */
void nt_put_iosb(struct tracee *t, uint64_t iosb, ntstatus status, uint64_t information);
/* Data the thread's Linux call reads, placed where no other thread can change it (scratch.h): its address, or 0. */
uint64_t nt_scratch_put(struct tracee *t, size_t off, const void *data, size_t len);
#define SCRATCH_SLOT_HALF (6 * 1024) /* where a call's second path goes in its slot (a path is at most 4096 bytes) */
/*
 * The thread's Linux calls on host names the supervisor resolved (absolute, without symlinks, nt_path.c)
 * follow no symlink either: one swapped in since the resolution fails them (ELOOP: STATUS_REPARSE_POINT_NOT_RESOLVED).
 * nt_open_beneath: openat2 of the whole name. nt_at_parents: the parent directories of a (and b) opened
 * the same way, op(t, ...) then runs its call relative to them with then = nt_at_done, and finished(t, ret)
 * gets its result once they are closed. Both: 0, or the status to end the call with.
 */
ntstatus nt_open_beneath(struct tracee *t, nt_then_fn then, const char *host, int flags, mode_t mode);
ntstatus nt_at_parents(struct tracee *t, const char *a, const char *b, nt_at_fn op, nt_then_fn finished, uint64_t arg);
void nt_at_done(struct tracee *t, long ret);
/* op for nt_at_parents: unlinkat of the final name, flags in arg (nt_file.c). */
void nt_unlink_at(struct tracee *t, uint64_t dir, uint64_t leaf, uint64_t dir_b, uint64_t leaf_b);
/* The thread's work area: writable memory for a Linux call's results (NT_WORK_SIZE bytes). */
uint64_t nt_work(struct tracee *t);

/* A UNICODE_STRING of the program at addr: its UTF-16 units (malloc'd, *n of them), or ACCESS_VIOLATION. */
ntstatus nt_get_ustr(struct tracee *t, uint64_t addr, uint16_t **units, size_t *n);
/*
 * The name in the OBJECT_ATTRIBUTES at oa_addr, when it has no RootDirectory
 * (devices and the system directory are named so): 0 with the units (the
 * caller frees them), ACCESS_VIOLATION, OBJECT_NAME_INVALID for a relative
 * one, or the name's own fault.
 */
ntstatus nt_oa_plain_name(struct tracee *t, uint64_t oa_addr, uint16_t **u, size_t *n);
/* Whether the units are name, ignoring ASCII case as object names do. */
bool nt_name_is(const uint16_t *u, size_t n, const char *name);
/* UTF-16 units as a malloc'd UTF-8 string (bytes that were not UTF-8 come back as they were). */
char *nt_units_utf8(const uint16_t *u, size_t n);

/* A timeout as NT gives it (nt_system.c): NULL waits forever, negative is relative, positive an absolute system time. */
struct nt_timeout {
	bool infinite;
	bool absolute;
	uint64_t ticks;            /* the relative length, or the absolute time (100 ns ticks) */
};
int nt_timeout_read(struct tracee *t, uint64_t ptr, struct nt_timeout *to); /* 0 or -EFAULT */

/* ---- Handles (nt_handles.c). */
struct nt_object *nt_object_new(enum nt_type type);
/* Put obj in the table with this access: the handle, or 0 when the table is full. */
uint32_t nt_handle_add(struct nt_process *p, struct nt_object *obj, uint32_t access);
/* Does handle h name the calling process (NtCurrentProcess(), or a handle to its process object)? */
bool nt_is_current_process(struct tracee *t, uint64_t h);
/* Give the program a handle to obj (written at out): STATUS_SUCCESS, or the table is full (obj freed if unreferenced). */
ntstatus nt_handle_give(struct tracee *t, struct nt_object *obj, uint32_t access, uint64_t out);
/* The object of handle h of type type (NT_TYPE_COUNT: any): STATUS_SUCCESS, INVALID_HANDLE or OBJECT_TYPE_MISMATCH. */
ntstatus nt_handle_get(struct nt_process *p, uint64_t h, enum nt_type type, struct nt_object **obj, uint32_t *access);
/* Take handle h out of the table: its object (whose refs the caller drops with nt_object_release), or NULL. */
struct nt_object *nt_handle_remove(struct nt_process *p, uint64_t h);
/* A handle marked HANDLE_FLAG_PROTECT_FROM_CLOSE: NtClose refuses it (STATUS_HANDLE_NOT_CLOSABLE). */
bool nt_handle_protected(struct nt_process *p, uint64_t h);
/* Drop a reference; true when it was the last (the caller frees what the object holds in the tracee). */
bool nt_object_release(struct nt_object *obj);
void nt_object_free(struct nt_object *obj);
const char *nt_type_name(enum nt_type type);

/* ---- Paths (nt_path.c). */
/* Read OBJECT_ATTRIBUTES at oa and resolve its name to a host path (malloc'd in *host). */
struct nt_lookup {
	char *host;                /* the host path: of the file, or where it would be created */
	char *nt_name;             /* \dir\file under its drive, for FileNameInformation */
	bool exists;
	bool is_dir;
	bool trailing_slash;
};
ntstatus nt_path_lookup(struct tracee *t, uint64_t oa, struct nt_lookup *out);
/* The same for a name already read (UTF-16 units), relative to root (a directory handle) when nonzero. */
ntstatus nt_path_resolve(struct tracee *t, uint64_t root, const uint16_t *u, size_t n, bool case_insensitive,
			 struct nt_lookup *out);
void nt_lookup_free(struct nt_lookup *l);
/* The drive letter a volume name ("Volume{...}" after \\??\\) stands for, and the units it takes; or 0. */
char nt_volume_drive(const uint16_t *u, size_t n, size_t *used);

/* ---- picovisor's system directory, C:\Windows\System32 (nt_sysdir.c): the DLLs embedded in picovisor. */
struct nt_sysdll {
	const char *name;          /* lower case, "kernel32.dll" */
	const unsigned char *data, *end;
};
/* The embedded DLL a name (UTF-16 units, no RootDirectory) stands for, or NULL. */
const struct nt_sysdll *nt_sysdll_find(const uint16_t *u, size_t n);
/* The same for the name in the OBJECT_ATTRIBUTES at oa (NULL when it is not one, or unreadable). */
const struct nt_sysdll *nt_sysdll_lookup(struct tracee *t, uint64_t oa);
/* A name directly in the system directory that is none of its DLLs, where the drive lacks the directory: its status, or 0. */
ntstatus nt_sysdir_absent(struct tracee *t, uint64_t oa, bool may_create);
/* Serve the open of one: the thread gets a sealed memfd holding it, the program a handle with access. */
void nt_sysdll_open(struct tracee *t, const struct nt_sysdll *d, uint64_t handle_out, uint32_t access, uint64_t iosb);

/* ---- KUSER_SHARED_DATA's clocks (nt_kuser.c). */
void nt_kuser_attach(struct tracee *t);         /* the process's page is mapped: keep it current */
void nt_gate_attach(struct tracee *t);          /* the gate page is mapped: NT's memory map shows it, fixed */
void nt_kuser_detach(struct nt_process *np);
void nt_kuser_touch(struct nt_process *np);     /* a call of the process: update if a millisecond has passed */
void nt_kuser_tick(void);                       /* the timer: update every process's */
bool nt_kuser_live(void);                       /* is any page kept current (the timer must run)? */
void nt_timer_rearm(void);                      /* the timer of waits and clocks runs as they need (nt_sync.c) */

/* ---- Time (nt_system.c). */
/* NtQueryInformationProcess(ProcessTimes) into buf of len bytes (nt_process_info.c); answers the call. */
void nt_process_times(struct tracee *t, uint64_t buf, uint32_t len, uint64_t retlen);
uint64_t nt_time_now(void);                 /* 100 ns ticks since 1601 */
uint64_t nt_time_of(int64_t sec, long nsec);

/* ---- The services: one per line of nt_services.def that is served. */
typedef void (*nt_serve_fn)(struct tracee *t);
#define NT_SERVICE(name, n19045, n22631, classes, ...) void nt_serve_##name(struct tracee *t);
#include "nt_services.def"
#undef NT_SERVICE

/* The files of the run (nt_file.c): a file object's last handle is gone; the thread closes its fd
 * (and removes the file if it is to be deleted), then the call answers STATUS_SUCCESS. */
void nt_file_closed(struct tracee *t, struct nt_object *obj);
void nt_file_forget(struct nt_object *obj);

/* Waits (nt_sync.c): objects changed, see who can go; a waiting thread vanished; a thread's mutants are abandoned. */
void nt_waits_recheck(void);
void nt_wait_cancel(struct tracee *t);
void nt_mutants_abandon(struct nt_process *p, pid_t tid);
/* The run's named objects (nt_names.c): the one of this name, or NULL; add (taking name); forget (when freed). */
struct nt_object *nt_named_find(const char *name);
void nt_named_add(char *name, struct nt_object *obj);
void nt_named_forget(struct nt_object *obj);
/* The bytes nt_named_add keeps for this name. */
size_t nt_named_cost(const char *name);
/*
 * What the supervisor keeps for a run's objects and names is counted, and a program's creation of an
 * object that would take the count beyond NT_KEPT_MAX is STATUS_INSUFFICIENT_RESOURCES (docs/nt.md).
 */
#define NT_KEPT_MAX ((size_t)64 << 20)
bool nt_kept_fits(size_t n);
void nt_kept_add(size_t n);
void nt_kept_sub(size_t n);
/* The event handle h (0: none) is set: an I/O's completion event. */
void nt_event_signal(struct tracee *t, uint64_t h);

/* New threads (nt_thread.c): the personality's task_created and task_start (true: held, created suspended). */
void nt_task_created(struct tracee *child, struct tracee *parent);
bool nt_task_start(struct tracee *child);

/*
 * Suspension (nt_suspend.c). nt_hold_if_suspended: the thread is about to go on with v; if it is
 * suspended it is held instead (true). nt_interrupted: the personality's interrupted hook. A thread
 * gone: whoever waits for it to stop is answered.
 */
bool nt_hold_if_suspended(struct tracee *t, const struct verdict *v);
bool nt_interrupted(struct tracee *t);
/* A suspension waits for this thread to be held (it must not park in a wait: nothing would hold it). */
bool nt_suspension_pending(struct tracee *t);
void nt_suspend_thread_gone(struct tracee *t);
/* Terminating a held thread: it is let go, to end at its next stop in a service. */
void nt_suspend_release_all(struct tracee *t);

/* User APCs (nt_apc.c): any queued; run the first now (the call in flight ends with STATUS_USER_APC);
 * forget them (the thread ended). nt_wait_alert: a thread parked in an alertable wait runs its APCs. */
bool nt_apc_pending(struct tracee *t);
void nt_apc_deliver(struct tracee *t);
void nt_apcs_free(struct tracee *t);
void nt_wait_alert(struct tracee *t);
/* NtDelayExecution with Alertable: a wait on nothing until the timeout (STATUS_SUCCESS) or an APC. */
void nt_wait_alertable_delay(struct tracee *t, uint64_t timeout);

/* Waits, shared with timers and completion ports: create an object (nt_sync.c's create_object),
 * a timeout as a monotonic deadline (0 none; -1 returned when already due; -EFAULT). */
void nt_create_object(struct tracee *t, enum nt_type type, void (*init)(struct nt_object *o, struct tracee *t));
int nt_deadline_of(struct tracee *t, uint64_t ptr, uint64_t *deadline);
/* Park t until the port has a packet (or the timeout): nt_iocp_deliver answers it. */
void nt_wait_for_packets(struct tracee *t, uint64_t port, uint64_t timeout, bool alertable);
/* Take back a parked wait: the thread is put before its syscall instruction, to make the call again. */
void nt_wait_take_back(struct tracee *t);
/* Timers (nt_timer.c): the earliest due (0: none), fire the due ones, forget a freed one. */
uint64_t nt_timers_next(void);
bool nt_timers_fire(uint64_t now);
void nt_timer_forget(struct nt_object *o);
/* Completion ports (nt_iocp.c). */
struct nt_io_completion;
bool nt_iocp_has_packet(const struct nt_object *o);
/* A wait on a port was satisfied: its packets go to the waiter's out-parameters; the call's status. */
ntstatus nt_iocp_deliver(struct tracee *t, struct nt_object *o);
void nt_iocp_free(struct nt_object *o);
/* An I/O on file object f finished: a packet to its port, if it has one and the call gave an ApcContext. */
/* Pipes (nt_pipe.c): an open of a pipe's name gives its client end (true: served, answered); a process's
 * ends not opened are forgotten when it ends. */
bool nt_pipe_open(struct tracee *t, uint64_t oa, uint64_t handle_out, uint32_t access, uint32_t share, uint32_t options,
		  uint64_t iosb);
void nt_pipes_forget(pid_t tgid);
/* FileCompletionInformation {Port, Key} at buf for file object f: the status. */
ntstatus nt_file_bind_port(struct tracee *t, struct nt_object *f, uint64_t buf, uint32_t len);
/* FileIoCompletionNotificationInformation (a ULONG of FILE_SKIP_* flags) at buf for file object f. */
ntstatus nt_file_completion_modes(struct tracee *t, struct nt_object *f, uint64_t buf, uint32_t len);
void nt_iocp_io_done(struct nt_object *f, uint64_t apc_context, ntstatus status, uint64_t information);

/* ThreadTimes of thread tid (0: ended at exit_time): KERNEL_USER_TIMES into out (nt_thread.c). */
void nt_thread_times(pid_t tgid, pid_t tid, uint64_t exit_time, unsigned char out[32]);

/* Another thread ends one that runs the program's code (nt_thread_stop.c): it is sent a signal, and at
 * that signal's stop sent to a system call, at whose stop it ends. nt_thread_stop_signal: the personality's
 * signal hook for it (the signal to deliver, 0, or -1 when it took the thread). */
void nt_thread_interrupt(struct tracee *target);
int nt_thread_stop_signal(struct tracee *t, int sig);

/* A thread of the process ended with status (nt_thread.c): its object is signalled. */
void nt_thread_exited(struct tracee *t, ntstatus status);

/* Trace decoding of NT arguments (nt_trace.c). */
void nt_trace_call(struct tracee *t, bool returned);

#endif
