/*
 * Arguments whose meaning depends on a command word before them, as strace
 * shows them: fcntl's third argument by its command, ioctl's by its request,
 * prctl's arg2..arg5 by its option; and the results those commands return
 * as flags (F_GETFD, F_GETFL, PR_GET_DUMPABLE). A command picovisor does not
 * know keeps its argument in hex, as strace does.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <termios.h>

#include "decode.h"
#include "tracee.h"

enum shape {
	SHOW_NONE,    /* the command takes no argument: strace leaves it out */
	SHOW_HEX,     /* not decoded */
	SHOW_INT,     /* a value in the register, decimal */
	SHOW_ULONG,
	SHOW_FD_FLAGS,
	SHOW_OPEN_FLAGS,
	SHOW_SIGNAL,
	SHOW_INT_IN,  /* an int passed through a pointer: [N] */
	SHOW_INT_OUT, /* an int filled in through a pointer */
	SHOW_FLOCK,   /* struct flock passed in */
	SHOW_TERMIOS_IN,
	SHOW_TERMIOS_OUT,
	SHOW_WINSIZE_IN,
	SHOW_WINSIZE_OUT,
	SHOW_STRING_IN,
	SHOW_STRING_OUT,
	SHOW_DUMPABLE,
	SHOW_TIMESPEC, /* a timeout passed in */
	SHOW_BITSET,   /* futex's val3 as a bitset: FUTEX_BITSET_MATCH_ANY */
	SHOW_ADDR,     /* an address, not followed */
};

static enum shape fcntl_shape(int cmd)
{
	switch (cmd) {
	case F_GETFD:
	case F_GETFL:
	case F_GETOWN:
	case F_GETSIG:
	case F_GETLEASE:
	case F_GETPIPE_SZ:
	case F_GET_SEALS:
		return SHOW_NONE;
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
	case F_SETOWN:
	case F_SETPIPE_SZ:
		return SHOW_INT;
	case F_SETFD:
		return SHOW_FD_FLAGS;
	case F_SETFL:
		return SHOW_OPEN_FLAGS;
	case F_SETSIG:
		return SHOW_SIGNAL;
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return SHOW_FLOCK;
	default:
		return SHOW_HEX;
	}
}

static enum shape ioctl_shape(unsigned req)
{
	switch (req) {
	case FIOCLEX:
	case FIONCLEX:
	case TIOCNOTTY:
	case TIOCEXCL:
	case TIOCNXCL:
		return SHOW_NONE;
	case FIONREAD:
	case TIOCOUTQ:
	case TIOCGPTN:
	case TIOCGETD:
	case TIOCGPGRP:
	case TIOCGSID:
	case TIOCMGET:
		return SHOW_INT_OUT;
	case FIONBIO:
	case FIOASYNC:
	case TIOCSPTLCK:
	case TIOCSPGRP:
	case TIOCSETD:
	case TIOCMSET:
		return SHOW_INT_IN;
	case TCGETS:
		return SHOW_TERMIOS_OUT;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return SHOW_TERMIOS_IN;
	case TIOCGWINSZ:
		return SHOW_WINSIZE_OUT;
	case TIOCSWINSZ:
		return SHOW_WINSIZE_IN;
	default:
		return SHOW_HEX;
	}
}

/* prctl: the shape of argument n (2..5) for an option; strace shows arguments up to the first SHOW_NONE. */
static enum shape prctl_shape(int option, int n)
{
	switch (option) {
	case PR_GET_DUMPABLE:
	case PR_GET_KEEPCAPS:
	case PR_GET_SECCOMP:
	case PR_GET_TIMERSLACK:
		return SHOW_NONE;
	case PR_SET_NAME:
		return n == 2 ? SHOW_STRING_IN : SHOW_NONE;
	case PR_GET_NAME:
		return n == 2 ? SHOW_STRING_OUT : SHOW_NONE;
	case PR_SET_DUMPABLE:
		return n == 2 ? SHOW_DUMPABLE : SHOW_NONE;
	case PR_SET_PDEATHSIG:
		return n == 2 ? SHOW_SIGNAL : SHOW_NONE;
	case PR_SET_KEEPCAPS:
	case PR_SET_CHILD_SUBREAPER:
	case PR_SET_TIMERSLACK:
		return n == 2 ? SHOW_ULONG : SHOW_NONE;
	case PR_SET_NO_NEW_PRIVS:
	case PR_SET_THP_DISABLE:
		return n == 2 ? SHOW_ULONG : SHOW_HEX;
	default:
		return SHOW_HEX;
	}
}

