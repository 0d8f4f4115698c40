/*
 * The trace sink: one record per system call of every traced thread (the
 * arguments seen at entry and the results at exit, written together when the
 * call completes) and event records for spawn, exec, signal delivery and exit.
 * The event loop and the personalities report; the sink numbers, times,
 * decodes lazily and writes buffered. Format: docs/trace-format.md.
 */
#ifndef PICOVISOR_TRACE_H
#define PICOVISOR_TRACE_H

#include <stdbool.h>
#include <stdint.h>

#include "syscall_table.h"
#include "tracee.h"
#include "trace_out.h"

#define TRACE_FORMAT_VERSION 1

struct tracee;
struct pico_process;
struct run_options;

/* Which calls are traced: parsed -e expressions (tracer/trace/trace_select.c). */
struct trace_selection {
	bool any;                          /* tracing at all */
	bool unknown;                      /* numbers the table does not know */
	bool trace_set_given;              /* a trace= expression was applied */
	uint8_t nr[ABI_COUNT][1024 / 8];   /* bit per syscall number, per ABI */
	unsigned status;                   /* STATUS_* bits of the results to record */
	uint64_t signals;                  /* -e signal=: bit N-1 for signal N, whose deliveries are recorded */
};

enum {
	STATUS_SUCCESSFUL = 1u << 0,
	STATUS_FAILED = 1u << 1,
	STATUS_UNFINISHED = 1u << 2, /* no return: exit, or the thread died in the call */
	STATUS_ALL = STATUS_SUCCESSFUL | STATUS_FAILED | STATUS_UNFINISHED,
};

/* Start with everything selected, then apply each -e EXPR in order. 0, or -1 with *err set. */
void trace_selection_all(struct trace_selection *s);
int trace_selection_apply(struct trace_selection *s, const char *expr, char *err, size_t errsize);
bool trace_selection_has(const struct trace_selection *s, enum abi abi, long nr);
bool trace_selection_has_signal(const struct trace_selection *s, int sig);

/* Open the output named in the options (dies with a message if it cannot). */
void trace_open(const struct run_options *o);
bool trace_enabled(void);
const struct trace_selection *trace_selection(void);
/* The run ended with the main program's wait status: write the end record and flush. */
void trace_close(int main_status);

/* A trapped call starts. regs is NULL when the stop was for the trace only (read lazily at exit). */
void trace_call_begin(struct tracee *t, enum abi abi, const tracee_regs *regs);
bool trace_call_active(const struct tracee *t);
/* At the call's syscall-exit stop. */
void trace_call_end(struct tracee *t);
/* The call trace_call_end just recorded: its ABI, number and result, told once. false if there is none. */
bool trace_call_last(struct tracee *t, enum abi *abi, long *nr, long *ret);
/* Completed by picovisor itself (the exec loader) with this return value. */
void trace_call_done(struct tracee *t, long ret);
/* The thread leaves the call without returning (exit, killed, image replaced). */
void trace_call_abandon(struct tracee *t);
/* A thread's in-flight call moves to the thread that took its place (exec from a non-leader). */
void trace_call_move(struct tracee *from, struct tracee *to);
void trace_call_free(struct tracee *t);

/*
 * A call the personality served itself and describes itself (an NT service):
 * its record is written now. args writes the "args" object (as decode_args does); result writes
 * "ret" and the rest (in text: what follows " = ").
 */
struct trace_served {
	enum abi abi;
	const char *name;
	long nr;
	uint64_t t0;              /* monotonic_ns() at its entry */
	bool returned, failed;
	void (*args)(struct tout *o, void *ctx);
	void (*result)(struct tout *o, void *ctx);
	void *ctx;
};
void trace_call_served(struct tracee *t, const struct trace_served *c);

void trace_spawn(const struct tracee *child, const struct tracee *parent, bool thread);
void trace_exec(struct tracee *t);
void trace_signal(struct tracee *t, int sig);
void trace_exit(const struct tracee *t, int wait_status, bool whole_process);
/* The sandbox refused a call: json holds the record's members after the thread's, text the call as strace shows it. */
void trace_violation(struct tracee *t, const char *json, const char *text);

#endif
