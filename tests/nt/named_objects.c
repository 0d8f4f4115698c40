/*
 * Hostile: named objects cannot make the supervisor keep unbounded memory.
 * Events with distinct names of 32766 units (about 96 KB each in UTF-8) are
 * created until refused: the refusal must be STATUS_INSUFFICIENT_RESOURCES,
 * well before 2000 of them (190 MB); before the bound, 2000 were kept (and
 * 30000 took 2.9 GB). Names stay shared: a second create of a name gives
 * the same object (OBJECT_NAME_EXISTS). Closing them gives the room back.
 */
#include "nt_test.h"

#define MAX_TRIES 2000
#define OBJECT_NAME_EXISTS 0x40000000
#define INSUFFICIENT_RESOURCES 0xC000009A

static WCHAR name[32767];
static HANDLE made[MAX_TRIES];

static NTSTATUS create(HANDLE *h, unsigned i)
{
	UNICODE_STRING u;
	OBJECT_ATTRIBUTES oa;

	name[32765] = (WCHAR)(0x4E00 + (i & 0x3ff));
	name[32764] = (WCHAR)(0x4E00 + (i >> 10));
	u.Buffer = name;
	u.Length = u.MaximumLength = 32766 * 2;
	init_oa(&oa, &u, 0, 0);
	return NtCreateEvent(h, 0x1F0003, &oa, 0, 0);
}

int mainCRTStartup(void)
{
	unsigned n = 0;
	NTSTATUS st = 0;
	HANDLE again;
	LARGE_INTEGER zero = { 0 };

	for (int i = 0; i < 32767; i++)
		name[i] = 0x4E00;
	while (n < MAX_TRIES && (st = create(&made[n], n)) == 0)
		n++;
	check(n > 100 && n < MAX_TRIES, "some hundreds of 96 KB names kept, then no more", n);
	CHECK_STATUS(st, INSUFFICIENT_RESOURCES, "the one beyond the bound: INSUFFICIENT_RESOURCES");
	st = create(&again, 7);
	check(st == OBJECT_NAME_EXISTS, "an existing name still opens its object", (ULONG)st);
	if (st == OBJECT_NAME_EXISTS) {
		NtSetEvent(made[7], 0);
		CHECK_STATUS(NtWaitForSingleObject(again, 0, &zero), 0, "the same object: set by one handle, seen by the other");
		NtClose(again);
	}
	for (unsigned i = 0; i < n; i++)
		NtClose(made[i]);
	st = create(&again, MAX_TRIES + 1);
	check(st == 0, "once closed, their room is given back", (ULONG)st);
	done();
	return 0;
}
