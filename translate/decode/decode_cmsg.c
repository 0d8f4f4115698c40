/*
 * A msghdr's control messages (msg_control), as strace shows them: an array of
 * {cmsg_len, cmsg_level, cmsg_type, cmsg_data}. The buffer is copied once and
 * walked in the copy; a header whose length runs past the buffer ends the walk.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "decode.h"
#include "tracee.h"

enum { MAX_CONTROL = 4096 };  /* bytes of control data read */
enum { MAX_CMSG_FDS = 32 };   /* fds of one SCM_RIGHTS shown */

static void put_level(struct tout *o, int level)
{
	switch (level) {
	case SOL_SOCKET:
		tout_symbol(o, "cmsg_level", "SOL_SOCKET");
		return;
	case SOL_IP:
		tout_symbol(o, "cmsg_level", "SOL_IP");
		return;
	case SOL_IPV6:
		tout_symbol(o, "cmsg_level", "SOL_IPV6");
		return;
	default:
		tout_int(o, "cmsg_level", level);
	}
}

static void put_data(struct tout *o, const struct cmsghdr *cm, size_t len)
{
	const unsigned char *data = CMSG_DATA(cm);
	size_t n = len - CMSG_LEN(0);

	if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
		int fd;

		tout_begin_array(o, "cmsg_data");
		for (size_t i = 0; i + sizeof(int) <= n && i / sizeof(int) < MAX_CMSG_FDS; i += sizeof(int)) {
			memcpy(&fd, data + i, sizeof(fd));
			tout_int(o, NULL, fd);
		}
		if (n / sizeof(int) > MAX_CMSG_FDS)
			tout_symbol(o, NULL, "...");
		tout_end_array(o);
	} else if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_CREDENTIALS && n >= sizeof(struct ucred)) {
		struct ucred cr;

		memcpy(&cr, data, sizeof(cr));
		tout_begin_object(o, "cmsg_data", false);
		tout_int(o, "pid", cr.pid);
		tout_uint(o, "uid", cr.uid);
		tout_uint(o, "gid", cr.gid);
		tout_end_object(o);
	}
	/* other messages: their header only (strace decodes more of them) */
}

void decode_cmsgs(struct tout *o, const char *key, pid_t tid, uint64_t addr, uint64_t controllen)
{
	unsigned char buf[MAX_CONTROL] __attribute__((aligned(8)));
	size_t len = controllen < MAX_CONTROL ? (size_t)controllen : MAX_CONTROL, off = 0;

	if (addr == 0 || tracee_read(tid, addr, buf, len) < 0) {
		addr ? tout_hex(o, key, addr) : tout_null(o, key);
		return;
	}
	tout_begin_array(o, key);
	while (off + sizeof(struct cmsghdr) <= len) {
		struct cmsghdr cm;
		size_t step;

		memcpy(&cm, buf + off, sizeof(cm));
		if (cm.cmsg_len < sizeof(struct cmsghdr) || cm.cmsg_len > len - off)
			break;
		tout_begin_object(o, NULL, false);
		tout_uint(o, "cmsg_len", cm.cmsg_len);
		put_level(o, cm.cmsg_level);
		if (cm.cmsg_level == SOL_SOCKET && cm.cmsg_type == SCM_RIGHTS)
			tout_symbol(o, "cmsg_type", "SCM_RIGHTS");
		else if (cm.cmsg_level == SOL_SOCKET && cm.cmsg_type == SCM_CREDENTIALS)
			tout_symbol(o, "cmsg_type", "SCM_CREDENTIALS");
		else
			tout_int(o, "cmsg_type", cm.cmsg_type);
		put_data(o, (const struct cmsghdr *)(buf + off), cm.cmsg_len);
		tout_end_object(o);
		step = CMSG_ALIGN(cm.cmsg_len);
		if (step > len - off)
			break;
		off += step;
	}
	tout_end_array(o);
}
