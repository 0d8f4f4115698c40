/*
 * select (Windows' fd_set: a count and an array of SOCKETs), __WSAFDIsSet
 * (mingw's FD_ISSET) and WSAPoll, over one poll the thread makes on the
 * sockets' fds (PV_AFD_POLL). select's sets as Windows fills them: readable
 * includes a pending accept and a closed or failed connection, writable a
 * connection made, and the exception set a connect that failed.
 */
#include "ws2.h"

int WINAPI select(int nfds, w_fd_set *rd, w_fd_set *wr, w_fd_set *ex, const struct w_timeval *timeout);
int WINAPI __WSAFDIsSet(SOCKET s, w_fd_set *set);
int WINAPI WSAPoll(WSAPOLLFD *fds, ULONG n, int timeout);

/* Linux's poll bits */
#define L_POLLIN 0x1
#define L_POLLPRI 0x2
#define L_POLLOUT 0x4
#define L_POLLERR 0x8
#define L_POLLHUP 0x10
#define L_POLLNVAL 0x20
/* Windows' */
#define W_POLLRDNORM 0x0100
#define W_POLLRDBAND 0x0200
#define W_POLLPRI 0x0400
#define W_POLLWRNORM 0x0010
#define W_POLLWRBAND 0x0020
#define W_POLLERR 0x0001
#define W_POLLHUP 0x0002
#define W_POLLNVAL 0x0004

int WINAPI __WSAFDIsSet(SOCKET s, w_fd_set *set)
{
	for (unsigned i = 0; set && i < set->fd_count && i < W_FD_SETSIZE; i++)
		if (set->fd_array[i] == s)
			return 1;
	return 0;
}

/* The poll: entries in, revents out; the ready count, or SOCKET_ERROR with the error set. */
static int do_poll(struct pv_afd_poll_entry *e, uint32_t n, int timeout_ms)
{
	size_t size = sizeof(struct pv_afd_poll) + n * sizeof(*e);
	unsigned char *in = ws2_alloc(size);
	struct pv_afd_poll hdr = { timeout_ms, n };
	uint64_t ready = 0;
	int err;

	if (!in)
		return ws2_fail(WSAENOBUFS);
	memcpy(in, &hdr, sizeof(hdr));
	memcpy(in + sizeof(hdr), e, n * sizeof(*e));
	/* any socket's handle will do for the call: the entries name their own */
	err = ws2_ioctl((SOCKET)e[0].handle, PV_AFD_POLL, in, (ULONG)size, e, (ULONG)(n * sizeof(*e)), &ready);
	if (err == WSAENOTSOCK) {
		/* the first is no socket: try through one that is, else every entry is invalid */
		for (uint32_t i = 1; i < n && err == WSAENOTSOCK; i++)
			err = ws2_ioctl((SOCKET)e[i].handle, PV_AFD_POLL, in, (ULONG)size, e, (ULONG)(n * sizeof(*e)), &ready);
	}
	ws2_free(in);
	if (err)
		return ws2_fail(err);
	return (int)ready;
}

static int add(struct pv_afd_poll_entry *e, uint32_t *n, SOCKET s, int16_t events)
{
	for (uint32_t i = 0; i < *n; i++)
		if (e[i].handle == s) {
			e[i].events |= events;
			return 0;
		}
	e[*n].handle = s;
	e[*n].events = events;
	e[*n].revents = 0;
	(*n)++;
	return 0;
}

static int16_t revents_of(const struct pv_afd_poll_entry *e, uint32_t n, SOCKET s)
{
	for (uint32_t i = 0; i < n; i++)
		if (e[i].handle == s)
			return e[i].revents;
	return 0;
}

/* Keep the sockets of set for which keep says yes; the number kept. */
static int filter(w_fd_set *set, const struct pv_afd_poll_entry *e, uint32_t n, int which)
{
	unsigned out = 0;

	if (!set)
		return 0;
	for (unsigned i = 0; i < set->fd_count && i < W_FD_SETSIZE; i++) {
		int16_t r = revents_of(e, n, set->fd_array[i]);
		int yes;

		if (which == 0)
			yes = (r & (L_POLLIN | L_POLLHUP | L_POLLERR)) != 0;
		else if (which == 1)
			yes = (r & L_POLLOUT) && !(r & L_POLLERR);
		else
			yes = (r & (L_POLLPRI | L_POLLERR)) != 0;
		if (yes)
			set->fd_array[out++] = set->fd_array[i];
	}
	set->fd_count = out;
	return (int)out;
}

