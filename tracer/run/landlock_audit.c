/*
 * Landlock's refusals from the kernel's audit log (tracer/run/landlock_audit.h).
 *
 * The kernel sends every audit record to the netlink group AUDIT_NLGRP_READLOG
 * as well as to auditd; a reader thread takes them off the socket as they come
 * (a full socket loses records) and keeps the Landlock events. An event is the
 * records of one serial number: AUDIT_LANDLOCK_ACCESS (what was refused, the
 * domain that refused it), AUDIT_LANDLOCK_DOMAIN (the domain's creator, with
 * the first refusal), AUDIT_SYSCALL (the call, its pid and result) and
 * AUDIT_PROCTITLE (its argv). The run's domain is the one whose creator is the
 * run's first process, which entered it before anything of the program ran;
 * refusals of that domain are the run's, whoever made them and even after the
 * process is gone. The event loop reports them between stops.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "arch.h"
#include "event_loop.h"
#include "landlock_audit.h"
#include "run_report.h"
#include "syscall_table.h"
#include "tracee.h"
#include "util.h"

/* Record types of Linux 6.15 (older headers lack them). */
#define REC_LANDLOCK_ACCESS 1423
#define REC_LANDLOCK_DOMAIN 1424
/* The event loop's wait is interrupted by this when refusals are waiting (cosched +2, limits +3, host +4). */
#define AUDIT_WAKE_SIGNAL (SIGRTMIN + 5)
/* Events being assembled at once (records of different events can interleave). */
#define OPEN_EVENTS 32
/* Refusals kept before they are reported (about 2 KiB each); past it they are counted as missed. */
#define MAX_QUEUED 10000

/* One audit event while its records come in. */
struct event {
	unsigned long serial;
	bool used, refused;
	char domain[24], blockers[128], object[512];
	char creator_domain[24];   /* an AUDIT_LANDLOCK_DOMAIN allocated record's domain */
	pid_t creator, pid;
	uint32_t arch;
	long nr, exit;
	bool has_call;
	char exe[512];
	char argv[1024];           /* NUL-separated, as /proc/PID/cmdline */
	size_t argv_len;
	struct event *next;        /* on the queue */
};

static struct {
	int sock, stop;            /* the netlink socket; an eventfd that ends the reader */
	bool open, reading;
	pid_t creator;
	pthread_t loop_thread;     /* the event loop's: the one the wake signal must interrupt */
	char domain[24];           /* the run's domain, once its first refusal named it */
	pthread_t thread;
	struct event open_events[OPEN_EVENTS];
	pthread_mutex_t lock;
	struct event *queue, **queue_tail; /* complete refusals of any domain, for the loop */
	size_t queued;
	atomic_bool pending;
	unsigned long lost;        /* records the socket dropped (ENOBUFS), refusals past MAX_QUEUED */
	char barrier[64];          /* the text of picovisor's own end-of-run message; "" none yet */
	atomic_bool barrier_seen;
	char gap[256];
	/* host tid -> the run's numbers, for refusals read after the task is gone */
	struct task_ids {
		pid_t tid, tgid;
		int vtid, vpid;
	} *tasks;
	size_t ntasks, cap;
} la = { .sock = -1, .stop = -1, .lock = PTHREAD_MUTEX_INITIALIZER };

bool landlock_audit_reading(void)
{
	return la.open;
}

