/*
 * Path translation (translate/pathmap/path_translate.c, translate/pathmap/dirents_merge.c):
 * how the sandbox personality serves path-bearing calls when the run has a
 * guest view (include/guest_view.h).
 */
#ifndef PICOVISOR_PATH_TRANSLATE_H
#define PICOVISOR_PATH_TRANSLATE_H

#include <stdbool.h>
#include <stdint.h>

#include "guest_view.h"
#include "personality.h"
#include "../sandbox/sandbox_internal.h"

enum exit_fix {
	FIX_NONE,
	FIX_SOCKADDR_OUT, /* a unix socket address filled in: name it in the guest view */
	FIX_DIRENTS,      /* a listing of a directory with mappings below it */
};

#define DIRENTS_MAX_NAMES 32

/* A translated call in flight (struct tracee's path_exit). */
struct path_exit {
	tracee_regs orig;      /* the program's registers at entry: put back at the exit */
	bool answered;         /* the supervisor answered the call; nothing ran */
	enum exit_fix fix;
	uint64_t buf, lenp;    /* sockaddr and its length, or the dirent buffer */
	int addrlen_in;        /* the caller's sockaddr buffer size */
	const struct syscall_entry *call; /* which call filled it (getsockname, getpeername, accept, recvfrom) */
	uint64_t count;        /* dirent buffer size given to the kernel */
	struct dirents_state *dir;
	char *exec_name;       /* an exec: the name the program gave (AT_EXECFN) */
};

/* Does the call need translating when the run has a guest view (else: no view, false)? */
bool path_translate_wanted(const struct syscall_entry *e);
/*
 * At the call's stop: rewrite its path arguments into the scratch area (s->regs
 * and the thread's registers), or answer it. CHECK_PASS: the call is ready to
 * be checked and served from s; CHECK_DONE: answered or failed (s->verdict).
 */
enum check_result path_translate_enter(struct tracee *t, struct syscall_stop *s);
/* At its exit stop: the program's registers back (into v), results named in the guest view. */
void path_translate_exit(struct tracee *t, struct verdict *v);
void path_exit_free(struct tracee *t);
/* Start an exit fix-up: the registers to put back, and a stop at the call's exit. */
struct path_exit *path_exit_begin(struct tracee *t, const struct syscall_stop *s);

/* Internal to the translation's files. */
void sockaddr_out_fix(struct tracee *t, const struct path_exit *pe, long ret);
enum check_result dirents_enter(struct tracee *t, const struct syscall_stop *s);
long dirents_exit(struct tracee *t, struct path_exit *pe, long ret);
/* A process is gone: forget its listings in progress. */
void dirents_forget(pid_t tgid);

#endif
