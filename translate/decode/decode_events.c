/*
 * Event structures as strace shows them: epoll_event (epoll_ctl, epoll_wait)
 * and pollfd (poll, ppoll). The tracee's memory is read once per structure
 * array; what cannot be read is shown as its address.
 */
#define _GNU_SOURCE
#include <stdint.h>

#include "decode.h"
#include "tracee.h"

enum { MAX_EVENTS = 32 }; /* elements shown, like strace's default -X */

/* The kernel's struct epoll_event on x86-64: packed, 12 bytes. */
struct kernel_epoll_event {
	uint32_t events;
	uint64_t data;
} __attribute__((packed));

struct kernel_pollfd {
	int32_t fd;
	int16_t events, revents;
};

static void put_addr(struct tout *o, const char *key, uint64_t addr)
{
	if (addr == 0)
		tout_null(o, key);
	else
		tout_hex(o, key, addr);
}

static void put_epoll_event(struct tout *o, const char *key, const struct kernel_epoll_event *ev)
{
	tout_begin_object(o, key, false);
	decode_epoll_events(o, "events", ev->events);
	tout_begin_object(o, "data", false);
	tout_uint(o, "u32", (uint32_t)ev->data);
	tout_uint(o, "u64", ev->data);
	tout_end_object(o);
	tout_end_object(o);
}

void decode_epoll_event_at(struct tout *o, const char *key, pid_t tid, uint64_t addr)
{
	struct kernel_epoll_event ev;

	if (addr == 0 || tracee_read(tid, addr, &ev, sizeof(ev)) < 0) {
		put_addr(o, key, addr);
		return;
	}
	put_epoll_event(o, key, &ev);
}

void decode_epoll_event_array(struct tout *o, const char *key, pid_t tid, uint64_t addr, long count)
{
	struct kernel_epoll_event ev[MAX_EVENTS];
	size_t n = count < MAX_EVENTS ? (size_t)count : MAX_EVENTS;

	if (addr == 0 || count < 0 || (n && tracee_read(tid, addr, ev, n * sizeof(ev[0])) < 0)) {
		put_addr(o, key, addr);
		return;
	}
	tout_begin_array(o, key);
	for (size_t i = 0; i < n; i++)
		put_epoll_event(o, NULL, &ev[i]);
	if (count > MAX_EVENTS)
		tout_symbol(o, NULL, "...");
	tout_end_array(o);
}

void decode_pollfds(struct tout *o, const char *key, pid_t tid, uint64_t addr, uint64_t count, bool revents)
{
	struct kernel_pollfd p[MAX_EVENTS];
	size_t n = count < MAX_EVENTS ? (size_t)count : MAX_EVENTS;

	if (addr == 0 || (n && tracee_read(tid, addr, p, n * sizeof(p[0])) < 0)) {
		put_addr(o, key, addr);
		return;
	}
	tout_begin_array(o, key);
	for (size_t i = 0; i < n; i++) {
		if (revents && o->fmt == FORMAT_TEXT && p[i].revents == 0)
			continue; /* strace lists only the fds that have something to say */
		tout_begin_object(o, NULL, false);
		tout_int(o, "fd", p[i].fd);
		if (!revents || o->fmt != FORMAT_TEXT)
			decode_poll_events(o, "events", (uint16_t)p[i].events);
		if (revents)
			decode_poll_events(o, "revents", (uint16_t)p[i].revents);
		tout_end_object(o);
	}
	if (count > MAX_EVENTS)
		tout_symbol(o, NULL, "...");
	tout_end_array(o);
}

enum { MAX_FDSET_BITS = 8192 }; /* a program may pass any n: read no more than this */

/* An fd_set of nfds bits as strace shows it: [3 4] (JSON: an array of fds). */
void decode_fdset(struct tout *o, const char *key, pid_t tid, uint64_t addr, long nfds)
{
	uint64_t bits[MAX_FDSET_BITS / 64];
	size_t n = nfds <= 0 ? 0 : nfds > MAX_FDSET_BITS ? MAX_FDSET_BITS : (size_t)nfds;
	size_t words = (n + 63) / 64;

	if (addr == 0 || (words && tracee_read(tid, addr, bits, words * 8) < 0)) {
		put_addr(o, key, addr);
		return;
	}
	if (o->fmt == FORMAT_TEXT) {
		struct strbuf *b = o->b;
		bool first = true;

		tout_symbol(o, key, "["); /* the separator and key, then the list written directly */
		for (size_t fd = 0; fd < n; fd++)
			if (bits[fd / 64] & (1ULL << (fd % 64))) {
				sb_printf(b, "%s%zu", first ? "" : " ", fd);
				first = false;
			}
		sb_putc(b, ']');
		return;
	}
	tout_begin_array(o, key);
	for (size_t fd = 0; fd < n; fd++)
		if (bits[fd / 64] & (1ULL << (fd % 64)))
			tout_int(o, NULL, (long long)fd);
	tout_end_array(o);
}