static int audit_request(int sock, int type, const void *body, size_t len)
{
	struct {
		struct nlmsghdr h;
		char body[128]; /* an audit_status, or a short message */
	} m;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

	memset(&m, 0, sizeof(m));
	m.h.nlmsg_len = (uint32_t)NLMSG_LENGTH(len);
	m.h.nlmsg_type = (uint16_t)type;
	m.h.nlmsg_flags = NLM_F_REQUEST;
	if (len > sizeof(m.body))
		return -EMSGSIZE;
	memcpy(m.body, body, len);
	return sendto(sock, &m, m.h.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0 ? -errno : 0;
}

/* Whether the kernel logs at all (audit_enabled): 1, 0, or -errno when it cannot be asked. */
static int audit_enabled(void)
{
	struct audit_status st;
	char buf[8192];
	int sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT), rc;

	if (sock < 0)
		return -errno;
	memset(&st, 0, sizeof(st));
	rc = audit_request(sock, AUDIT_GET, &st, 0);
	for (int i = 0; rc == 0 && i < 4; i++) {
		struct pollfd p = { sock, POLLIN, 0 };
		ssize_t n;
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (poll(&p, 1, 1000) != 1) {
			rc = -ETIMEDOUT;
			break;
		}
		n = recv(sock, buf, sizeof(buf), 0);
		if (n < (ssize_t)NLMSG_HDRLEN || !NLMSG_OK(h, (size_t)n)) {
			rc = n < 0 ? -errno : -EIO;
			break;
		}
		if (h->nlmsg_type == NLMSG_ERROR) {
			struct nlmsgerr *e = NLMSG_DATA(h);
			rc = e->error;
			if (rc == 0)
				continue; /* an acknowledgement; the answer follows */
			break;
		}
		if (h->nlmsg_type == AUDIT_GET) {
			memcpy(&st, NLMSG_DATA(h), sizeof(st) < h->nlmsg_len - NLMSG_HDRLEN ? sizeof(st)
											   : h->nlmsg_len - NLMSG_HDRLEN);
			close(sock);
			return st.enabled ? 1 : 0;
		}
	}
	close(sock);
	return rc ? rc : -EIO;
}

bool landlock_audit_open(int landlock_abi, char *why, size_t size)
{
	struct sockaddr_nl group = { .nl_family = AF_NETLINK, .nl_groups = AUDIT_NLGRP_READLOG };
	int enabled, big = 32 << 20;

	if (landlock_abi < 7) {
		snprintf(why, size, "this kernel's Landlock (ABI %d) writes no audit records (ABI 7, Linux 6.15)",
			 landlock_abi);
		return false;
	}
	la.sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (la.sock < 0 || bind(la.sock, (struct sockaddr *)&group, sizeof(group)) < 0) {
		snprintf(why, size,
			 "picovisor cannot read the kernel's audit log (%s): that needs CAP_AUDIT_READ in the initial "
			 "namespaces, as root has",
			 strerror(errno));
		goto fail;
	}
	enabled = audit_enabled();
	if (enabled <= 0) {
		if (enabled == 0)
			snprintf(why, size,
				 "the kernel's audit is disabled, so Landlock logs no refusal (auditctl -e 1, or auditd, "
				 "enables it)");
		else
			snprintf(why, size, "cannot ask whether the kernel's audit is enabled: %s", strerror(-enabled));
		goto fail;
	}
	/* Bursts of other programs' records must not crowd ours out. */
	if (setsockopt(la.sock, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)) < 0)
		setsockopt(la.sock, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	la.stop = eventfd(0, EFD_CLOEXEC);
	if (la.stop < 0) {
		snprintf(why, size, "cannot make an eventfd: %s", strerror(errno));
		goto fail;
	}
	la.queue_tail = &la.queue;
	la.open = true;
	return true;
fail:
	if (la.sock >= 0)
		close(la.sock);
	la.sock = -1;
	return false;
}

/* The value of key in an audit record's text, decoded (quoted, or hex for untrusted strings); its length or -1. */
static ssize_t field(const char *rec, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key), n = 0;
	const char *p = rec;

	for (;;) {
		p = strstr(p, key);
		if (!p)
			return -1;
		if ((p == rec || p[-1] == ' ') && p[klen] == '=')
			break;
		p += klen;
	}
	p += klen + 1;
	if (*p == '"') {
		for (p++; *p && *p != '"'; p++)
			if (n + 1 < size)
				out[n++] = *p;
	} else {
		const char *end = p + strcspn(p, " ");
		bool hex = (end - p) % 2 == 0 && end > p && strspn(p, "0123456789ABCDEF") == (size_t)(end - p) &&
			   (strcmp(key, "path") == 0 || strcmp(key, "exe") == 0 || strcmp(key, "proctitle") == 0);

		for (; p < end; p += hex ? 2 : 1) {
			char c = *p;
			if (hex) {
				char pair[3] = { p[0], p[1], 0 };
				c = (char)strtol(pair, NULL, 16);
			}
			if (n + 1 < size)
				out[n++] = c;
		}
	}
	out[size ? n : 0] = '\0';
	return (ssize_t)n;
}

