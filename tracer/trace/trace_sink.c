/* The trace sink of include/trace.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arch.h"
#include "decode.h"
#include "../run/event_loop.h"
#include "nt.h"
#include "../run/options.h"
#include "personality.h"
#include "summary_table.h"
#include "trace.h"
#include "trace_outputs.h"
#include "trace_paths.h"
#include "util.h"

struct trace_call {
	bool active;
	enum abi abi;
	long nr;                /* -1 until known (read at exit for trace-only stops) */
	bool have_args;
	uint64_t args[6];
	uint64_t t0;            /* ns since the start of the run */
	struct timespec t0_fs;  /* the file systems' clock at entry: "created" compares birth times with it */
	bool have_ret;          /* trace_call_end read the result: trace_call_last tells it */
	long ret;
	struct strbuf entry_args; /* "args" decoded at entry: memory an exec replaces */
	struct strbuf argv;       /* the exec's argv, for its exec event */
	bool path_hit;            /* -P: the call touched a selected path at its entry (an fd it closes, an exec's path) */
};

static struct {
	bool on;
	int fd;                 /* where records go */
	bool line_by_line;      /* standard error, shared with the program: each record at once */
	struct strbuf pending;  /* records not yet written (up to 1 MiB to a file) */
	int write_errno;        /* the first write that failed */
	enum trace_format fmt;
	size_t strsize;
	struct trace_selection sel;
	uint64_t start_ns;
	uint64_t seq;
	struct strbuf rec;
	/* strace's text flags (docs/trace.md) */
	int summary;            /* -c 1: the table alone; -C 2: the table after the lines */
	struct summary_table table;
	int timestamps;         /* -t 1, -tt 2, -ttt 3: the wall clock at each call's entry */
	bool relative;          /* -r: the time since the previous line's */
	uint64_t last_line_ns;
	bool syscall_times;     /* -T */
	enum tout_fd_detail fd_detail; /* -y, -yy */
	bool no_abbrev;
	const char *per_process; /* -ff: the -o FILE each process's FILE.PID is named after */
	bool append;             /* -A */
	bool numbers;            /* -n */
	enum summary_sort sort;  /* -S */
	int64_t realtime_offset; /* CLOCK_REALTIME minus monotonic_ns() at the start, for -t */
} sink;

bool trace_enabled(void)
{
	return sink.on;
}

const struct trace_selection *trace_selection(void)
{
	return sink.on ? &sink.sel : NULL;
}

static void begin_record(struct tout *o, const char *type, const struct tracee *t, uint64_t at)
{
	sink.rec.len = 0;
	tout_init(o, &sink.rec, FORMAT_JSONL);
	tout_begin_object(o, NULL, false);
	tout_int(o, "v", TRACE_FORMAT_VERSION);
	tout_symbol(o, "type", type);
	tout_uint(o, "seq", ++sink.seq);
	{
		char ts[32];
		uint64_t rel = at - sink.start_ns;
		snprintf(ts, sizeof(ts), "%llu.%06llu", (unsigned long long)(rel / 1000000000u),
			 (unsigned long long)(rel % 1000000000u / 1000u));
		/* a JSON number written with exactly microseconds */
		sb_printf(&sink.rec, ",\"t\":%s", ts);
	}
	if (t) {
		tout_int(o, "pid", t->proc ? t->proc->vpid : 0);
		tout_int(o, "tid", t->vtid);
		tout_int(o, "hpid", t->proc ? t->proc->tgid : t->tid);
		tout_int(o, "htid", t->tid);
	}
}

/*
 * Write what is pending. The supervisor's signals (forwarding, the
 * co-scheduling timer) may interrupt a write: go on where it stopped.
 */
static void flush_pending(void)
{
	size_t done = 0;

	while (done < sink.pending.len && !sink.write_errno) {
		ssize_t n = write(sink.fd, sink.pending.data + done, sink.pending.len - done);

		if (n > 0)
			done += (size_t)n;
		else if (n < 0 && errno != EINTR)
			sink.write_errno = errno;
	}
	sink.pending.len = 0;
}

