/* Violations and the --report document of a sandboxed run (tracer/run/run_report.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arch.h"
#include "decode.h"
#include "event_loop.h"
#include "landlock_audit.h"
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
/* Distinct violations (call, rule, path) kept for counts, de-duplicated lines and annotations. */
#define MAX_DISTINCT 1000

/* One distinct violation: what it was, who made it first, how often. */
struct distinct {
	char *key;        /* call, rule and path */
	char *call;       /* the call as text, first time seen */
	char *rule;
	char *who;        /* the process: its executable and argv, first time seen */
	const char *action;
	char err[32];
	unsigned long count;
};

static struct {
	struct strbuf violations; /* JSON objects, comma-separated */
	unsigned long nviolations;
	struct strbuf leftovers;
	unsigned long nleftovers;
	uint64_t start_ns;
	struct timespec start_wall;
	int fd;                   /* --report FILE, opened before the program started; -1 */
	struct distinct *distinct;
	size_t ndistinct;
	unsigned long other;      /* violations past MAX_DISTINCT distinct ones */
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
	clock_gettime(CLOCK_REALTIME, &rep.start_wall);
}

/* "2026-12-03T15:04:05.123Z" */
static void iso_time(const struct timespec *ts, char *out, size_t size)
{
	struct tm tm;
	char base[24];

	gmtime_r(&ts->tv_sec, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, size, "%s.%03ldZ", base, ts->tv_nsec / 1000000);
}

/*
 * The process's argv as /proc shows it now (the program may have changed
 * it: this is for people reading the report, never for a decision). JSON
 * array into json, a line into text; at most 32 arguments of 256 bytes.
 */
static void argv_render(const char *buf, size_t n, struct strbuf *json, struct strbuf *text);

static void process_argv(pid_t tgid, struct strbuf *json, struct strbuf *text)
{
	char path[64], buf[8192];
	ssize_t n = -1;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)tgid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	argv_render(buf, n > 0 ? (size_t)n : 0, json, text);
}