static long field_long(const char *rec, const char *key, int base, long dflt)
{
	char v[32];

	return field(rec, key, v, sizeof(v)) > 0 ? strtol(v, NULL, base) : dflt;
}

/* The open event of this serial, a new one, or NULL when every slot is busy. */
static struct event *event_of(unsigned long serial)
{
	for (int i = 0; i < OPEN_EVENTS; i++) {
		struct event *e = &la.open_events[i];
		if (e->used && e->serial == serial)
			return e;
	}
	for (int i = 0; i < OPEN_EVENTS; i++) {
		struct event *e = &la.open_events[i];
		if (!e->used) {
			memset(e, 0, sizeof(*e));
			e->used = true;
			e->serial = serial;
			return e;
		}
	}
	return NULL;
}

/* A signal to picovisor's own event-loop thread, as raise is to itself: no tracee is ever signalled here. */
static void wake_loop(void)
{
	atomic_store(&la.pending, true);
	pthread_kill(la.loop_thread, AUDIT_WAKE_SIGNAL);
}

/* An event is complete: a refusal goes on the queue; a domain allocation names the run's domain. */
static void event_done(struct event *e)
{
	pthread_mutex_lock(&la.lock);
	if (e->creator_domain[0] && e->creator == la.creator && !la.domain[0])
		snprintf(la.domain, sizeof(la.domain), "%s", e->creator_domain);
	if (e->refused) {
		if (la.queued >= MAX_QUEUED) {
			la.lost++;
		} else {
			struct event *q = xmalloc(sizeof(*q));
			*q = *e;
			q->next = NULL;
			*la.queue_tail = q;
			la.queue_tail = &q->next;
			la.queued++;
		}
	}
	pthread_mutex_unlock(&la.lock);
	e->used = false;
	if (e->refused)
		wake_loop();
}

static void take_record(int type, const char *text)
{
	unsigned long serial;
	const char *colon = strchr(text, ':');
	struct event *e;

	if (strncmp(text, "audit(", 6) != 0 || !colon)
		return;
	serial = strtoul(colon + 1, NULL, 10);
	/* Only picovisor's own message (its pid, as the kernel writes it) ends the wait. */
	if (type == AUDIT_USER && la.barrier[0] && strstr(text, la.barrier) && field_long(text, "pid", 10, 0) == getpid()) {
		atomic_store(&la.barrier_seen, true);
		wake_loop();
		return;
	}
	if (type == REC_LANDLOCK_DOMAIN) {
		char status[16];
		if (field(text, "status", status, sizeof(status)) < 0 || strcmp(status, "allocated") != 0)
			return; /* a deallocation: nothing of it is needed */
	} else if (type != REC_LANDLOCK_ACCESS && type != AUDIT_SYSCALL && type != AUDIT_PROCTITLE &&
		   type != AUDIT_EOE) {
		return;
	}
	/* Records of events without Landlock are dropped: only a Landlock record opens an event. */
	for (int i = 0; i < OPEN_EVENTS; i++)
		if (la.open_events[i].used && la.open_events[i].serial == serial)
			goto have;
	if (type != REC_LANDLOCK_ACCESS && type != REC_LANDLOCK_DOMAIN)
		return;
have:
	e = event_of(serial);
	if (!e) { /* every slot busy: the oldest is as complete as it will be */
		struct event *oldest = &la.open_events[0];
		for (int i = 1; i < OPEN_EVENTS; i++)
			if (la.open_events[i].serial < oldest->serial)
				oldest = &la.open_events[i];
		event_done(oldest);
		e = event_of(serial);
	}
	switch (type) {
	case REC_LANDLOCK_ACCESS: {
		char addr[64], port[16];
		e->refused = true;
		field(text, "domain", e->domain, sizeof(e->domain));
		field(text, "blockers", e->blockers, sizeof(e->blockers));
		if (field(text, "path", e->object, sizeof(e->object)) < 0 && field(text, "daddr", addr, sizeof(addr)) > 0 &&
		    field(text, "dest", port, sizeof(port)) > 0)
			snprintf(e->object, sizeof(e->object), "%s:%s", addr, port);
		else if (!e->object[0] && field(text, "saddr", addr, sizeof(addr)) > 0 &&
			 field(text, "src", port, sizeof(port)) > 0)
			snprintf(e->object, sizeof(e->object), "%s:%s", addr, port);
		break;
	}
	case REC_LANDLOCK_DOMAIN:
		field(text, "domain", e->creator_domain, sizeof(e->creator_domain));
		e->creator = (pid_t)field_long(text, "pid", 10, 0);
		break;
	case AUDIT_SYSCALL:
		e->has_call = true;
		e->arch = (uint32_t)field_long(text, "arch", 16, 0);
		e->nr = field_long(text, "syscall", 10, -1);
		e->exit = field_long(text, "exit", 10, 0);
		e->pid = (pid_t)field_long(text, "pid", 10, 0);
		field(text, "exe", e->exe, sizeof(e->exe));
		break;
	case AUDIT_PROCTITLE: {
		ssize_t n = field(text, "proctitle", e->argv, sizeof(e->argv));
		e->argv_len = n > 0 ? (size_t)n : 0;
		break;
	}
	case AUDIT_EOE:
		event_done(e);
		break;
	}
}

