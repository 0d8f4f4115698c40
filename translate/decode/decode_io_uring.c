/* io_uring_setup's struct io_uring_params, as strace shows it once the kernel has filled it in. */
#define _GNU_SOURCE
#include <linux/io_uring.h>

#include "decode.h"
#include "tracee.h"

void decode_io_uring_params(struct tout *o, const char *key, pid_t tid, uint64_t addr)
{
	struct io_uring_params p;

	if (addr == 0 || tracee_read(tid, addr, &p, sizeof(p)) < 0) {
		addr ? tout_hex(o, key, addr) : tout_null(o, key);
		return;
	}
	tout_begin_object(o, key, false);
	decode_io_uring_setup_flags(o, "flags", p.flags);
	tout_uint(o, "sq_thread_cpu", p.sq_thread_cpu);
	tout_uint(o, "sq_thread_idle", p.sq_thread_idle);
	if (p.flags & IORING_SETUP_ATTACH_WQ)
		tout_uint(o, "wq_fd", p.wq_fd);
	tout_uint(o, "sq_entries", p.sq_entries);
	tout_uint(o, "cq_entries", p.cq_entries);
	decode_io_uring_features(o, "features", p.features);
	tout_begin_object(o, "sq_off", false);
	tout_uint(o, "head", p.sq_off.head);
	tout_uint(o, "tail", p.sq_off.tail);
	tout_uint(o, "ring_mask", p.sq_off.ring_mask);
	tout_uint(o, "ring_entries", p.sq_off.ring_entries);
	tout_uint(o, "flags", p.sq_off.flags);
	tout_uint(o, "dropped", p.sq_off.dropped);
	tout_uint(o, "array", p.sq_off.array);
	tout_end_object(o);
	tout_begin_object(o, "cq_off", false);
	tout_uint(o, "head", p.cq_off.head);
	tout_uint(o, "tail", p.cq_off.tail);
	tout_uint(o, "ring_mask", p.cq_off.ring_mask);
	tout_uint(o, "ring_entries", p.cq_off.ring_entries);
	tout_uint(o, "overflow", p.cq_off.overflow);
	tout_uint(o, "cqes", p.cq_off.cqes);
	tout_uint(o, "flags", p.cq_off.flags);
	tout_end_object(o);
	tout_end_object(o);
}