static void put_record(const struct strbuf *b)
{
	sb_put(&sink.pending, b->data, b->len);
	if (sink.line_by_line || sink.pending.len >= (1u << 20))
		flush_pending();
}

static void end_record(struct tout *o)
{
	tout_end_object(o);
	sb_putc(&sink.rec, '\n');
	put_record(&sink.rec);
}

/* -t, -tt, -ttt and -r: when the line's call (or event) began, as strace writes it. */
static void text_time(struct strbuf *b, uint64_t at)
{
	if (sink.timestamps) {
		int64_t wall = sink.realtime_offset + (int64_t)at;
		time_t sec = (time_t)(wall / 1000000000);
		long usec = (long)(wall % 1000000000 / 1000);
		struct tm tm;
		char hms[32];

		if (sink.timestamps >= 3) {
			sb_printf(b, "%lld.%06ld ", (long long)sec, usec);
		} else {
			localtime_r(&sec, &tm);
			strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
			if (sink.timestamps == 2)
				sb_printf(b, "%s.%06ld ", hms, usec);
			else
				sb_printf(b, "%s ", hms);
		}
	}
	if (sink.relative) {
		uint64_t d = sink.last_line_ns && at > sink.last_line_ns ? at - sink.last_line_ns : 0;

		sb_printf(b, "%6llu.%06llu ", (unsigned long long)(d / 1000000000u),
			  (unsigned long long)(d % 1000000000u / 1000u));
		if (at > sink.last_line_ns)
			sink.last_line_ns = at;
	}
}

/*
 * Text lines start like strace -f's: which process (and thread) made the call,
 * then the time the flags ask for. false: no line is written (-c: the table alone).
 * With -ff a process's own file needs no pid: its threads' lines name the thread.
 */
static bool text_prefix(struct strbuf *b, const struct tracee *t, uint64_t at)
{
	int vpid = t->proc ? t->proc->vpid : 0;

	b->len = 0;
	if (sink.summary == 1)
		return false;
	if (sink.per_process) {
		if (t->vtid != vpid)
			sb_printf(b, "[tid %d] ", t->vtid);
	} else if (t->vtid == vpid) {
		sb_printf(b, "[pid %d] ", vpid);
	} else {
		sb_printf(b, "[pid %d tid %d] ", vpid, t->vtid);
	}
	text_time(b, at);
	return true;
}

static void text_write(struct strbuf *b, const struct tracee *t)
{
	sb_putc(b, '\n');
	if (sink.per_process) {
		int fd = trace_output_process_fd(sink.per_process, t->proc ? t->proc->tgid : t->tid, sink.append);
		size_t done = 0;

		while (fd >= 0 && done < b->len) {
			ssize_t n = write(fd, b->data + done, b->len - done);

			if (n > 0) {
				done += (size_t)n;
			} else if (n < 0 && errno != EINTR) {
				if (!sink.write_errno)
					sink.write_errno = errno; /* said at the end, as for the one output */
				break;
			}
		}
		return;
	}
	put_record(b);
}

/* A text tout for a call's arguments or result, abbreviated as -y, -yy and --no-abbrev say. */
static void text_tout_init(struct tout *o, struct strbuf *b, enum trace_format fmt)
{
	tout_init(o, b, fmt);
	o->fd_detail = sink.fd_detail;
	o->no_abbrev = sink.no_abbrev;
}

