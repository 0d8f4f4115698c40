/*
 * Directory listings in the guest view: a directory with mappings directly
 * below it lists their names (a mapping's name the host directory lacks is
 * added at the end of the listing; one it has shows the mapped directory's
 * inode and type). Only such directories take an exit stop.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest_resolve.h"
#include "path_translate.h"
#include "tracee.h"
#include "util.h"

#define MAX_LISTING (1UL << 20) /* of a buffer we rewrite */

/* One listing in progress: which mapping names it has shown. */
struct dirents_state {
	pid_t tgid;
	int fd;
	dev_t dev;
	ino_t ino;
	bool is64;                /* getdents64's records, else getdents' */
	uint32_t seen, emitted;   /* bit i: names[i] */
	const struct guest_mount *names[DIRENTS_MAX_NAMES];
	size_t n;
	struct dirents_state *next;
};

static struct dirents_state *listings;

void dirents_forget(pid_t tgid)
{
	struct dirents_state **pp = &listings;

	while (*pp) {
		struct dirents_state *d = *pp;
		if (d->tgid == tgid) {
			*pp = d->next;
			free(d);
		} else {
			pp = &d->next;
		}
	}
}

static long long file_pos(pid_t tid, int fd)
{
	char path[64], buf[256];
	long long pos = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", tid, fd);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "pos: %lld", &pos) == 1)
			break;
	fclose(f);
	return pos;
}

static const char *last_name(const struct guest_mount *m)
{
	return strrchr(m->guest, '/') + 1;
}

enum check_result dirents_enter(struct tracee *t, const struct syscall_stop *s)
{
	/* getdents(fd, dirent, count), getdents64 alike */
	int fd = (int)regs_arg(&s->regs, s->abi, syscall_kind_arg(s->entry, K_FD));
	char guest[PATH_MAX], link[64];
	const struct guest_mount *kids[DIRENTS_MAX_NAMES];
	struct dirents_state *d;
	struct path_exit *pe;
	struct stat st;
	size_t n;

	if (guest_name_of_fd(guest_view(), host_tid(t), fd, guest, sizeof(guest)) < 0)
		return CHECK_PASS;
	n = view_children(guest_view(), guest, kids, DIRENTS_MAX_NAMES);
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", host_tid(t), fd);
	if (n == 0 || stat(link, &st) < 0)
		return CHECK_PASS;
	for (d = listings; d; d = d->next)
		if (d->tgid == host_tgid(t) && d->fd == fd)
			break;
	if (!d) {
		d = xcalloc(1, sizeof(*d));
		d->next = listings;
		listings = d;
	}
	if (d->dev != st.st_dev || d->ino != st.st_ino || d->tgid != host_tgid(t) || file_pos(host_tid(t), fd) == 0) {
		d->tgid = host_tgid(t);
		d->fd = fd;
		d->dev = st.st_dev;
		d->ino = st.st_ino;
		d->seen = d->emitted = 0;
	}
	d->is64 = (s->entry->flags & SC_DIRENTS64) != 0;
	d->n = n;
	memcpy(d->names, kids, n * sizeof(kids[0]));
	pe = path_exit_begin(t, s);
	pe->fix = FIX_DIRENTS;
	pe->buf = regs_arg(&s->regs, s->abi, syscall_kind_arg(s->entry, K_PTR));
	pe->count = (uint32_t)regs_arg(&s->regs, s->abi, syscall_kind_arg(s->entry, K_UINT));
	pe->dir = d;
	return CHECK_PASS;
}

/* Record layout of the two calls. */
struct rec {
	size_t reclen_off, name_off, type_off; /* type_off 0: at reclen - 1 (getdents) */
};

static void layout(bool is64, struct rec *r)
{
	if (is64) {
		r->reclen_off = offsetof(struct dirent64, d_reclen);
		r->name_off = offsetof(struct dirent64, d_name);
		r->type_off = offsetof(struct dirent64, d_type);
	} else {
		r->reclen_off = 2 * sizeof(unsigned long);
		r->name_off = 2 * sizeof(unsigned long) + sizeof(unsigned short);
		r->type_off = 0;
	}
}

/* Put one record (inode, type, name) at out; its length, 0 if it does not fit in room. */
static size_t make_record(bool is64, char *out, size_t room, uint64_t ino, uint64_t off, unsigned char type,
			  const char *name)
{
	struct rec r;
	size_t len, nlen = strlen(name);
	unsigned short reclen;

	layout(is64, &r);
	len = (r.name_off + nlen + 1 + (is64 ? 0 : 1) + 7) & ~7UL;
	if (len > room)
		return 0;
	memset(out, 0, len);
	memcpy(out, &ino, 8);
	memcpy(out + 8, &off, 8);
	reclen = (unsigned short)len;
	memcpy(out + r.reclen_off, &reclen, sizeof(reclen));
	memcpy(out + r.name_off, name, nlen);
	out[r.type_off ? r.type_off : len - 1] = (char)type;
	return len;
}

long dirents_exit(struct tracee *t, struct path_exit *pe, long ret)
{
	struct dirents_state *d = pe->dir;
	char *buf;
	struct rec r;
	size_t used = 0;
	uint64_t last_off = 0;

	if (ret < 0 || (size_t)ret > pe->count || pe->count > MAX_LISTING)
		return ret;
	for (struct dirents_state *x = listings; x != d; x = x->next)
		if (!x)
			return ret; /* forgotten meanwhile */
	layout(d->is64, &r);
	buf = xmalloc(pe->count ? pe->count : 1);
	if (ret > 0 && tracee_read(host_tid(t), pe->buf, buf, (size_t)ret) < 0) {
		free(buf);
		return ret;
	}
	/* Names the host directory has: the mapped directory's inode and type. */
	while (used + r.name_off < (size_t)ret) {
		unsigned short reclen;
		const char *name = buf + used + r.name_off;

		memcpy(&reclen, buf + used + r.reclen_off, sizeof(reclen));
		if (reclen == 0 || used + reclen > (size_t)ret)
			break;
		memcpy(&last_off, buf + used + 8, 8);
		for (size_t i = 0; i < d->n; i++) {
			struct stat st;

			if (strncmp(name, last_name(d->names[i]), reclen - r.name_off) != 0 || stat(d->names[i]->host, &st) < 0)
				continue;
			d->seen |= 1u << i;
			memcpy(buf + used, &(uint64_t){ st.st_ino }, 8);
			buf[r.type_off ? used + r.type_off : used + reclen - 1] = DT_DIR;
		}
		used += reclen;
	}
	if (ret > 0) {
		tracee_write(host_tid(t), pe->buf, buf, (size_t)ret);
	} else {
		/* The host's listing is over: the mappings' names it lacks come last. */
		for (size_t i = 0; i < d->n; i++) {
			struct stat st;
			size_t len;

			if ((d->seen | d->emitted) & (1u << i) || stat(d->names[i]->host, &st) < 0)
				continue;
			len = make_record(d->is64, buf + used, pe->count - used, st.st_ino, last_off, DT_DIR,
					  last_name(d->names[i]));
			if (!len)
				break;
			used += len;
			d->emitted |= 1u << i;
		}
		if (used && tracee_write(host_tid(t), pe->buf, buf, used) == (ssize_t)used)
			ret = (long)used;
	}
	free(buf);
	return ret;
}
