/* Violations and the --report document of a sandboxed run (tracer/run/run_report.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "decode.h"
#include "event_loop.h"
#include "nt.h"
#include "options.h"
#include "run_limits.h"
#include "run_report.h"
#include "sandbox.h"
#include "trace.h"
#include "trace_out.h"
#include "util.h"

/* Enough to see what a program needed; the count goes on past it. */
#define MAX_RECORDED 10000

static struct {
	struct strbuf violations; /* JSON objects, comma-separated */
	unsigned long nviolations;
	struct strbuf leftovers;
	unsigned long nleftovers;
	uint64_t start_ns;
	int fd;                   /* --report FILE, opened before the program started; -1 */
} rep = { .fd = -1 };

void run_report_open(const struct run_options *o)
{
	if (!o->report_file)
		return;
	/*
	 * Now, before the program exists: a name it could replace (a symlink planted
	 * where the report goes) is never looked up again.
	 */
	rep.fd = open(o->report_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (rep.fd < 0)
		die("cannot write the report %s: %s", o->report_file, strerror(errno));
}

__attribute__((constructor)) static void start_clock(void)
{
	rep.start_ns = monotonic_ns();
}

/* A JSON string: quotes around the escaped text. */
static void json_string(struct strbuf *b, const char *s)
{
	sb_putc(b, '"');
	json_escape(b, s, strlen(s));
	sb_putc(b, '"');
}

static const char *action_name(enum refusal_action a)
{
	switch (a) {
	case ACTION_DENIED:
		return "denied";
	case ACTION_KILLED:
		return "killed";
	case ACTION_LOGGED:
		return "logged";
	}
	return "?";
}

/* The call as decoded arguments, in JSON (for records) or text (for the stderr line). */
static void render_call(struct tracee *t, const struct syscall_stop *s, const char *path, enum trace_format fmt,
			struct strbuf *b)
{
	struct tout o;

	tout_init(&o, b, fmt);
	if (s && s->entry) {
		struct decode_ctx d = { .tid = t->tid, .pidfd = &t->proc->pidfd, .abi = s->abi, .entry = s->entry,
					.strsize = 64 };

		for (int i = 0; i < 6; i++)
			d.args[i] = regs_arg(&s->regs, s->abi, i);
		decode_args(&o, &d);
	} else if (path) {
		tout_begin_object(&o, "args", fmt == FORMAT_TEXT);
		tout_string(&o, "path", path);
		tout_end_object(&o);
	}
}

static const char *call_name(const struct syscall_stop *s, char *buf, size_t size)
{
	if (!s)
		return "exec";
	if (s->entry)
		return s->entry->name;
	snprintf(buf, size, "syscall_%ld", s->nr);
	return buf;
}

void run_report_violation(struct tracee *t, const struct syscall_stop *s, const char *path, const char *rule,
			  enum refusal_action action, int err)
{
	struct strbuf fields = { 0 }, text = { 0 };
	char name[32], errbuf[32];
	const char *errname;
	uint64_t rel = monotonic_ns() - rep.start_ns;
	const char *abi = s ? abi_name(s->abi) : "x86_64";

	errname = errno_name(err, errbuf, sizeof(errbuf));
	/* The members after "type" and the thread, shared by the trace record and the report. */
	sb_puts(&fields, "\"syscall\":");
	json_string(&fields, call_name(s, name, sizeof(name)));
	sb_printf(&fields, ",\"abi\":\"%s\",", abi);
	render_call(t, s, path, FORMAT_JSONL, &fields);
	sb_puts(&fields, ",\"rule\":");
	json_string(&fields, rule);
	sb_printf(&fields, ",\"action\":\"%s\"", action_name(action));
	if (action == ACTION_DENIED)
		sb_printf(&fields, ",\"err\":\"%s\"", errname);

	sb_printf(&text, "%s(", call_name(s, name, sizeof(name)));
	render_call(t, s, path, FORMAT_TEXT, &text);
	sb_puts(&text, ")");
	trace_violation(t, fields.data, text.data);

	if (!run_options()->quiet) {
		const char *what = action == ACTION_DENIED ? "denied" : action == ACTION_KILLED ? "ending the run"
												 : "allowed (on-violation log)";
		fprintf(stderr, "picovisor: violation: process %d (pid %d): %s%s%s: %s; %s%s%s\n", t->proc->vpid,
			t->proc->tgid, s && s->abi != ABI_X86_64 ? abi : "", s && s->abi != ABI_X86_64 ? " " : "",
			text.data, rule, what, action == ACTION_DENIED ? " with " : "",
			action == ACTION_DENIED ? errname : "");
	}
	if (rep.nviolations++ < MAX_RECORDED) {
		if (rep.violations.len)
			sb_putc(&rep.violations, ',');
		sb_printf(&rep.violations, "\n    {\"t\":%llu.%06llu,\"pid\":%d,\"tid\":%d,\"hpid\":%d,",
			  (unsigned long long)(rel / 1000000000u), (unsigned long long)(rel % 1000000000u / 1000u),
			  t->proc->vpid, t->vtid, t->proc->tgid);
		sb_put(&rep.violations, fields.data, fields.len);
		sb_putc(&rep.violations, '}');
	}
	sb_free(&fields);
	sb_free(&text);
}

void run_report_leftover(struct tracee *leader)
{
	char path[64], comm[64] = "?";
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/comm", leader->tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, comm, sizeof(comm) - 1);
		comm[n > 0 ? n : 0] = '\0';
		comm[strcspn(comm, "\n")] = '\0';
		close(fd);
	}
	if (sandbox_get() && !run_options()->quiet)
		warn("process %d (pid %d, %s) was still running when the program ended: killed", leader->proc->vpid,
		     leader->tid, comm);
	if (rep.nleftovers++ < MAX_RECORDED) {
		if (rep.leftovers.len)
			sb_putc(&rep.leftovers, ',');
		sb_printf(&rep.leftovers, "\n    {\"pid\":%d,\"hpid\":%d,\"comm\":", leader->proc->vpid, leader->tid);
		json_string(&rep.leftovers, comm);
		if (leader->proc->exe_path) {
			sb_puts(&rep.leftovers, ",\"exe\":");
			json_string(&rep.leftovers, leader->proc->exe_path);
		}
		sb_putc(&rep.leftovers, '}');
	}
}