void trace_open(const struct run_options *o)
{
	char err[256];

	if (!o->tracing)
		return;
	trace_selection_all(&sink.sel);
	for (int i = 0; i < o->trace_nexprs; i++)
		if (trace_selection_apply(&sink.sel, o->trace_exprs[i], err, sizeof(err)) < 0)
			die_status(EXIT_PV_FAILED, "bad -e expression '%s': %s", o->trace_exprs[i], err);
	sink.fmt = o->trace_format;
	sink.strsize = o->trace_strsize;
	sink.summary = o->summary;
	sink.timestamps = o->timestamps;
	sink.relative = o->relative_times;
	sink.syscall_times = o->syscall_times;
	sink.fd_detail = o->fd_detail >= 2 ? TOUT_FD_ENDPOINTS : o->fd_detail == 1 ? TOUT_FD_PATH : TOUT_FD_NUMBER;
	sink.no_abbrev = o->no_abbrev;
	trace_paths_set(o->trace_paths, o->ntrace_paths);
	/* -ff: the lines go to each process's file; the summary (-C) to standard error */
	sink.per_process = o->per_process_files ? o->trace_output : NULL;
	sink.append = o->trace_append;
	sink.numbers = o->syscall_numbers;
	sink.sort = (enum summary_sort)o->summary_sort;
	sink.fd = trace_output_open(o->per_process_files ? NULL : o->trace_output, sink.append, &sink.line_by_line);
	sink.on = true;
	sink.start_ns = monotonic_ns();
	{
		struct timespec now;

		clock_gettime(CLOCK_REALTIME, &now);
		sink.realtime_offset = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec - (int64_t)sink.start_ns;
	}
	if (sink.fmt == FORMAT_JSONL) {
		struct tout out;
		char cwd[PATH_MAX];

		begin_record(&out, "start", NULL, sink.start_ns);
		tout_symbol(&out, "format", "picovisor-trace");
		tout_symbol(&out, "personality", o->personality);
		tout_begin_array(&out, "argv");
		for (char **a = o->argv; a && *a; a++)
			tout_string(&out, NULL, *a);
		tout_end_array(&out);
		if (o->nattach) { /* trace -p: running processes, their pids the real ones */
			tout_begin_array(&out, "attached");
			for (int i = 0; i < o->nattach; i++)
				tout_int(&out, NULL, o->attach_pids[i]);
			tout_end_array(&out);
		}
		if (getcwd(cwd, sizeof(cwd)))
			tout_string(&out, "cwd", cwd);
		tout_int(&out, "strsize", (long long)sink.strsize);
		end_record(&out);
	}
}

void trace_close(int main_status)
{
	if (!sink.on)
		return;
	if (sink.fmt == FORMAT_JSONL) {
		struct tout out;

		begin_record(&out, "end", NULL, monotonic_ns());
		decode_wait_status(&out, "status", main_status);
		end_record(&out);
	}
	if (sink.summary) {
		FILE *f = fdopen(dup(sink.fd), "w");

		flush_pending();
		if (f) {
			if (sink.summary == 2 && !sink.per_process)
				fputc('\n', f);
			summary_table_print(f, &sink.table, sink.sort);
			fclose(f);
		}
		summary_table_free(&sink.table);
	}
	flush_pending();
	if (sink.write_errno)
		warn("writing the trace failed: %s; it is incomplete", strerror(sink.write_errno));
	trace_output_close(sink.fd);
	trace_output_process_close_all();
	sink.on = false;
	sb_free(&sink.rec);
	sb_free(&sink.pending);
}

/* A call's duration in seconds with microseconds, between before and after, in the record being built. */
static void put_duration(const char *before, uint64_t ns, const char *after)
{
	sb_printf(&sink.rec, "%s%llu.%06llu%s", before, (unsigned long long)(ns / 1000000000u),
		  (unsigned long long)(ns % 1000000000u / 1000u), after);
}

static struct trace_call *call_of(struct tracee *t)
{
	if (!t->call)
		t->call = xcalloc(1, sizeof(*t->call));
	return t->call;
}

bool trace_call_active(const struct tracee *t)
{
	return t->call && t->call->active;
}

void trace_call_free(struct tracee *t)
{
	if (!t->call)
		return;
	sb_free(&t->call->entry_args);
	sb_free(&t->call->argv);
	free(t->call);
	t->call = NULL;
}

static const struct syscall_entry *entry_of(enum abi abi, long nr)
{
	return nr >= 0 && nr < INT_MAX ? syscall_lookup(abi, (int)nr) : NULL;
}

