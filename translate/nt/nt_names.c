/*
 * The run's named objects (events, mutants, semaphores with a name in their
 * OBJECT_ATTRIBUTES): a hash table keyed by a random seed per run, so a
 * lookup compares a name with the few of its bucket, whatever names the
 * program chose. And what the supervisor keeps for a run's objects and
 * names is bounded (docs/nt.md, "Bounds on what a program can make the
 * supervisor do"): creating an object beyond NT_KEPT_MAX bytes is
 * STATUS_INSUFFICIENT_RESOURCES.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "nt_internal.h"
#include "util.h"

struct nt_named {
	char *name;
	uint64_t hash;
	struct nt_object *obj;
	struct nt_named *next;   /* in its bucket */
};

static struct nt_named **buckets;
static size_t nbuckets, count;
static uint64_t seed[2];
static size_t kept;              /* bytes of objects and names held for the run */

bool nt_kept_fits(size_t n)
{
	return n <= NT_KEPT_MAX && kept <= NT_KEPT_MAX - n;
}

void nt_kept_add(size_t n)
{
	kept += n;
}

void nt_kept_sub(size_t n)
{
	kept -= n < kept ? n : kept;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 32;
	x *= 0xd6e8feb86659fd93ULL;
	x ^= x >> 32;
	x *= 0xd6e8feb86659fd93ULL;
	return x ^ (x >> 32);
}

/* A hash the program cannot aim at one bucket without knowing the run's seed. */
static uint64_t name_hash(const char *s, size_t len)
{
	uint64_t h = seed[0] ^ len;

	while (len >= 8) {
		uint64_t w;

		memcpy(&w, s, 8);
		h = mix(h ^ mix(w ^ seed[1]));
		s += 8;
		len -= 8;
	}
	{
		uint64_t w = 0;

		memcpy(&w, s, len);
		h = mix(h ^ mix(w ^ seed[1] ^ (uint64_t)len << 56));
	}
	return h;
}

static size_t named_bytes(const struct nt_named *n)
{
	return sizeof(*n) + strlen(n->name) + 1;
}

static void grow(void)
{
	size_t nb = nbuckets ? nbuckets * 2 : 256;
	struct nt_named **b = xcalloc(nb, sizeof(*b));

	if (!nbuckets && getrandom(seed, sizeof(seed), 0) != sizeof(seed))
		seed[0] = (uint64_t)(uintptr_t)&seed ^ monotonic_ns(), seed[1] = mix(seed[0]);
	for (size_t i = 0; i < nbuckets; i++)
		while (buckets[i]) {
			struct nt_named *n = buckets[i];

			buckets[i] = n->next;
			n->next = b[n->hash & (nb - 1)];
			b[n->hash & (nb - 1)] = n;
		}
	nt_kept_sub(nbuckets * sizeof(*buckets));
	nt_kept_add(nb * sizeof(*b));
	free(buckets);
	buckets = b;
	nbuckets = nb;
}

struct nt_object *nt_named_find(const char *name)
{
	size_t len = strlen(name);
	uint64_t h;

	if (!nbuckets)
		return NULL;
	h = name_hash(name, len);
	for (struct nt_named *n = buckets[h & (nbuckets - 1)]; n; n = n->next)
		if (n->hash == h && strcmp(n->name, name) == 0)
			return n->obj;
	return NULL;
}

size_t nt_named_cost(const char *name)
{
	return sizeof(struct nt_named) + strlen(name) + 1 + 2 * sizeof(struct nt_named *);
}

void nt_named_add(char *name, struct nt_object *obj)
{
	struct nt_named *n = xcalloc(1, sizeof(*n));

	if (count >= nbuckets)
		grow();
	n->name = name;
	n->hash = name_hash(name, strlen(name));
	n->obj = obj;
	n->next = buckets[n->hash & (nbuckets - 1)];
	buckets[n->hash & (nbuckets - 1)] = n;
	obj->named = n;
	count++;
	nt_kept_add(named_bytes(n));
}

void nt_named_forget(struct nt_object *obj)
{
	struct nt_named *n = obj->named;

	if (!n)
		return;
	for (struct nt_named **pp = &buckets[n->hash & (nbuckets - 1)]; *pp; pp = &(*pp)->next)
		if (*pp == n) {
			*pp = n->next;
			break;
		}
	nt_kept_sub(named_bytes(n));
	free(n->name);
	free(n);
	obj->named = NULL;
	count--;
}