static void *reader(void *unused)
{
	static char buf[65536]; /* several records per read; one is at most MAX_AUDIT_MESSAGE_LENGTH (8970) */

	(void)unused;
	for (;;) {
		struct pollfd p[2] = { { la.sock, POLLIN, 0 }, { la.stop, POLLIN, 0 } };
		ssize_t n;

		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		if (!(p[0].revents & POLLIN))
			continue;
		n = recv(la.sock, buf, sizeof(buf) - 1, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ENOBUFS) { /* the kernel dropped records for us: some refusals may be among them */
				pthread_mutex_lock(&la.lock);
				la.lost++;
				pthread_mutex_unlock(&la.lock);
			}
			continue;
		}
		int left = (int)n; /* signed: NLMSG_NEXT counts it down past zero */
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			char *text = NLMSG_DATA(h);
			size_t len = h->nlmsg_len - NLMSG_HDRLEN;
			char save = text[len];

			text[len] = '\0';
			take_record(h->nlmsg_type, text);
			text[len] = save;
		}
	}
	/* What is still open is as complete as it gets. */
	for (int i = 0; i < OPEN_EVENTS; i++)
		if (la.open_events[i].used)
			event_done(&la.open_events[i]);
	return NULL;
}

static void on_wake(int sig)
{
	(void)sig; /* the interrupted wait has the loop report what the reader queued */
}

void landlock_audit_start(pid_t domain_creator)
{
	sigset_t all, old;
	struct sigaction sa;

	if (!la.open)
		return;
	la.creator = domain_creator;
	la.loop_thread = pthread_self();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_wake; /* no SA_RESTART: the wait returns EINTR */
	sigaction(AUDIT_WAKE_SIGNAL, &sa, NULL);
	/* The reader takes no signal: the run's timers must reach the event loop's thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	if (pthread_create(&la.thread, NULL, reader, NULL) != 0) {
		snprintf(la.gap, sizeof(la.gap), "Landlock's refusals were not read: no thread to read the audit log");
		la.open = false;
	} else {
		la.reading = true;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static struct task_ids *task_find(pid_t tid)
{
	for (size_t i = la.ntasks; i-- > 0;) /* the newest first: a reused tid is the newer task */
		if (la.tasks[i].tid == tid)
			return &la.tasks[i];
	return NULL;
}

void landlock_audit_note_task(const struct tracee *t)
{
	if (!la.open)
		return;
	if (la.ntasks == la.cap) {
		la.cap = la.cap ? 2 * la.cap : 256;
		la.tasks = xrealloc(la.tasks, la.cap * sizeof(*la.tasks));
	}
	la.tasks[la.ntasks++] = (struct task_ids){ t->tid, t->proc->tgid, t->vtid, t->proc->vpid };
}

