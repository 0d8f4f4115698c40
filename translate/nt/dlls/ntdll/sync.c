/*
 * User-mode synchronisation: waits on an address (RtlWaitOnAddress and the
 * wakes), on which SRW locks and condition variables are built, and critical
 * sections (an interlocked count, and an auto-reset event made the first time
 * a thread has to wait). A thread waiting on an address parks on an event of
 * its own, listed in a bucket of a small table hashed by address; the bucket's
 * spin lock orders a waiter's last look at the value against a waker's
 * change, so no wake is lost.
 */
#include "ntdll_internal.h"

#define SYNCHRONIZATION_EVENT 1
#define EVENT_ALL_ACCESS 0x1f0003
#define BUCKETS 64

struct bucket {
	volatile long lock;
	struct pv_thread *waiters;
};

static struct bucket buckets[BUCKETS];

static void spin_lock(volatile long *l)
{
	for (int spins = 0; __atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE); spins++) {
		if (spins < 100)
			__builtin_ia32_pause();
		else
			NtYieldExecution();
	}
}

static void spin_unlock(volatile long *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

struct pv_thread *pv_thread_self(void)
{
	struct pv_thread **slot = (struct pv_thread **)(pv_teb() + TEB_PV_THREAD);

	if (!*slot) {
		void *base = NULL;
		size_t size = sizeof(struct pv_thread);

		/* its own pages: the heap may not exist yet, and the heap's lock does not wait on addresses */
		if (NtAllocateVirtualMemory(CURRENT_PROCESS, &base, 0, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE))
			return NULL;
		*slot = base;
	}
	return *slot;
}

static struct bucket *bucket_of(volatile const void *addr)
{
	uintptr_t a = (uintptr_t)addr;

	return &buckets[((a >> 3) ^ (a >> 11)) % BUCKETS];
}

static int equal(volatile const void *addr, const void *cmp, size_t size)
{
	switch (size) {
	case 1:
		return *(volatile const uint8_t *)addr == *(const uint8_t *)cmp;
	case 2:
		return *(volatile const uint16_t *)addr == *(const uint16_t *)cmp;
	case 4:
		return *(volatile const uint32_t *)addr == *(const uint32_t *)cmp;
	default:
		return *(volatile const uint64_t *)addr == *(const uint64_t *)cmp;
	}
}

EXPORT NTSTATUS RtlWaitOnAddress(volatile void *addr, void *cmp, size_t size, const int64_t *timeout)
{
	struct pv_thread *me = pv_thread_self();
	struct bucket *b = bucket_of(addr);
	NTSTATUS st;

	if (size != 1 && size != 2 && size != 4 && size != 8)
		return STATUS_INVALID_PARAMETER;
	if (!me)
		return STATUS_NO_MEMORY;
	if (!me->wait_event && NtCreateEvent(&me->wait_event, EVENT_ALL_ACCESS, NULL, SYNCHRONIZATION_EVENT, 0))
		return STATUS_NO_MEMORY;
	spin_lock(&b->lock);
	if (!equal(addr, cmp, size)) {
		spin_unlock(&b->lock);
		return STATUS_SUCCESS;
	}
	me->wait_addr = addr;
	me->woken = 0;
	me->next_waiter = b->waiters;
	b->waiters = me;
	spin_unlock(&b->lock);
	st = NtWaitForSingleObject(me->wait_event, 0, timeout);
	if (st == STATUS_TIMEOUT) {
		spin_lock(&b->lock);
		if (!me->woken) {
			for (struct pv_thread **pp = &b->waiters; *pp; pp = &(*pp)->next_waiter)
				if (*pp == me) {
					*pp = me->next_waiter;
					break;
				}
			spin_unlock(&b->lock);
			return STATUS_TIMEOUT;
		}
		spin_unlock(&b->lock);
		/* woken as the time ran out: take the event's signal, so the next wait does not see it */
		NtWaitForSingleObject(me->wait_event, 0, NULL);
	}
	return STATUS_SUCCESS;
}

static void wake(void *addr, int all)
{
	struct bucket *b = bucket_of(addr);
	struct pv_thread *woken = NULL;

	spin_lock(&b->lock);
	for (struct pv_thread **pp = &b->waiters; *pp;) {
		struct pv_thread *w = *pp;

		if (w->wait_addr != addr) {
			pp = &w->next_waiter;
			continue;
		}
		*pp = w->next_waiter;
		w->woken = 1;
		w->next_waiter = woken;
		woken = w;
		if (!all)
			break;
	}
	spin_unlock(&b->lock);
	while (woken) {
		struct pv_thread *w = woken;
		HANDLE ev = w->wait_event;

		woken = w->next_waiter; /* read before the event lets it wait again */
		NtSetEvent(ev, NULL);
	}
}

EXPORT void RtlWakeAddressSingle(void *addr)
{
	wake(addr, 0);
}

EXPORT void RtlWakeAddressAll(void *addr)
{
	wake(addr, 1);
}

/* ---- Critical sections */

static HANDLE cs_event(RTL_CRITICAL_SECTION *cs)
{
	HANDLE ev = cs->LockSemaphore, made;

	if (ev)
		return ev;
	if (NtCreateEvent(&made, EVENT_ALL_ACCESS, NULL, SYNCHRONIZATION_EVENT, 0))
		return NULL;
	ev = __sync_val_compare_and_swap(&cs->LockSemaphore, NULL, made);
	if (ev) {
		NtClose(made);
		return ev;
	}
	return made;
}

EXPORT NTSTATUS RtlInitializeCriticalSectionEx(RTL_CRITICAL_SECTION *cs, ULONG spin, ULONG flags)
{
	(void)flags;
	memset(cs, 0, sizeof(*cs));
	cs->LockCount = -1;
	cs->SpinCount = spin;
	return STATUS_SUCCESS;
}

EXPORT NTSTATUS RtlInitializeCriticalSectionAndSpinCount(RTL_CRITICAL_SECTION *cs, ULONG spin)
{
	return RtlInitializeCriticalSectionEx(cs, spin, 0);
}

EXPORT NTSTATUS RtlInitializeCriticalSection(RTL_CRITICAL_SECTION *cs)
{
	return RtlInitializeCriticalSectionEx(cs, 0, 0);
}

EXPORT NTSTATUS RtlDeleteCriticalSection(RTL_CRITICAL_SECTION *cs)
{
	if (cs->LockSemaphore)
		NtClose(cs->LockSemaphore);
	memset(cs, 0, sizeof(*cs));
	return STATUS_SUCCESS;
}

EXPORT NTSTATUS RtlEnterCriticalSection(RTL_CRITICAL_SECTION *cs)
{
	HANDLE me = (HANDLE)TEB_CLIENT_TID();

	if (cs->OwningThread == me) {
		cs->RecursionCount++;
		return STATUS_SUCCESS;
	}
	for (uint64_t i = 0; i < cs->SpinCount; i++) {
		if (cs->LockCount == -1 && __sync_bool_compare_and_swap(&cs->LockCount, -1, 0))
			goto owned;
		__builtin_ia32_pause();
	}
	if (__sync_add_and_fetch(&cs->LockCount, 1) != 0) {
		HANDLE ev = cs_event(cs);

		while (!ev) {
			NtYieldExecution(); /* no event to be made: poll for the owner to leave */
			if (!cs->OwningThread && !cs->RecursionCount)
				break;
			ev = cs_event(cs);
		}
		if (ev)
			NtWaitForSingleObject(ev, 0, NULL);
	}
owned:
	cs->OwningThread = me;
	cs->RecursionCount = 1;
	return STATUS_SUCCESS;
}

EXPORT BOOL RtlTryEnterCriticalSection(RTL_CRITICAL_SECTION *cs)
{
	HANDLE me = (HANDLE)TEB_CLIENT_TID();

	if (cs->OwningThread == me) {
		cs->RecursionCount++;
		return 1;
	}
	if (!__sync_bool_compare_and_swap(&cs->LockCount, -1, 0))
		return 0;
	cs->OwningThread = me;
	cs->RecursionCount = 1;
	return 1;
}

EXPORT NTSTATUS RtlLeaveCriticalSection(RTL_CRITICAL_SECTION *cs)
{
	if (--cs->RecursionCount > 0) {
		__sync_sub_and_fetch(&cs->LockCount, 0); /* a barrier; the count stays */
		return STATUS_SUCCESS;
	}
	cs->OwningThread = NULL;
	if (__sync_sub_and_fetch(&cs->LockCount, 1) >= 0)
		NtSetEvent(cs_event(cs), NULL); /* a waiter is there (or on its way): let one in */
	return STATUS_SUCCESS;
}

EXPORT BOOL RtlIsCriticalSectionLockedByThread(RTL_CRITICAL_SECTION *cs)
{
	return cs->OwningThread == (HANDLE)TEB_CLIENT_TID();
}

/* ---- SRW locks: bit 0 held exclusively, the rest twice the number of shared holders. */

typedef struct {
	volatile uintptr_t v;
} RTL_SRWLOCK;

EXPORT void RtlInitializeSRWLock(RTL_SRWLOCK *l)
{
	l->v = 0;
}

EXPORT void RtlAcquireSRWLockExclusive(RTL_SRWLOCK *l)
{
	for (;;) {
		uintptr_t v = l->v;

		if (v == 0 && __sync_bool_compare_and_swap(&l->v, 0, 1))
			return;
		RtlWaitOnAddress(&l->v, &v, sizeof(v), NULL);
	}
}

EXPORT unsigned char RtlTryAcquireSRWLockExclusive(RTL_SRWLOCK *l)
{
	return __sync_bool_compare_and_swap(&l->v, 0, 1);
}

EXPORT void RtlAcquireSRWLockShared(RTL_SRWLOCK *l)
{
	for (;;) {
		uintptr_t v = l->v;

		if (!(v & 1) && __sync_bool_compare_and_swap(&l->v, v, v + 2))
			return;
		RtlWaitOnAddress(&l->v, &v, sizeof(v), NULL);
	}
}

EXPORT unsigned char RtlTryAcquireSRWLockShared(RTL_SRWLOCK *l)
{
	uintptr_t v = l->v;

	return !(v & 1) && __sync_bool_compare_and_swap(&l->v, v, v + 2);
}

EXPORT void RtlReleaseSRWLockExclusive(RTL_SRWLOCK *l)
{
	__atomic_store_n(&l->v, 0, __ATOMIC_RELEASE);
	RtlWakeAddressAll((void *)&l->v);
}

EXPORT void RtlReleaseSRWLockShared(RTL_SRWLOCK *l)
{
	if (__sync_sub_and_fetch(&l->v, 2) == 0)
		RtlWakeAddressAll((void *)&l->v);
}

/* ---- Condition variables: a sequence number a wake moves on. */

typedef struct {
	volatile uintptr_t seq;
} RTL_CONDITION_VARIABLE;

EXPORT void RtlInitializeConditionVariable(RTL_CONDITION_VARIABLE *cv)
{
	cv->seq = 0;
}

EXPORT void RtlWakeConditionVariable(RTL_CONDITION_VARIABLE *cv)
{
	__sync_add_and_fetch(&cv->seq, 1);
	RtlWakeAddressSingle((void *)&cv->seq);
}

EXPORT void RtlWakeAllConditionVariable(RTL_CONDITION_VARIABLE *cv)
{
	__sync_add_and_fetch(&cv->seq, 1);
	RtlWakeAddressAll((void *)&cv->seq);
}

EXPORT NTSTATUS RtlSleepConditionVariableCS(RTL_CONDITION_VARIABLE *cv, RTL_CRITICAL_SECTION *cs, const int64_t *timeout)
{
	uintptr_t seq = cv->seq;
	long depth = cs->RecursionCount;
	NTSTATUS st;

	cs->RecursionCount = 1;
	RtlLeaveCriticalSection(cs);
	st = RtlWaitOnAddress(&cv->seq, &seq, sizeof(seq), timeout);
	RtlEnterCriticalSection(cs);
	cs->RecursionCount = depth;
	return st;
}

EXPORT NTSTATUS RtlSleepConditionVariableSRW(RTL_CONDITION_VARIABLE *cv, RTL_SRWLOCK *l, const int64_t *timeout,
					     ULONG flags)
{
	uintptr_t seq = cv->seq;
	NTSTATUS st;
	int shared = flags & 1; /* CONDITION_VARIABLE_LOCKMODE_SHARED */

	if (shared)
		RtlReleaseSRWLockShared(l);
	else
		RtlReleaseSRWLockExclusive(l);
	st = RtlWaitOnAddress(&cv->seq, &seq, sizeof(seq), timeout);
	if (shared)
		RtlAcquireSRWLockShared(l);
	else
		RtlAcquireSRWLockExclusive(l);
	return st;
}