void trace_call_begin(struct tracee *t, enum abi abi, const tracee_regs *regs)
{
	struct trace_call *c = call_of(t);
	const struct syscall_entry *e;

	if (c->active)
		trace_call_abandon(t);
	c->active = true;
	c->have_ret = false;
	c->abi = abi;
	c->nr = -1;
	c->have_args = false;
	c->entry_args.len = 0;
	c->argv.len = 0;
	c->path_hit = false;
	c->t0 = monotonic_ns();
	clock_gettime(CLOCK_REALTIME_COARSE, &c->t0_fs);
	if (!regs)
		return;
	c->nr = regs_syscall_nr(regs);
	c->have_args = true;
	for (int i = 0; i < 6; i++)
		c->args[i] = regs_arg(regs, abi, i);
	e = entry_of(abi, c->nr);
	if (e && trace_paths_active() && syscall_decoded_at_entry(e))
		c->path_hit = trace_paths_touched(t->tid, e, c->args, false, 0); /* what the call destroys */
	if (e && syscall_decoded_at_entry(e)) {
		/* What the call destroys (the image, the fd) must be described now. */
		struct decode_ctx d = {
			.tid = t->tid, .pidfd = &t->proc->pidfd, .abi = abi, .entry = e, .strsize = sink.strsize,
		};
		struct tout o;

		memcpy(d.args, c->args, sizeof(d.args));
		text_tout_init(&o, &c->entry_args, sink.fmt);
		o.need_comma[0] = true; /* it follows other members of the record */
		decode_args(&o, &d);
		/* The exec event repeats argv (the first K_ARGV argument). */
		for (int i = 0; i < syscall_nargs(e); i++)
			if (e->args[i].kind == K_ARGV) {
				tout_init(&o, &c->argv, FORMAT_JSONL);
				o.need_comma[0] = true;
				decode_arg(&o, &d, i, "argv");
				break;
			}
	}
}

static bool status_selected(bool returned, long ret)
{
	unsigned s = !returned ? STATUS_UNFINISHED : (ret < 0 && ret >= -4095) ? STATUS_FAILED : STATUS_SUCCESSFUL;

	return (sink.sel.status & s) != 0;
}

/* The name a record gives a call's ABI ("abi" is left out for the native one). */
static const char *record_abi_name(enum abi abi)
{
	const struct arch_abi *a = arch_abi_info(abi);

	return a ? a->name : abi_name(abi);
}

/*
 * One call record, whatever the ABI: the framing (an strace-like text line or a
 * JSON object, docs/trace-format.md) is written here alone; the ABI's decoder
 * (c->args, c->result) writes the arguments and the result.
 */
static void write_call(struct tracee *t, const struct trace_served *c, uint64_t end)
{
	struct tout o;

	if (sink.fmt == FORMAT_TEXT) {
		if (sink.summary)
			summary_table_add(&sink.table, c->name, c->returned && c->failed, (double)(end - c->t0) / 1e9);
		if (!text_prefix(&sink.rec, t, c->t0))
			return;
		if (sink.numbers)
			sb_printf(&sink.rec, "[%4ld] ", c->nr);
		sb_puts(&sink.rec, c->name);
		sb_putc(&sink.rec, '(');
		text_tout_init(&o, &sink.rec, FORMAT_TEXT);
		c->args(&o, c->ctx);
		sb_puts(&sink.rec, ") = ");
		if (c->returned) {
			text_tout_init(&o, &sink.rec, FORMAT_TEXT);
			c->result(&o, c->ctx);
		} else {
			sb_puts(&sink.rec, "?");
		}
		if (sink.syscall_times)
			put_duration(" <", end - c->t0, ">");
		text_write(&sink.rec, t);
		return;
	}
	begin_record(&o, "syscall", t, end);
	put_duration(",\"dur\":", end - c->t0, "");
	tout_symbol(&o, "pers", t->proc->pers->name);
	if (c->abi != ABI_NATIVE)
		tout_symbol(&o, "abi", record_abi_name(c->abi));
	tout_symbol(&o, "name", c->name);
	tout_int(&o, "nr", c->nr);
	c->args(&o, c->ctx);
	if (c->returned)
		c->result(&o, c->ctx);
	else
		tout_null(&o, "ret");
	end_record(&o);
}

/*
 * Whether a successful open with O_CREAT made its file: with O_EXCL it did;
 * otherwise the file's birth time, which the kernel takes from the same
 * coarse clock, is not before the call's entry. Not known (-1) where the
 * file system keeps no birth time. Asked with AT_STATX_DONT_SYNC, so a file
 * system the program serves (FUSE) is never waited for.
 */