/* futex: the shape of argument i (2 val, 3 utime, 4 uaddr2, 5 val3) for an operation, as strace shows them. */
static enum shape futex_shape(unsigned op, int i)
{
	enum { VAL = 2, UTIME, UADDR2, VAL3 };

	switch (op & 127) {
	case 0: /* FUTEX_WAIT */
		return i == VAL ? SHOW_ULONG : i == UTIME ? SHOW_TIMESPEC : SHOW_NONE;
	case 1: /* FUTEX_WAKE */
	case 2: /* FUTEX_FD */
		return i == VAL ? SHOW_ULONG : SHOW_NONE;
	case 3: /* FUTEX_REQUEUE */
		return i == VAL || i == UTIME ? SHOW_ULONG : i == UADDR2 ? SHOW_ADDR : SHOW_NONE;
	case 4:  /* FUTEX_CMP_REQUEUE */
	case 12: /* FUTEX_CMP_REQUEUE_PI */
		return i == VAL || i == UTIME || i == VAL3 ? SHOW_ULONG : SHOW_ADDR;
	case 6:  /* FUTEX_LOCK_PI */
	case 13: /* FUTEX_LOCK_PI2 */
		return i == UTIME ? SHOW_TIMESPEC : SHOW_NONE;
	case 7: /* FUTEX_UNLOCK_PI */
	case 8: /* FUTEX_TRYLOCK_PI */
		return SHOW_NONE;
	case 9: /* FUTEX_WAIT_BITSET */
		return i == VAL ? SHOW_ULONG : i == UTIME ? SHOW_TIMESPEC : i == VAL3 ? SHOW_BITSET : SHOW_NONE;
	case 10: /* FUTEX_WAKE_BITSET */
		return i == VAL ? SHOW_ULONG : i == VAL3 ? SHOW_BITSET : SHOW_NONE;
	case 11: /* FUTEX_WAIT_REQUEUE_PI */
		return i == VAL ? SHOW_ULONG : i == UTIME ? SHOW_TIMESPEC : i == UADDR2 ? SHOW_ADDR : SHOW_NONE;
	default: /* FUTEX_WAKE_OP and unknown operations: every argument, in hex */
		return SHOW_HEX;
	}
}

static enum shape shape_of(const struct decode_ctx *c, int i)
{
	uint8_t kind = c->entry->args[i].kind;

	if (kind == K_FCNTL_ARG && i > 0 && c->entry->args[i - 1].kind == K_FCNTL_CMD)
		return fcntl_shape((int)c->args[i - 1]);
	if (kind == K_IOCTL_ARG && i > 0 && c->entry->args[i - 1].kind == K_IOCTL_CMD)
		return ioctl_shape((unsigned)c->args[i - 1]);
	if (kind == K_FUTEX_ARG && i >= 2 && c->entry->args[1].kind == K_FUTEX_OP)
		return futex_shape((unsigned)c->args[1], i);
	if (kind == K_MREMAP_ADDR && i > 0 && c->entry->args[i - 1].kind == K_MREMAP_FLAGS)
		return (c->args[i - 1] & 3) == 3 ? SHOW_HEX : SHOW_NONE; /* MREMAP_MAYMOVE|MREMAP_FIXED */
	if (kind == K_PRCTL_ARG && c->entry->args[0].kind == K_PRCTL_OPTION) {
		/* once one argument is left out, so are the ones after it */
		for (int k = 1; k < i; k++)
			if (prctl_shape((int)c->args[0], k + 1) == SHOW_NONE)
				return SHOW_NONE;
		return prctl_shape((int)c->args[0], i + 1);
	}
	return SHOW_HEX;
}

