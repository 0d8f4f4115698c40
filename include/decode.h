/*
 * Argument decoders: turn a system call's raw arguments and the tracee memory
 * they point to into trace values (include/trace_out.h), driven by the
 * argument kinds of the syscall table. Decoders never trust tracee memory:
 * an unreadable pointer is shown as its address.
 */
#ifndef PICOVISOR_DECODE_H
#define PICOVISOR_DECODE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "syscall_table.h"
#include "trace_out.h"

struct decode_ctx {
	pid_t tid;               /* whose memory and fds */
	int *pidfd;              /* the process's pidfd for socket lookups; opened on first need, -1 if none */
	enum abi abi;
	const struct syscall_entry *entry;
	uint64_t args[6];
	bool at_exit;            /* the call returned: ret is known and *_OUT kinds may be read */
	long ret;
	size_t strsize;          /* -s: bytes of a buffer shown */
};

/* The "args" object of a call record. */
void decode_args(struct tout *o, const struct decode_ctx *c);
/* Argument i alone, under another key if key is not NULL. */
void decode_arg(struct tout *o, const struct decode_ctx *c, int i, const char *key);
/* The return value ("ret", and "err" or "ret_target" as they apply; in text what follows " = "). */
void decode_return(struct tout *o, const struct decode_ctx *c);

/*
 * The Linux ABIs' decoder for the trace sink's call records (the two
 * functions of include/trace.h's struct trace_served; ctx: a struct
 * decode_record): the arguments as decoded at the call's entry when they
 * were (entry_args, written with a leading ", " or ","), else decoded now.
 */
struct decode_record {
	struct decode_ctx d;
	const char *entry_args;
	size_t entry_args_len;
	int created; /* an O_CREAT open made its file: 1, did not: 0, not known or no such call: -1 (JSON only) */
};
void decode_record_args(struct tout *o, void *record);
void decode_record_result(struct tout *o, void *record);

/* Single values, for records and events. */
void decode_fd(struct tout *o, const char *key, pid_t tid, int *pidfd, long fd);
/* What fd N of thread tid refers to, like strace -yy: a path, TCP:[a->b], pipe:[ino]... 0 or -errno. */
int fd_target(pid_t tid, int *pidfd, long fd, char *out, size_t size);
void decode_signal(struct tout *o, const char *key, long sig);
const char *signal_name(int sig, char *buf, size_t size);
const char *errno_name(int err, char *buf, size_t size);
void decode_wait_status(struct tout *o, const char *key, int status);
void decode_sockaddr(struct tout *o, const char *key, pid_t tid, uint64_t addr, long len);