static const char *ending(int main_status)
{
	switch (run_end_reason()) {
	case RUN_END_WALL:
		return "wall-limit";
	case RUN_END_VIOLATION:
		return "killed-for-violation";
	case RUN_END_MEMORY:
		return "memory-limit";
	case RUN_END_FILES:
		return "files-limit";
	case RUN_END_NONE:
		break;
	}
	if (fatal_message())
		return "setup-error";
	return WIFSIGNALED(main_status) ? "signalled" : "exited";
}

void run_report_write(const struct run_options *o, int main_status, int exit_code)
{
	struct sandbox *sb = sandbox_get();
	const struct run_counts *c = run_counts();
	struct strbuf b = { 0 };
	uint64_t rel = monotonic_ns() - rep.start_ns;
	size_t done = 0;

	if (!o->report_file || rep.fd < 0)
		return;
	sb_puts(&b, "{\n  \"picovisor_report\": 1,\n  \"command\": [");
	for (int i = 0; o->argv && o->argv[i]; i++) {
		if (i)
			sb_puts(&b, ", ");
		json_string(&b, o->argv[i]);
	}
	sb_puts(&b, "],\n  \"policy\": {\"name\": ");
	if (sb) {
		json_string(&b, sb->policy.name);
		sb_printf(&b, ", \"digest\": \"%s\", \"landlock_abi\": %d, \"landlock\": %s, \"paths_checked_by\": \"%s\"",
			  sb->digest, sb->landlock.abi, sb->landlock_active ? "true" : "false",
			  sb->supervisor_paths ? "supervisor" : "landlock");
	} else {
		sb_puts(&b, "null");
	}
	sb_printf(&b, "},\n  \"exit_status\": %d,\n  \"ended\": \"%s\",\n", exit_code, ending(main_status));
	if (run_counts()->has_nt_status) {
		const char *name = nt_status_name(run_counts()->nt_status);
		sb_printf(&b, "  \"nt_status\": \"%#x\",\n", run_counts()->nt_status);
		if (name)
			sb_printf(&b, "  \"nt_status_name\": \"%s\",\n", name);
	}
	if (fatal_message()) {
		sb_puts(&b, "  \"error\": ");
		json_string(&b, fatal_message());
		sb_puts(&b, ",\n");
	} else if (WIFSIGNALED(main_status) && run_end_reason() == RUN_END_NONE) {
		char name[32];
		sb_printf(&b, "  \"signal\": \"%s\",\n", signal_name(WTERMSIG(main_status), name, sizeof(name)));
	}
	sb_printf(&b, "  \"duration_s\": %llu.%06llu,\n", (unsigned long long)(rel / 1000000000u),
		  (unsigned long long)(rel % 1000000000u / 1000u));
	sb_printf(&b,
		  "  \"counts\": {\"processes\": %lu, \"tasks\": %lu, \"supervisor_stops\": %lu, "
		  "\"checked_calls\": %lu, \"violations\": %lu, \"left_running\": %lu},\n",
		  c->processes, c->tasks, c->stops, sb ? sb->calls_checked : 0, rep.nviolations, rep.nleftovers);
	if (run_limits_peak_memory())
		sb_printf(&b, "  \"peak_memory_bytes\": %llu,\n", run_limits_peak_memory());
	if (run_limits_peak_files())
		sb_printf(&b, "  \"peak_open_files\": %llu,\n", run_limits_peak_files());
	sb_puts(&b, "  \"violations\": [");
	sb_put(&b, rep.violations.data ? rep.violations.data : "", rep.violations.len);
	sb_printf(&b, "%s],\n  \"violations_not_listed\": %lu,\n  \"left_running\": [",
		  rep.violations.len ? "\n  " : "", rep.nviolations > MAX_RECORDED ? rep.nviolations - MAX_RECORDED : 0);
	sb_put(&b, rep.leftovers.data ? rep.leftovers.data : "", rep.leftovers.len);
	sb_printf(&b, "%s]\n}\n", rep.leftovers.len ? "\n  " : "");

	/* The file as opened at the start, whatever its name leads to now; from its beginning. */
	if (ftruncate(rep.fd, 0) < 0)
		fprintf(stderr, "picovisor: cannot truncate the report %s: %s\n", o->report_file, strerror(errno));
	while (done < b.len) {
		ssize_t n = pwrite(rep.fd, b.data + done, b.len - done, (off_t)done);
		if (n > 0)
			done += (size_t)n;
		else if (n < 0 && errno != EINTR) {
			fprintf(stderr, "picovisor: cannot write the report %s: %s\n", o->report_file, strerror(errno));
			break;
		}
	}
	close(rep.fd);
	rep.fd = -1;
	sb_free(&b);
}