int WINAPI select(int nfds, w_fd_set *rd, w_fd_set *wr, w_fd_set *ex, const struct w_timeval *timeout)
{
	struct pv_afd_poll_entry e[3 * W_FD_SETSIZE];
	w_fd_set *sets[3] = { rd, wr, ex };
	static const int16_t events[3] = { L_POLLIN, L_POLLOUT, L_POLLPRI };
	uint32_t n = 0;
	int ms = -1, r;

	(void)nfds; /* ignored, as on Windows */
	for (int k = 0; k < 3; k++)
		for (unsigned i = 0; sets[k] && i < sets[k]->fd_count; i++) {
			if (i >= W_FD_SETSIZE)
				return ws2_fail(WSAEINVAL);
			add(e, &n, sets[k]->fd_array[i], events[k]);
		}
	if (timeout) {
		if (timeout->tv_sec < 0 || timeout->tv_usec < 0)
			return ws2_fail(WSAEINVAL);
		ms = (int)(timeout->tv_sec * 1000 + (timeout->tv_usec + 999) / 1000);
	}
	if (!n)
		return ws2_fail(WSAEINVAL); /* Windows: select with no socket at all */
	r = do_poll(e, n, ms);
	if (r < 0)
		return r;
	for (uint32_t i = 0; i < n; i++)
		if (e[i].revents & L_POLLNVAL)
			return ws2_fail(WSAENOTSOCK);
	return filter(rd, e, n, 0) + filter(wr, e, n, 1) + filter(ex, e, n, 2);
}

int WINAPI WSAPoll(WSAPOLLFD *fds, ULONG n, int timeout)
{
	struct pv_afd_poll_entry *e;
	int r;

	if (!fds || !n)
		return ws2_fail(WSAEINVAL);
	if (n > PV_AFD_POLL_MAX)
		return ws2_fail(WSAENOBUFS);
	e = ws2_alloc(n * sizeof(*e));
	if (!e)
		return ws2_fail(WSAENOBUFS);
	for (ULONG i = 0; i < n; i++) {
		short w = fds[i].events;

		if (w & ~(W_POLLRDNORM | W_POLLRDBAND | W_POLLPRI | W_POLLWRNORM | W_POLLWRBAND)) {
			ws2_free(e);
			return ws2_fail(WSAEINVAL);
		}
		e[i].handle = fds[i].fd;
		e[i].events = (int16_t)((w & (W_POLLRDNORM | W_POLLRDBAND) ? L_POLLIN : 0) | (w & W_POLLPRI ? L_POLLPRI : 0) |
					(w & (W_POLLWRNORM | W_POLLWRBAND) ? L_POLLOUT : 0));
		e[i].revents = 0;
		e[i].pad = 0;
	}
	r = do_poll(e, n, timeout < 0 ? -1 : timeout);
	if (r >= 0) {
		r = 0;
		for (ULONG i = 0; i < n; i++) {
			int16_t l = e[i].revents;
			short w = 0;

			if (l & L_POLLIN)
				w |= (short)(fds[i].events & (W_POLLRDNORM | W_POLLRDBAND) ? fds[i].events & (W_POLLRDNORM | W_POLLRDBAND) : 0);
			if (l & L_POLLPRI)
				w |= (short)(fds[i].events & W_POLLPRI);
			if (l & L_POLLOUT)
				w |= (short)(fds[i].events & (W_POLLWRNORM | W_POLLWRBAND));
			if (l & L_POLLERR)
				w |= W_POLLERR;
			if (l & L_POLLHUP)
				w |= W_POLLHUP;
			if (l & L_POLLNVAL)
				w = W_POLLNVAL;
			fds[i].revents = w;
			if (w)
				r++;
		}
	}
	ws2_free(e);
	return r;
}