/* Symbolic flags and enumerations (translate/decode/decode_flags.c). */
void decode_open_flags(struct tout *o, const char *key, uint64_t v);
void decode_fd_flags(struct tout *o, const char *key, uint64_t v);
void decode_mode(struct tout *o, const char *key, uint64_t v);
void decode_at_flags(struct tout *o, const char *key, uint64_t v, bool eaccess);
void decode_access_mode(struct tout *o, const char *key, uint64_t v);
void decode_prot(struct tout *o, const char *key, uint64_t v);
void decode_mmap_flags(struct tout *o, const char *key, uint64_t v);
void decode_clone_flags(struct tout *o, const char *key, uint64_t v);
void decode_clone3_flags(struct tout *o, const char *key, uint64_t v);
void decode_sock_domain(struct tout *o, const char *key, uint64_t v);
void decode_sock_type(struct tout *o, const char *key, uint64_t v);
void decode_msg_flags(struct tout *o, const char *key, uint64_t v);
void decode_ioctl_cmd(struct tout *o, const char *key, uint64_t v);
void decode_fcntl_cmd(struct tout *o, const char *key, uint64_t v);
void decode_prctl_option(struct tout *o, const char *key, uint64_t v);
void decode_whence(struct tout *o, const char *key, uint64_t v);
void decode_wait_options(struct tout *o, const char *key, uint64_t v);
void decode_rlimit_resource(struct tout *o, const char *key, uint64_t v);
void decode_sigmask_how(struct tout *o, const char *key, uint64_t v);
void decode_sa_flags(struct tout *o, const char *key, uint64_t v);
void decode_sigset(struct tout *o, const char *key, uint64_t set);
void decode_sock_proto(struct tout *o, const char *key, uint64_t domain, uint64_t v);
void decode_clockid(struct tout *o, const char *key, uint64_t v);
void decode_timer_flags(struct tout *o, const char *key, uint64_t v);
void decode_epoll_flags(struct tout *o, const char *key, uint64_t v);
void decode_epoll_op(struct tout *o, const char *key, uint64_t v);
void decode_epoll_events(struct tout *o, const char *key, uint64_t v);
void decode_poll_events(struct tout *o, const char *key, uint64_t v);
void decode_io_uring_setup_flags(struct tout *o, const char *key, uint64_t v);
void decode_io_uring_features(struct tout *o, const char *key, uint64_t v);
void decode_statx_mask(struct tout *o, const char *key, uint64_t v);
void decode_statx_attributes(struct tout *o, const char *key, uint64_t v);
void decode_statx_flags(struct tout *o, const char *key, uint64_t v);
void decode_tfd_flags(struct tout *o, const char *key, uint64_t v);
void decode_tfd_settime_flags(struct tout *o, const char *key, uint64_t v);
void decode_arch_prctl_code(struct tout *o, const char *key, uint64_t v);
void decode_getrandom_flags(struct tout *o, const char *key, uint64_t v);
void decode_mremap_flags(struct tout *o, const char *key, uint64_t v);
void decode_sock_flags(struct tout *o, const char *key, uint64_t v);
void decode_fadvise_advice(struct tout *o, const char *key, uint64_t v);
void decode_futex_op(struct tout *o, const char *key, uint64_t v);
void decode_termios_iflag(struct tout *o, const char *key, uint64_t v);
void decode_termios_oflag(struct tout *o, const char *key, uint64_t v);
void decode_termios_cflag(struct tout *o, const char *key, uint64_t v);
void decode_termios_lflag(struct tout *o, const char *key, uint64_t v);

/* A struct timespec in the tracee's memory (NULL as null). */
void decode_timespec_at(struct tout *o, const char *key, pid_t tid, uint64_t addr);
/* A string in the tracee's memory, cut at max bytes. */
void decode_string_at(struct tout *o, const char *key, pid_t tid, uint64_t addr, size_t max);

/* Arguments shaped by a command before them (translate/decode/decode_commands.c). */
bool decode_command_arg_shown(const struct decode_ctx *c, int i);
void decode_command_arg(struct tout *o, const struct decode_ctx *c, int i, const char *key);
bool decode_command_return(struct tout *o, const struct decode_ctx *c);
/* io_uring_setup's params, filled in by the call. */
void decode_io_uring_params(struct tout *o, const char *key, pid_t tid, uint64_t addr);

/* Socket options (translate/decode/decode_sockopt.c). */
void decode_sockopt_level(struct tout *o, const char *key, uint64_t level);
void decode_sockopt_name(struct tout *o, const char *key, uint64_t level, uint64_t name);
void decode_sockopt_value(struct tout *o, const char *key, pid_t tid, uint64_t addr, long len);

/* A msghdr's control messages (translate/decode/decode_cmsg.c). */
void decode_cmsgs(struct tout *o, const char *key, pid_t tid, uint64_t addr, uint64_t controllen);

/* Event structures (translate/decode/decode_events.c). */
void decode_epoll_event_at(struct tout *o, const char *key, pid_t tid, uint64_t addr);
void decode_epoll_event_array(struct tout *o, const char *key, pid_t tid, uint64_t addr, long count);
/* pollfd[count]: fd and events; with revents, the text form of the kernel's answer ([{fd=N, revents=...}]). */
void decode_fdset(struct tout *o, const char *key, pid_t tid, uint64_t addr, long nfds);
void decode_pollfds(struct tout *o, const char *key, pid_t tid, uint64_t addr, uint64_t count, bool revents);

#endif
