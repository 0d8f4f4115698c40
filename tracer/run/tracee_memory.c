/* Memory of a stopped tracee (include/tracee.h): the same on every architecture. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "tracee.h"
#include "util.h"

/* /proc/PID/mem reaches pages process_vm_* refuse (read-only text), as ptrace may. */
static ssize_t proc_mem_io(pid_t tid, uint64_t addr, void *buf, size_t len, int write)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", tid);
	fd = open(path, (write ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write ? pwrite(fd, buf, len, (off_t)addr) : pread(fd, buf, len, (off_t)addr);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n == -EIO)
		n = -EFAULT;
	return n;
}

ssize_t tracee_read(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len }, remote = { (void *)addr, len };
	ssize_t n;

	if (len == 0)
		return 0;
	n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return n;
	if (n < 0 && errno != EFAULT && errno != ENOSYS && errno != EPERM)
		return -errno;
	n = proc_mem_io(tid, addr, buf, len, 0);
	if (n >= 0 && (size_t)n < len)
		return -EFAULT;
	return n;
}

ssize_t tracee_write(pid_t tid, uint64_t addr, const void *buf, size_t len)
{
	struct iovec local = { (void *)buf, len }, remote = { (void *)addr, len };
	ssize_t n;

	if (len == 0)
		return 0;
	n = process_vm_writev(tid, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return n;
	n = proc_mem_io(tid, addr, (void *)buf, len, 1);
	if (n >= 0 && (size_t)n < len)
		return -EFAULT;
	return n;
}

/* Is [addr, addr+len) covered by writable mappings of the thread's process (/proc/TID/maps)? */
static bool range_writable(pid_t tid, uint64_t addr, size_t len)
{
	char path[64], line[512];
	uint64_t at = addr, end = addr + len;
	FILE *f;

	if (end < addr)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/maps", tid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (at < end && fgets(line, sizeof(line), f)) {
		unsigned long long lo, hi;
		char perms[8];

		if (sscanf(line, "%llx-%llx %7s", &lo, &hi, perms) != 3 || hi <= at)
			continue;
		if (lo > at || perms[1] != 'w')
			break;
		at = hi;
	}
	fclose(f);
	return at >= end;
}

ssize_t tracee_write_as_program(pid_t tid, uint64_t addr, const void *buf, size_t len)
{
	struct iovec local = { (void *)buf, len }, remote = { (void *)addr, len };
	ssize_t n;

	if (len == 0)
		return 0;
	n = process_vm_writev(tid, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return n;
	if (n >= 0 || (errno != ENOSYS && errno != EPERM))
		return -EFAULT;
	/* No cross-memory attach here: /proc/PID/mem, which ignores protection, only where the maps allow writing. */
	if (!range_writable(tid, addr, len))
		return -EFAULT;
	n = proc_mem_io(tid, addr, (void *)buf, len, 1);
	return n >= 0 && (size_t)n < len ? -EFAULT : n;
}

int tracee_write_many(pid_t tid, const struct tracee_chunk *chunks, int n)
{
	struct iovec local[8] = { { 0 } }, remote[8] = { { 0 } };
	size_t total = 0;

	/* One system call for all (the common case), else each on its own with its fallbacks. */
	if (n <= 8) {
		for (int i = 0; i < n; i++) {
			local[i] = (struct iovec){ (void *)chunks[i].buf, chunks[i].len };
			remote[i] = (struct iovec){ (void *)chunks[i].addr, chunks[i].len };
			total += chunks[i].len;
		}
		if (process_vm_writev(tid, local, (unsigned long)n, remote, (unsigned long)n, 0) == (ssize_t)total)
			return 0;
	}
	for (int i = 0; i < n; i++) {
		ssize_t w = tracee_write(tid, chunks[i].addr, chunks[i].buf, chunks[i].len);

		if (w < 0)
			return (int)w;
	}
	return 0;
}

ssize_t tracee_read_string(pid_t tid, uint64_t addr, char *buf, size_t max)
{
	size_t got = 0;

	/* Read up to page boundaries so a string ending just before an unmapped page reads fine. */
	while (got < max) {
		size_t chunk = 4096 - ((addr + got) & 4095);
		ssize_t n;
		char *nul;

		if (chunk > max - got)
			chunk = max - got;
		n = tracee_read(tid, addr + got, buf + got, chunk);
		if (n < 0)
			return n;
		nul = memchr(buf + got, '\0', (size_t)n);
		if (nul)
			return nul - buf;
		got += (size_t)n;
	}
	buf[max - 1] = '\0';
	return -ENAMETOOLONG;
}

ssize_t tracee_read_ptr_array(pid_t tid, uint64_t addr, int ptr_size, uint64_t **out, size_t max)
{
	size_t n = 0, cap = 64;
	uint64_t *v = xmalloc(cap * sizeof(*v));

	*out = NULL;
	if (addr == 0) { /* the kernel treats a NULL argv/envp as empty */
		*out = v;
		return 0;
	}
	for (;;) {
		unsigned char chunk[512];
		size_t per = (size_t)ptr_size, want = sizeof(chunk);
		ssize_t got = tracee_read(tid, addr + n * per, chunk, want);

		if (got < 0) { /* retry a pointer at a time near the end of a mapping */
			got = tracee_read(tid, addr + n * per, chunk, per);
			if (got < 0) {
				free(v);
				return got;
			}
		}
		for (size_t off = 0; off + per <= (size_t)got; off += per) {
			uint64_t p = 0;

			memcpy(&p, chunk + off, per);
			if (p == 0) {
				*out = v;
				return (ssize_t)n;
			}
			if (n + 1 >= max) {
				free(v);
				return -E2BIG;
			}
			if (n == cap)
				v = xrealloc(v, (cap *= 2) * sizeof(*v));
			v[n++] = p;
		}
	}
}