static int open_created(const struct tracee *t, const struct syscall_entry *e, const uint64_t *args, long fd,
			const struct timespec *entry)
{
	uint64_t flags = (e->flags & SC_CREAT) ? O_CREAT : 0;
	struct statx stx;
	char path[64];

	for (int i = 0; i < syscall_nargs(e); i++)
		if (e->args[i].kind == K_OPEN_FLAGS)
			flags = args[i];
	if (!(flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE || fd < 0)
		return -1;
	if (flags & O_EXCL)
		return 1;
	snprintf(path, sizeof(path), "/proc/%d/fd/%ld", t->tid, fd);
	if (statx(AT_FDCWD, path, AT_STATX_DONT_SYNC, STATX_BTIME, &stx) < 0 || !(stx.stx_mask & STATX_BTIME))
		return -1;
	return stx.stx_btime.tv_sec > entry->tv_sec ||
	       (stx.stx_btime.tv_sec == entry->tv_sec && stx.stx_btime.tv_nsec >= (uint32_t)entry->tv_nsec);
}

static void emit_call(struct tracee *t, bool returned, long ret, const tracee_regs *exit_regs)
{
	struct trace_call *c = t->call;
	struct syscall_entry unknown = { .name = NULL };
	const struct syscall_entry *e;
	uint64_t end = monotonic_ns();
	char name[32];
	/* The Linux ABIs' decoder (translate/decode/): the table's argument kinds, or what was decoded at entry. */
	struct decode_record rec = {
		.d = { .tid = t->tid, .pidfd = &t->proc->pidfd, .abi = c->abi, .at_exit = returned, .ret = ret,
		       .strsize = sink.strsize },
		.entry_args = c->entry_args.data, .entry_args_len = c->entry_args.len, .created = -1,
	};
	struct trace_served record = {
		.abi = c->abi, .nr = c->nr, .t0 = c->t0, .returned = returned,
		.args = decode_record_args, .result = decode_record_result, .ctx = &rec,
	};

	c->active = false;
	if (!status_selected(returned, ret))
		return;
	e = entry_of(c->abi, c->nr);
	if (!e) {
		snprintf(name, sizeof(name), "syscall_%ld", c->nr);
		unknown.nr = (int)c->nr;
		unknown.name = name;
		unknown.ret = R_INT;
		for (int i = 0; i < 6; i++)
			unknown.args[i] = (struct syscall_arg){ K_HEX, (const char *[]){ "a0", "a1", "a2", "a3", "a4", "a5" }[i] };
		e = &unknown;
	}
	rec.d.entry = e;
	record.name = e->name;
	if (c->have_args)
		memcpy(rec.d.args, c->args, sizeof(rec.d.args));
	else if (exit_regs)
		for (int i = 0; i < 6; i++)
			rec.d.args[i] = regs_arg(exit_regs, c->abi, i);
	if (trace_paths_active() && !c->path_hit && !trace_paths_touched(t->tid, e, rec.d.args, returned, ret))
		return;
	record.failed = returned && ret < 0 && ret >= -4095;
	if (returned && ret >= 0)
		rec.created = open_created(t, e, rec.d.args, ret, &c->t0_fs);
	write_call(t, &record, end);
}

void trace_call_served(struct tracee *t, const struct trace_served *c)
{
	unsigned status = !c->returned ? STATUS_UNFINISHED : c->failed ? STATUS_FAILED : STATUS_SUCCESSFUL;

	/* -P: an NT service's handles are not paths picovisor looks up: none is shown */
	if (!sink.on || !trace_selection_has(&sink.sel, c->abi, c->nr) || !(sink.sel.status & status) ||
	    trace_paths_active())
		return;
	write_call(t, c, monotonic_ns());
}

void trace_call_end(struct tracee *t)
{
	tracee_regs r;

	if (!trace_call_active(t))
		return;
	if (regs_get(t->tid, &r) < 0) {
		trace_call_abandon(t);
		return;
	}
	if (t->call->nr < 0)
		t->call->nr = regs_syscall_nr(&r);
	t->call->ret = regs_retval(&r);
	t->call->have_ret = true;
	emit_call(t, true, t->call->ret, &r);
}

bool trace_call_last(struct tracee *t, enum abi *abi, long *nr, long *ret)
{
	if (!t->call || t->call->active || !t->call->have_ret)
		return false;
	*abi = t->call->abi;
	*nr = t->call->nr;
	*ret = t->call->ret;
	t->call->have_ret = false; /* told once */
	return true;
}

void trace_call_done(struct tracee *t, long ret)
{
	if (trace_call_active(t))
		emit_call(t, true, ret, NULL);
}

void trace_call_abandon(struct tracee *t)
{
	tracee_regs r;

	if (!trace_call_active(t))
		return;
	if (t->call->nr < 0) {
		/* Only a thread still stopped can tell which call it was in. */
		if (regs_get(t->tid, &r) < 0) {
			t->call->active = false;
			return;
		}
		t->call->nr = regs_syscall_nr(&r);
		if (!t->call->have_args) {
			for (int i = 0; i < 6; i++)
				t->call->args[i] = regs_arg(&r, t->call->abi, i);
			t->call->have_args = true;
		}
	}
	emit_call(t, false, 0, NULL);
}

void trace_call_move(struct tracee *from, struct tracee *to)
{
	if (!trace_call_active(from))
		return;
	trace_call_abandon(to);
	trace_call_free(to);
	to->call = from->call;
	from->call = NULL;
}

void trace_spawn(const struct tracee *child, const struct tracee *parent, bool thread)
{
	struct tout o;

	if (!sink.on)
		return;
	if (sink.fmt == FORMAT_TEXT) {
		if (!text_prefix(&sink.rec, child, monotonic_ns()))
			return;
		sb_printf(&sink.rec, "+++ %s of pid %d +++", thread ? "new thread" : "new process",
			  parent->proc ? parent->proc->vpid : 0);
		text_write(&sink.rec, child);
		return;
	}
	begin_record(&o, "spawn", child, monotonic_ns());
	tout_int(&o, "parent", parent->proc ? parent->proc->vpid : 0);
	tout_int(&o, "parent_tid", parent->vtid);
	tout_bool(&o, "thread", thread);
	end_record(&o);
}

void trace_exec(struct tracee *t)
{
	struct tout o;
	char exe[PATH_MAX], link[64];
	const char *path = t->proc->exe_path;

	if (!sink.on)
		return;
	if (!path) {
		ssize_t n;
		snprintf(link, sizeof(link), "/proc/%d/exe", t->tid);
		n = readlink(link, exe, sizeof(exe) - 1);
		exe[n > 0 ? n : 0] = '\0';
		path = exe;
	}
	if (sink.fmt == FORMAT_TEXT) {
		if (!text_prefix(&sink.rec, t, monotonic_ns()))
			return;
		sb_puts(&sink.rec, "+++ exec ");
		sb_puts(&sink.rec, path);
		sb_puts(&sink.rec, " +++");
		text_write(&sink.rec, t);
		return;
	}
	begin_record(&o, "exec", t, monotonic_ns());
	tout_string(&o, "path", path);
	if (t->call && t->call->argv.len)
		sb_put(&sink.rec, t->call->argv.data, t->call->argv.len);
	end_record(&o);
}

static const char *si_code_name(int sig, int code, char *buf, size_t size)
{
	static const char *const cld[] = { "CLD_EXITED", "CLD_KILLED", "CLD_DUMPED", "CLD_TRAPPED", "CLD_STOPPED",
					   "CLD_CONTINUED" };

	if (sig == SIGCHLD && code >= 1 && code <= 6)
		return cld[code - 1];
	switch (code) {
	case SI_USER: return "SI_USER";
	case SI_KERNEL: return "SI_KERNEL";
	case SI_QUEUE: return "SI_QUEUE";
	case SI_TIMER: return "SI_TIMER";
	case SI_MESGQ: return "SI_MESGQ";
	case SI_ASYNCIO: return "SI_ASYNCIO";
	case SI_SIGIO: return "SI_SIGIO";
	case SI_TKILL: return "SI_TKILL";
	}
	snprintf(buf, size, "%d", code);
	return buf;
}

void trace_violation(struct tracee *t, const char *json, const char *text)
{
	struct tout o;

	if (!sink.on)
		return;
	if (sink.fmt == FORMAT_TEXT) {
		if (!text_prefix(&sink.rec, t, monotonic_ns()))
			return;
		sb_printf(&sink.rec, "--- violation: %s ---", text);
		text_write(&sink.rec, t);
		return;
	}
	begin_record(&o, "violation", t, monotonic_ns());
	sb_putc(&sink.rec, ',');
	sb_puts(&sink.rec, json);
	end_record(&o);
}

void trace_signal(struct tracee *t, int sig)
{
	siginfo_t si;
	struct tout o;
	char name[32], code[32];
	bool have;

	if (!sink.on || !trace_selection_has_signal(&sink.sel, sig))
		return;
	have = ptrace(PTRACE_GETSIGINFO, t->tid, 0, &si) == 0;
	signal_name(sig, name, sizeof(name));
	if (sink.fmt == FORMAT_TEXT) {
		if (!text_prefix(&sink.rec, t, monotonic_ns()))
			return;
		sb_printf(&sink.rec, "--- %s", name);
		if (have)
			sb_printf(&sink.rec, " {si_code=%s, si_pid=%d}", si_code_name(sig, si.si_code, code, sizeof(code)),
				  si.si_pid);
		sb_puts(&sink.rec, " ---");
		text_write(&sink.rec, t);
		return;
	}
	begin_record(&o, "signal", t, monotonic_ns());
	tout_symbol(&o, "sig", name);
	if (have) {
		tout_symbol(&o, "code", si_code_name(sig, si.si_code, code, sizeof(code)));
		if (si.si_code <= 0 || sig == SIGCHLD) {
			struct tracee *from = tracee_find(si.si_pid);

			tout_int(&o, "from_hpid", si.si_pid);
			if (from && from->proc)
				tout_int(&o, "from_pid", from->proc->vpid);
		}
	}
	end_record(&o);
}

void trace_exit(const struct tracee *t, int status, bool whole_process)
{
	struct tout o;

	if (!sink.on)
		return;
	if (sink.fmt == FORMAT_TEXT) {
		char sig[32];

		if (!text_prefix(&sink.rec, t, monotonic_ns()))
			return;
		if (!whole_process)
			sb_puts(&sink.rec, "+++ thread exited +++");
		else if (WIFSIGNALED(status))
			sb_printf(&sink.rec, "+++ killed by %s%s +++", signal_name(WTERMSIG(status), sig, sizeof(sig)),
				  WCOREDUMP(status) ? " (core dumped)" : "");
		else
			sb_printf(&sink.rec, "+++ exited with %d +++", WEXITSTATUS(status));
		if (whole_process && t->proc && t->proc->has_nt_status)
			sb_printf(&sink.rec, " (NTSTATUS %#x%s%s)", t->proc->nt_status,
				  nt_status_name(t->proc->nt_status) ? " " : "",
				  nt_status_name(t->proc->nt_status) ? nt_status_name(t->proc->nt_status) : "");
		text_write(&sink.rec, t);
		if (whole_process && sink.per_process)
			trace_output_process_done(t->proc ? t->proc->tgid : t->tid);
		return;
	}
	begin_record(&o, "exit", t, monotonic_ns());
	tout_bool(&o, "thread", !whole_process);
	if (whole_process) {
		char sig[32];

		if (WIFSIGNALED(status)) {
			tout_symbol(&o, "signal", signal_name(WTERMSIG(status), sig, sizeof(sig)));
			tout_bool(&o, "core", WCOREDUMP(status));
		} else
			tout_int(&o, "code", WEXITSTATUS(status));
		if (t->proc && t->proc->has_nt_status) {
			/* an NT process: the whole NTSTATUS its exit code is the low byte of, or its fault's */
			char hex[16];
			snprintf(hex, sizeof(hex), "%#x", t->proc->nt_status);
			tout_symbol(&o, "ntstatus", hex);
			if (nt_status_name(t->proc->nt_status))
				tout_symbol(&o, "ntstatus_name", nt_status_name(t->proc->nt_status));
		}
	}
	end_record(&o);
}
