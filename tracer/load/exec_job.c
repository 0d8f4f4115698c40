/* Serving an exec up to the stub's exec (see tracer/load/exec_job.h); tracer/load/exec_load.c does the rest. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../run/event_loop.h"
#include "arch.h"
#include "exec_job.h"
#include "trace.h"
#include "exec_job_internal.h"
#include "loader.h"
#include "../run/options.h"
#include "../run/proc_links.h"
#include "stub.h"
#include "thread_creds.h"
#include "tracee.h"
#include "util.h"

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 1U
#endif

static int nr_of(enum abi abi, const char *name)
{
	int nr = syscall_number(abi, name);

	if (nr < 0)
		die("internal error: no %s system call in the %s table", name, abi_name(abi));
	return nr;
}

void exec_job_set_mask(pid_t tid, uint64_t mask)
{
	ptrace(PTRACE_SETSIGMASK, tid, sizeof(mask), &mask);
}

void exec_job_free(struct tracee *t)
{
	struct exec_job *j = t->job;

	pe_load_state_free(j);
	exec_plan_free(&j->plan);
	free(j->creds);
	if (j->image_fd >= 0)
		close(j->image_fd);
	if (j->stub_fd >= 0)
		close(j->stub_fd);
	free(j->name);
	free(j);
	t->job = NULL;
	t->resume = RESUME_CONT;
}

/* The exec fails: the old program sees -err, as if the kernel had refused it. */
static void finish_error(struct tracee *t, bool at_entry)
{
	struct exec_job *j = t->job;
	tracee_regs r = j->saved;

	if (at_entry)
		regs_set_syscall_nr(&r, -1);
	regs_set_retval(&r, -j->err);
	regs_set(t->tid, &r);
	exec_job_set_mask(t->tid, j->saved_mask);
	trace_call_done(t, -j->err);
	if (t->proc->is_main && !t->proc->loaded)
		warn("cannot execute %s: %s", j->path[0] ? j->path : "(empty path)",
		     j->why[0] ? j->why : strerror(j->err));
	else if (run_options()->verbose)
		warn("exec of %s in process %d failed: %s", j->path, t->proc->tgid, j->why[0] ? j->why : strerror(j->err));
	exec_job_free(t);
	tracee_resume(t, 0);
}

__attribute__((format(printf, 3, 4))) static void set_error(struct exec_job *j, int err, const char *fmt, ...)
{
	va_list ap;

	j->err = err;
	va_start(ap, fmt);
	vsnprintf(j->why, sizeof(j->why), fmt, ap);
	va_end(ap);
}

/*
 * Run one system call in the thread, from a syscall stop, by re-executing its
 * syscall instruction. Always with PTRACE_SYSCALL: its entry and exit stops
 * come whatever the program's own filters answer, and every stop is checked
 * against what was set here before it is taken (exec_job_verify.c).
 */
static void inject(struct tracee *t, long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	struct exec_job *j = t->job;
	tracee_regs r = j->saved;

	regs_set_ip(&r, regs_ip(&r) - SYSCALL_INSN_LEN);
	regs_set_syscall_nr(&r, nr);
	regs_set_arg(&r, j->abi, 0, a0);
	regs_set_arg(&r, j->abi, 1, a1);
	regs_set_arg(&r, j->abi, 2, a2);
	regs_set_arg(&r, j->abi, 3, a3);
	regs_set_arg(&r, j->abi, 4, a4);
	regs_set(t->tid, &r);
	exec_job_expect(t, &r, true, false);
	t->resume = RESUME_SYSCALL;
	tracee_resume(t, 0);
}

/* Close the next fd the failed exec left in the thread, or return the error. */
static void close_next_or_fail(struct tracee *t)
{
	struct exec_job *j = t->job;

	if (j->nclose == 0) {
		finish_error(t, false);
		return;
	}
	j->stage = STAGE_CLOSING;
	inject(t, nr_of(j->abi, "close"), (uint64_t)j->close_fd[--j->nclose], 0, 0, 0, 0);
}