/* "fs.read_file,fs.write_file" -> a rule text for the report. */
static void report_refusal(const struct event *e)
{
	struct kernel_refusal r = { 0 };
	const struct task_ids *ids = task_find(e->pid);
	const struct syscall_entry *entry = NULL;
	char rule[768], argv[sizeof(e->argv) + 1], exe[sizeof(e->exe)];
	long nr = e->nr;

	if (e->has_call) {
		enum abi abi = arch_abi_of_call(e->arch, &nr);
		if (abi != ABI_COUNT) {
			entry = syscall_lookup(abi, (int)nr);
			r.abi = abi;
		}
	}
	r.call = entry ? entry->name : NULL;
	r.nr = e->has_call ? nr : -1;
	r.htid = e->pid;
	r.hpid = ids ? ids->tgid : e->pid;
	r.vtid = ids ? ids->vtid : 0;
	r.vpid = ids ? ids->vpid : 0;
	r.exe = e->exe[0] ? e->exe : NULL;
	{
		/* The kernel names the image picovisor's loader ran from its memfd; the run knows the file. */
		struct tracee *t = tracee_find(e->pid);
		size_t len = strlen(e->exe);

		if (t && t->proc->exe_path)
			r.exe = t->proc->exe_path;
		else if (strncmp(e->exe, "/memfd:", 7) == 0 && len > 17 && strcmp(e->exe + len - 10, " (deleted)") == 0)
			snprintf(exe, sizeof(exe), "%.*s", (int)(len - 17), e->exe + 7), r.exe = exe;
	}
	memcpy(argv, e->argv, e->argv_len);
	argv[e->argv_len] = '\0';
	r.argv = argv;
	r.argv_len = e->argv_len;
	r.object = e->object[0] ? e->object : NULL;
	r.err = e->has_call && e->exit < 0 && e->exit > -4096 ? (int)-e->exit : EACCES;
	snprintf(rule, sizeof(rule), "%s%sneeds %s; refused by Landlock in the kernel (no rule of the policy gives it)",
		 e->object[0] ? e->object : "", e->object[0] ? " " : "", e->blockers[0] ? e->blockers : "a right");
	r.rule = rule;
	run_report_kernel_refusal(&r);
}

void landlock_audit_tick(void)
{
	struct event *q;

	if (!la.reading || !atomic_exchange(&la.pending, false))
		return;
	pthread_mutex_lock(&la.lock);
	q = la.queue;
	if (la.domain[0]) { /* keep the others until the run's domain is known (its first refusal names it) */
		la.queue = NULL;
		la.queue_tail = &la.queue;
		la.queued = 0;
	} else {
		q = NULL;
	}
	pthread_mutex_unlock(&la.lock);
	while (q) {
		struct event *next = q->next;
		if (strcmp(q->domain, la.domain) == 0)
			report_refusal(q);
		free(q);
		q = next;
	}
}

/*
 * A record of picovisor's own through the same queue: every record the
 * kernel made before it (the run's last refusal too) has been sent when it
 * comes back. Needs CAP_AUDIT_WRITE; false if it could not be sent.
 */
static bool send_barrier(void)
{
	int sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT), rc;

	if (sock < 0)
		return false;
	rc = audit_request(sock, AUDIT_USER, la.barrier, strlen(la.barrier) + 1);
	close(sock);
	return rc == 0;
}

void landlock_audit_finish(void)
{
	uint64_t one = 1;
	uint64_t deadline;

	if (!la.reading)
		return;
	/* Its serial is not known in advance: the text marks it (the reader compares after it is set). */
	snprintf(la.barrier, sizeof(la.barrier), "picovisor: end of run %d", (int)getpid());
	deadline = monotonic_ns() + 2000000000ull;
	if (send_barrier()) {
		while (!atomic_load(&la.barrier_seen) && monotonic_ns() < deadline)
			usleep(2000);
		if (!atomic_load(&la.barrier_seen))
			snprintf(la.gap, sizeof(la.gap),
				 "Landlock's refusals of the run's last moments may be missing: the audit log did not "
				 "catch up within 2 s");
	} else {
		usleep(50000); /* no way to mark the end: give the kernel's audit thread a moment */
	}
	if (write(la.stop, &one, sizeof(one)) == (ssize_t)sizeof(one))
		pthread_join(la.thread, NULL);
	atomic_store(&la.pending, true); /* one last report of what the reader queued */
	landlock_audit_tick();
	la.reading = false;
	if (la.lost && !la.gap[0])
		snprintf(la.gap, sizeof(la.gap),
			 "some of Landlock's refusals may be missing: the audit log dropped records (%lu times) "
			 "while the run went on",
			 la.lost);
	close(la.sock);
	close(la.stop);
}

const char *landlock_audit_gap(void)
{
	return la.gap[0] ? la.gap : NULL;
}
