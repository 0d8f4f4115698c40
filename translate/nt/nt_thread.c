/*
 * Threads of an NT process as objects: a thread handle is signalled when the
 * thread ends, and keeps its exit status for NtQueryInformationThread.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "nt_internal.h"
#include "util.h"

void nt_thread_exited(struct tracee *t, ntstatus status)
{
	struct nt_process *np = nt_process_of(t);
	struct nt_object *self = nt_thread_state(t) ? nt_thread_state(t)->self : NULL;

	/* The mutants it owns are abandoned before anyone can see it ended (a waiter woken by its end
	 * finds them abandoned already, as on NT). */
	if (np)
		nt_mutants_abandon(np, host_tid(t));
	/* Its own object first: the thread may end before its creator has a handle to it. */
	if (self) {
		nt_thread_state(t)->self = NULL;
		if (!self->thread.done) {
			self->thread.done = true;
			self->thread.exit_status = status;
			self->thread.exit_time = nt_time_now();
		}
		if (nt_object_release(self))
			nt_object_free(self);
	}

	for (int i = 1; np && i < np->nhandles; i++) {
		struct nt_object *o = np->handles[i].obj;

		if (o && o->type == NT_TYPE_THREAD && o->thread.tid == host_tid(t) && !o->thread.done) {
			o->thread.done = true;
			o->thread.exit_status = status;
			o->thread.exit_time = nt_time_now();
		}
	}
	nt_waits_recheck();
}

/* ---- NtCreateThreadEx: a Linux thread in the process, with a TEB, a stack and a handle. */

#define THREAD_CREATE_FLAGS_CREATE_SUSPENDED 0x1
#define DEFAULT_STACK (1UL << 20)

static uint64_t block_size(const struct nt_process *p)
{
	return NT_THREAD_BLOCK_SIZE + ((p->start.tls_size + 16 + 4095) & ~4095ULL);
}

/* st: 0 TEB block, 1 stack, 2 stack size */
static void after_clone(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_object *o;
	uint64_t tid = (uint64_t)ret, pid = (uint64_t)host_tgid(t);

	if (ret < 0) {
		nt_done(t, nt_status_of_errno((int)ret));
		return;
	}
	nt_put(t, c->st[0] + 0x40, &pid, 8);
	nt_put(t, c->st[0] + 0x48, &tid, 8);
	/* The object was made before the thread could run: it may have ended already, and says so. */
	o = ((struct nt_thread_start *)c->p)->obj;
	o->thread.tid = (pid_t)ret;
	o->thread.teb = c->st[0];
	nt_done(t, nt_handle_give(t, o, (uint32_t)c->a[1] ? (uint32_t)c->a[1] : 0x1fffff, c->a[0]));
}

static void thread_start_free(void *p)
{
	struct nt_thread_start *ts = p;

	if (ts->obj && nt_object_release(ts->obj))
		nt_object_free(ts->obj);
	free(ts);
}

static void after_stack(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_process *p = nt_process_of(t);
	uint64_t teb = c->st[0], base, limit, peb = p->start.peb, self = teb, minus1 = UINT64_MAX;
	struct nt_thread_start *ts;

	if (ret < 0) {
		nt_done(t, STATUS_NO_MEMORY);
		return;
	}
	c->st[1] = (uint64_t)ret;
	base = c->st[1] + c->st[2];
	/* The stack is the program's memory as NT lists it: VirtualQuery of an address on it gives the
	 * stack's allocation (Go's runtime finds its threads' stack bounds so). */
	nt_process_add_region(t, c->st[1], c->st[2], c->st[1], c->st[2], PROT_READ | PROT_WRITE, false);
	limit = base - 4096;
	nt_put(t, teb + 0x0, &minus1, 8);
	nt_put(t, teb + 0x8, &base, 8);
	nt_put(t, teb + 0x10, &limit, 8);
	nt_put(t, teb + 0x30, &self, 8);
	nt_put(t, teb + 0x60, &peb, 8);
	if (p->start.tls_size) {
		/* its own copy of the image's TLS template, after the work area */
		uint64_t vec = teb + NT_THREAD_BLOCK_SIZE, block = vec + 16;
		unsigned char *tmpl = xcalloc(1, p->start.tls_template_size + 1);

		nt_get(t, p->start.tls_template, tmpl, p->start.tls_template_size);
		nt_put(t, block, tmpl, p->start.tls_template_size);
		free(tmpl);
		nt_put(t, vec, &block, 8);
		nt_put(t, teb + 0x58, &vec, 8);
	}
	ts = xcalloc(1, sizeof(*ts));
	ts->routine = c->a[4];
	ts->arg = c->a[5];
	ts->teb = teb;
	ts->work = teb + NT_TEB_SIZE;
	ts->stack_top = base;
	ts->suspended = ((uint32_t)c->a[6] & THREAD_CREATE_FLAGS_CREATE_SUSPENDED) != 0;
	ts->obj = nt_object_new(NT_TYPE_THREAD);
	ts->obj->refs = 1; /* the call's, until it answers */
	if (c->p_free)
		c->p_free(c->p);
	else
		free(c->p);
	c->p = ts;
	c->p_free = thread_start_free;
	/* The child starts stopped (it is traced): task_start gives it its registers before it runs. */
	nt_linux(t, after_clone, SYS_clone,
		 CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM, base - 0x28, 0, 0, 0, 0);
}