/* The distinct violation of this key, counted; NULL past MAX_DISTINCT. */
static struct distinct *count_distinct(const char *key, bool *first)
{
	*first = false;
	for (size_t i = 0; i < rep.ndistinct; i++)
		if (strcmp(rep.distinct[i].key, key) == 0) {
			rep.distinct[i].count++;
			return &rep.distinct[i];
		}
	if (rep.ndistinct == MAX_DISTINCT) {
		rep.other++;
		return NULL;
	}
	rep.distinct = xrealloc(rep.distinct, (rep.ndistinct + 1) * sizeof(*rep.distinct));
	memset(&rep.distinct[rep.ndistinct], 0, sizeof(*rep.distinct));
	rep.distinct[rep.ndistinct].key = xstrdup(key);
	rep.distinct[rep.ndistinct].count = 1;
	*first = true;
	return &rep.distinct[rep.ndistinct++];
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

/* argv as NUL-separated bytes: a JSON array into json, a line into text; at most 32 of 256 bytes. */
static void argv_render(const char *buf, size_t n, struct strbuf *json, struct strbuf *text)
{
	int count = 0;

	sb_putc(json, '[');
	for (size_t i = 0; i < n && count < 32; count++) {
		size_t len = strnlen(buf + i, n - i), shown = len > 256 ? 256 : len;

		if (count)
			sb_putc(json, ','), sb_putc(text, ' ');
		sb_putc(json, '"');
		json_escape(json, buf + i, shown);
		sb_putc(json, '"');
		sb_put(text, buf + i, shown);
		i += len + 1;
	}
	sb_putc(json, ']');
}

/* One refusal, however it was seen: who made it and the call, already rendered. */
struct refusal_seen {
	int vpid, vtid, hpid;
	const char *exe, *abi;
	bool foreign_abi;           /* not the native ABI: its name goes before the call */
	const char *call;           /* the call's name */
	struct strbuf *argv_json, *argv_text;
	struct strbuf *fields;      /* the record's members after the thread ("syscall" on) */
	const char *text;           /* the call as text */
	const char *path, *rule;
	enum refusal_action action;
	const char *errname;
};

/* Count it, say it on stderr, and list it in the report. */
static void record_refusal(const struct refusal_seen *v)
{
	uint64_t rel = monotonic_ns() - rep.start_ns;
	struct distinct *d;
	bool first, log_mode = sandbox_get() && sandbox_get()->policy.on_violation == VIOLATION_LOG;
	/* One per call, rule and path: what a CI system shows once, with its count. */
	char *key = xasprintf("%s\n%s\n%s", v->call, v->rule, v->path ? v->path : "");
	char *who = xasprintf("%s (%s)", v->exe ? v->exe : "?", v->argv_text->data ? v->argv_text->data : "");

	d = count_distinct(key, &first);
	if (d && first) {
		d->call = xasprintf("%s%s%s", v->foreign_abi ? v->abi : "", v->foreign_abi ? " " : "", v->text);
		d->rule = xstrdup(v->rule);
		d->who = xstrdup(who);
		d->action = action_name(v->action);
		snprintf(d->err, sizeof(d->err), "%s", v->action == ACTION_DENIED ? v->errname : "");
	}
	if (!run_options()->quiet && (!log_mode || (d && first))) {
		const char *what = v->action == ACTION_DENIED ? "denied"
				   : v->action == ACTION_KILLED ? "ending the run"
								: "allowed (on-violation log)";
		fprintf(stderr, "picovisor: violation: process %d (pid %d, %s): %s%s%s: %s; %s%s%s\n",
			v->vpid ? v->vpid : v->hpid, v->hpid, v->exe ? v->exe : "?", v->foreign_abi ? v->abi : "",
			v->foreign_abi ? " " : "", v->text, v->rule, what, v->action == ACTION_DENIED ? " with " : "",
			v->action == ACTION_DENIED ? v->errname : "");
	}
	if (rep.nviolations++ < MAX_RECORDED) {
		if (rep.violations.len)
			sb_putc(&rep.violations, ',');
		/* pid and tid are the run's numbers; a task the run never saw has only its host ones */
		sb_printf(&rep.violations, "\n    {\"t\":%llu.%06llu,\"pid\":%d,\"tid\":%d,\"hpid\":%d,\"exe\":",
			  (unsigned long long)(rel / 1000000000u), (unsigned long long)(rel % 1000000000u / 1000u),
			  v->vpid ? v->vpid : v->hpid, v->vtid ? v->vtid : v->hpid, v->hpid);
		if (v->exe)
			json_string(&rep.violations, v->exe);
		else
			sb_puts(&rep.violations, "null");
		sb_puts(&rep.violations, ",\"argv\":");
		sb_put(&rep.violations, v->argv_json->data, v->argv_json->len);
		sb_putc(&rep.violations, ',');
		sb_put(&rep.violations, v->fields->data, v->fields->len);
		sb_putc(&rep.violations, '}');
	}
	free(key);
	free(who);
}

void run_report_violation(struct tracee *t, const struct syscall_stop *s, const char *path, const char *rule,
			  enum refusal_action action, int err)
{
	struct strbuf fields = { 0 }, text = { 0 }, argv_json = { 0 }, argv_text = { 0 };
	char name[32], errbuf[32];
	const char *errname = errno_name(err, errbuf, sizeof(errbuf));
	const char *abi = s ? abi_name(s->abi) : ARCH_NAME;