bool decode_command_arg_shown(const struct decode_ctx *c, int i)
{
	return shape_of(c, i) != SHOW_NONE;
}

static void put_int_in_brackets(struct tout *o, const char *key, pid_t tid, uint64_t addr)
{
	int v;

	if (addr == 0 || tracee_read(tid, addr, &v, sizeof(v)) < 0) {
		addr ? tout_hex(o, key, addr) : tout_null(o, key);
		return;
	}
	tout_begin_array(o, key);
	tout_int(o, NULL, v);
	tout_end_array(o);
}

static void put_winsize(struct tout *o, const char *key, pid_t tid, uint64_t addr)
{
	struct winsize ws;

	if (addr == 0 || tracee_read(tid, addr, &ws, sizeof(ws)) < 0) {
		addr ? tout_hex(o, key, addr) : tout_null(o, key);
		return;
	}
	tout_begin_object(o, key, false);
	tout_uint(o, "ws_row", ws.ws_row);
	tout_uint(o, "ws_col", ws.ws_col);
	tout_uint(o, "ws_xpixel", ws.ws_xpixel);
	tout_uint(o, "ws_ypixel", ws.ws_ypixel);
	tout_end_object(o);
}

static void put_flock(struct tout *o, const char *key, pid_t tid, uint64_t addr)
{
	static const char *const types[] = { "F_RDLCK", "F_WRLCK", "F_UNLCK" };
	static const char *const whence[] = { "SEEK_SET", "SEEK_CUR", "SEEK_END" };
	struct flock fl;

	if (addr == 0 || tracee_read(tid, addr, &fl, sizeof(fl)) < 0) {
		addr ? tout_hex(o, key, addr) : tout_null(o, key);
		return;
	}
	tout_begin_object(o, key, false);
	if (fl.l_type >= 0 && fl.l_type < 3)
		tout_symbol(o, "l_type", types[fl.l_type]);
	else
		tout_int(o, "l_type", fl.l_type);
	if (fl.l_whence >= 0 && fl.l_whence < 3)
		tout_symbol(o, "l_whence", whence[fl.l_whence]);
	else
		tout_int(o, "l_whence", fl.l_whence);
	tout_int(o, "l_start", fl.l_start);
	tout_int(o, "l_len", fl.l_len);
	tout_end_object(o);
}

/* The kernel's struct termios begins with the four flag words; strace shows them and "..." without -v. */
static void put_termios(struct tout *o, const char *key, pid_t tid, uint64_t addr)
{
	uint32_t f[4];

	if (addr == 0 || tracee_read(tid, addr, f, sizeof(f)) < 0) {
		addr ? tout_hex(o, key, addr) : tout_null(o, key);
		return;
	}
	tout_begin_object(o, key, false);
	decode_termios_iflag(o, "c_iflag", f[0]);
	decode_termios_oflag(o, "c_oflag", f[1]);
	decode_termios_cflag(o, "c_cflag", f[2]);
	decode_termios_lflag(o, "c_lflag", f[3]);
	if (o->fmt == FORMAT_TEXT)
		tout_symbol(o, NULL, "...");
	tout_end_object(o);
}

static void put_dumpable(struct tout *o, const char *key, uint64_t v)
{
	static const char *const names[] = { "SUID_DUMP_DISABLE", "SUID_DUMP_USER", "SUID_DUMP_ROOT" };

	if (v < sizeof(names) / sizeof(names[0]))
		tout_symbol(o, key, names[v]);
	else
		tout_uint(o, key, v);
}

