/* Planning an exec: follow #! chains and PT_INTERP as the kernel does, before anything is changed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "loader.h"
#include "pe_image.h"
#include "util.h"

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

int file_check_executable(int fd)
{
	struct stat st;
	struct statvfs vfs;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EACCES;
	if (fstatvfs(fd, &vfs) == 0 && (vfs.f_flag & ST_NOEXEC))
		return -EACCES;
	if (syscall(SYS_faccessat2, fd, "", X_OK, AT_EMPTY_PATH | AT_EACCESS) < 0)
		return -errno;
	return 0;
}

/*
 * Parse "#!interp [arg]" as binfmt_script does: blanks before the interpreter,
 * the argument is the rest of the line with outer blanks removed, and a line
 * longer than the buffer is refused if it would truncate the interpreter.
 */
static int parse_shebang(const char *buf, size_t len, char **interp, char **arg, struct load_error *e)
{
	const char *end = memchr(buf, '\n', len), *p, *q;

	if (!end) {
		/* No newline in the buffer: fine only if the interpreter name ends inside it. */
		end = buf + len;
		for (p = buf + 2; p < end && (*p == ' ' || *p == '\t'); p++)
			;
		for (q = p; q < end && *q != ' ' && *q != '\t' && *q != '\0'; q++)
			;
		if (q == end)
			return load_fail(e, ENOEXEC, "#! line longer than %d bytes truncates the interpreter name",
				    PV_BINPRM_BUF_SIZE);
	}
	{
		const char *nul = memchr(buf, '\0', (size_t)(end - buf));
		if (nul)
			end = nul;
	}
	for (p = buf + 2; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (p == end)
		return load_fail(e, ENOEXEC, "#! line names no interpreter");
	for (q = p; q < end && *q != ' ' && *q != '\t'; q++)
		;
	*interp = strndup(p, (size_t)(q - p));
	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	*arg = q < end ? strndup(q, (size_t)(end - q)) : NULL;
	return 0;
}

static void prefix_push_front(struct exec_plan *plan, char *s)
{
	plan->argv_prefix = xrealloc(plan->argv_prefix, (size_t)(plan->nprefix + 1) * sizeof(char *));
	memmove(plan->argv_prefix + 1, plan->argv_prefix, (size_t)plan->nprefix * sizeof(char *));
	plan->argv_prefix[0] = s;
	plan->nprefix++;
}

/* Put "WHAT NAME: " before the error's sentence, keeping what fits. */
static void prefix_error(struct load_error *e, const char *what, const char *name)
{
	char old[sizeof(e->why)];
	size_t used;

	memcpy(old, e->why, sizeof(old));
	used = (size_t)snprintf(e->why, sizeof(e->why), "%s %.160s: ", what, name);
	if (used < sizeof(e->why))
		memcpy(e->why + used, old, sizeof(e->why) - used - 1);
	e->why[sizeof(e->why) - 1] = '\0';
}

void file_ids(int fd, uint64_t *dev, uint64_t *ino)
{
	struct stat st;

	*dev = *ino = 0;
	if (fstat(fd, &st) == 0) {
		*dev = st.st_dev;
		*ino = st.st_ino;
	}
}

static char *path_of_fd(int fd)
{
	char link[64], buf[4096];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, sizeof(buf) - 1);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return xstrdup(buf);
}

static char *comm_of(const char *filename)
{
	const char *base = strrchr(filename, '/');
	char *c = xstrdup(base ? base + 1 : filename);

	if (strlen(c) > 15)
		c[15] = '\0';
	return c;
}

static int open_interpreter(const char *path, open_as_tracee_fn open_fn, void *ctx, int *fd, struct load_error *e,
			    const char *what)
{
	int rc;

	*fd = open_fn(ctx, path);
	if (*fd < 0)
		return load_fail(e, -*fd, "cannot open %s %s: %s", what, path, strerror(-*fd));
	rc = file_check_executable(*fd);
	if (rc < 0) {
		close(*fd);
		*fd = -1;
		return load_fail(e, -rc, "%s %s is not executable: %s", what, path, strerror(-rc));
	}
	return 0;
}