static void after_block(struct tracee *t, long ret)
{
	struct nt_call *c = nt_call_of(t);

	if (ret < 0) {
		nt_done(t, STATUS_NO_MEMORY);
		return;
	}
	c->st[0] = (uint64_t)ret;
	nt_linux(t, after_stack, SYS_mmap, 0, c->st[2], PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, (uint64_t)-1, 0);
}

void nt_serve_NtCreateThreadEx(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct nt_process *p = nt_process_of(t);
	uint64_t probe, stack = c->a[9] ? c->a[9] : c->a[8] ? c->a[8] : DEFAULT_STACK;
	struct nt_object *o;

	if (c->a[3] != (uint64_t)-1 && nt_handle_get(p, c->a[3], NT_TYPE_PROCESS, &o, NULL)) {
		nt_done(t, STATUS_INVALID_HANDLE);
		return;
	}
	if (nt_get(t, c->a[0], &probe, 8)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	if (!c->a[4] || stack > (1UL << 30)) {
		nt_done(t, STATUS_INVALID_PARAMETER);
		return;
	}
	c->st[2] = (stack + 0xffff) & ~0xffffULL;
	nt_linux(t, after_block, SYS_mmap, 0, block_size(p), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 (uint64_t)-1, 0);
}

/* The creating thread is at its clone: the new one learns where it starts. */
void nt_task_created(struct tracee *child, struct tracee *parent)
{
	struct nt_call *c = nt_thread_state(parent) ? &nt_thread_state(parent)->call : NULL;
	struct nt_thread_start *ts;

	if (!c || !c->active || !c->svc || c->svc != &nt_services[NT_ID_NtCreateThreadEx] || !c->p)
		return;
	ts = c->p;
	nt_thread_of(child)->teb = ts->teb;
	nt_thread_state(child)->work = ts->work;
	nt_thread_state(child)->start = *ts;
	nt_thread_state(child)->start.obj = NULL;
	nt_thread_state(child)->start_pending = true;
	nt_thread_state(child)->suspend_count = ts->suspended; /* held at its first stop until resumed */
	/* The thread holds its object from before its first instruction: its end always reaches it. */
	ts->obj->thread.tid = host_tid(child);
	ts->obj->refs++;
	nt_thread_state(child)->self = ts->obj;
}

/* Its first stop: RtlUserThreadStart(routine, arg) on its own stack, GS at its TEB. Held if created suspended. */
bool nt_task_start(struct tracee *child)
{
	struct nt_thread *th = nt_thread_state(child);
	tracee_regs r;

	if (!th || !th->start_pending || regs_get(host_tid(child), &r) < 0)
		return false;
	th->start_pending = false;
	{
		/* its ClientId before its first instruction (the creator's clone may not have returned yet) */
		uint64_t pid = (uint64_t)host_tgid(child), tid = (uint64_t)host_tid(child);

		nt_put(child, th->start.teb + 0x40, &pid, 8);
		nt_put(child, th->start.teb + 0x48, &tid, 8);
	}
	regs_set_process_start(&r, nt_process_of(child)->start.ntdll_thread_start, th->start.stack_top - 0x28);
	regs_set_win64_arg(&r, 0, th->start.routine);
	regs_set_win64_arg(&r, 1, th->start.arg);
	regs_set_gs_base(&r, th->start.teb);
	regs_set(host_tid(child), &r);
	return nt_hold_if_suspended(child, &(struct verdict){ .kind = VERDICT_RESUME, .set_regs = true, .regs = r });
}

/* ---- NtSetInformationThread: a thread's base priority (kept and reported; Linux scheduling is not changed). */

#define ThreadBasePriority 3
#define THREAD_PRIORITY_LOWRT 15
#define THREAD_PRIORITY_IDLE (-15)

void nt_serve_NtSetInformationThread(struct tracee *t)
{
	struct nt_call *c = nt_call_of(t);
	struct tracee *target = t;
	int32_t v;

	if (c->a[0] != (uint64_t)-2) {
		struct nt_object *o;
		ntstatus st = nt_handle_get(nt_process_of(t), c->a[0], NT_TYPE_THREAD, &o, NULL);

		if (st) {
			nt_done(t, st);
			return;
		}
		target = o->thread.tid && !o->thread.done ? host_find_thread(o->thread.tid) : NULL;
		if (!target || !nt_thread_state(target) || host_tgid(target) != host_tgid(t)) {
			nt_done(t, 0xC000004B); /* STATUS_THREAD_IS_TERMINATING */
			return;
		}
	}
	if ((uint32_t)c->a[1] != ThreadBasePriority) {
		nt_done(t, STATUS_INVALID_INFO_CLASS);
		return;
	}
	if ((uint32_t)c->a[3] != 4) {
		nt_done(t, STATUS_INFO_LENGTH_MISMATCH);
		return;
	}
	if (nt_get(t, c->a[2], &v, 4)) {
		nt_done(t, STATUS_ACCESS_VIOLATION);
		return;
	}
	if (v != THREAD_PRIORITY_LOWRT && v != THREAD_PRIORITY_IDLE && (v < -2 || v > 2)) {
		nt_done(t, STATUS_INVALID_PARAMETER);
		return;
	}
	nt_thread_state(target)->base_priority = v;
	nt_done(t, STATUS_SUCCESS);
}

/* ---- ThreadTimes: KERNEL_USER_TIMES {CreateTime, ExitTime, KernelTime, UserTime} from /proc's stat. */

void nt_thread_times(pid_t tgid, pid_t tid, uint64_t exit_time, unsigned char out[32])
{
	char path[64], line[1024], *p;
	unsigned long long utime = 0, stime = 0, start = 0;
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t create = 0, user, kernel;
	FILE *f;

	memset(out, 0, 32);
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", tgid, tid);
	f = tid ? fopen(path, "re") : NULL;
	if (f) {
		/* after the command's closing parenthesis: state is field 3, utime 14, stime 15, starttime 22 */
		if (fgets(line, sizeof(line), f) && (p = strrchr(line, ')')) &&
		    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %*d %*d %*d %*d %llu",
			   &utime, &stime, &start) == 3 && hz > 0) {
			struct timespec now, up;

			clock_gettime(CLOCK_REALTIME, &now);
			clock_gettime(CLOCK_BOOTTIME, &up);
			create = nt_time_of(now.tv_sec, now.tv_nsec) -
				 ((uint64_t)up.tv_sec * NT_TICKS_PER_SECOND + (uint64_t)up.tv_nsec / 100) +
				 start * (NT_TICKS_PER_SECOND / (uint64_t)hz);
		}
		fclose(f);
	}
	user = utime * (NT_TICKS_PER_SECOND / (uint64_t)(hz > 0 ? hz : 100));
	kernel = stime * (NT_TICKS_PER_SECOND / (uint64_t)(hz > 0 ? hz : 100));
	memcpy(out, &create, 8);
	memcpy(out + 8, &exit_time, 8);
	memcpy(out + 16, &kernel, 8);
	memcpy(out + 24, &user, 8);
}