	process_argv(t->proc->tgid, &argv_json, &argv_text);
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
	record_refusal(&(struct refusal_seen){
		.vpid = t->proc->vpid, .vtid = t->vtid, .hpid = t->proc->tgid, .exe = t->proc->exe_path, .abi = abi,
		.foreign_abi = s && s->abi != ABI_NATIVE, .call = call_name(s, name, sizeof(name)),
		.argv_json = &argv_json, .argv_text = &argv_text, .fields = &fields, .text = text.data, .path = path,
		.rule = rule, .action = action, .errname = errname });
	sb_free(&fields);
	sb_free(&text);
	sb_free(&argv_json);
	sb_free(&argv_text);
}

void run_report_kernel_refusal(const struct kernel_refusal *r)
{
	struct strbuf fields = { 0 }, text = { 0 }, argv_json = { 0 }, argv_text = { 0 };
	char name[32], errbuf[32];
	const char *errname = errno_name(r->err, errbuf, sizeof(errbuf));
	const char *call = r->call, *abi = r->call ? abi_name(r->abi) : ARCH_NAME;
	struct tout o;

	if (!call) {
		snprintf(name, sizeof(name), r->nr >= 0 ? "syscall_%ld" : "unknown", r->nr);
		call = name;
	}
	argv_render(r->argv, r->argv_len, &argv_json, &argv_text);
	sb_puts(&fields, "\"syscall\":");
	json_string(&fields, call);
	sb_printf(&fields, ",\"abi\":\"%s\"", abi);
	if (r->object) {
		sb_putc(&fields, ',');
		tout_init(&o, &fields, FORMAT_JSONL);
		tout_begin_object(&o, "args", false);
		tout_string(&o, "path", r->object);
		tout_end_object(&o);
	}
	sb_puts(&fields, ",\"rule\":");
	json_string(&fields, r->rule);
	sb_printf(&fields, ",\"action\":\"denied\",\"err\":\"%s\"", errname);
	sb_printf(&text, "%s(", call);
	if (r->object) {
		tout_init(&o, &text, FORMAT_TEXT);
		tout_begin_object(&o, "args", true);
		tout_string(&o, "path", r->object);
		tout_end_object(&o);
	}
	sb_puts(&text, ")");
	record_refusal(&(struct refusal_seen){
		.vpid = r->vpid, .vtid = r->vtid, .hpid = r->hpid, .exe = r->exe, .abi = abi,
		.foreign_abi = r->call && r->abi != ABI_NATIVE, .call = call, .argv_json = &argv_json,
		.argv_text = &argv_text, .fields = &fields, .text = text.data, .path = r->object, .rule = r->rule,
		.action = ACTION_DENIED, .errname = errname });
	sb_free(&fields);
	sb_free(&text);
	sb_free(&argv_json);
	sb_free(&argv_text);
}

/* GitHub's workflow command escapes: %, CR, LF in a message; also : and , in a property. */
static void github_escape(struct strbuf *b, const char *s, bool property)
{
	for (; *s; s++) {
		if (*s == '%')
			sb_puts(b, "%25");
		else if (*s == '\r')
			sb_puts(b, "%0D");
		else if (*s == '\n')
			sb_puts(b, "%0A");
		else if (property && *s == ':')
			sb_puts(b, "%3A");
		else if (property && *s == ',')
			sb_puts(b, "%2C");
		else
			sb_putc(b, *s);
	}
}

/*
 * The end of a sandboxed run: under on-violation log, the counts of the
 * violations whose repeats were not printed; with --annotate github, one
 * workflow command per distinct violation on standard output.
 */
static void finish_lines(const struct run_options *o)
{
	struct sandbox *sb = sandbox_get();

	if (!sb)
		return;
	if (!o->quiet && sb->policy.on_violation == VIOLATION_LOG)
		for (size_t i = 0; i < rep.ndistinct; i++)
			if (rep.distinct[i].count > 1)
				fprintf(stderr, "picovisor: violation repeated: %lu times in all: %s: %s\n",
					rep.distinct[i].count, rep.distinct[i].call, rep.distinct[i].rule);
	if (!o->annotate_github)
		return;
	fflush(stdout);
	for (size_t i = 0; i < rep.ndistinct; i++) {
		const struct distinct *d = &rep.distinct[i];
		struct strbuf b = { 0 }, title = { 0 };

		sb_printf(&title, "picovisor: %s %s", strcmp(d->action, "logged") == 0 ? "would refuse" : d->action,
			  d->call);
		if (title.len > 120) /* a title is a line in a list */
			title.data[117] = '.', title.data[118] = '.', title.data[119] = '.', title.data[120] = '\0';
		sb_puts(&b, "::error title=");
		github_escape(&b, title.data, true);
		sb_puts(&b, "::");
		{
			char *msg = xasprintf("%s: %s%s%s%s, by %s (%lu time%s)", d->call, d->rule,
					      d->err[0] ? "; denied with " : "", d->err,
					      strcmp(d->action, "logged") == 0 ? "; allowed (on-violation log)" : "", d->who,
					      d->count, d->count == 1 ? "" : "s");
			github_escape(&b, msg, false);
			free(msg);
		}
		printf("%s\n", b.data);
		sb_free(&b);
		sb_free(&title);
	}
	if (rep.other)
		printf("::error title=picovisor: more violations::%lu more violations of other kinds (see the report)\n",
		       rep.other);
	fflush(stdout);
}

unsigned long run_report_violation_count(void)
{
	return rep.nviolations;
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
	case RUN_END_TMPFS:
		return "tmpfs-limit";
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

	finish_lines(o);
	if (!o->report_file || rep.fd < 0)
		return;
	{
		struct utsname u;
		struct timespec now;
		char started[48], ended[48];

		clock_gettime(CLOCK_REALTIME, &now);
		iso_time(&rep.start_wall, started, sizeof(started));
		iso_time(&now, ended, sizeof(ended));
		sb_printf(&b, "{\n  \"picovisor_report\": 1,\n  \"picovisor_version\": \"%s\",\n", PICOVISOR_VERSION);
		sb_puts(&b, "  \"kernel_release\": ");
		json_string(&b, uname(&u) == 0 ? u.release : "?");
		sb_printf(&b, ",\n  \"started_at\": \"%s\",\n  \"ended_at\": \"%s\",\n", started, ended);
	}
	sb_puts(&b, "  \"command\": [");
	for (int i = 0; o->argv && o->argv[i]; i++) {
		if (i)
			sb_puts(&b, ", ");
		json_string(&b, o->argv[i]);
	}
	sb_puts(&b, "],\n  \"policy\": {\"name\": ");
	if (sb) {
		json_string(&b, sb->policy.name);
		sb_printf(&b,
			  ", \"digest\": \"%s\", \"landlock_abi\": %d, \"landlock\": %s, \"paths_checked_by\": \"%s\", "
			  "\"landlock_refusals_read\": %s",
			  sb->digest, sb->landlock.abi, sb->landlock_active ? "true" : "false",
			  sb->supervisor_paths ? "supervisor" : "landlock", sb->landlock.audited ? "true" : "false");
		sb_puts(&b, ", \"private_shm\": ");
		if (!sb->shm.size) {
			sb_puts(&b, "null");
		} else {
			sb_printf(&b, "{\"size_bytes\": %" PRIu64 ", \"made\": %s, \"user_namespace\": %s, \"why_not\": ",
				  sb->shm.size, sb->shm.made ? "true" : "false", sb->shm.user_namespace ? "true" : "false");
			if (sb->shm.made)
				sb_puts(&b, "null");
			else
				json_string(&b, sb->shm.why_not);
			sb_puts(&b, "}");
		}
	} else {
		sb_puts(&b, "null");
	}
	sb_puts(&b, "},\n");
	if (sb) {
		/* Names only: the values may be the very secrets that were kept from the program. */
		sb_puts(&b, "  \"environment\": {\"removed\": [");
		for (size_t i = 0; i < sb->env.nremoved; i++) {
			sb_puts(&b, i ? ", " : "");
			json_string(&b, sb->env.removed[i]);
		}
		sb_puts(&b, "], \"set\": [");
		for (size_t i = 0; i < sb->env.nset; i++) {
			sb_puts(&b, i ? ", " : "");
			json_string(&b, sb->env.set[i]);
		}
		sb_puts(&b, "]},\n");
	}
	sb_printf(&b, "  \"exit_status\": %d,\n  \"ended\": \"%s\",\n", exit_code, ending(main_status));
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
	if (sb && sb->policy.fail_on_violation)
		sb_printf(&b, "  \"fail_on_violation\": true,\n");
	if (exit_code == EXIT_PV_VIOLATION && sb && sb->policy.fail_on_violation && rep.nviolations &&
	    run_end_reason() == RUN_END_NONE && !fatal_message())
		sb_printf(&b, "  \"program_exit_status\": %d,\n",
			  WIFSIGNALED(main_status) ? 128 + WTERMSIG(main_status) : WEXITSTATUS(main_status));
	if (sb) {
		/* Refusals the kernel makes without a stop: said, never silently missing from the list. */
		bool any = false;

		sb_puts(&b, "  \"unseen_refusals\": [");
		if (sb->landlock_active && !sb->supervisor_paths && !landlock_audit_reading()) {
			sb_puts(&b, "\n    \"path refusals made by Landlock in the kernel (EACCES, EXDEV) are not reported: ");
			json_escape(&b, sb->landlock_audit_why, strlen(sb->landlock_audit_why));
			sb_puts(&b, "; run with see-all-refusals (or fail-on-violation, or on-violation log) to have the "
				    "supervisor check and report each\"");
			any = true;
		} else if (sb->landlock_active && landlock_audit_gap()) {
			sb_puts(&b, "\n    ");
			json_string(&b, landlock_audit_gap());
			any = true;
		}
		if (sb->landlock_active && sb->landlock.abi >= 6 && sb->policy.net != NET_ANY && !landlock_audit_reading()) {
			sb_printf(&b, "%s\n    \"connections to abstract unix sockets outside the run, refused by Landlock's "
				      "scoping (EPERM), are not reported\"", any ? "," : "");
			any = true;
		}
		sb_puts(&b, any ? "\n  ],\n" : "],\n");
	}
	sb_printf(&b, "  \"duration_s\": %llu.%06llu,\n", (unsigned long long)(rel / 1000000000u),
		  (unsigned long long)(rel % 1000000000u / 1000u));
	sb_printf(&b,
		  "  \"counts\": {\"processes\": %lu, \"tasks\": %lu, \"supervisor_stops\": %lu, "
		  "\"checked_calls\": %lu, \"violations\": %lu, \"left_running\": %lu},\n",
		  c->processes, c->tasks, c->stops, sb ? sb->calls_checked : 0, rep.nviolations, rep.nleftovers);
	if (run_limits_peak_memory())
		sb_printf(&b, "  \"peak_memory_bytes\": %llu,\n", run_limits_peak_memory());
	if (run_limits_peak_tmpfs())
		sb_printf(&b, "  \"peak_tmpfs_bytes\": %llu,\n", run_limits_peak_tmpfs());
	if (run_limits_peak_files())
		sb_printf(&b, "  \"peak_open_files\": %llu,\n", run_limits_peak_files());
	sb_puts(&b, "  \"counts_by_rule\": [");
	for (size_t i = 0; i < rep.ndistinct; i++) {
		const struct distinct *d = &rep.distinct[i];

		sb_puts(&b, i ? ",\n    {\"call\": " : "\n    {\"call\": ");
		json_string(&b, d->call);
		sb_puts(&b, ", \"rule\": ");
		json_string(&b, d->rule);
		sb_printf(&b, ", \"action\": \"%s\", \"count\": %lu, \"first_by\": ", d->action, d->count);
		json_string(&b, d->who);
		sb_putc(&b, '}');
	}
	sb_printf(&b, "%s],\n  \"violations_of_other_rules\": %lu,\n", rep.ndistinct ? "\n  " : "", rep.other);
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
