/*
 * KUSER_SHARED_DATA, the page at 0x7FFE0000 every NT process can read: the
 * version, the processor count, and the clocks (InterruptTime, SystemTime,
 * TickCount) that programs and runtimes (Go's among them) read without a
 * system call. Each NT process has its own read-only private page; the
 * supervisor writes it through /proc/PID/mem (as ptrace may, past the page's
 * protection) when it is mapped, at a service call of the process when a
 * millisecond has passed since the last update, and on a timer tick every
 * 15.625 ms (Windows' clock interval) while NT processes run, so a program
 * that reads it in a loop without calling anything sees time go on.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "host.h"
#include "nt_internal.h"
#include "nt_memory.h"
#include "util.h"

#define KUSER_PERIOD_NS 1000000ULL

static struct nt_process **live;
static int nlive, caplive;

static void le32(unsigned char *p, size_t off, uint32_t v)
{
	memcpy(p + off, &v, 4);
}

/* A KSYSTEM_TIME: LowPart, High1Time, High2Time (readers retry while the two highs differ). */
static void ksystem_time(unsigned char *p, size_t off, uint64_t v)
{
	le32(p, off, (uint32_t)v);
	le32(p, off + 4, (uint32_t)(v >> 32));
	le32(p, off + 8, (uint32_t)(v >> 32));
}

/* The clocks: InterruptTime (100 ns since boot), SystemTime (100 ns since 1601), TickCount (1/64 s ticks). */
static void clocks(unsigned char *page)
{
	uint64_t mono = monotonic_ns(), ticks = mono / 15625000ULL; /* 64 ticks a second */

	le32(page, 0x0, (uint32_t)ticks); /* TickCountLowDeprecated */
	le32(page, 0x4, 0x0fa00000);      /* TickCountMultiplier: 15.625 ms in 24-bit fixed point (written with them) */
	ksystem_time(page, 0x08, mono / 100);
	ksystem_time(page, 0x14, nt_time_now());
	ksystem_time(page, 0x320, ticks);
}

void nt_kuser_build(unsigned char *page)
{
	static const char root[] = "C:\\Windows";

	memset(page, 0, NT_KUSER_SIZE);
	page[0x2c] = 0x64;           /* ImageNumberLow/High: AMD64 (0x8664) */
	page[0x2d] = 0x86;
	page[0x2e] = 0x64;
	page[0x2f] = 0x86;
	for (size_t i = 0; i < sizeof(root) - 1; i++)
		page[0x30 + 2 * i] = (unsigned char)root[i];
	le32(page, 0x260, nt_build_number(nt_build_selected())); /* NtBuildNumber */
	le32(page, 0x264, 1);        /* NtProductType: NtProductWinNt */
	page[0x268] = 1;             /* ProductTypeIsValid */
	page[0x26a] = 9;             /* NativeProcessorArchitecture: AMD64 */
	le32(page, 0x26c, 10);       /* NtMajorVersion */
	le32(page, 0x270, 0);        /* NtMinorVersion */
	{
		uint64_t freq = 10000000; /* QpcFrequency: the 10 MHz of NtQueryPerformanceCounter */
		memcpy(page + 0x300, &freq, 8);
	}
	le32(page, 0x3c0, (uint32_t)get_nprocs()); /* ActiveProcessorCount */
	clocks(page);
}

static void refresh(struct nt_process *np)
{
	unsigned char page[NT_KUSER_SIZE];

	memset(page, 0, sizeof(page));
	clocks(page);
	np->kuser_at = monotonic_ns();
	if (pwrite(np->kuser_mem_fd, page, 0x20, NT_KUSER_ADDR) != 0x20 ||
	    pwrite(np->kuser_mem_fd, page + 0x320, 12, NT_KUSER_ADDR + 0x320) != 12) {
		/* the address space is gone (the process is ending): no more updates for it */
		close(np->kuser_mem_fd);
		np->kuser_mem_fd = -1;
	}
}

void nt_kuser_attach(struct tracee *t)
{
	struct nt_process *np = nt_process_of(t);
	struct nt_alloc *a;
	char path[64];

	/* NT's memory map shows it read-only and mapped: NtFreeVirtualMemory cannot release it (MEMORY_NOT_ALLOCATED) */
	a = nt_alloc_add(np, NT_KUSER_ADDR, NT_KUSER_SIZE, 0x02 /* PAGE_READONLY */, 0x40000 /* MEM_MAPPED */);
	nt_alloc_set(a, NT_KUSER_ADDR, NT_KUSER_ADDR + NT_KUSER_SIZE, 0x02);

	snprintf(path, sizeof(path), "/proc/%d/mem", host_tid(t));
	np->kuser_mem_fd = open(path, O_WRONLY | O_CLOEXEC);
	if (np->kuser_mem_fd < 0)
		return; /* it keeps the page as loaded */
	if (nlive == caplive) {
		caplive = caplive ? caplive * 2 : 8;
		live = xrealloc(live, (size_t)caplive * sizeof(*live));
	}
	live[nlive++] = np;
	nt_timer_rearm();
}

void nt_kuser_detach(struct nt_process *np)
{
	for (int i = 0; i < nlive; i++)
		if (live[i] == np) {
			live[i] = live[--nlive];
			break;
		}
	if (np->kuser_mem_fd >= 0)
		close(np->kuser_mem_fd);
	np->kuser_mem_fd = -1;
	nt_timer_rearm();
}

void nt_kuser_touch(struct nt_process *np)
{
	if (np && np->kuser_mem_fd >= 0 && monotonic_ns() - np->kuser_at >= KUSER_PERIOD_NS)
		refresh(np);
}

void nt_kuser_tick(void)
{
	for (int i = 0; i < nlive; i++)
		if (live[i]->kuser_mem_fd >= 0)
			refresh(live[i]);
}

bool nt_kuser_live(void)
{
	return nlive > 0;
}