static bool starts_like_pe(int fd)
{
	unsigned char magic[2];

	/* Where the NT personality cannot run, an MZ file is what the ELF reader says it is: not an image. */
	return ARCH_HAS_NT && pread(fd, magic, sizeof(magic), 0) == 2 && pe_magic(magic, sizeof(magic));
}

int exec_plan_build(int fd, const char *filename, open_as_tracee_fn open_fn, void *ctx, struct exec_plan *plan,
		    struct load_error *e)
{
	char *current_path = NULL; /* the file at fd when it is not the one the tracee opened */
	int cur = fd, rc = -1;

	memset(plan, 0, sizeof(*plan));
	plan->filename = xstrdup(filename);
	plan->comm = comm_of(filename);
	for (int depth = 0;; depth++) {
		unsigned char buf[PV_BINPRM_BUF_SIZE];
		char *interp = NULL, *arg = NULL;
		ssize_t n = pread(cur, buf, sizeof(buf), 0);

		if (n < 0) {
			load_fail(e, errno, "cannot read %s: %s", current_path ? current_path : filename, strerror(errno));
			goto out;
		}
		if (n < 2 || buf[0] != '#' || buf[1] != '!')
			break;
		if (depth == PV_MAX_SCRIPT_DEPTH) {
			load_fail(e, ELOOP, "more than %d nested #! interpreters", PV_MAX_SCRIPT_DEPTH);
			goto out;
		}
		if (parse_shebang((char *)buf, (size_t)n, &interp, &arg, e))
			goto out;
		/* argv becomes: interp [arg] <previous name> argv[1..] (binfmt_script). */
		if (plan->nprefix == 0)
			prefix_push_front(plan, xstrdup(filename));
		if (arg)
			prefix_push_front(plan, arg);
		prefix_push_front(plan, xstrdup(interp));
		if (cur != fd)
			close(cur);
		free(current_path);
		current_path = interp;
		if (open_interpreter(interp, open_fn, ctx, &cur, e, "script interpreter"))
			goto out;
	}
	/* A PE image is the NT personality's, picked by its MZ magic; it has no interpreter to load. */
	if (starts_like_pe(cur) ? pe_plan_build(cur, &plan->pe, e) : elf_image_read(cur, &plan->main, e)) {
		if (current_path)
			prefix_error(e, "interpreter", current_path);
		goto out;
	}
	plan->main_path = current_path;
	current_path = NULL;
	if (plan->main_path)
		file_ids(cur, &plan->main_dev, &plan->main_ino);
	plan->exe_path = path_of_fd(cur);
	if (plan->main.interp) {
		int ifd;

		if (open_interpreter(plan->main.interp, open_fn, ctx, &ifd, e, "ELF interpreter"))
			goto out;
		file_ids(ifd, &plan->interp_dev, &plan->interp_ino);
		if (elf_image_read(ifd, &plan->interp, e)) {
			prefix_error(e, "ELF interpreter", plan->main.interp);
			e->err = ELIBBAD;
			close(ifd);
			goto out;
		}
		close(ifd);
		if (plan->interp.interp) {
			load_fail(e, ELIBBAD, "ELF interpreter %s names an interpreter of its own (%s)", plan->main.interp,
			     plan->interp.interp);
			goto out;
		}
		plan->has_interp = true;
		plan->interp_path = xstrdup(plan->main.interp);
	}
	rc = 0;
out:
	if (cur != fd && cur >= 0)
		close(cur);
	free(current_path);
	return rc;
}

void exec_plan_free(struct exec_plan *plan)
{
	for (int i = 0; i < plan->nprefix; i++)
		free(plan->argv_prefix[i]);
	free(plan->argv_prefix);
	free(plan->filename);
	free(plan->comm);
	free(plan->main_path);
	free(plan->interp_path);
	free(plan->exe_path);
	elf_image_free(&plan->main);
	elf_image_free(&plan->interp);
	pe_plan_free(plan->pe);
	memset(plan, 0, sizeof(*plan));
}