void decode_command_arg(struct tout *o, const struct decode_ctx *c, int i, const char *key)
{
	uint64_t v = c->args[i];
	bool filled = c->at_exit && c->ret >= 0; /* memory the call wrote holds its answer */

	switch (shape_of(c, i)) {
	case SHOW_NONE:
		return;
	case SHOW_HEX:
		tout_hex(o, key, v);
		return;
	case SHOW_INT:
		tout_int(o, key, (int)v);
		return;
	case SHOW_ULONG:
		tout_uint(o, key, v);
		return;
	case SHOW_FD_FLAGS:
		if (v == FD_CLOEXEC)
			tout_symbol(o, key, "FD_CLOEXEC");
		else
			tout_hex(o, key, v);
		return;
	case SHOW_OPEN_FLAGS:
		decode_open_flags(o, key, v);
		return;
	case SHOW_SIGNAL:
		decode_signal(o, key, (long)(int)v);
		return;
	case SHOW_INT_IN:
		put_int_in_brackets(o, key, c->tid, v);
		return;
	case SHOW_INT_OUT:
		if (filled)
			put_int_in_brackets(o, key, c->tid, v);
		else
			tout_hex(o, key, v);
		return;
	case SHOW_FLOCK:
		put_flock(o, key, c->tid, v);
		return;
	case SHOW_TERMIOS_IN:
		put_termios(o, key, c->tid, v);
		return;
	case SHOW_TERMIOS_OUT:
		if (filled)
			put_termios(o, key, c->tid, v);
		else
			tout_hex(o, key, v);
		return;
	case SHOW_WINSIZE_IN:
		put_winsize(o, key, c->tid, v);
		return;
	case SHOW_WINSIZE_OUT:
		if (filled)
			put_winsize(o, key, c->tid, v);
		else
			tout_hex(o, key, v);
		return;
	case SHOW_STRING_IN:
		decode_string_at(o, key, c->tid, v, c->strsize);
		return;
	case SHOW_STRING_OUT:
		if (filled)
			decode_string_at(o, key, c->tid, v, c->strsize);
		else
			tout_hex(o, key, v);
		return;
	case SHOW_DUMPABLE:
		put_dumpable(o, key, v);
		return;
	case SHOW_TIMESPEC:
		decode_timespec_at(o, key, c->tid, v);
		return;
	case SHOW_BITSET:
		if ((uint32_t)v == 0xffffffffu)
			tout_symbol(o, key, "FUTEX_BITSET_MATCH_ANY");
		else
			tout_hex(o, key, (uint32_t)v);
		return;
	case SHOW_ADDR:
		v ? tout_hex(o, key, v) : tout_null(o, key);
		return;
	}
}

/* Text: a successful result that strace shows with its flags: "0x8002 (flags O_RDWR|O_LARGEFILE)". */
bool decode_command_return(struct tout *o, const struct decode_ctx *c)
{
	struct tout t;
	int cmd;

	if (c->ret < 0)
		return false;
	tout_init(&t, o->b, FORMAT_TEXT);
	if (syscall_nargs(c->entry) > 1 && c->entry->args[1].kind == K_FCNTL_CMD) {
		cmd = (int)c->args[1];
		if (cmd == F_GETFL) {
			sb_printf(o->b, "%#lx (flags ", c->ret);
			decode_open_flags(&t, NULL, (uint64_t)c->ret);
			sb_putc(o->b, ')');
			return true;
		}
		if (cmd == F_GETFD) {
			sb_printf(o->b, "%#lx%s", c->ret, c->ret & FD_CLOEXEC ? " (flags FD_CLOEXEC)" : "");
			return true;
		}
		return false;
	}
	if (c->entry->args[0].kind == K_PRCTL_OPTION && (int)c->args[0] == PR_GET_DUMPABLE) {
		sb_printf(o->b, "%ld (", c->ret);
		put_dumpable(&t, NULL, (uint64_t)c->ret);
		sb_putc(o->b, ')');
		return true;
	}
	return false;
}
