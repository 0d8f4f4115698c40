/* The hash maps of diff (tracer/trace/trace_diff.h): 64-bit keys to values, open addressing. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "trace_diff.h"
#include "util.h"

/* Key 0 marks an empty slot: keys are stored plus one, so 0 itself can be a key (and ~0 cannot). */
static size_t slot_of(const struct id_map *m, uint64_t key)
{
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ull) >> 17) & (m->cap - 1);

	while (m->keys[i] && m->keys[i] != key + 1)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void grow(struct id_map *m)
{
	struct id_map bigger = { xcalloc(m->cap ? m->cap * 2 : 64, sizeof(uint64_t)),
				 xcalloc(m->cap ? m->cap * 2 : 64, sizeof(long long)), 0, m->cap ? m->cap * 2 : 64 };

	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i])
			id_map_put(&bigger, m->keys[i] - 1, m->vals[i]);
	free(m->keys);
	free(m->vals);
	*m = bigger;
}

void id_map_put(struct id_map *m, uint64_t key, long long v)
{
	size_t i;

	if (2 * (m->n + 1) > m->cap)
		grow(m);
	i = slot_of(m, key);
	if (!m->keys[i]) {
		m->keys[i] = key + 1;
		m->n++;
	}
	m->vals[i] = v;
}

bool id_map_get(const struct id_map *m, uint64_t key, long long *v)
{
	size_t i;

	if (!m->cap)
		return false;
	i = slot_of(m, key);
	if (!m->keys[i])
		return false;
	if (v)
		*v = m->vals[i];
	return true;
}

void id_map_free(struct id_map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

uint64_t diff_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}