/* May the personality's rules map this image (a sandbox checks each one's path)? 0 or -errno. */
static int image_allowed(struct tracee *t, int fd, const char *role)
{
	int (*check)(struct tracee *, int, const char *) = t->proc->pers->image_allowed;

	return check ? check(t, fd, role) : 0;
}

/* Take on the thread's credentials, read once per exec (a stopped thread's do not change). */
static int as_thread(struct tracee *t, struct creds_saved *saved)
{
	struct exec_job *j = t->job;

	if (!j->creds) {
		j->creds = xmalloc(sizeof(*j->creds));
		if (thread_creds_read(t->tid, j->creds) < 0) {
			free(j->creds);
			j->creds = NULL;
			memset(saved, 0, sizeof(*saved));
			return -EPERM;
		}
	}
	return creds_take_on(t->tid, j->creds, saved);
}

/* Open an image by path with the thread's credentials (relative: to its cwd, reached as an object). */
static int open_image_as_thread(struct tracee *t, const char *path)
{
	struct creds_saved saved;
	char cwd[64];
	int dfd = AT_FDCWD, fd, rc;

	if (path[0] != '/') {
		snprintf(cwd, sizeof(cwd), "/proc/%d/cwd", t->tid);
		dfd = open(cwd, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			return -errno;
	}
	/* Where picovisor cannot take them on (a thread in another user namespace), its own, as close as it gets. */
	as_thread(t, &saved);
	fd = openat(dfd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	fd = fd < 0 ? -errno : fd;
	if (fd >= 0 && (rc = file_check_executable(fd)) < 0) {
		close(fd);
		fd = rc;
	}
	creds_restore(&saved);
	if (dfd >= 0)
		close(dfd);
	return fd;
}

static int open_as_tracee(void *ctx, const char *guest_path)
{
	struct tracee *t = ctx;
	char host[PATH_MAX];
	const char *path = guest_path;
	int fd, rc;

	if (t->proc->pers->image_path) {
		rc = t->proc->pers->image_path(t, guest_path, host, sizeof(host));
		if (rc < 0)
			return rc;
		path = host;
	}
	fd = open_image_as_thread(t, path);
	if (fd < 0)
		return fd;
	rc = image_allowed(t, fd, "interpreter");
	if (rc < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

/* The plan names interpreters as the program sees them; the executor opens them by their host paths. */
static int host_paths_of_plan(struct tracee *t, struct exec_plan *plan)
{
	char **paths[] = { &plan->main_path, &plan->interp_path };
	char host[PATH_MAX];

	for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
		if (!*paths[i])
			continue;
		if (t->proc->pers->image_path(t, *paths[i], host, sizeof(host)) < 0)
			return -1;
		free(*paths[i]);
		*paths[i] = xstrdup(host);
	}
	return 0;
}

/* The name binfmt gives the image: AT_EXECFN, comm, the script path in argv. */
static char *exec_filename(const struct exec_job *j)
{
	if (j->name)
		return xstrdup(j->name); /* the guest's name, when the path was translated */
	if (j->path[0] == '/' || (j->dirfd == AT_FDCWD && j->path[0]))
		return xstrdup(j->path);
	if (j->path[0] == '\0')
		return xasprintf("/dev/fd/%d", j->dirfd);
	return xasprintf("/dev/fd/%d/%s", j->dirfd, j->path);
}

/* The checks the kernel makes before it looks at the file, in its order; 0 or an errno. */
static int check_request(struct exec_job *j)
{
	if (j->flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return EINVAL;
	if (j->path_len == 0 && !(j->flags & AT_EMPTY_PATH))
		return ENOENT;
	if (j->path_len == 0 && j->abi != ABI_NATIVE) {
		set_error(j, ENOEXEC, "fexecve through int 0x80 is not supported by picovisor's loader");
		return ENOEXEC;
	}
	return 0;
}

/*
 * execveat(fd, "", AT_EMPTY_PATH): a descriptor that is not open is EBADF, as
 * the kernel says before it looks further (the open below goes by a name).
 */
static int check_exec_fd(struct tracee *t, int fd)
{
	int copy = tracee_take_fd(t->tid, t->proc->tgid, fd);

	if (copy == -EBADF)
		return EBADF;
	if (copy >= 0)
		close(copy);
	return 0;
}

/*
 * Turn the exec into the thread opening its image: with its own credentials,
 * cwd and dirfd. Not O_CLOEXEC: the fd must survive the exec of the stub.
 * O_NONBLOCK: opening a FIFO must not hang. fexecve reopens through /proc.
 */
static int rewrite_into_open(struct tracee *t)
{
	struct exec_job *j = t->job;
	uint64_t flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | ((j->flags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0);
	uint64_t path = j->path_addr;
	int dirfd = j->dirfd;
	tracee_regs r = j->saved;

	if (j->path_len == 0) {
		char fdpath[64];
		/* AT_FDCWD with "": the cwd itself, a directory (EACCES, as the kernel says). */
		int len = j->dirfd == AT_FDCWD ? snprintf(fdpath, sizeof(fdpath), ".")
					       : snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", j->dirfd);

		path = (regs_sp(&j->saved) - 256) & ~15UL; /* below the red zone */
		if (tracee_write(t->tid, path, fdpath, (size_t)len + 1) < 0)
			return EFAULT;
		dirfd = AT_FDCWD;
	}
	regs_set_syscall_nr(&r, nr_of(j->abi, "openat"));
	regs_set_arg(&r, j->abi, 0, (uint64_t)(int64_t)dirfd);
	regs_set_arg(&r, j->abi, 1, path);
	regs_set_arg(&r, j->abi, 2, flags);
	regs_set_arg(&r, j->abi, 3, 0);
	regs_set(t->tid, &r);
	exec_job_expect(t, &r, false, true);
	return 0;
}

void exec_job_start(struct tracee *t, const struct syscall_stop *s)
{
	exec_job_start_named(t, s, NULL, NULL);
}

void exec_job_start_named(struct tracee *t, const struct syscall_stop *s, const tracee_regs *program_regs,
			  const char *name)
{
	struct exec_job *j = xcalloc(1, sizeof(*j));
	/* execve(path, argv, envp) or execveat(dirfd, path, argv, envp, flags): where each is, the table says. */
	int dirfd_arg = syscall_arg_index(s->abi, s->entry, K_DIRFD), flags_arg = syscall_arg_index(s->abi, s->entry, K_AT_FLAGS);
	bool at = dirfd_arg >= 0;
	ssize_t n;

	t->job = j;
	j->abi = s->abi;
	j->main_fd = j->memfd = j->image_fd = j->stub_fd = -1;
	j->saved = program_regs ? *program_regs : s->regs;
	j->name = name ? xstrdup(name) : NULL;
	j->via_execve = !at;
	ptrace(PTRACE_GETSIGMASK, t->tid, sizeof(j->saved_mask), &j->saved_mask);
	j->dirfd = at ? (int)regs_arg(&s->regs, j->abi, dirfd_arg) : AT_FDCWD;
	j->path_addr = regs_arg(&s->regs, j->abi, syscall_arg_index(s->abi, s->entry, K_PATH));
	j->argv_addr = regs_arg(&s->regs, j->abi, syscall_arg_index(s->abi, s->entry, K_ARGV));
	j->envp_addr = regs_arg(&s->regs, j->abi, syscall_arg_index(s->abi, s->entry, K_ENVP));
	j->flags = flags_arg >= 0 ? (int)regs_arg(&s->regs, j->abi, flags_arg) : 0;
	n = tracee_read_string(t->tid, j->path_addr, j->path, sizeof(j->path));
	if (n < 0) {
		j->path[0] = '\0';
		j->err = (int)-n;
	} else {
		j->path_len = (size_t)n;
		j->err = check_request(j);
		if (j->err == 0 && n == 0 && j->dirfd != AT_FDCWD)
			j->err = check_exec_fd(t, j->dirfd);
	}
	/* Signals wait until the exec is over, as they would in the kernel. */
	if (j->err == 0) {
		exec_job_set_mask(t->tid, ~0ULL);
		j->err = rewrite_into_open(t);
	}
	if (j->err) {
		finish_error(t, true);
		return;
	}
	j->stage = STAGE_OPENING;
	t->resume = RESUME_SYSCALL;
	tracee_resume(t, 0);
}

/* Build the script's argv (interpreters, then argv[1..]) below the thread's stack pointer. */
static int write_script_argv(struct tracee *t, uint64_t *out)
{
	struct exec_job *j = t->job;
	uint64_t *orig = NULL, *arr, sp = (regs_sp(&j->saved) - 512) & ~15UL;
	ssize_t argc = tracee_read_ptr_array(t->tid, j->argv_addr, 8, &orig, 1 << 20);
	size_t n, k = 0;
	int rc = 0;

	if (argc < 0)
		return (int)argc;
	n = (size_t)j->plan.nprefix + (argc > 1 ? (size_t)argc - 1 : 0);
	arr = xcalloc(n + 1, sizeof(uint64_t));
	for (int i = 0; i < j->plan.nprefix; i++) {
		size_t len = strlen(j->plan.argv_prefix[i]) + 1;

		sp -= len;
		if (tracee_write(t->tid, sp, j->plan.argv_prefix[i], len) < 0) {
			rc = -EFAULT;
			goto out;
		}
		arr[k++] = sp;
	}
	for (ssize_t i = 1; i < argc; i++)
		arr[k++] = orig[i];
	sp = (sp - (n + 1) * 8) & ~15UL;
	if (tracee_write(t->tid, sp, arr, (n + 1) * 8) < 0)
		rc = -EFAULT;
	*out = sp;
out:
	free(arr);
	free(orig);
	return rc;
}

/* The stub in one sealed memfd of the supervisor: sealed, so no tracee can rewrite it. -1 if unavailable. */
static int shared_stub_fd(void)
{
	static int fd = -2;
	size_t len = (size_t)(pv_stub_image_end - pv_stub_image);

	if (fd != -2)
		return fd;
	fd = memfd_create("picovisor-stub", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd >= 0 && (write(fd, pv_stub_image, len) != (ssize_t)len ||
			fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* The slower way, for threads that may not reach picovisor's /proc (other credentials): their own memfd. */
static void exec_private_stub(struct tracee *t)
{
	struct exec_job *j = t->job;

	j->stage = STAGE_MEMFD;
	/* Name the memfd after the tail of the path: any string of the tracee's will do. */
	inject(t, nr_of(j->abi, "memfd_create"), j->path_addr + (j->path_len > 200 ? j->path_len - 200 : 0),
	       MFD_CLOEXEC, 0, 0, 0);
}

/* Exec the stub as /proc/<picovisor>/fd/N: no memfd of the thread's own, two stops fewer. */
static void exec_shared_stub(struct tracee *t)
{
	struct exec_job *j = t->job;
	int fd = shared_stub_fd();
	uint64_t at = (regs_sp(&j->saved) - 384) & ~15UL; /* clear of the fexecve and script scratch */
	char path[64];
	int len;

	if (fd < 0 || j->abi != ABI_NATIVE) { /* int 0x80 would need the string below 4 GiB */
		exec_private_stub(t);
		return;
	}
	len = snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)getpid(), fd);
	if (tracee_write(t->tid, at, path, (size_t)len + 1) < 0) {
		exec_private_stub(t);
		return;
	}
	j->stage = STAGE_EXECING_SHARED;
	/* The call the program made: a filter of its own that refuses execveat alone lets this one run. */
	if (j->via_execve)
		inject(t, nr_of(j->abi, "execve"), at, j->exec_argv, j->envp_addr, 0, 0);
	else
		inject(t, nr_of(j->abi, "execveat"), (uint64_t)(int64_t)AT_FDCWD, at, j->exec_argv, j->envp_addr, 0);
}

/* Since Linux 6.14 an exec through an fd (fexecve) names the task after the file's dentry. */
static bool kernel_names_fd_exec_by_dentry(void)
{
	static int answer = -1;
	struct utsname u;
	int major = 0, minor = 0;

	if (answer < 0) {
		answer = uname(&u) == 0 && sscanf(u.release, "%d.%d", &major, &minor) == 2 &&
			 (major > 6 || (major == 6 && minor >= 14));
	}
	return answer;
}

/* The dentry name of the image the plan maps: the last component of its path, as /proc shows it. */
static void comm_from_dentry(struct exec_plan *plan)
{
	const char *deleted = " (deleted)";
	char *name, *slash;
	size_t len;

	if (!plan->exe_path)
		return;
	name = xstrdup(plan->exe_path);
	len = strlen(name);
	if (len > strlen(deleted) && strcmp(name + len - strlen(deleted), deleted) == 0)
		name[len - strlen(deleted)] = '\0';
	slash = strrchr(name, '/');
	free(plan->comm);
	plan->comm = xstrdup(slash ? slash + 1 : name);
	if (strlen(plan->comm) > 15)
		plan->comm[15] = '\0';
	free(name);
}

/* Is the file at fd one of picovisor's stubs (the shared one or a thread's memfd copy)? */
static bool is_stub(int fd)
{
	size_t len = (size_t)(pv_stub_image_end - pv_stub_image);
	unsigned char buf[4096];
	struct stat st;

	if (len > sizeof(buf) || fstat(fd, &st) < 0 || (size_t)st.st_size != len)
		return false;
	return pread(fd, buf, len, 0) == (ssize_t)len && memcmp(buf, pv_stub_image, len) == 0;
}

/*
 * Where the kernel could not be told a process's executable, /proc/PID/exe is
 * the stub: an exec of it (the re-exec idiom of busybox, Go, runc...) means
 * the program the link stands for. Open that instead; NULL if it is unknown.
 */
static int open_real_exe(struct tracee *t, const char **path)
{
	struct exec_job *j = t->job;
	struct pico_process *owner = j->path_len ? exe_link_owner(t, j->path) : NULL;
	int fd;

	*path = owner ? owner->exe_path : t->proc->exe_path; /* fexecve of an fd opened on it: most likely self */
	if (!*path)
		return -ENOEXEC;
	fd = open(*path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	return fd < 0 ? -errno : fd;
}

/* The exec permission as the kernel checks it for the thread: with its credentials, not picovisor's. */
static int check_executable_as_thread(struct tracee *t, int fd)
{
	struct creds_saved saved;
	int rc;

	if (as_thread(t, &saved) < 0)
		return file_check_executable(fd); /* picovisor cannot be the thread: its own check, as close as it gets */
	rc = file_check_executable(fd);
	creds_restore(&saved);
	return rc;
}

static void after_open(struct tracee *t, long ret)
{
	struct exec_job *j = t->job;
	char *filename;
	const char *real_exe = NULL;
	int hfd, rc;
	struct load_error e = { 0, "" };

	if (ret < 0) {
		j->err = (int)-ret;
		finish_error(t, false);
		return;
	}
	j->main_fd = (int)ret;
	j->close_fd[j->nclose++] = j->main_fd;
	/*
	 * The open file itself, never reopened by a name or an fd number the program
	 * could change: what is checked and planned is what the executor maps (it
	 * is compared again once the stub's exec made the fd table private).
	 */
	hfd = tracee_take_fd(t->tid, t->proc->tgid, j->main_fd);
	if (hfd < 0) {
		set_error(j, -hfd, "cannot take the opened image from the thread: %s", strerror(-hfd));
		close_next_or_fail(t);
		return;
	}
	if (is_stub(hfd)) {
		close(hfd);
		hfd = open_real_exe(t, &real_exe);
		if (hfd < 0) {
			set_error(j, -hfd, "this names picovisor's stub, and the program it stands for is unknown");
			close_next_or_fail(t);
			return;
		}
	} else {
		j->image_fd = hfd;
	}
	rc = check_executable_as_thread(t, hfd);
	if (rc == 0)
		rc = image_allowed(t, hfd, "program");
	if (rc < 0) {
		if (real_exe)
			close(hfd);
		j->err = -rc;
		close_next_or_fail(t);
		return;
	}
	filename = exec_filename(j);
	rc = exec_plan_build(hfd, filename, open_as_tracee, t, &j->plan, &e);
	free(filename);
	if (real_exe && rc == 0 && !j->plan.main_path)
		file_ids(hfd, &j->plan.main_dev, &j->plan.main_ino);
	if (real_exe)
		close(hfd);
	if (j->image_fd >= 0) {
		/*
		 * Not held across the stub's exec: a run with hundreds of execs at once
		 * would hold as many descriptors. The file's identity is enough to
		 * compare with at the exec event.
		 */
		file_ids(j->image_fd, &j->image_dev, &j->image_ino);
		j->image_known = true;
		close(j->image_fd);
		j->image_fd = -1;
	}
	if (rc) {
		set_error(j, e.err, "%s", e.why);
		close_next_or_fail(t);
		return;
	}
	if (t->proc->pers->image_path && host_paths_of_plan(t, &j->plan) < 0) {
		set_error(j, ENOENT, "cannot name the interpreter's host path");
		close_next_or_fail(t);
		return;
	}
	if (real_exe && !j->plan.main_path) /* map the real program, not the stub the thread opened */
		j->plan.main_path = xstrdup(real_exe);
	if (j->path_len == 0 && kernel_names_fd_exec_by_dentry())
		comm_from_dentry(&j->plan);
	if (j->plan.nprefix && j->abi != ABI_NATIVE) {
		set_error(j, ENOEXEC, "running a #! script through int 0x80 is not supported by picovisor's loader");
		close_next_or_fail(t);
		return;
	}
	j->exec_argv = j->argv_addr;
	if (j->plan.nprefix) {
		rc = write_script_argv(t, &j->exec_argv);
		if (rc < 0) {
			set_error(j, -rc, "cannot write the script's argv below the stack pointer: %s", strerror(-rc));
			close_next_or_fail(t);
			return;
		}
	}
	exec_shared_stub(t);
}

/* The name memfd_create was given (exec_private_stub). */
static const char *memfd_name(const struct exec_job *j)
{
	return j->path + (j->path_len > 200 ? j->path_len - 200 : 0);
}

/*
 * Write the stub into the memfd the thread just made, through picovisor's own
 * copy of that open file, after checking it is one: a fresh memfd, empty, with
 * no name in any directory, and the name picovisor gave it. Another thread may
 * have put anything at that fd number meanwhile, or a filter of the program's
 * may have answered memfd_create without making one; that is refused here,
 * never written. 0, -errno, or 1: the fd is not the memfd the call makes.
 */
static int write_stub(struct tracee *t, int memfd, const char *memfd_given)
{
	struct exec_job *j = t->job;
	size_t len = (size_t)(pv_stub_image_end - pv_stub_image);
	char link[64], name[64];
	struct stat st;
	ssize_t n;
	int fd = tracee_take_fd(t->tid, t->proc->tgid, memfd);

	if (fd < 0)
		return fd;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, name, sizeof(name) - 1);
	name[n > 0 ? n : 0] = '\0';
	if (!exec_job_is_fresh_memfd(fd, memfd_given) || fstat(fd, &st) < 0 || st.st_nlink != 0 ||
	    fcntl(fd, F_GET_SEALS) < 0 || (fcntl(fd, F_GETFL) & O_ACCMODE) != O_RDWR || strncmp(name, "/memfd:", 7) != 0) {
		close(fd);
		return 1;
	}
	if (pwrite(fd, pv_stub_image, len, 0) != (ssize_t)len) {
		close(fd);
		return -EIO;
	}
	j->stub_fd = fd; /* the exec event checks that this is what the thread exec'd */
	return 0;
}

/* execve("/proc/self/fd/N") of the thread's memfd, for a program that called execve; false if it cannot be written. */
static bool inject_execve_of_fd(struct tracee *t)
{
	struct exec_job *j = t->job;
	uint64_t at = (regs_sp(&j->saved) - 384) & ~15UL; /* where exec_shared_stub puts its path */
	char path[64];
	int len;

	if (j->abi != ABI_NATIVE)
		return false;
	len = snprintf(path, sizeof(path), "/proc/self/fd/%d", j->memfd);
	if (tracee_write(t->tid, at, path, (size_t)len + 1) < 0)
		return false;
	inject(t, nr_of(j->abi, "execve"), at, j->exec_argv, j->envp_addr, 0, 0);
	return true;
}

static void after_memfd(struct tracee *t, long ret)
{
	struct exec_job *j = t->job;
	int rc;

	if (ret < 0) {
		j->err = (int)-ret;
		close_next_or_fail(t);
		return;
	}
	j->memfd = (int)ret;
	j->close_fd[j->nclose++] = j->memfd;
	rc = write_stub(t, j->memfd, memfd_name(j));
	if (rc > 0) {
		j->nclose--; /* the program's own fd: not closed for it */
		set_error(j, EPERM, "memfd_create did not make a memfd: a seccomp filter of the program's answered it, "
			  "or another thread put something else at its descriptor");
		close_next_or_fail(t);
		return;
	}
	if (rc < 0) {
		set_error(j, -rc, "cannot prepare the blank process: %s", rc == -EBADF ? "the descriptor of its memfd no longer names it" : strerror(-rc));
		close_next_or_fail(t);
		return;
	}
	j->stage = STAGE_EXECING;
	if (j->via_execve && inject_execve_of_fd(t))
		return;
	/* The path's own NUL is an empty string in the tracee's memory. */
	inject(t, nr_of(j->abi, "execveat"), (uint64_t)j->memfd, j->path_addr + j->path_len, j->exec_argv,
	       j->envp_addr, AT_EMPTY_PATH);
}

/*
 * At the exec event: the process is the stub, and the fd the executor will map
 * is the image that was checked and planned. Until this exec, other threads
 * (and processes sharing the fd table) could swap the memfd, the path of the
 * shared stub or the image fd; the exec made the fd table private and left one
 * thread, so what is checked here stays until the executor has mapped it.
 */
static const char *exec_verify(struct tracee *t)
{
	struct exec_job *j = t->job;
	struct stat exe, stub;
	char link[64];
	int stub_fd = j->stage == STAGE_EXECING ? j->stub_fd : shared_stub_fd();

	snprintf(link, sizeof(link), "/proc/%d/exe", t->tid);
	if (stub_fd < 0 || stat(link, &exe) < 0 || fstat(stub_fd, &stub) < 0 || exe.st_dev != stub.st_dev ||
	    exe.st_ino != stub.st_ino)
		return "what the thread executed is not picovisor's stub (another thread changed it)";
	if (j->image_known && !j->plan.main_path && !j->plan.pe &&
	    !tracee_fd_names_file(t->tid, t->proc->tgid, j->main_fd, j->image_dev, j->image_ino))
		return "the image's descriptor no longer names the file that was checked (another thread changed it)";
	return NULL;
}

/*
 * A call the job ran was answered by a filter of the program's (ERRNO, TRAP or
 * KILL outrank picovisor's TRACE): it never ran. The exec fails with that
 * filter's errno where the return value shows one; ERRNO(0) and TRAP leave
 * none, and EPERM stands for them.
 */
static void refused_by_program_filter(struct tracee *t, long ret)
{
	struct exec_job *j = t->job;
	int err = ret < 0 && ret > -4096 ? (int)-ret : EPERM;

	if (j->stage == STAGE_CLOSING) { /* the exec has failed already: keep its errno */
		close_next_or_fail(t);
		return;
	}
	set_error(j, err, "a seccomp filter of the program's refused the call picovisor runs for the exec: %s",
		  strerror(err));
	if (j->stage == STAGE_OPENING)
		finish_error(t, false);
	else
		close_next_or_fail(t);
}

void exec_job_step(struct tracee *t, enum job_stop kind, int sig)
{
	struct exec_job *j = t->job;
	const char *why;
	tracee_regs r;

	switch (kind) {
	case JOB_STOP_SYSCALL_ENTRY:
	case JOB_STOP_SECCOMP:
		if (j->stage == STAGE_BATCH) {
			/* A call of the executor's batch that the trace selects: ours, not the program's. */
			t->resume = RESUME_CONT;
			tracee_resume(t, 0);
			return;
		}
		/* Entry of a call we injected: let it run to its exit (or to the exec event). */
		t->resume = RESUME_SYSCALL;
		tracee_resume(t, 0);
		return;
	case JOB_STOP_EXEC:
		if (j->stage != STAGE_EXECING && j->stage != STAGE_EXECING_SHARED)
			break;
		why = exec_verify(t);
		if (why) {
			exec_load_failed(t, why);
			return;
		}
		exec_load_start(t);
		return;
	case JOB_STOP_SIGNAL:
		if (j->stage == STAGE_BATCH && sig == SIGTRAP) {
			exec_load_trapped(t);
			return;
		}
		if (j->stage == STAGE_BATCH && sig == SIGSEGV) {
			exec_load_done(t);
			return;
		}
		if (j->stage == STAGE_BATCH) {
			char what[64];
			snprintf(what, sizeof(what), "the executor got signal %d", sig);
			exec_load_failed(t, what);
			return;
		}
		/* Only unblockable signals reach here before the exec; deliver them. */
		tracee_resume(t, sig);
		return;
	case JOB_STOP_SYSCALL_EXIT:
		regs_get(t->tid, &r);
		if (j->stage != STAGE_BATCH && j->expect.decided_by_program) {
			refused_by_program_filter(t, regs_retval(&r));
			return;
		}
		switch (j->stage) {
		case STAGE_OPENING:
			after_open(t, regs_retval(&r));
			return;
		case STAGE_EXECING_SHARED:
			/* Not allowed to reach picovisor's fds: take the memfd way. Other errors are the exec's. */
			j->err = (int)-regs_retval(&r);
			if (j->err == EACCES || j->err == EPERM || j->err == ENOENT)
				exec_private_stub(t);
			else
				close_next_or_fail(t);
			return;
		case STAGE_MEMFD:
			after_memfd(t, regs_retval(&r));
			return;
		case STAGE_EXECING:
			j->err = (int)-regs_retval(&r);
			close_next_or_fail(t);
			return;
		case STAGE_CLOSING:
			close_next_or_fail(t);
			return;
		case STAGE_BATCH:
			break;
		}
		break;
	}
	exec_load_failed(t, "unexpected stop while loading");
}

void exec_job_abandon(struct tracee *t)
{
	if (t->job)
		exec_job_free(t);
}
